package respcache_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/graph/generated"
	"github.com/guichet/guichet/internal/apitest"
	"github.com/guichet/guichet/internal/livewindow"
	"github.com/guichet/guichet/respcache"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// listing is the 20-show listing of a season page: under the default
// complexity limit of the handler.
const listing = `query Listing($first: Int) { shows(first: $first) { count pageInfo { hasNextPage endCursor }
  edges { cursor node { id title subtitle type venue { name city }
    performances { id startsAt venue { name } prices { category total { formatted } } bookingUrl } } } } }`

var session = map[string]string{"X-Session-Token": "alice"}
var backOffice = map[string]string{"Authorization": "Bearer " + backOfficeKey}

// Ensure the cache answers exactly the operations that touch only public
// catalogue fields, from the schema, and that a hit is the executor's answer
// byte for byte without reaching it.
func TestDecisions(t *testing.T) {
	cases := []struct {
		name   string
		q      req
		cached bool
	}{
		{"catalogue listing", req{Query: listing, Vars: map[string]any{"first": 20}}, true},
		{"catalogue over GET", req{GET: true, Query: listing, Vars: map[string]any{"first": 20}}, true},
		{"one show with an argument", req{Query: `query($id: ID!) { show(id: $id) { title performances { startsAt } } }`, Vars: map[string]any{"id": "S03"}}, true},
		{"venues passes articles", req{Query: `{ venues { id name parent { name } city address } passes { name kind prices { total { formatted } } } articles { name price { cents } giftVoucher } }`}, true},
		{"__typename anywhere", req{Query: `{ __typename venues { __typename name } }`}, true},
		{"aliases", req{Query: `{ a: show(id: "S01") { t: title } b: show(id: "S02") { t: title } }`}, true},
		{"fragments", req{Query: `query L { shows { edges { node { ...S } } } } fragment S on Show { id title venue { ...V } } fragment V on Venue { name city }`}, true},
		{"inline fragment", req{Query: `{ show(id: "S01") { ... on Show { title } ... { subtitle } } }`}, true},
		{"named public operation of two", req{Query: `query Pub { venues { name } } query Priv { me { email } }`, Op: "Pub"}, true},

		{"catalogue + availability", req{Query: `{ show(id: "S01") { title performances { availability { seatsLeft } } } }`}, false},
		{"availability hidden in a fragment", req{Query: `{ shows { edges { node { performances { ...P } } } } } fragment P on Performance { id availability { soldOut } }`}, false},
		{"me with a session", req{Query: `{ me { email } }`, Headers: session}, false},
		{"me without a session", req{Query: `{ me { email } }`}, false},
		{"catalogue with me", req{Query: `{ venues { name } me { email } }`}, false},
		{"catalogue with a session header", req{Query: `{ venues { name } }`, Headers: session}, false},
		{"catalogue with a back-office key", req{Query: `{ venues { name } }`, Headers: backOffice}, false},
		{"catalogue with a wrong key", req{Query: `{ venues { name } }`, Headers: map[string]string{"Authorization": "Bearer nope"}}, false},
		{"back office", req{Query: `query($id: ID!) { contact(id: $id) { email } }`, Vars: map[string]any{"id": "1"}, Headers: backOffice}, false},
		{"catalogue status (back office)", req{Query: `{ catalogueStatus { version } }`, Headers: backOffice}, false},
		{"named private operation of two", req{Query: `query Pub { venues { name } } query Priv { me { email } }`, Op: "Priv", Headers: session}, false},
		{"two operations, no name", req{Query: `query Pub { venues { name } } query Priv { me { email } }`}, false},
		{"mutation", req{Query: `mutation { createSession { token } }`}, false},
		{"introspection __schema", req{Query: `{ __schema { queryType { name } } }`}, false},
		{"introspection __type", req{Query: `{ __type(name: "Show") { name } venues { name } }`}, false},
		{"federation _entities", req{Query: `{ _entities(representations: [{__typename: "Show", id: "S01"}]) { ... on Show { title } } }`}, false},
		{"type condition leaving the catalogue", req{Query: `{ show(id: "S01") { ... on Contact { email } } }`}, false},
		{"unparsable", req{Query: `{ shows { `}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t, defaultOptions())
			want := hs.direct(tc.q)
			hs.executed.Store(0)
			seats, mes := hs.box.seats.Load(), hs.box.me.Load()
			first, second := hs.do(tc.q), hs.do(tc.q)
			st := hs.cache.Stats()
			if tc.cached {
				if st.Misses != 1 || st.Hits != 1 || st.Bypasses != 0 || st.Entries != 1 || hs.executed.Load() != 1 {
					t.Fatalf("want one miss then one hit, got %+v and %d executions", st, hs.executed.Load())
				}
				if r := apitest.Decode(t, first, nil); len(r.Errors) > 0 || len(r.Data) == 0 {
					t.Fatalf("answer %s", first.Body)
				}
				if !bytes.Equal(first.Body.Bytes(), want.Body.Bytes()) || !bytes.Equal(second.Body.Bytes(), want.Body.Bytes()) {
					t.Fatalf("cached answer differs from the executor's:\n%s\n%s", second.Body, want.Body)
				}
				if second.Header().Get("Content-Type") != want.Header().Get("Content-Type") {
					t.Fatalf("content type %q, want %q", second.Header().Get("Content-Type"), want.Header().Get("Content-Type"))
				}
				return
			}
			// Availability alone makes an operation windowed: keyed, but kept
			// only when the shared seat cache says for how long, and this
			// harness has none (every count is read per request).
			windowed := strings.Contains(tc.q.Query, "availability")
			if windowed && (st.Misses != 2 || st.Hits+st.Bypasses != 0 || st.Entries != 0 || st.Stored != 0 || hs.executed.Load() != 2) {
				t.Fatalf("want two misses, nothing stored, got %+v and %d executions", st, hs.executed.Load())
			}
			if !windowed && (st.Bypasses != 2 || st.Hits+st.Misses != 0 || st.Entries != 0 || st.Stored != 0 || hs.executed.Load() != 2) {
				t.Fatalf("want two bypasses, nothing stored, got %+v and %d executions", st, hs.executed.Load())
			}
			for _, w := range []int{first.Code, second.Code} {
				if w != want.Code {
					t.Fatalf("status %d, want %d", w, want.Code)
				}
			}
			if strings.Contains(tc.q.Query, "availability") && hs.box.seats.Load()-seats < 2 {
				t.Fatalf("availability not read live on each request: %d calls", hs.box.seats.Load()-seats)
			}
			if tc.name == "me with a session" && hs.box.me.Load()-mes != 2 {
				t.Fatalf("me not read on each request: %d calls", hs.box.me.Load()-mes)
			}
		})
	}
}

