package catalogue

import (
	"slices"
	"testing"
	"time"
)

func TestMergeByID(t *testing.T) {
	old := testSnapshot()
	oldTitle := old.Show("s2").Title
	delta := Parts{
		Venues: []*Venue{{ID: "2", Name: "Le Toboggan", City: "Décines"}, {ID: "3", Name: "Nouvelle salle", City: "Villeurbanne"}},
		Grids:  []*PriceGrid{{Label: "A", Prices: []Price{{Category: "Plein tarif", Amount: EUR(2500)}}}},
		Shows: []*Show{
			// s2 now plays twice, one of them being p31 moved from s3.
			{ID: "s2", Title: "Scapin", Type: "THEATRE", Performances: []*Performance{
				{ID: "p22", ShowID: "s2", StartsAt: at(25, 20), VenueID: "3", GridLabel: "A"},
				{ID: "p31", ShowID: "s2", StartsAt: at(20, 20), VenueID: "11", GridLabel: "A"},
			}},
			{ID: "s4", Title: "Création", Type: "DANSE", Performances: []*Performance{{ID: "p41", ShowID: "s4", StartsAt: at(1, 20), VenueID: "3"}}},
		},
		Passes:   []*Pass{{ID: "ab1", Name: "Abonnement 3 spectacles", Kind: Subscription}},
		Articles: []*Article{{ID: "ar1", Name: "Programme", Price: EUR(500)}},
	}
	m := old.Merge(delta, "v2", at(1, 0))

	if m.Version != "v2" || old.Version != "v1" {
		t.Fatalf("versions %s / %s", m.Version, old.Version)
	}
	got := ids(mustShows(t, m))
	slices.Sort(got)
	if !eq(got, []string{"s1", "s2", "s3", "s4"}) {
		t.Fatalf("merged shows %v", got)
	}
	s2 := m.Show("s2")
	if s2.Title != "Scapin" || len(s2.Performances) != 2 || s2.Performances[0].ID != "p31" {
		t.Fatalf("s2 not replaced with its performances in date order: %+v", s2)
	}
	if m.Performance("p21") != nil {
		t.Fatal("p21, gone from the delta's s2, still served")
	}
	if p := m.Performance("p31"); p == nil || p.ShowID != "s2" {
		t.Fatalf("p31 should belong to s2: %+v", p)
	}
	if s3 := m.Show("s3"); s3 == nil || len(s3.Performances) != 0 {
		t.Fatalf("s3 should keep no performance after p31 moved: %+v", s3)
	}
	if v := m.Venue("2"); v.City != "Décines" {
		t.Fatalf("venue 2 not replaced: %+v", v)
	}
	if m.Venue("1") == nil || m.Venue("3") == nil || len(m.Venues()) != 4 {
		t.Fatalf("venues: %d", len(m.Venues()))
	}
	if g := m.Grid("A"); g.Prices[0].Amount != EUR(2500) || m.Grid("A WEB") != nil {
		t.Fatalf("grid A: %+v", g)
	}
	if m.Pass("ab1") == nil || m.Article("ar1") == nil {
		t.Fatal("new pass or article missing")
	}
	if page, _, _ := m.Shows(ShowFilter{VenueID: "3"}, "", 10); !eq(ids(page), []string{"s4", "s2"}) {
		t.Fatalf("venue index not rebuilt: %v", ids(page))
	}

	// The old snapshot is untouched.
	if old.Show("s2").Title != oldTitle || old.Performance("p21") == nil || len(old.Show("s3").Performances) != 1 ||
		old.Venue("2").City != "Décines-Charpieu" || old.Grid("A").Prices[0].Amount != EUR(2200) || old.Venue("3") != nil {
		t.Fatal("Merge modified the old snapshot")
	}

	// An empty delta changes nothing but the version.
	e := m.Merge(Parts{}, "v3", at(2, 0))
	if e.Totals() != m.Totals() || e.Show("s2") != m.Show("s2") {
		t.Fatal("empty delta changed the catalogue")
	}
}

func mustShows(t *testing.T, s *Snapshot) []*Show {
	t.Helper()
	page, _, ok := s.Shows(ShowFilter{}, "", 1000)
	if !ok {
		t.Fatal("Shows failed")
	}
	return page
}

func TestChanges(t *testing.T) {
	s := testSnapshot()
	same := s.Parts()
	// Rebuilt copies, performances in another order and times in another
	// zone, as a fresh flux would give them.
	var copies []*Show
	for _, sh := range same.Shows {
		c := copyShow(sh)
		for i, j := 0, len(c.Performances)-1; i < j; i, j = i+1, j-1 {
			c.Performances[i], c.Performances[j] = c.Performances[j], c.Performances[i]
		}
		for _, p := range c.Performances {
			p.StartsAt = p.StartsAt.UTC()
		}
		copies = append(copies, c)
	}
	if n := s.Changes(Parts{Venues: same.Venues, Grids: same.Grids, Shows: copies}); n != 0 {
		t.Fatalf("identical delta counted %d changes", n)
	}
	moved := copyShow(s.Show("s1"))
	moved.Performances[0].StartsAt = moved.Performances[0].StartsAt.Add(time.Hour)
	renamed := &Venue{ID: "2", Name: "Toboggan"}
	if n := s.Changes(Parts{Venues: []*Venue{renamed}, Shows: []*Show{moved, {ID: "new"}}}); n != 3 {
		t.Fatalf("changes = %d, want 3 (venue, moved performance, new show)", n)
	}
}
