package persisted

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

const listing = `query Listing { shows(first: 20) { edges { node { id title } } } }`

func TestParseFormatsAndChecksHashes(t *testing.T) {
	manifest, _ := json.Marshal(map[string]any{"format": "apollo-persisted-query-manifest", "version": 1,
		"operations": []map[string]string{{"id": Hash(listing), "name": "Listing", "type": "query", "body": listing}}})
	for name, raw := range map[string][]byte{
		"manifest": manifest,
		"map":      []byte(`{"` + strings.ToUpper(Hash(listing)) + `": ` + string(mustJSON(listing)) + `}`),
	} {
		l, err := Parse(raw)
		if err != nil || l.Len() != 1 {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for name, raw := range map[string]string{
		"wrong hash": `{"` + Hash("{ me { email } }") + `": ` + string(mustJSON(listing)) + `}`,
		"empty":      `{}`,
		"not json":   `shows`,
	} {
		if _, err := Parse([]byte(raw)); err == nil {
			t.Fatalf("%s accepted", name)
		}
	}
}

func TestOnlyAllowsRegisteredOperations(t *testing.T) {
	l, err := Parse([]byte(`{"` + Hash(listing) + `": ` + string(mustJSON(listing)) + `}`))
	if err != nil {
		t.Fatal(err)
	}
	o := Only{List: l}
	ctx := context.Background()
	byHash := &graphql.RawParams{Extensions: map[string]any{"persistedQuery": map[string]any{"version": 1.0, "sha256Hash": Hash(listing)}}}
	if err := o.MutateOperationParameters(ctx, byHash); err != nil || byHash.Query != listing {
		t.Fatalf("by hash: %v %q", err, byHash.Query)
	}
	byText := &graphql.RawParams{Query: listing}
	if err := o.MutateOperationParameters(ctx, byText); err != nil {
		t.Fatalf("exact document: %v", err)
	}
	for name, p := range map[string]*graphql.RawParams{
		"other document":   {Query: `{ me { email } }`},
		"unknown hash":     {Extensions: map[string]any{"persistedQuery": map[string]any{"sha256Hash": Hash("{ me { email } }")}}},
		"hash plus a text": {Query: `{ me { email } }`, Extensions: map[string]any{"persistedQuery": map[string]any{"sha256Hash": Hash("{ x }")}}},
		"nothing":          {},
	} {
		err := o.MutateOperationParameters(ctx, p)
		if err == nil || err.Extensions["code"] != "PERSISTED_QUERY_NOT_ALLOWED" {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