// Ensure a new snapshot version makes the old answers unreachable (and
// frees them) and the next answer comes from the new catalogue.
func TestNewSnapshotInvalidates(t *testing.T) {
	hs := newHarness(t, defaultOptions())
	q := req{Query: `{ show(id: "S01") { title } }`}
	hs.do(q)
	if w := hs.do(q); !strings.Contains(w.Body.String(), "Spectacle 1") || hs.cache.Stats().Hits != 1 {
		t.Fatalf("before: %s %+v", w.Body, hs.cache.Stats())
	}
	hs.store.Swap(season("v2", "Reprise", 20))
	w := hs.do(q)
	if !strings.Contains(w.Body.String(), "Reprise 1") {
		t.Fatalf("served the old snapshot after the swap: %s", w.Body)
	}
	st := hs.cache.Stats()
	if st.Misses != 2 || st.Hits != 1 || st.Entries != 1 || hs.executed.Load() != 2 {
		t.Fatalf("after the swap: %+v, %d executions", st, hs.executed.Load())
	}
	if w := hs.do(q); !strings.Contains(w.Body.String(), "Reprise 1") || hs.cache.Stats().Hits != 2 {
		t.Fatalf("new version not cached: %s %+v", w.Body, hs.cache.Stats())
	}
}

// Ensure an answer computed while a new snapshot came in is not stored
// under the version read before it.
func TestSwapDuringExecutionNotStored(t *testing.T) {
	hs := newHarness(t, defaultOptions())
	hs.during = func() { hs.store.Swap(season("v2", "Reprise", 20)) }
	w := hs.do(req{Query: `{ show(id: "S01") { title } }`})
	if !strings.Contains(w.Body.String(), "Reprise 1") || hs.cache.Stats().Stored != 0 {
		t.Fatalf("%s %+v", w.Body, hs.cache.Stats())
	}
	hs.during = nil
	if w := hs.do(req{Query: `{ show(id: "S01") { title } }`}); !strings.Contains(w.Body.String(), "Reprise 1") || hs.cache.Stats().Stored != 1 {
		t.Fatalf("%s %+v", w.Body, hs.cache.Stats())
	}
}

