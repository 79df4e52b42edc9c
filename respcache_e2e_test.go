package main

import (
	"net/http"
	"net/url"
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
