package graph

import (
	"context"
	"net/http"
	"net/http/httptest"
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

// Ensure large requests take turns in the heavy lane while small ones go
// straight through, and a waiting request leaves when its client does.
func TestHeavyLane(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan string, 4)
	h := heavyLane(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- r.URL.Path
		if r.URL.Path == "/big1" {
			<-release
		}
	}), 1024, 1)
	big := func(path string) *http.Request {
		return httptest.NewRequest(http.MethodPost, path, strings.NewReader(strings.Repeat("x", 2048)))
	}
	go h.ServeHTTP(httptest.NewRecorder(), big("/big1"))
	if got := <-entered; got != "/big1" {
		t.Fatal(got)
	}
	done := make(chan struct{})
	go func() { h.ServeHTTP(httptest.NewRecorder(), big("/big2")); close(done) }()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/small", strings.NewReader("{}")))
	if got := <-entered; got != "/small" {
		t.Fatalf("%s entered while the lane was taken", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.ServeHTTP(httptest.NewRecorder(), big("/gone").WithContext(ctx))
	select {
	case got := <-entered:
		t.Fatalf("%s entered while the lane was taken", got)
	default:
	}
	close(release)
	<-done
	if got := <-entered; got != "/big2" {
		t.Fatal(got)
	}
}
