package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Ensure /graphql is served through the response cache: a public GET is
// answered with an ETag and from memory the second time, a 304 on its tag,
// and a request with a session is private and runs.
func TestE2EResponseCache(t *testing.T) {
	e := boot(t)
	u := e.srv.URL + "/graphql?query=" + url.QueryEscape(`{ shows(first: 5) { edges { node { id title } } } }`)
	get := func(h map[string]string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	first, second := get(nil), get(nil)
	tag := second.Header.Get("ETag")
	if first.StatusCode != 200 || tag == "" || tag != first.Header.Get("ETag") || second.Header.Get("Cache-Control") != "public, max-age=60, stale-while-revalidate=300" {
		t.Fatalf("public GET: %d %v", second.StatusCode, second.Header)
	}
	if res := get(map[string]string{"If-None-Match": tag}); res.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d", res.StatusCode)
	}
	if res := get(map[string]string{"X-Session-Token": "x"}); res.StatusCode != 200 || res.Header.Get("Cache-Control") != "private, no-store" || res.Header.Get("ETag") != "" {
		t.Fatalf("with a session: %v", res.Header)
	}
	if st := e.app.responses.Stats(); st.Hits != 1 || st.Misses != 1 || st.NotModified != 1 || st.Bypasses != 1 || st.Entries != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// Ensure a public GET answer to a cross-origin caller keeps CORS's
// "Vary: Origin" beside the cache's own Vary, so a CDN never hands one
// origin's CORS headers to another.
func TestE2ECachedAnswerVariesByOrigin(t *testing.T) {
	e := bootWith(t, map[string]string{"GUICHET_CORS_ORIGINS": "https://www.theatre.fr"})
	u := e.srv.URL + "/graphql?query=" + url.QueryEscape(`{ venues { id } }`)
	for range 2 { // a miss, then a hit
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Origin", "https://www.theatre.fr")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		vary := strings.Join(res.Header.Values("Vary"), ",")
		if res.StatusCode != 200 || !strings.Contains(vary, "Origin") || !strings.Contains(vary, "X-Session-Token") ||
			res.Header.Get("Access-Control-Allow-Origin") != "https://www.theatre.fr" || !strings.HasPrefix(res.Header.Get("Cache-Control"), "public") {
			t.Fatalf("%d Vary %q, CORS %q, Cache-Control %q", res.StatusCode, vary, res.Header.Get("Access-Control-Allow-Origin"), res.Header.Get("Cache-Control"))
		}
	}
	if st := e.app.responses.Stats(); st.Hits != 1 {
		t.Fatalf("cache %+v", st)
	}
}
