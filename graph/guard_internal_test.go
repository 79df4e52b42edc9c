package graph

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

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
	}), laneLimits{threshold: 1024, slots: 1, queue: 8})
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

// holding is a handler that reports its request's path on entered and
// answers when release closes.
func holding(entered chan<- string, release <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- r.URL.Path
		<-release
	})
}

// Ensure the lane's queue is bounded: past it a large request is refused
// at once with 429 RATE_LIMITED instead of waiting.
func TestHeavyLaneQueueBounded(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan string, 8)
	h := heavyLane(holding(entered, release), laneLimits{threshold: 1024, slots: 1, queue: 2})
	big := func(path string) *http.Request {
		return httptest.NewRequest(http.MethodPost, path, strings.NewReader(strings.Repeat("x", 2048)))
	}
	var wg sync.WaitGroup
	for _, p := range []string{"/in", "/wait1", "/wait2"} {
		wg.Add(1)
		go func() { defer wg.Done(); h.ServeHTTP(httptest.NewRecorder(), big(p)) }()
		if p == "/in" {
			<-entered
		}
	}
	time.Sleep(200 * time.Millisecond) // the two others reach the queue
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { h.ServeHTTP(w, big("/over")); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		close(release)
		t.Fatal("a request past the queue waited")
	}
	close(release)
	wg.Wait()
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), CodeRateLimited) {
		t.Fatalf("past the queue: %d %s", w.Code, w.Body)
	}
}

// Ensure a large request leaves the lane when its answer starts, so a
// stream it opened (a subscription over SSE) does not block the next one.
func TestHeavyLaneFreedByAnswer(t *testing.T) {
	hold := make(chan struct{})
	entered := make(chan string, 2)
	h := heavyLane(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- r.URL.Path
		if r.URL.Path == "/stream" {
			w.Write([]byte("event: next\n\n"))
			w.(http.Flusher).Flush()
			<-hold
		}
	}), laneLimits{threshold: 1024, slots: 1, queue: 8})
	big := func(path string) *http.Request {
		return httptest.NewRequest(http.MethodPost, path, strings.NewReader(strings.Repeat("x", 2048)))
	}
	go h.ServeHTTP(httptest.NewRecorder(), big("/stream"))
	if got := <-entered; got != "/stream" {
		t.Fatal(got)
	}
	done := make(chan struct{})
	go func() { h.ServeHTTP(httptest.NewRecorder(), big("/next")); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a large request waited behind an open stream")
	}
	if got := <-entered; got != "/next" {
		t.Fatal(got)
	}
	close(hold)
}