// Ensure GET answers to public operations carry an ETag and public caching
// headers, a matching If-None-Match gets a 304 without execution, and a
// new snapshot changes the tag; everything else is private, no-store.
func TestETagRoundTrip(t *testing.T) {
	hs := newHarness(t, defaultOptions())
	q := req{GET: true, Query: listing, Vars: map[string]any{"first": 20}}
	w := hs.do(q)
	tag := w.Header().Get("ETag")
	if w.Code != 200 || tag == "" || w.Header().Get("Cache-Control") != "public, max-age=60, stale-while-revalidate=300" {
		t.Fatalf("first GET: %d %v", w.Code, w.Header())
	}
	if v := w.Header().Get("Vary"); !strings.Contains(v, "X-Session-Token") || !strings.Contains(v, "Authorization") || !strings.Contains(v, "Accept") {
		t.Fatalf("Vary %q", v)
	}
	for _, inm := range []string{tag, "W/" + tag, `"other", ` + tag} {
		q.Headers = map[string]string{"If-None-Match": inm}
		w = hs.do(q)
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 || w.Header().Get("ETag") != tag || !strings.HasPrefix(w.Header().Get("Cache-Control"), "public") {
			t.Fatalf("If-None-Match %s: %d %v %q", inm, w.Code, w.Header(), w.Body)
		}
	}
	if hs.executed.Load() != 1 || hs.cache.Stats().NotModified != 3 {
		t.Fatalf("executions %d, stats %+v", hs.executed.Load(), hs.cache.Stats())
	}
	// Other variables, other tag.
	if w := hs.do(req{GET: true, Query: listing, Vars: map[string]any{"first": 5}}); w.Header().Get("ETag") == tag || w.Header().Get("ETag") == "" {
		t.Fatalf("tag of another page: %q", w.Header().Get("ETag"))
	}
	hs.store.Swap(season("v2", "Reprise", 20))
	q.Headers = map[string]string{"If-None-Match": tag}
	w = hs.do(q)
	if w.Code != 200 || w.Header().Get("ETag") == tag || !strings.Contains(w.Body.String(), "Reprise") {
		t.Fatalf("after a new snapshot: %d %v", w.Code, w.Header())
	}
	// POST answers are never stored by shared caches; say so plainly.
	w = hs.do(req{Query: listing, Vars: map[string]any{"first": 20}})
	if w.Header().Get("Cache-Control") != "private, no-store" || w.Header().Get("ETag") != "" {
		t.Fatalf("public POST: %v", w.Header())
	}
	// Private GETs: no tag, no 304 even when asked with a tag.
	w = hs.do(req{GET: true, Query: `{ me { email } }`, Headers: map[string]string{"X-Session-Token": "alice", "If-None-Match": tag}})
	if w.Code != 200 || w.Header().Get("Cache-Control") != "private, no-store" || w.Header().Get("ETag") != "" {
		t.Fatalf("private GET: %d %v", w.Code, w.Header())
	}
	// An answer with errors is neither stored nor public.
	w = hs.do(req{GET: true, Query: `{ shows(first: 500) { count } }`})
	if !strings.Contains(w.Body.String(), "errors") || w.Header().Get("Cache-Control") != "private, no-store" || w.Header().Get("ETag") != "" {
		t.Fatalf("error GET: %v %s", w.Header(), w.Body)
	}
}

