package catalogue

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"unicode"
)

// Parts are the raw collections a snapshot is built from.
type Parts struct {
	Venues   []*Venue
	Grids    []*PriceGrid
	Shows    []*Show
	Passes   []*Pass
	Articles []*Article
}

// Snapshot is an immutable catalogue with its indexes. Never modify a
// snapshot or what it points to after New: readers share it without locks.
type Snapshot struct {
	Version  string
	LoadedAt time.Time

	shows    []*Show // ordered by first performance, then title
	venues   []*Venue
	grids    []*PriceGrid
	passes   []*Pass
	articles []*Article

	showByID    map[string]*Show
	perfByID    map[string]*Performance
	venueByID   map[string]*Venue
	gridByLabel map[string]*PriceGrid
	passByID    map[string]*Pass
	articleByID map[string]*Article
	showPos     map[string]int   // position in shows, for cursors
	byVenue     map[string][]int // venue or parent site id → show positions
	byType      map[string][]int // folded type or category → show positions
	text        []string         // folded searchable text per show position
}

// New builds a snapshot and its indexes from parts.
func New(version string, loadedAt time.Time, p Parts) *Snapshot {
	s := &Snapshot{
		Version: version, LoadedAt: loadedAt,
		venues: p.Venues, grids: p.Grids, passes: p.Passes, articles: p.Articles,
		showByID: map[string]*Show{}, perfByID: map[string]*Performance{},
		venueByID: map[string]*Venue{}, gridByLabel: map[string]*PriceGrid{},
		passByID: map[string]*Pass{}, articleByID: map[string]*Article{},
		showPos: map[string]int{}, byVenue: map[string][]int{}, byType: map[string][]int{},
	}
	for _, v := range p.Venues {
		s.venueByID[v.ID] = v
	}
	for _, g := range p.Grids {
		s.gridByLabel[g.Label] = g
		if g.WebLabel != "" {
			if _, taken := s.gridByLabel[g.WebLabel]; !taken {
				s.gridByLabel[g.WebLabel] = g
			}
		}
	}
	for _, x := range p.Passes {
		s.passByID[x.ID] = x
	}
	for _, a := range p.Articles {
		s.articleByID[a.ID] = a
	}
	s.shows = append([]*Show(nil), p.Shows...)
	for _, sh := range s.shows {
		// Merge hands shows of a served snapshot to New again: sorting only
		// when needed keeps those shared slices untouched (no write, no race).
		before := func(i, j int) bool { return sh.Performances[i].StartsAt.Before(sh.Performances[j].StartsAt) }
		if !sort.SliceIsSorted(sh.Performances, before) {
			sort.SliceStable(sh.Performances, before)
		}
	}
	sort.SliceStable(s.shows, func(i, j int) bool {
		a, b := firstDate(s.shows[i]), firstDate(s.shows[j])
		if !a.Equal(b) {
			return a.Before(b)
		}
		return s.shows[i].Title < s.shows[j].Title
	})
	s.text = make([]string, len(s.shows))
	for i, sh := range s.shows {
		s.showByID[sh.ID] = sh
		s.showPos[sh.ID] = i
		seen := map[string]bool{}
		for _, pf := range sh.Performances {
			s.perfByID[pf.ID] = pf
			for _, v := range []string{pf.VenueID, s.parentOf(pf.VenueID)} {
				if v != "" && !seen[v] {
					seen[v] = true
					s.byVenue[v] = append(s.byVenue[v], i)
				}
			}
		}
		for _, t := range append([]string{sh.Type, sh.Category}, sh.Subcategories...) {
			if k := Fold(t); k != "" && !seen["t:"+k] {
				seen["t:"+k] = true
				s.byType[k] = append(s.byType[k], i)
			}
		}
		s.text[i] = Fold(strings.Join([]string{sh.Title, sh.Subtitle, sh.Type, sh.Category, sh.Festival, sh.Description}, " "))
	}
	return s
}

func (s *Snapshot) parentOf(venueID string) string {
	if v := s.venueByID[venueID]; v != nil {
		return v.ParentID
	}
	return ""
}

func firstDate(sh *Show) time.Time {
	if len(sh.Performances) == 0 {
		return time.Time{}
	}
	return sh.Performances[0].StartsAt
}

// Show returns a show by id, or nil.
func (s *Snapshot) Show(id string) *Show { return s.showByID[id] }

// Performance returns a performance by id, or nil.
func (s *Snapshot) Performance(id string) *Performance { return s.perfByID[id] }

// Venue returns a venue by id, or nil.
func (s *Snapshot) Venue(id string) *Venue { return s.venueByID[id] }

// Grid returns the price grid a performance refers to, by label, or nil.
func (s *Snapshot) Grid(label string) *PriceGrid { return s.gridByLabel[label] }

// Pass returns a pass by id, or nil.
func (s *Snapshot) Pass(id string) *Pass { return s.passByID[id] }

// Article returns an article by id, or nil.
func (s *Snapshot) Article(id string) *Article { return s.articleByID[id] }

// Grids lists every price grid.
func (s *Snapshot) Grids() []*PriceGrid { return s.grids }

