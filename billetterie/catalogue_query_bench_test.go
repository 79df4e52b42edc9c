package billetterie_test

import (
	"testing"
	"time"

	"github.com/guichet/guichet/catalogue"
)

// BenchmarkSnapshotQueries measures the reads the resolvers make on a
// 5,000-show snapshot: a first page, a deep page, filtered pages (type,
// city, words, dates), the total count, and lookups by id.
//
//	go test ./billetterie -run '^$' -bench SnapshotQueries -benchmem
func BenchmarkSnapshotQueries(b *testing.B) {
	p := benchParts(b)
	s := catalogue.New("bench", time.Now(), p)
	mid := p.Shows[len(p.Shows)/2]
	perf := mid.Performances[0]
	var city string
	if v := s.Venue(perf.VenueID); v != nil {
		city = s.City(v.ID)
	}
	from := perf.StartsAt.Add(-24 * time.Hour)
	page := func(f catalogue.ShowFilter, after string, want int) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				got, _, ok := s.Shows(f, after, 20)
				if !ok || len(got) < want {
					b.Fatalf("%d shows, ok %v", len(got), ok)
				}
			}
		}
	}
	b.Run("first-page", page(catalogue.ShowFilter{}, "", 20))
	b.Run("page-after-2500", page(catalogue.ShowFilter{}, mid.ID, 20))
	b.Run("type", page(catalogue.ShowFilter{Type: mid.Type}, "", 1))
	b.Run("city", page(catalogue.ShowFilter{City: city}, "", 1))
	b.Run("words", page(catalogue.ShowFilter{Text: mid.Title}, "", 1))
	b.Run("dates", page(catalogue.ShowFilter{From: from, To: from.Add(7 * 24 * time.Hour)}, "", 1))
	b.Run("count", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if s.CountShows(catalogue.ShowFilter{Type: mid.Type}) == 0 {
				b.Fatal("no show counted")
			}
		}
	})
	b.Run("by-id", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if s.Show(mid.ID) == nil || s.Performance(perf.ID) == nil {
				b.Fatal("lookup failed")
			}
		}
	})
}