// Ensure visitors and back-office callers only ever see their own answers,
// and that no personal or back-office answer is stored.
func TestNoCrossUserLeakage(t *testing.T) {
	hs := newHarness(t, defaultOptions())
	mixed := `{ venues { name } me { email } }`
	for range 3 {
		for _, who := range []string{"alice", "bob"} {
			w := hs.do(req{Query: mixed, Headers: map[string]string{"X-Session-Token": who}})
			other := map[string]string{"alice": "bob", "bob": "alice"}[who]
			if !strings.Contains(w.Body.String(), who+"@exemple.fr") || strings.Contains(w.Body.String(), other) {
				t.Fatalf("%s got %s", who, w.Body)
			}
			w = hs.do(req{GET: true, Query: `{ me { email } }`, Headers: map[string]string{"X-Session-Token": who}})
			if !strings.Contains(w.Body.String(), who+"@exemple.fr") || w.Header().Get("Cache-Control") != "private, no-store" {
				t.Fatalf("%s GET got %v %s", who, w.Header(), w.Body)
			}
		}
		w := hs.do(req{Query: `{ contact(id: "9") { email } }`, Headers: backOffice})
		if !strings.Contains(w.Body.String(), "fiche-9") {
			t.Fatalf("back office got %s", w.Body)
		}
		// The same documents without credentials are refused, not served.
		for _, q := range []string{mixed, `{ me { email } }`, `{ contact(id: "9") { email } }`} {
			w := hs.do(req{Query: q})
			if r := apitest.Decode(t, w, nil); len(r.Errors) == 0 || strings.Contains(w.Body.String(), "@exemple.fr") {
				t.Fatalf("anonymous %s got %s", q, w.Body)
			}
		}
	}
	st := hs.cache.Stats()
	if st.Entries != 0 || st.Stored != 0 || st.Bytes != 0 || st.Hits != 0 || st.Bypasses != 24 {
		t.Fatalf("personal answers touched the cache: %+v", st)
	}
	if hs.box.me.Load() != 12 || hs.box.contact.Load() != 3 {
		t.Fatalf("upstream calls me=%d contact=%d", hs.box.me.Load(), hs.box.contact.Load())
	}
	// A public answer cached anonymously is not handed to a visitor with a
	// session either: that request runs.
	hs.do(req{Query: `{ venues { name } }`})
	before := hs.executed.Load()
	hs.do(req{Query: `{ venues { name } }`, Headers: session})
	if hs.executed.Load() != before+1 {
		t.Fatal("request with a session was answered from the cache")
	}
}

// Ensure persisted queries: a bare hash the cache never saw goes to gqlgen
// (which asks for the query); once registered, the bare hash is a hit; a
// hash that does not match its query is not keyed.
func TestPersistedQueries(t *testing.T) {
	hs := newHarness(t, defaultOptions())
	query := `{ venues { id name } }`
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	w := hs.do(req{GET: true, Ext: ext})
	if !strings.Contains(w.Body.String(), "PersistedQueryNotFound") || hs.cache.Stats().Bypasses != 1 {
		t.Fatalf("unknown hash: %s %+v", w.Body, hs.cache.Stats())
	}
	w = hs.do(req{GET: true, Query: query, Ext: ext})
	tag := w.Header().Get("ETag")
	if w.Code != 200 || tag == "" || hs.cache.Stats().Stored != 1 {
		t.Fatalf("registration: %d %v %+v", w.Code, w.Header(), hs.cache.Stats())
	}
	n := hs.executed.Load()
	w = hs.do(req{GET: true, Ext: ext})
	if w.Code != 200 || w.Header().Get("ETag") != tag || !strings.Contains(w.Body.String(), "Grande salle") || hs.executed.Load() != n {
		t.Fatalf("bare hash: %d %v %s", w.Code, w.Header(), w.Body)
	}
	bad := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("0", 64)}}
	before := hs.cache.Stats().Bypasses
	w = hs.do(req{GET: true, Query: query, Ext: bad})
	if !strings.Contains(w.Body.String(), "errors") || hs.cache.Stats().Bypasses != before+1 {
		t.Fatalf("mismatched hash: %s %+v", w.Body, hs.cache.Stats())
	}
}

