package graph_test

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/graph/generated"
)

var update = flag.Bool("update", false, "rewrite ../schema.graphql from the executable schema")

// snapshotPath is the committed composed SDL: every schema/*.graphqls file
// with what federation adds, as the server executes it.
const snapshotPath = "../schema.graphql"

func composedSDL(t *testing.T) []byte {
	t.Helper()
	es := generated.NewExecutableSchema(generated.Config{Resolvers: &graph.Resolver{}})
	var b bytes.Buffer
	b.WriteString("# Composed GraphQL schema of Guichet, as the server executes it.\n")
	b.WriteString("# Generated: go test ./graph -run TestSchemaSnapshot -update\n\n")
	formatter.NewFormatter(&b, formatter.WithIndent("  "), formatter.WithNonIntrospectionBuiltin()).FormatSchema(es.Schema())
	return b.Bytes()
}

// Ensure the executable schema is the committed snapshot: a change to the
// API's contract shows in review as a diff of schema.graphql.
func TestSchemaSnapshot(t *testing.T) {
	got := composedSDL(t)
	if *update {
		if err := os.WriteFile(snapshotPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(snapshotPath)
	if err != nil {
		t.Fatalf("%v (run go test ./graph -run TestSchemaSnapshot -update)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w []byte
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if !bytes.Equal(g, w) {
				t.Fatalf("schema differs from %s at line %d:\n  executable: %s\n  snapshot:   %s\n(if the change is meant, rerun with -update)", snapshotPath, i+1, g, w)
			}
		}
	}
}
