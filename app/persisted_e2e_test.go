package app

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/persisted"
)

// Ensure the persisted-only mode runs the listed operations, by hash over
// GET (the CDN-friendly way) or by exact text, and refuses everything else
// with PERSISTED_QUERY_NOT_ALLOWED, APQ registrations included.
func TestE2EPersistedOnly(t *testing.T) {
	listing := `query Listing { shows(first: 3) { edges { node { id title } } } }`
	file := filepath.Join(t.TempDir(), "operations.json")
	manifest, _ := json.Marshal(map[string]any{"format": "apollo-persisted-query-manifest", "version": 1,
		"operations": []map[string]string{{"id": persisted.Hash(listing), "name": "Listing", "type": "query", "body": listing}}})
	if err := os.WriteFile(file, manifest, 0o600); err != nil {
		t.Fatal(err)
	}
	e := bootWith(t, map[string]string{"GUICHET_PERSISTED_QUERIES": file})

	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + persisted.Hash(listing) + `"}}`
	res, err := http.Get(e.srv.URL + "/graphql?operationName=Listing&extensions=" + url.QueryEscape(ext))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || strings.Contains(string(body), `"errors"`) || !strings.Contains(string(body), `"title"`) {
		t.Fatalf("allowed hash over GET: %d %s", res.StatusCode, body)
	}
	e.ok(e.do(nil, listing, nil, nil))

	if r := e.do(nil, `{ venues { id } }`, nil, nil); r.Code() != "PERSISTED_QUERY_NOT_ALLOWED" {
		t.Fatalf("unlisted operation: %+v", r.Errors)
	}
	other := `{ venues { id } }`
	reg, _ := json.Marshal(map[string]any{"query": other, "extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": persisted.Hash(other)}}})
	res, err = http.Post(e.srv.URL+"/graphql", "application/json", strings.NewReader(string(reg)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "PERSISTED_QUERY_NOT_ALLOWED") {
		t.Fatalf("APQ registration in persisted-only mode: %s", body)
	}
}

// Ensure a bad allow-list stops the start instead of serving everything.
func TestPersistedOnlyBadList(t *testing.T) {
	file := filepath.Join(t.TempDir(), "operations.json")
	os.WriteFile(file, []byte(`{"0000": "{ venues { id } }"}`), 0o600)
	cfg, err := config.Load(testEnv(t, map[string]string{"GUICHET_PERSISTED_QUERIES": file}))
	if err != nil {
		t.Fatal(err)
	}
	if a, err := newApp(t.Context(), cfg, nil, slog.New(slog.DiscardHandler)); err == nil {
		a.Close()
		t.Fatal("started with a list whose hash does not match its document")
	}
}
