package catalogue

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// fakeSource serves a mutable catalogue and counts what the sync asked.
type fakeSource struct {
	mu        sync.Mutex
	venues    []*Venue
	grids     []*PriceGrid
	shows     map[string]*Show
	modified  map[string]time.Time // show id → modification date
	fulls     int
	sinceDays []time.Time
	err       error
}

func newFakeSource(nShows int) *fakeSource {
	f := &fakeSource{shows: map[string]*Show{}, modified: map[string]time.Time{}}
	f.venues = []*Venue{{ID: "1", Name: "Site", City: "Lyon"}, {ID: "11", Name: "Grande salle", ParentID: "1"}}
	f.grids = []*PriceGrid{{Label: "A", Prices: []Price{{Category: "Plein", Amount: EUR(2000)}}}}
	for i := range nShows {
		id := fmt.Sprintf("s%d", i)
		f.shows[id] = fakeShow(id, "Show "+id, 2)
		f.modified[id] = at(1, 0)
	}
	return f
}

func fakeShow(id, title string, perfs int) *Show {
	sh := &Show{ID: id, Title: title, Type: "THEATRE"}
	for j := range perfs {
		sh.Performances = append(sh.Performances, &Performance{ID: fmt.Sprintf("%s-p%d", id, j), ShowID: id,
			StartsAt: at(1+j, 20), VenueID: "11", GridLabel: "A", Duration: time.Hour})
	}
	return sh
}

// set changes a show upstream, as modified on day.
func (f *fakeSource) set(sh *Show, day time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shows[sh.ID], f.modified[sh.ID] = sh, day
}

func (f *fakeSource) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeSource) counts() (fulls int, since []time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fulls, append([]time.Time(nil), f.sinceDays...)
}

// copyShow gives the syncer its own objects, as a parsed flux would.
func copyShow(sh *Show) *Show {
	c := *sh
	c.Performances = nil
	for _, p := range sh.Performances {
		pc := *p
		c.Performances = append(c.Performances, &pc)
	}
	return &c
}

func (f *fakeSource) parts(keep func(id string) bool) Parts {
	p := Parts{}
	for _, v := range f.venues {
		vc := *v
		p.Venues = append(p.Venues, &vc)
	}
	for _, g := range f.grids {
		gc := *g
		p.Grids = append(p.Grids, &gc)
	}
	for id, sh := range f.shows {
		if keep(id) {
			p.Shows = append(p.Shows, copyShow(sh))
		}
	}
	return p
}

func (f *fakeSource) Full(ctx context.Context) (Parts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fulls++
	if f.err != nil {
		return Parts{}, f.err
	}
	return f.parts(func(string) bool { return true }), nil
}

func (f *fakeSource) Since(ctx context.Context, day time.Time) (Parts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sinceDays = append(f.sinceDays, day)
	if f.err != nil {
		return Parts{}, f.err
	}
	// The vendor's rule: modified on or after day's date, in its zone.
	y, m, d := day.In(paris).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, paris)
	return f.parts(func(id string) bool { return !f.modified[id].Before(from) }), nil
}

// fakeClock is a settable clock for sync dates and versions.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
