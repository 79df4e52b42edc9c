package graph

import (
	"strings"
	"testing"

	"github.com/guichet/guichet/graph/generated"
)

// Ensure the text rules: tabs and line breaks only in multi-line fields,
// which must be real input fields of the schema; other controls and bidi
// overrides never; ordinary accents and emoji always.
func TestBadText(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for f := range multiLine {
		typ, field, _ := strings.Cut(f, ".")
		if d := schema.Types[typ]; d == nil || d.Fields.ForName(field) == nil {
			t.Fatalf("multiLine names %s, not a field of the schema", f)
		}
	}
	for _, c := range []struct {
		s     string
		lines bool
		ok    bool
	}{
		{"Camille Léa Müller-Ødegård 🎭", false, true},
		{"ligne 1\nligne 2\r\n\tretrait", true, true},
		{"a\nb", false, false},
		{"a\tb", false, false},
		{"a\x00b", true, false},
		{"a\x1bb", true, false},
		{"a\u0085b", true, false},
		{"a\u202eb", true, false},
		{"a\u2067b", true, false},
		{"a\xffb", true, false},
		{"a\uFFFDb", false, true},
	} {
		if got := badText(c.s, c.lines) == ""; got != c.ok {
			t.Errorf("badText(%q, %v) ok=%v, want %v", c.s, c.lines, got, c.ok)
		}
	}
}