// Parts returns the collections the snapshot was built from (shows in
// catalogue order), for persisting and merging; callers must not modify them.
func (s *Snapshot) Parts() Parts {
	return Parts{Venues: s.venues, Grids: s.grids, Shows: s.shows, Passes: s.passes, Articles: s.articles}
}

// Venues lists every venue.
func (s *Snapshot) Venues() []*Venue { return s.venues }

// Passes lists every pass.
func (s *Snapshot) Passes() []*Pass { return s.passes }

// Articles lists the articles, of one family when family is not empty.
func (s *Snapshot) Articles(family string) []*Article {
	if family == "" {
		return s.articles
	}
	var out []*Article
	for _, a := range s.articles {
		if Fold(a.Family) == Fold(family) {
			out = append(out, a)
		}
	}
	return out
}

// Counts reports the size of the snapshot.
func (s *Snapshot) Counts() (shows, performances, venues int) {
	return len(s.shows), len(s.perfByID), len(s.venues)
}

// ShowFilter selects shows; zero fields do not filter.
type ShowFilter struct {
	From, To time.Time // a show matches when one of its performances starts in [From, To)
	Type     string    // type or web category, accent and case insensitive
	VenueID  string    // room or parent site
	City     string
	Text     string // every word must appear in title, subtitle, type, festival or description
}

// Shows returns the shows matching f, in catalogue order, starting after the
// show whose id is after (empty: from the start), at most limit of them, and
// whether more follow.
func (s *Snapshot) Shows(f ShowFilter, after string, limit int) (page []*Show, hasNext bool, ok bool) {
	start := 0
	if after != "" {
		p, found := s.showPos[after]
		if !found {
			return nil, false, false
		}
		start = p + 1
	}
	candidates := s.candidates(f)
	words := strings.Fields(Fold(f.Text))
	for _, i := range candidates {
		if i < start || !s.matches(i, f, words) {
			continue
		}
		if len(page) == limit {
			return page, true, true
		}
		page = append(page, s.shows[i])
	}
	return page, false, true
}

// CountShows is how many shows match f across all pages.
func (s *Snapshot) CountShows(f ShowFilter) int {
	if f == (ShowFilter{}) {
		return len(s.shows)
	}
	words := strings.Fields(Fold(f.Text))
	n := 0
	for _, i := range s.candidates(f) {
		if s.matches(i, f, words) {
			n++
		}
	}
	return n
}

// candidates narrows the scan with the venue and type indexes.
func (s *Snapshot) candidates(f ShowFilter) []int {
	switch {
	case f.VenueID != "":
		return s.byVenue[f.VenueID]
	case f.Type != "":
		return s.byType[Fold(f.Type)]
	}
	all := make([]int, len(s.shows))
	for i := range all {
		all[i] = i
	}
	return all
}

func (s *Snapshot) matches(i int, f ShowFilter, words []string) bool {
	sh := s.shows[i]
	if f.Type != "" {
		k := Fold(f.Type)
		hit := Fold(sh.Type) == k || Fold(sh.Category) == k
		for _, c := range sh.Subcategories {
			hit = hit || Fold(c) == k
		}
		if !hit {
			return false
		}
	}
	for _, w := range words {
		if !strings.Contains(s.text[i], w) {
			return false
		}
	}
	if f.From.IsZero() && f.To.IsZero() && f.VenueID == "" && f.City == "" {
		return true
	}
	for _, p := range sh.Performances {
		if !f.From.IsZero() && p.StartsAt.Before(f.From) {
			continue
		}
		if !f.To.IsZero() && !p.StartsAt.Before(f.To) {
			continue
		}
		if f.VenueID != "" && p.VenueID != f.VenueID && s.parentOf(p.VenueID) != f.VenueID {
			continue
		}
		if f.City != "" && Fold(s.cityOf(p.VenueID)) != Fold(f.City) {
			continue
		}
		return true
	}
	return false
}

func (s *Snapshot) cityOf(venueID string) string {
	v := s.venueByID[venueID]
	if v == nil {
		return ""
	}
	if v.City == "" && v.ParentID != "" {
		return s.cityOf(v.ParentID)
	}
	return v.City
}

// City returns the city of a venue, inherited from its parent site.
func (s *Snapshot) City(venueID string) string { return s.cityOf(venueID) }

// folders pools the accent-stripping chains: a chain keeps state while it
// runs, so one shared chain raced between concurrent requests (and with
// the syncer building a snapshot).
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold lowercases and strips accents, for matching what visitors type.
func Fold(s string) string {
	folder := folders.Get().(transform.Transformer)
	out, _, err := transform.String(folder, s)
	folders.Put(folder)
	if err != nil {
		out = s
	}
	return strings.ToLower(strings.TrimSpace(out))
}

// Store holds the current snapshot; readers get it without locks and a new
// one is swapped in atomically.
type Store struct{ cur atomic.Pointer[Snapshot] }

// Current returns the snapshot being served, or nil before the first load.
func (st *Store) Current() *Snapshot { return st.cur.Load() }

// Swap installs a new snapshot.
func (st *Store) Swap(s *Snapshot) { st.cur.Store(s) }

// Version is the version of the snapshot being served, "" before the first
// load. Answers computed from the catalogue alone are a function of it
// (respcache keys them by it).
func (st *Store) Version() string {
	if s := st.cur.Load(); s != nil {
		return s.Version
	}
	return ""
}
