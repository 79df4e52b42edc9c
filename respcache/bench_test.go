package respcache_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/guichet/guichet/internal/apitest"
)

// BenchmarkListing measures the 20-show listing (20 shows × 6
// performances) through the /graphql route in-process: the bytes written by
// a plain handler (the ceiling), the route without the cache, and with it
// (POST, and GET as a CDN would ask). Compare ns/op:
//
//	go test ./respcache -run '^$' -bench Listing -benchmem
func BenchmarkListing(b *testing.B) {
	hs := newHarness(b, defaultOptions())
	post := req{Query: listing, Vars: map[string]any{"first": 20}}
	get := post
	get.GET = true
	body := hs.direct(post).Body.Bytes()
	if r := apitest.Decode(b, hs.direct(post), nil); len(r.Errors) > 0 {
		b.Fatalf("listing failed: %s", body)
	}
	static := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	run := func(h http.Handler, q req) func(*testing.B) {
		return func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, q.HTTP(b, ""))
					if w.Code != 200 || w.Body.Len() != len(body) {
						b.Fatalf("status %d, %d bytes", w.Code, w.Body.Len())
					}
				}
			})
		}
	}
	b.Run("static", run(static, post))
	b.Run("uncached", run(hs.plain, post))
	b.Run("cached-POST", run(hs.h, post))
	b.Run("cached-GET", run(hs.h, get))
}
