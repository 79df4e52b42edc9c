package catalogue

import (
	"slices"
	"strings"
	"time"
)

// Merge returns a new snapshot holding s updated by delta, the answer of an
// incremental pull (filtre=1&date_modif=). Items are merged by key: a show in
// the delta replaces the show and all its performances; venues, passes and
// articles replace theirs by id, grids by label; new keys are added. The
// vendor's spec says absence from a delta means nothing, so nothing is ever
// removed here: deletions only come with a full load. s is left untouched.
func (s *Snapshot) Merge(delta Parts, version string, at time.Time) *Snapshot {
	old := s.Parts()
	out := Parts{
		Venues:   mergeByKey(old.Venues, delta.Venues, func(v *Venue) string { return v.ID }),
		Grids:    mergeByKey(old.Grids, delta.Grids, func(g *PriceGrid) string { return g.Label }),
		Passes:   mergeByKey(old.Passes, delta.Passes, func(p *Pass) string { return p.ID }),
		Articles: mergeByKey(old.Articles, delta.Articles, func(a *Article) string { return a.ID }),
	}
	// A performance moved to another show in the delta must leave the show
	// that held it, or two shows would list it. Old shows are copied, never
	// edited, since readers of s still share them.
	claimed := map[string]string{}
	for _, sh := range delta.Shows {
		for _, p := range sh.Performances {
			claimed[p.ID] = sh.ID
		}
	}
	replaced := map[string]bool{}
	for _, sh := range delta.Shows {
		replaced[sh.ID] = true
	}
	out.Shows = make([]*Show, 0, len(old.Shows)+len(delta.Shows))
	for _, sh := range old.Shows {
		if replaced[sh.ID] {
			continue
		}
		out.Shows = append(out.Shows, withoutClaimed(sh, claimed))
	}
	seen := map[string]int{}
	for _, sh := range delta.Shows {
		if i, dup := seen[sh.ID]; dup { // the last occurrence in a flux wins
			out.Shows[i] = sh
			continue
		}
		seen[sh.ID] = len(out.Shows)
		out.Shows = append(out.Shows, sh)
	}
	return New(version, at, out)
}

// withoutClaimed returns sh, or a copy of it without the performances a
// delta show now owns.
func withoutClaimed(sh *Show, claimed map[string]string) *Show {
	keep := -1
	for i, p := range sh.Performances {
		if owner, ok := claimed[p.ID]; ok && owner != sh.ID {
			keep = i
			break
		}
	}
	if keep < 0 {
		return sh
	}
	cp := *sh
	cp.Performances = make([]*Performance, 0, len(sh.Performances)-1)
	for _, p := range sh.Performances {
		if owner, ok := claimed[p.ID]; ok && owner != sh.ID {
			continue
		}
		cp.Performances = append(cp.Performances, p)
	}
	return &cp
}

// mergeByKey keeps the order of old, replacing items by key in place and
// appending new keys in delta order.
func mergeByKey[T any](old, delta []*T, key func(*T) string) []*T {
	if len(delta) == 0 {
		return old
	}
	byKey := make(map[string]*T, len(delta))
	var order []string
	for _, d := range delta {
		k := key(d)
		if _, dup := byKey[k]; !dup {
			order = append(order, k)
		}
		byKey[k] = d
	}
	out := make([]*T, 0, len(old)+len(delta))
	used := make(map[string]bool, len(delta))
	for _, o := range old {
		k := key(o)
		if d, ok := byKey[k]; ok {
			if !used[k] {
				out = append(out, d)
				used[k] = true
			}
			continue
		}
		out = append(out, o)
	}
	for _, k := range order {
		if !used[k] {
			out = append(out, byKey[k])
		}
	}
	return out
}

// Empty reports whether parts hold nothing at all.
func (p Parts) Empty() bool {
	return len(p.Venues)+len(p.Grids)+len(p.Shows)+len(p.Passes)+len(p.Articles) == 0
}

// Changes counts the items of delta that differ from what s holds (new keys
// included). The vendor's delta always repeats rooms and grids, so a pull
// that changed nothing must not mint a new version, which would empty the
// response caches keyed by it.
func (s *Snapshot) Changes(delta Parts) int {
	n := 0
	for _, v := range delta.Venues {
		if o := s.venueByID[v.ID]; o == nil || *o != *v {
			n++
		}
	}
	for _, g := range delta.Grids {
		if o := s.gridByLabel[g.Label]; o == nil || o.Label != g.Label || !sameGrid(o, g) {
			n++
		}
	}
	for _, sh := range delta.Shows {
		if o := s.showByID[sh.ID]; o == nil || !sameShow(o, sh) {
			n++
		}
	}
	for _, p := range delta.Passes {
		if o := s.passByID[p.ID]; o == nil || !samePass(o, p) {
			n++
		}
	}
	for _, a := range delta.Articles {
		if o := s.articleByID[a.ID]; o == nil || !sameArticle(o, a) {
			n++
		}
	}
	return n
}

func sameGrid(a, b *PriceGrid) bool {
	return a.WebLabel == b.WebLabel && slices.Equal(a.Prices, b.Prices)
}

func samePass(a, b *Pass) bool {
	return a.Name == b.Name && a.Kind == b.Kind && a.Description == b.Description &&
		a.ModifiedAt.Equal(b.ModifiedAt) && slices.Equal(a.Prices, b.Prices)
}

func sameArticle(a, b *Article) bool {
	x, y := *a, *b
	x.ModifiedAt, y.ModifiedAt = time.Time{}, time.Time{}
	return x == y && a.ModifiedAt.Equal(b.ModifiedAt)
}

func sameShow(a, b *Show) bool {
	if a.Title != b.Title || a.Subtitle != b.Subtitle || a.Type != b.Type || a.Category != b.Category ||
		a.Festival != b.Festival || a.Info != b.Info || a.Description != b.Description ||
		!a.ModifiedAt.Equal(b.ModifiedAt) || !slices.Equal(a.Subcategories, b.Subcategories) ||
		len(a.Performances) != len(b.Performances) {
		return false
	}
	// b may come straight from a flux, not yet in date order.
	pa := slices.Clone(a.Performances)
	pb := slices.Clone(b.Performances)
	byID := func(x, y *Performance) int { return strings.Compare(x.ID, y.ID) }
	slices.SortFunc(pa, byID)
	slices.SortFunc(pb, byID)
	for i := range pa {
		x, y := *pa[i], *pb[i]
		if !x.StartsAt.Equal(y.StartsAt) {
			return false
		}
		x.StartsAt, y.StartsAt = time.Time{}, time.Time{}
		if x != y {
			return false
		}
	}
	return true
}
