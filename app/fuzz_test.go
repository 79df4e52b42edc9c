package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzGraphQLRequest throws arbitrary requests at /graphql, through every
// layer (response cache, auth, loaders, gqlgen transports, guards), and
// checks the contract a client relies on: no crash, a status among those
// documented, and when the answer is JSON, every error carrying
// extensions.code. The corpus under testdata/fuzz holds the request shapes
// websites send (POST JSON, GET, APQ, batches) and known malformed ones;
// the abuse corpus (testdata/abuse) seeds it too.
func FuzzGraphQLRequest(f *testing.F) {
	seeds := []struct {
		get               bool
		ctype, body, args string
	}{
		{false, "application/json", `{"query":"{ shows(first: 2) { edges { node { id title } } } }"}`, ""},
		{false, "application/json", `{"query":"query($id: ID!) { show(id: $id) { title } }","variables":{"id":"1001"}}`, ""},
		{false, "application/json", `{"query":"{ me { email } }"}`, ""},
		{false, "application/json", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}`, ""},
		{false, "application/json", `[{"query":"{ venues { id } }"}]`, ""},
		{false, "application/json", `{"query":"mutation { logout }"}`, ""},
		{false, "application/json", `{"query":"{ __schema { types { name } } }"}`, ""},
		{false, "application/json", `{"query":"{ shows(first: 1) { edges { node { id } } } }", "variables": "oops"}`, ""},
		{false, "application/graphql", `{ venues { id } }`, ""},
		{false, "application/x-www-form-urlencoded", `query=%7B+venues+%7B+id+%7D+%7D`, ""},
		{false, "text/plain", "\xff\xfe{", ""},
		{false, "application/json", `{"query":`, ""},
		{true, "", "", "query=%7B+venues+%7B+id+%7D+%7D"},
		{true, "", "", "query=mutation+%7B+logout+%7D"},
		{true, "", "", `extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22x%22%7D%7D`},
		{true, "", "", "query=%7B&variables=%7B"},
	}
	for _, s := range seeds {
		f.Add(s.get, s.ctype, []byte(s.body), s.args)
	}
	// The hostile requests of testdata/abuse, as mutation starting points;
	// the few over 64 KiB (their shapes are in the smaller ones) would make
	// every minimisation take minutes.
	for _, c := range loadAbuse(f) {
		if len(c.body()) <= 64<<10 {
			f.Add(false, "application/json", c.body(), "")
		}
	}
	e := bootWith(f, nil)
	h := e.app.Handler()
	f.Fuzz(func(t *testing.T, get bool, ctype string, body []byte, args string) {
		var r *http.Request
		if get {
			r = httptest.NewRequest(http.MethodGet, "/graphql", nil)
			r.URL.RawQuery = args
		} else {
			r = httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			r.Header.Set("Content-Type", ctype)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch w.Code {
		case 200, 304, 400, 405, 406, 413, 415, 422:
		default:
			t.Fatalf("status %d for %q %q: %.300s", w.Code, ctype, body, w.Body.Bytes())
		}
		if !strings.Contains(w.Header().Get("Content-Type"), "json") {
			return
		}
		var resp struct {
			Errors []struct {
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if !utf8.Valid(w.Body.Bytes()) || json.Unmarshal(w.Body.Bytes(), &resp) != nil {
			t.Fatalf("not JSON for %q %q: %.300s", ctype, body, w.Body.Bytes())
		}
		for _, e := range resp.Errors {
			if c, _ := e.Extensions["code"].(string); c == "" {
				t.Fatalf("error without extensions.code for %q %q: %.300s", ctype, body, w.Body.Bytes())
			}
		}
	})
}