// Ensure the same operation written differently shares one entry, and
// variables in another key order too; other variables do not.
func TestKeyNormalisation(t *testing.T) {
	hs := newHarness(t, defaultOptions())
	hs.do(req{Query: `query($a: ID!, $b: ID!) { x: show(id: $a) { title } y: show(id: $b) { title } }`, Vars: map[string]any{"a": "S01", "b": "S02"}})
	w := hs.do(req{Query: "query ( $a : ID! , $b : ID! ) {\n  # same\n  x: show(id: $a) { title }\n  y: show(id: $b) { title }\n}", Vars: map[string]any{"b": "S02", "a": "S01"}})
	if st := hs.cache.Stats(); st.Hits != 1 || st.Entries != 1 || !strings.Contains(w.Body.String(), "Spectacle 2") {
		t.Fatalf("reformatted document: %+v %s", st, w.Body)
	}
	hs.do(req{Query: `query($a: ID!, $b: ID!) { x: show(id: $a) { title } y: show(id: $b) { title } }`, Vars: map[string]any{"a": "S01", "b": "S03"}})
	if st := hs.cache.Stats(); st.Hits != 1 || st.Entries != 2 {
		t.Fatalf("other variables: %+v", st)
	}
}

// Ensure the byte budget holds through the handler: with room for a few
// listings only, entries are evicted and the budget is never exceeded.
func TestByteBudget(t *testing.T) {
	hs := newHarness(t, respcache.Options{MaxBytes: 256 << 10, MaxAge: 60})
	for i := 1; i <= 20; i++ {
		hs.do(req{Query: listing, Vars: map[string]any{"first": i}})
	}
	st := hs.cache.Stats()
	if st.Bytes > 256<<10 || st.Evictions == 0 || st.Entries == 0 || st.Stored != 20 {
		t.Fatalf("budget: %+v", st)
	}
	// With no memory, HTTP caching still works.
	hs = newHarness(t, respcache.Options{MaxAge: 30})
	w := hs.do(req{GET: true, Query: `{ venues { name } }`})
	if w.Header().Get("Cache-Control") != "public, max-age=30, stale-while-revalidate=150" || hs.cache.Stats().Entries != 0 {
		t.Fatalf("no store: %v %+v", w.Header(), hs.cache.Stats())
	}
}

// Ensure the public set derived from the real schema: the catalogue types
// reachable from the roots, minus availability. A schema change that moves
// it must be looked at (is the new field live? personal?).
func TestDerivedPublicSet(t *testing.T) {
	p, err := respcache.NewPolicy(generated.NewExecutableSchema(generated.Config{}).Schema())
	if err != nil {
		t.Fatal(err)
	}
	fields := p.Fields()
	types := map[string]bool{}
	for _, f := range fields {
		types[strings.Split(f, ".")[0]] = true
	}
	var got []string
	for ty := range types {
		got = append(got, ty)
	}
	slices.Sort(got)
	want := []string{"Article", "Money", "PageInfo", "Pass", "Performance", "PerformancePrice", "Query", "Show", "ShowConnection", "ShowEdge", "Venue"}
	if !slices.Equal(got, want) {
		t.Fatalf("types %v, want %v", got, want)
	}
	var roots []string
	for _, f := range fields {
		if r, ok := strings.CutPrefix(f, "Query."); ok {
			roots = append(roots, r)
		}
	}
	if !slices.Equal(roots, slices.Sorted(slices.Values(respcache.PublicRoots))) {
		t.Fatalf("roots %v", roots)
	}
	for _, must := range []string{"Show.performances", "Performance.prices", "Performance.show", "Venue.parent", "Money.formatted", "ShowConnection.pageInfo"} {
		if !slices.Contains(fields, must) {
			t.Fatalf("%s missing from %v", must, fields)
		}
	}
	if slices.Contains(fields, "Performance.availability") {
		t.Fatal("availability is public")
	}
}

