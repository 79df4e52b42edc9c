package catalogue

import (
	"testing"
	"time"
)

var paris, _ = time.LoadLocation("Europe/Paris")

func at(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, paris) }

func testSnapshot() *Snapshot {
	perf := func(id, show string, t time.Time, venue string) *Performance {
		return &Performance{ID: id, ShowID: show, StartsAt: t, VenueID: venue, GridLabel: "A", Duration: 90 * time.Minute}
	}
	return New("v1", time.Now(), Parts{
		Venues: []*Venue{
			{ID: "1", Name: "Théâtre des Célestins", City: "Lyon"},
			{ID: "11", Name: "Grande salle", ParentID: "1"},
			{ID: "2", Name: "Le Toboggan", City: "Décines-Charpieu"},
		},
		Grids: []*PriceGrid{{Label: "A", WebLabel: "A WEB", Prices: []Price{{Category: "Plein tarif", Amount: EUR(2200), Fee: EUR(150)}}}},
		Shows: []*Show{
			{ID: "s3", Title: "Le Misanthrope", Type: "THEATRE", Performances: []*Performance{perf("p31", "s3", at(20, 20), "11")}},
			{ID: "s1", Title: "Boléro", Subtitle: "Ballet de l'Opéra", Type: "DANSE", Performances: []*Performance{perf("p12", "s1", at(10, 20), "2"), perf("p11", "s1", at(3, 20), "2")}},
			{ID: "s2", Title: "Les Fourberies de Scapin", Type: "Théâtre", Festival: "Nuits d'hiver", Performances: []*Performance{perf("p21", "s2", at(5, 15), "11")}},
		},
	})
}

func ids(shows []*Show) []string {
	var out []string
	for _, s := range shows {
		out = append(out, s.ID)
	}
	return out
}

func eq(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestShowsFilters(t *testing.T) {
	s := testSnapshot()
	cases := []struct {
		name string
		f    ShowFilter
		want []string
	}{
		{"all, by first performance", ShowFilter{}, []string{"s1", "s2", "s3"}},
		{"type folds accents and case", ShowFilter{Type: "theatre"}, []string{"s2", "s3"}},
		{"parent venue matches its rooms", ShowFilter{VenueID: "1"}, []string{"s2", "s3"}},
		{"room", ShowFilter{VenueID: "2"}, []string{"s1"}},
		{"city inherited from the site", ShowFilter{City: "LYON"}, []string{"s2", "s3"}},
		{"date range on any performance", ShowFilter{From: at(9, 0), To: at(11, 0)}, []string{"s1"}},
		{"text in subtitle, accents ignored", ShowFilter{Text: "opera ballet"}, []string{"s1"}},
		{"text in festival", ShowFilter{Text: "Hiver"}, []string{"s2"}},
		{"combined", ShowFilter{Type: "THEATRE", From: at(15, 0)}, []string{"s3"}},
		{"nothing", ShowFilter{Text: "opérette"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, ok := s.Shows(c.f, "", 10)
			if !ok || !eq(ids(got), c.want) {
				t.Fatalf("got %v (ok %v), want %v", ids(got), ok, c.want)
			}
		})
	}
}

func TestShowsPagination(t *testing.T) {
	s := testSnapshot()
	page, more, _ := s.Shows(ShowFilter{}, "", 2)
	if !eq(ids(page), []string{"s1", "s2"}) || !more {
		t.Fatalf("page 1: %v more=%v", ids(page), more)
	}
	page, more, _ = s.Shows(ShowFilter{}, "s2", 2)
	if !eq(ids(page), []string{"s3"}) || more {
		t.Fatalf("page 2: %v more=%v", ids(page), more)
	}
	if _, _, ok := s.Shows(ShowFilter{}, "gone", 2); ok {
		t.Fatal("an unknown cursor must be reported")
	}
}

func TestIndexesAndOrdering(t *testing.T) {
	s := testSnapshot()
	if p := s.Performance("p11"); p == nil || p.ShowID != "s1" {
		t.Fatalf("performance index: %+v", p)
	}
	if perfs := s.Show("s1").Performances; perfs[0].ID != "p11" {
		t.Fatalf("performances not chronological: first is %s", perfs[0].ID)
	}
	if g := s.Grid("A WEB"); g == nil || g.Prices[0].Total().Cents != 2350 {
		t.Fatalf("grid by web label: %+v", g)
	}
	if s.City("11") != "Lyon" {
		t.Fatalf("room city should come from its site")
	}
	if got := EUR(123456).Formatted(); got != "1234,56 €" {
		t.Fatalf("formatted: %q", got)
	}
}