// Ensure each document limit refuses just past its value, names itself in
// extensions.limit, and lets the same document through at its value.
func TestShapeLimits(t *testing.T) {
	spreads := func(n int) string {
		s := "{ venues { "
		for i := 0; i < n; i++ {
			s += "...V" + strconv.Itoa(i) + " "
		}
		s += "} }"
		for i := 0; i < n; i++ {
			s += " fragment V" + strconv.Itoa(i) + " on Venue { id }"
		}
		return s
	}
	for _, c := range []struct {
		limit string
		set   func(l *Limits, v int)
		at    int
		doc   string
	}{
		{"depth", func(l *Limits, v int) { l.MaxDepth = v }, 4, `{ shows { edges { node { id } } } }`},
		{"depth", func(l *Limits, v int) { l.MaxDepth = v }, 4, `{ shows { ...E } } fragment E on ShowConnection { edges { node { id } } }`},
		{"introspectionDepth", func(l *Limits, v int) { l.MaxIntrospectionDepth = v }, 3, `{ __schema { types { name } } }`},
		{"aliases", func(l *Limits, v int) { l.MaxAliases = v }, 2, `{ a: venues { b: id } venues { id } }`},
		{"rootFields", func(l *Limits, v int) { l.MaxRootFields = v }, 3, `{ a: venues { id } b: venues { id } venues { id } }`},
		{"fields", func(l *Limits, v int) { l.MaxFields = v }, 5, `{ venues { ...F ...F } shows { count } } fragment F on Venue { id name }`},
		{"selections", func(l *Limits, v int) { l.MaxSelections = v }, 3, `{ venues { id name city } }`},
		{"fragments", func(l *Limits, v int) { l.MaxFragments = v }, 3, spreads(3)},
		{"spreads", func(l *Limits, v int) { l.MaxSpreads = v }, 3, spreads(3)},
		{"directives", func(l *Limits, v int) { l.MaxDirectives = v }, 2, `{ venues @skip(if: false) @include(if: true) { id } }`},
		{"responseNames", func(l *Limits, v int) { l.MaxResponseNames = v }, 3, `{ venues { id ...N } } fragment N on Venue { name city }`},
		{"repeats", func(l *Limits, v int) { l.MaxRepeats = v }, 4, spreads(3) + ""},
	} {
		doc, err := parser.ParseQuery(&ast.Source{Input: c.doc})
		if err != nil {
			t.Fatal(err)
		}
		if c.limit == "repeats" {
			// venues { id } and three fragments each selecting id: 4 ids.
			doc, _ = parser.ParseQuery(&ast.Source{Input: strings.Replace(spreads(3), "{ venues { ", "{ venues { id ", 1)})
		}
		var l Limits
		c.set(&l, c.at)
		if err := checkShape(doc, l); err != nil {
			t.Errorf("%s at %d: refused: %s", c.limit, c.at, err.Message)
		}
		c.set(&l, c.at-1)
		err2 := checkShape(doc, l)
		if err2 == nil || err2.Extensions["limit"] != c.limit || err2.Extensions["code"] != CodeQueryTooComplex {
			t.Errorf("%s at %d: %v", c.limit, c.at-1, err2)
		}
	}
	// The same fragment spread twice in one set is merged once; a cycle of
	// fragments does not loop (validation reports it).
	for _, q := range []string{
		`{ venues { ...F ...F ...F ...F ...F ...F ...F ...F ...F ...F } } fragment F on Venue { id }`,
		`{ venues { ...A } } fragment A on Venue { id ...B } fragment B on Venue { name ...A }`,
	} {
		doc, _ := parser.ParseQuery(&ast.Source{Input: q})
		if err := checkShape(doc, DefaultLimits); err != nil {
			t.Errorf("%s: %s", q, err.Message)
		}
	}
}

// Ensure one client address cannot hold more than its share of the lane:
// its third large request is refused at once while another address's
// still queues, and the router (no address) is not counted.
func TestHeavyLanePerAddress(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan string, 16)
	h := heavyLane(holding(entered, release), laneLimits{threshold: 1024, slots: 1, queue: 8, perAddress: 2,
		address: func(r *http.Request) string { return r.Header.Get("X-Addr") }})
	big := func(path, addr string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(strings.Repeat("x", 2048)))
		r.Header.Set("X-Addr", addr)
		return r
	}
	var wg sync.WaitGroup
	codes := make(chan int, 16)
	serve := func(path, addr string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, big(path, addr))
			codes <- w.Code
		}()
	}
	serve("/a1", "a")
	<-entered
	for _, p := range []string{"/a2", "/b1", "/r1", "/r2", "/r3"} {
		addr := p[1:2]
		if addr == "r" {
			addr = ""
		}
		serve(p, addr)
	}
	time.Sleep(200 * time.Millisecond) // they reach the queue
	w := httptest.NewRecorder()
	h.ServeHTTP(w, big("/a3", "a"))
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), CodeRateLimited) {
		t.Fatalf("a third large request from one address: %d %s", w.Code, w.Body)
	}
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Fatalf("a request within its address's share got %d", c)
		}
	}
	// The places are given back: the address may send again.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, big("/a4", "a"))
	if w.Code != http.StatusOK {
		t.Fatalf("after the others ended: %d %s", w.Code, w.Body)
	}
}

// Ensure the lane counts a client by its address (an IPv6 host by its
// /64, behind the configured proxies) and does not count the router.
func TestLaneKey(t *testing.T) {
	k := NewKeys(nil)
	k.SetRouterSecret("router-secret")
	k.ProxyHops = 1
	r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	r.RemoteAddr = "10.0.0.1:4000"
	r.Header.Set("X-Forwarded-For", "2001:db8:1:2:aaaa::1")
	if got := k.LaneKey(r); got != "2001:db8:1:2::/64" {
		t.Fatalf("behind one proxy: %q", got)
	}
	r.Header.Set(RouterSecretHeader, "router-secret")
	if got := k.LaneKey(r); got != "" {
		t.Fatalf("the router: %q", got)
	}
	r.Header.Set(RouterSecretHeader, "guess")
	if got := k.LaneKey(r); got == "" {
		t.Fatal("a wrong router secret is not counted")
	}
}