// Ensure the derivation keeps out what is grafted onto a catalogue type
// from another file or leads to a non-catalogue type, and that the lists
// cannot name what the schema lacks.
func TestPolicyDerivationRules(t *testing.T) {
	load := func(catalogue string) (*ast.Schema, error) {
		return gqlparser.LoadSchema(
			&ast.Source{Name: "schema/catalogue.graphqls", Input: catalogue},
			&ast.Source{Name: "schema/scalars.graphqls", Input: `type Money { cents: Int! }`},
			&ast.Source{Name: "schema/visitor.graphqls", Input: `type Contact { email: String }
extend type Query { me: Contact }
extend type Show { myTickets: [String!]! }`},
		)
	}
	base := `type Query { shows: [Show!]! show(id: ID!): Show performance(id: ID!): Performance venues: [Venue!]!
  passes: [Pass!]! pass(id: ID!): Pass articles: [Article!]! article(id: ID!): Article }
type Show { id: ID! title: String! owner: Contact price: Money performances: [Performance!]! }
type Performance { id: ID! availability: Int }
type Venue { id: ID! } type Pass { id: ID! } type Article { id: ID! }`
	s, err := load(base)
	if err != nil {
		t.Fatal(err)
	}
	p, err := respcache.NewPolicy(s)
	if err != nil {
		t.Fatal(err)
	}
	f := p.Fields()
	for _, in := range []string{"Show.title", "Show.price", "Money.cents", "Performance.id"} {
		if !slices.Contains(f, in) {
			t.Fatalf("%s missing: %v", in, f)
		}
	}
	for _, out := range []string{"Show.owner", "Show.myTickets", "Performance.availability", "Contact.email", "Query.me"} {
		if slices.Contains(f, out) {
			t.Fatalf("%s public: %v", out, f)
		}
	}
	s, err = load(strings.Replace(base, "article(id: ID!): Article", "", 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := respcache.NewPolicy(s); err == nil || !strings.Contains(err.Error(), "article") {
		t.Fatalf("missing root: %v", err)
	}
	s, err = load(strings.Replace(base, "availability: Int", "", 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := respcache.NewPolicy(s); err == nil || !strings.Contains(err.Error(), "availability") {
		t.Fatalf("missing live field: %v", err)
	}
}

// Ensure a burst of identical misses (right after a new snapshot) runs the
// executor once and gives every caller the same bytes.
func TestConcurrentMissesExecuteOnce(t *testing.T) {
	hs := newHarness(t, defaultOptions())
	release := make(chan struct{})
	var entered atomic.Int32
	hs.during = func() {
		entered.Add(1)
		<-release
	}
	q := req{GET: true, Query: `{ show(id: "S01") { title } }`}
	bodies := make([]string, 10)
	tags := make([]string, 10)
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := hs.do(q)
			bodies[i], tags[i] = w.Body.String(), w.Header().Get("ETag")
		}()
	}
	for entered.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the others reach the same key meanwhile
	close(release)
	wg.Wait()
	if n := hs.executed.Load(); n != 1 {
		t.Fatalf("%d executions for 10 concurrent identical misses, want 1", n)
	}
	for i := range bodies {
		if bodies[i] != bodies[0] || !strings.Contains(bodies[i], "Spectacle 1") || tags[i] == "" {
			t.Fatalf("answer %d: %q (tag %q)", i, bodies[i], tags[i])
		}
	}
	if st := hs.cache.Stats(); st.Shared+st.Hits != 9 || st.Stored != 1 {
		t.Fatalf("stats %+v: want 9 answers shared or hit, 1 stored", st)
	}
}

// Ensure an answer whose live fields are all shared (the seat counts) is
// kept exactly as long as the live window its execution reported, never
// beyond, and never handed to browsers or CDNs (no ETag, private); a
// window nobody narrowed (live values read per request) keeps nothing.
func TestLiveWindow(t *testing.T) {
	hs := newHarness(t, defaultOptions())
	var runs atomic.Int64
	var window time.Duration // what the shared cache reports; 0: nothing
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := runs.Add(1)
		if window > 0 {
			livewindow.From(r.Context()).Until(time.Now().Add(window))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":{"show":{"performances":[{"availability":{"seatsLeft":%d}}]}}}`, n)
	})
	h := hs.cache.Wrap(next)
	q := func(id string, get bool) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req{GET: get, Query: `query($id: ID!) { show(id: $id) { performances { availability { seatsLeft } } } }`, Vars: map[string]any{"id": id}}.HTTP(t, ""))
		return w
	}
	window = time.Hour
	a, b := q("S01", true), q("S01", true)
	if runs.Load() != 1 || a.Body.String() != b.Body.String() {
		t.Fatalf("within its window the answer must be reused: %d runs, %s then %s", runs.Load(), a.Body, b.Body)
	}
	for _, w := range []*httptest.ResponseRecorder{a, b} {
		if w.Header().Get("ETag") != "" || w.Header().Get("Cache-Control") != "private, no-store" {
			t.Fatalf("windowed answer sent with %v", w.Header())
		}
	}
	window = 100 * time.Millisecond
	q("S02", false)
	time.Sleep(150 * time.Millisecond) // past the window (a lower bound only)
	if q("S02", false); runs.Load() != 3 {
		t.Fatalf("after its window the answer must be made again: %d runs", runs.Load())
	}
	window = 0
	q("S03", false)
	q("S03", false)
	if runs.Load() != 5 {
		t.Fatalf("without a window nothing may be kept: %d runs", runs.Load())
	}
}

