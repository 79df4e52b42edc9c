package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/99designs/gqlgen/graphql"
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

// FuzzWriteHTMLEscaped: any bytes are written as json.HTMLEscape writes them.
func FuzzWriteHTMLEscaped(f *testing.F) {
	for _, s := range []string{`{"a":"<b>"}`, "x\u2028y\u2029z\u2027\xe2\x80", "\xe2\x80\xa8", "é&"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var want, got bytes.Buffer
		json.HTMLEscape(&want, in)
		writeHTMLEscaped(&got, in)
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%q: %q, want %q", in, got.Bytes(), want.Bytes())
		}
	})
}

type fieldInterceptor struct{}

func (fieldInterceptor) ExtensionName() string                   { return "fields" }
func (fieldInterceptor) Validate(graphql.ExecutableSchema) error { return nil }
func (fieldInterceptor) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	return next(ctx)
}

// Ensure a field interceptor is refused at start: plain scalar fields are
// marshalled without field middleware (gqlgenfix), so it would not see them.
func TestFieldInterceptorRefused(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a field interceptor was accepted")
		}
	}()
	NewHandler(&Resolver{}, Options{Extensions: []graphql.HandlerExtension{fieldInterceptor{}}})
}

// Ensure a plain answer takes the direct path (no json.Marshal): gqlgen
// leaves an empty, non-nil extensions map on every response.
func TestWriteResponseDirect(t *testing.T) {
	var b bytes.Buffer
	data := json.RawMessage(`{"a":[1, 2]}`) // json.Marshal would compact the space
	writeResponse(&b, &graphql.Response{Data: data, Extensions: map[string]any{}}, true)
	if b.String() != `{"data":{"a":[1, 2]}}` {
		t.Fatalf("%s", b.String())
	}
	b.Reset()
	writeResponse(&b, &graphql.Response{Data: data, Extensions: map[string]any{"x": 1}}, true)
	if b.String() != `{"data":{"a":[1,2]},"extensions":{"x":1}}` {
		t.Fatalf("%s", b.String())
	}
}

// BenchmarkWriteHTMLEscaped escapes the uncached listing's answer (92 KB,
// a € in every price).
func BenchmarkWriteHTMLEscaped(b *testing.B) {
	in, err := os.ReadFile("../app/testdata/scenarios/1-listing-0.json")
	if err != nil {
		b.Skip(err)
	}
	var out bytes.Buffer
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		out.Reset()
		writeHTMLEscaped(&out, in)
	}
}
