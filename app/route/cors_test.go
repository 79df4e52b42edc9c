package route

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/guichet/guichet/obs"
)

// Ensure preflights from a listed origin are answered with the headers
// Guichet reads and a cache age, and other origins get no CORS grant.
func TestCORSPreflight(t *testing.T) {
	h := CORS([]string{"https://www.theatre.example", "https://*.venue.example"}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	preflight := func(origin string) *http.Response {
		req := httptest.NewRequest("OPTIONS", "/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type, x-session-token")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	for _, origin := range []string{"https://www.theatre.example", "https://shop.venue.example"} {
		res := preflight(origin)
		if res.Header.Get("Access-Control-Allow-Origin") != origin || res.Header.Get("Access-Control-Max-Age") != fmt.Sprint(CORSMaxAge) ||
			!strings.Contains(strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")), "x-session-token") {
			t.Fatalf("%s: allowed preflight got %d %v", origin, res.StatusCode, res.Header)
		}
	}
	for _, origin := range []string{"https://evil.example", "https://www.theatre.example.evil.example"} {
		if res := preflight(origin); res.Header.Get("Access-Control-Allow-Origin") != "" || res.Header.Get("Access-Control-Allow-Headers") != "" {
			t.Fatalf("%s: denied origin granted %v", origin, res.Header)
		}
	}
	// A simple request from an allowed origin gets the grant and the id header exposed.
	req := httptest.NewRequest("POST", "/graphql", nil)
	req.Header.Set("Origin", "https://www.theatre.example")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://www.theatre.example" || rec.Header().Get("Access-Control-Expose-Headers") != obs.RequestIDHeader {
		t.Fatalf("actual request: %v", rec.Header())
	}
	// No origins configured: no CORS handling at all.
	plain := CORS(nil, http.NotFoundHandler())
	if _, ok := plain.(http.HandlerFunc); !ok {
		t.Fatalf("CORS(nil) wrapped the handler: %T", plain)
	}
}