// Ensure an answer kept for its live window is dropped when the shared live
// values change generation before their TTL (a notified sale), also when the
// change lands while the answer is being made.
func TestLiveWindowGeneration(t *testing.T) {
	var gen atomic.Uint64
	o := defaultOptions()
	o.LiveGeneration = gen.Load
	hs := newHarness(t, o)
	var runs atomic.Int64
	var during func()
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := runs.Add(1)
		livewindow.From(r.Context()).Until(time.Now().Add(time.Hour))
		if during != nil {
			during()
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":{"show":{"performances":[{"availability":{"seatsLeft":%d}}]}}}`, n)
	})
	h := hs.cache.Wrap(next)
	q := func() string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req{Query: `{ show(id: "S01") { performances { availability { seatsLeft } } } }`}.HTTP(t, ""))
		return w.Body.String()
	}
	first := q()
	if q() != first || runs.Load() != 1 {
		t.Fatalf("within one generation the answer must be reused: %d runs", runs.Load())
	}
	gen.Add(1)
	if second := q(); second == first || runs.Load() != 2 {
		t.Fatalf("a new generation must make the answer again: %d runs", runs.Load())
	}
	gen.Add(1)
	during = func() { gen.Add(1) } // the sale lands while this answer is made
	q()
	during = nil
	q()
	if runs.Load() != 4 {
		t.Fatalf("an answer made across a generation change was reused: %d runs", runs.Load())
	}
}

// countingBody counts the bytes read from a request body.
type countingBody struct {
	r io.Reader
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (*countingBody) Close() error { return nil }

// Ensure a large POST body is not read ahead by the cache: what it cannot
// key (over 16 KiB) reaches the handler behind almost unread, and whole.
func TestLargeBodyNotReadAhead(t *testing.T) {
	c, err := respcache.New(generated.NewExecutableSchema(generated.Config{}).Schema(), fixedVersion("v1"),
		respcache.Options{MaxBodyBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	raw := `{"query":"{ shows { id } }","variables":{"pad":"` + strings.Repeat("x", 512<<10) + `"}}`
	body := &countingBody{r: strings.NewReader(raw)}
	var readBefore int64
	var got []byte
	h := c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		readBefore = body.n
		got, _ = io.ReadAll(r.Body)
	}))
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Body = body
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if readBefore > 32<<10 {
		t.Fatalf("the cache read %d bytes of a %d-byte body ahead of the handler", readBefore, len(raw))
	}
	if string(got) != raw {
		t.Fatalf("the handler got %d bytes, want the whole %d", len(got), len(raw))
	}
}

type fixedVersion string

func (v fixedVersion) Version() string { return string(v) }
