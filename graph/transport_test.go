package graph

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Ensure answers keep encoding/json's HTML escaping byte for byte (the
// answers gqlgen's own transport sent), including U+2028 and U+2029.
func TestWriteHTMLEscaped(t *testing.T) {
	for _, in := range []string{
		`{"a":"b"}`, `{"u":"https://x.fr/s?id=1&lng=1"}`, `{"h":"<b>&amp;</b>"}`, "{\"l\":\"a\u2028b\u2029c é\"}", `&`, `"<<>>"`, ``,
	} {
		var want, got bytes.Buffer
		json.HTMLEscape(&want, []byte(in))
		writeHTMLEscaped(&got, []byte(in))
		if got.String() != want.String() {
			t.Errorf("%q: %q, want %q", in, got.String(), want.String())
		}
	}
}
