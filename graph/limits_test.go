package graph

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/graph/generated"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparser "github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// legitimateOperations gathers the operations real clients send: the
// introspection queries of graphql-js 16 (every option combination, which
// covers GraphiQL 4 and Apollo's tooling built on it), the benchmark's
// scenarios, and every GraphQL literal of the test suite that validates
// against the schema.
func legitimateOperations(t *testing.T) map[string]string {
	t.Helper()
	ops := map[string]string{}
	raw, err := os.ReadFile("testdata/legit/graphql-js-16.11-introspection.json")
	if err != nil {
		t.Fatal(err)
	}
	var intro map[string]string
	if err := json.Unmarshal(raw, &intro); err != nil {
		t.Fatal(err)
	}
	for k, q := range intro {
		ops["graphql-js introspection "+k] = q
	}
	ops["rover subgraph introspect"] = `query SubgraphIntrospectQuery { _service { sdl } }`
	fset := token.NewFileSet()
	filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "generated" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		bench := strings.HasPrefix(filepath.ToSlash(path), "../bench/") && strings.HasSuffix(path, ".go")
		if d.IsDir() || !(strings.HasSuffix(path, "_test.go") || bench) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			s = strings.TrimSpace(s)
			if strings.HasPrefix(s, "{") || strings.HasPrefix(s, "query") || strings.HasPrefix(s, "mutation") {
				ops[fset.Position(lit.Pos()).String()] = s
			}
			return true
		})
		return nil
	})
	return ops
}

// Ensure no legitimate operation is refused by a default limit, and show
// how far the largest ones are from each.
func TestLegitimateOperationsFit(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	ops := legitimateOperations(t)
	var checked int
	widest := map[string]int{}
	for name, q := range ops {
		doc, err := gqlparser.ParseQueryWithTokenLimit(&gqlast.Source{Input: q}, ParserTokenLimit)
		if err != nil {
			continue // a fragment of a larger string, or deliberately broken
		}
		if errs := validator.Validate(schema, doc); len(errs) > 0 {
			continue // deliberately invalid operations test other refusals
		}
		checked++
		if err := checkShape(doc, DefaultLimits); err != nil {
			t.Errorf("%s is refused: %s\n%.300s", name, err.Message, q)
		}
		// Measure against limits of 1 to find each operation's own size.
		for _, lim := range []string{"fields", "depth", "introspectionDepth", "selections", "fragments", "spreads", "repeats", "responseNames", "aliases"} {
			lo, hi := 1, 100000
			for lo < hi { // the smallest limit that passes
				mid := (lo + hi) / 2
				l := Limits{}
				setLimit(&l, lim, mid)
				if e := checkShape(doc, l); e != nil && e.Extensions["limit"] == lim {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			widest[lim] = max(widest[lim], lo)
		}
	}
	if checked < 80 {
		t.Fatalf("only %d legitimate operations found", checked)
	}
	keys := make([]string, 0, len(widest))
	for k := range widest {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("largest legitimate %s: %d", k, widest[k])
	}
}

func setLimit(l *Limits, name string, v int) {
	if v == 0 {
		v = -1 // 0 would mean "off" in checkShape; never passes when needed
	}
	switch name {
	case "fields":
		l.MaxFields = v
	case "depth":
		l.MaxDepth = v
	case "introspectionDepth":
		l.MaxIntrospectionDepth = v
	case "selections":
		l.MaxSelections = v
	case "fragments":
		l.MaxFragments = v
	case "spreads":
		l.MaxSpreads = v
	case "repeats":
		l.MaxRepeats = v
	case "responseNames":
		l.MaxResponseNames = v
	case "aliases":
		l.MaxAliases = v
	}
}

// Ensure the standard introspection queries run under the default limits
// with introspection on (the depth limit once refused them, leaving
// GraphiQL without docs or completion).
func TestIntrospectionQueriesRun(t *testing.T) {
	h := NewHandler(&Resolver{Catalogue: &catalogue.Store{}}, Options{Introspection: true})
	raw, err := os.ReadFile("testdata/legit/graphql-js-16.11-introspection.json")
	if err != nil {
		t.Fatal(err)
	}
	var intro map[string]string
	json.Unmarshal(raw, &intro)
	for name, q := range intro {
		body, _ := json.Marshal(map[string]any{"query": q})
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var resp struct {
			Data struct {
				Schema struct {
					QueryType struct{ Name string }
					Types     []struct{ Name string }
				} `json:"__schema"`
			}
			Errors []any
		}
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || len(resp.Errors) > 0 || resp.Data.Schema.QueryType.Name != "Query" || len(resp.Data.Schema.Types) < 20 {
			t.Fatalf("%s: %d %.400s", name, w.Code, w.Body.Bytes())
		}
	}
}
