package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `func (ec *executionContext) _Price(ctx context.Context, sel ast.SelectionSet, obj *catalogue.Price) graphql.Marshaler {
	out.Values[i] = ec._Price_total(ctx, field, obj)
	out.Dispatch(ctx)
}

func (ec *executionContext) _Perf(ctx context.Context, sel ast.SelectionSet, obj *catalogue.Performance) graphql.Marshaler {
	out.Concurrently(i, func(ctx context.Context) graphql.Marshaler { return innerFunc(ctx, out) })
}

func (ec *executionContext) _Show(ctx context.Context, sel ast.SelectionSet, obj *catalogue.Show) graphql.Marshaler {
	out.Values[i] = ec._Show_performances(ctx, field, obj)
}

func (ec *executionContext) marshalNPrice2ᚕᚖcatalogueᚐPriceᚄ(ctx context.Context, sel ast.SelectionSet, v []*catalogue.Price) graphql.Marshaler {
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		fc := graphql.GetFieldContext(ctx)
		fc.Result = &v[i]
		return ec.marshalNPrice2ᚖcatalogueᚐPrice(ctx, sel, v[i])
	})
	return ret
}

func (ec *executionContext) marshalNPerf2ᚕᚖcatalogueᚐPerformanceᚄ(ctx context.Context, sel ast.SelectionSet, v []*catalogue.Performance) graphql.Marshaler {
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		fc := graphql.GetFieldContext(ctx)
		fc.Result = &v[i]
		return ec.marshalNPerf2ᚖcatalogueᚐPerformance(ctx, sel, v[i])
	})
	return ret
}

func (ec *executionContext) marshalOShow2ᚕᚖcatalogueᚐShowᚄ(ctx context.Context, sel ast.SelectionSet, v []*catalogue.Show) graphql.Marshaler {
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		fc := graphql.GetFieldContext(ctx)
		fc.Result = &v[i]
		return ec.marshalOShow2ᚖcatalogueᚐShow(ctx, sel, v[i])
	})
	return ret
}
`

const sampleSchema = `type Price { total: Int! }
type Perf { prices: [Price!]! availability: Int }
type Show { performances: [Perf!]! }
`

// Ensure only lists of pure objects lose their goroutines: Price (plain
// fields), not Perf (a concurrent field) nor Show (leads to Perf).
func TestRewritesPureListsOnly(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "s.graphqls"), []byte(sampleSchema), 0o644)
	gen := filepath.Join(dir, "x.generated.go")
	os.WriteFile(gen, []byte(sample), 0o644)
	n, err := run(filepath.Join(dir, "*.graphqls"), filepath.Join(dir, "*.generated.go"))
	if err != nil || n != 1 {
		t.Fatalf("rewrote %d lists (%v), want 1", n, err)
	}
	b, _ := os.ReadFile(gen)
	out := string(b)
	if strings.Count(out, "MarshalSliceConcurrently") != 2 || !strings.Contains(out, "gqlgenfix: Price is a pure object") ||
		!strings.Contains(out, "graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i, Result: &v[i]})") {
		t.Fatalf("output:\n%s", out)
	}
	// A second pass changes nothing.
	if n, _ := run(filepath.Join(dir, "*.graphqls"), filepath.Join(dir, "*.generated.go")); n != 0 {
		t.Fatalf("second pass rewrote %d", n)
	}
}

// Ensure the committed gqlgen output is what `go generate` makes of the
// schema: gqlgen, then this step (already applied: nothing left to do).
func TestCommittedOutputIsFixed(t *testing.T) {
	p := newPurity(mustFields(t), concurrentObjects(readAll(t)))
	for _, f := range mustGlob(t, "../../generated/*.generated.go") {
		b, _ := os.ReadFile(f)
		if _, n := rewrite(string(b), p.pure); n != 0 {
			t.Fatalf("%s has %d lists of pure objects still concurrent: run go generate", f, n)
		}
	}
	if p.pure("Performance") || p.pure("Show") || !p.pure("PerformancePrice") {
		t.Fatal("purity of the catalogue types is not what the schema says")
	}
}

func mustGlob(t *testing.T, g string) []string {
	files, err := filepath.Glob(g)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files at %s", g)
	}
	return files
}

func mustFields(t *testing.T) map[string][]string {
	f, err := schemaFields("../../../schema/*.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func readAll(t *testing.T) string {
	var b strings.Builder
	for _, f := range mustGlob(t, "../../generated/*.generated.go") {
		raw, _ := os.ReadFile(f)
		b.Write(raw)
	}
	return b.String()
}
