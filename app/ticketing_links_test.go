package app

import (
	"strconv"
	"testing"

	"github.com/guichet/guichet/billetterie"
)

// Ensure the kept deep links are the builder's, for every kind, that a
// kept link costs no allocation, and that past the cap links are still
// right (built on each call).
func TestSiteLinksKept(t *testing.T) {
	l := billetterie.Links{Base: "https://billetterie.test/site", Lang: 1}
	s := newSiteLinks(l)
	for _, id := range []string{"1010", "1010", "x y&z", ""} {
		if got, want := s.ShowURL(id), l.Show(id, "", ""); got != want {
			t.Fatalf("ShowURL(%q) = %q, want %q", id, got, want)
		}
		if got, want := s.PassURL(id), l.Pass(id, ""); got != want {
			t.Fatalf("PassURL(%q) = %q, want %q", id, got, want)
		}
		if got, want := s.ArticleURL(id), l.Article(id, ""); got != want {
			t.Fatalf("ArticleURL(%q) = %q, want %q", id, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { s.ShowURL("1010") }); n != 0 {
		t.Fatalf("a kept link costs %v allocations", n)
	}
	for i := range maxCachedLinks + 10 {
		s.ShowURL(strconv.Itoa(i))
	}
	if n := s.shows.Len(); n != maxCachedLinks {
		t.Fatalf("%d links kept, want the cap %d", n, maxCachedLinks)
	}
	if got, want := s.ShowURL("beyond"), l.Show("beyond", "", ""); got != want {
		t.Fatalf("past the cap: %q, want %q", got, want)
	}
}
