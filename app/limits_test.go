package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/graph"
)

// Ensure the configuration's defaults are graph's defaults (the README and
// -h print the former, the server applies the latter).
func TestLimitDefaultsAgree(t *testing.T) {
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	d := graph.DefaultLimits
	got := (&app{cfg: cfg}).requestLimits()
	want := graph.Limits{MaxDepth: d.MaxDepth, MaxIntrospectionDepth: d.MaxIntrospectionDepth, MaxAliases: d.MaxAliases,
		MaxRootFields: d.MaxRootFields, MaxFields: d.MaxFields, MaxRepeats: d.MaxRepeats, MaxEntities: d.MaxEntities, MaxErrors: d.MaxErrors}
	if got != want {
		t.Fatalf("config defaults %+v, graph defaults %+v", got, want)
	}
	if cfg.MaxComplexity != 5000 || cfg.MaxBodyBytes != graph.DefaultMaxBodyBytes {
		t.Fatalf("complexity %d, body %d", cfg.MaxComplexity, cfg.MaxBodyBytes)
	}
	off, err := config.Load(func(k string) string { return map[string]string{"GUICHET_MAX_DEPTH": "0"}[k] })
	if err != nil || off.MaxDepth != -1 {
		t.Fatalf("GUICHET_MAX_DEPTH=0: %d %v", off.MaxDepth, err)
	}
}

// Ensure the limit variables change what the server refuses, and the
// router secret keeps _entities for the router.
func TestLimitsFromConfiguration(t *testing.T) {
	const secret = "router-secret-for-tests-01"
	e := bootWith(t, map[string]string{"GUICHET_MAX_DEPTH": "3", "GUICHET_MAX_ENTITIES": "2",
		"GUICHET_MAX_BODY_BYTES": "4096", "GUICHET_ROUTER_SECRET": secret})
	if r := e.do(nil, `{ shows(first: 1) { edges { node { id } } } }`, nil, nil); r.Code() != "QUERY_TOO_COMPLEX" || r.Errors[0].Extensions["limit"] != "depth" {
		t.Fatalf("depth 4 with GUICHET_MAX_DEPTH=3: %+v", r.Errors)
	}
	if r := e.do(nil, `{ venues { id } }`, nil, nil); r.Code() != "" {
		t.Fatalf("depth 2: %+v", r.Errors)
	}
	q := `query($r: [_Any!]!) { _entities(representations: $r) { ... on Show { title } } }`
	two := map[string]any{"r": []map[string]any{{"__typename": "Show", "id": "1001"}, {"__typename": "Show", "id": "1002"}}}
	three := map[string]any{"r": []map[string]any{{"__typename": "Show", "id": "1001"}, {"__typename": "Show", "id": "1002"}, {"__typename": "Show", "id": "1003"}}}
	if r := e.do(nil, q, two, nil); r.Code() != "FORBIDDEN" {
		t.Fatalf("_entities without the router secret: %+v", r.Errors)
	}
	router := map[string]string{graph.RouterSecretHeader: secret}
	if r := e.do(router, q, two, nil); r.Code() != "" || !strings.Contains(string(r.Data), "title") {
		t.Fatalf("_entities from the router: %+v %s", r.Errors, r.Data)
	}
	if r := e.do(router, q, three, nil); r.Code() != "QUERY_TOO_COMPLEX" || r.Errors[0].Extensions["limit"] != "entities" {
		t.Fatalf("3 representations with GUICHET_MAX_ENTITIES=2: %+v", r.Errors)
	}
	res, err := http.Post(e.srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ venues { id } }","x":"`+strings.Repeat("x", 5000)+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("5 KB body with GUICHET_MAX_BODY_BYTES=4096: %d", res.StatusCode)
	}
}
