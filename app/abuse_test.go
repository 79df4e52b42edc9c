package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/guichet/guichet/config"
)

// The abuse corpus (testdata/abuse) holds one hostile request per file with
// the answer it must get. -abuse.write regenerates the files from
// abuseCases below (the large ones are built, not typed).
var writeAbuse = flag.Bool("abuse.write", false, "rewrite testdata/abuse from abuseCases")

// abuseCase is one file of the corpus.
type abuseCase struct {
	Why    string            `json:"why"`
	Code   string            `json:"code"`             // extensions.code of the first error
	Status int               `json:"status"`           // HTTP status
	Absent string            `json:"absent,omitempty"` // text the answer must not hold
	Header map[string]string `json:"header,omitempty"`
	// DeclaredLength, when set, is sent as Content-Length with a body that
	// fails the test if anything reads it.
	DeclaredLength int64           `json:"declaredLength,omitempty"`
	Request        json.RawMessage `json:"request,omitempty"` // the POST body
	// RawBody is a POST body that is not valid JSON to Go's decoder.
	RawBody string `json:"rawBody,omitempty"`
}

func (c abuseCase) body() []byte {
	if c.RawBody != "" {
		return []byte(c.RawBody)
	}
	return c.Request
}

// abuseEnv is production-like: introspection and GraphiQL off.
var abuseEnv = map[string]string{"GUICHET_INTROSPECTION": "false", "GUICHET_PLAYGROUND": "false"}

func loadAbuse(t testing.TB) map[string]abuseCase {
	t.Helper()
	files, err := filepath.Glob("testdata/abuse/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no abuse corpus: %v", err)
	}
	out := map[string]abuseCase{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c abuseCase
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = c
	}
	return out
}

// lockedLog collects log lines written from any goroutine.
type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedLog) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// unreadable is a body that must not be read.
type unreadable struct{ read bool }

func (u *unreadable) Read([]byte) (int, error) { u.read = true; return 0, io.ErrUnexpectedEOF }

// sendAbuse runs one case through the whole app handler.
func sendAbuse(h http.Handler, c abuseCase) (*httptest.ResponseRecorder, bool) {
	var r *http.Request
	var body *unreadable
	if c.DeclaredLength > 0 {
		body = &unreadable{}
		r = httptest.NewRequest(http.MethodPost, "/graphql", body)
		r.ContentLength = c.DeclaredLength
	} else {
		r = httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(c.body()))
	}
	r.Header.Set("Content-Type", "application/json")
	for k, v := range c.Header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w, body != nil && body.read
}

// Ensure every hostile request of the corpus is refused with its code and a
// short answer, before any resolver runs (no data at all in the answer) and
// without any call to a back office.
func TestAbuseCorpus(t *testing.T) {
	if *writeAbuse {
		writeAbuseCorpus(t)
	}
	corpus := loadAbuse(t)
	// Client mistakes are no server errors: nothing logs at ERROR level
	// (the app's logger and the default one, which the error presenter uses).
	var logs lockedLog
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(logger)
	cfg, err := config.Load(testEnv(t, abuseEnv))
	if err != nil {
		t.Fatal(err)
	}
	cfg, sb := sandboxed(t, cfg)
	e := bootApp(t, cfg, sb, logger)
	h := e.app.Handler()
	e.tickets().Reset()
	e.crm().Reset()
	names := make([]string, 0, len(corpus))
	for n := range corpus {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		c := corpus[name]
		t.Run(name, func(t *testing.T) {
			w, read := sendAbuse(h, c)
			if read {
				t.Fatal("the body was read although its declared length is over the limit")
			}
			if w.Code != c.Status {
				t.Fatalf("status %d, want %d: %.300s", w.Code, c.Status, w.Body.Bytes())
			}
			if w.Body.Len() > 8<<10 {
				t.Fatalf("answer of %d bytes: %.300s", w.Body.Len(), w.Body.Bytes())
			}
			var resp struct {
				Data   json.RawMessage `json:"data"`
				Errors []struct {
					Message    string         `json:"message"`
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatalf("not JSON: %.300s", w.Body.Bytes())
			}
			if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != c.Code {
				t.Fatalf("want %s: %.500s", c.Code, w.Body.Bytes())
			}
			if len(resp.Data) > 0 && string(resp.Data) != "null" {
				t.Fatalf("fields ran: %.300s", resp.Data)
			}
			if c.Absent != "" && strings.Contains(w.Body.String(), c.Absent) {
				t.Fatalf("answer holds %q: %.300s", c.Absent, w.Body.Bytes())
			}
		})
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("refusals logged errors:\n%s", logs.String())
	}
	for svc, n := range e.tickets().Snapshot() {
		if n > 0 {
			t.Errorf("the corpus reached the ticketing system: %s %d times", svc, n)
		}
	}
	for op, n := range e.crm().Snapshot() {
		if n > 0 {
			t.Errorf("the corpus reached AboWeb: %s %d times", op, n)
		}
	}
}

// BenchmarkAbuseCorpus reports the CPU time the process spends on each
// refusal (user + system, all goroutines), next to the wall time.
func BenchmarkAbuseCorpus(b *testing.B) {
	corpus := loadAbuse(b)
	e := bootWith(b, abuseEnv)
	h := e.app.Handler()
	names := make([]string, 0, len(corpus))
	for n := range corpus {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		c := corpus[name]
		b.Run(name, func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				if w, _ := sendAbuse(h, c); w.Code != c.Status {
					b.Fatalf("status %d", w.Code)
				}
			}
			b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func repeatJoin(n int, f func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = f(i)
	}
	return strings.Join(parts, " ")
}

// abuseCases builds the corpus; the files are what the tests read.
func abuseCases() map[string]abuseCase {
	q := func(query string, vars map[string]any) json.RawMessage {
		m := map[string]any{"query": query}
		if vars != nil {
			m["variables"] = vars
		}
		b, _ := json.Marshal(m)
		return b
	}
	tooComplex := func(why string, req json.RawMessage) abuseCase {
		return abuseCase{Why: why, Code: "QUERY_TOO_COMPLEX", Status: 200, Request: req}
	}
	reps := func(n int, typ, key string, val any) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"__typename": typ, key: val}
		}
		return out
	}
	entities := `query($r: [_Any!]!) { _entities(representations: $r) { ... on Show { id title performances { id startsAt } } } }`
	fragChain := func(n int) string { // each fragment nests one level deeper
		s := "{ shows(first: 1) { edges { node { ...F0 } } } }"
		for i := 0; i < n; i++ {
			s += fmt.Sprintf(" fragment F%d on Show { performances { show { ...F%d } } }", i, i+1)
		}
		return s + fmt.Sprintf(" fragment F%d on Show { id }", n)
	}
	fanOut := func(n int) string { // each fragment spreads the next twice: 2^n fields once expanded
		s := "{ shows(first: 1) { edges { node { ...G0 } } } }"
		for i := 0; i < n; i++ {
			s += fmt.Sprintf(" fragment G%d on Show { id ...G%d ...G%d }", i, i+1, i+1)
		}
		return s + fmt.Sprintf(" fragment G%d on Show { id }", n)
	}
	batch := make([]json.RawMessage, 1000)
	for i := range batch {
		batch[i] = q("{ venues { id } }", nil)
	}
	batched, _ := json.Marshal(batch)
	deepVars := `{"query":"query($v: String) { venues { id } }","variables":{"v":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}`
	return map[string]abuseCase{
		"repeated-fields-7400":  tooComplex("7,400 copies of one field: quadratic in OverlappingFieldsCanBeMerged", q("{ venues { "+strings.Repeat("id ", 7400)+"} }", nil)),
		"repeated-fields-14990": tooComplex("14,990 copies of one field, just under the parser's token limit", q("{ venues { "+strings.Repeat("id ", 14990)+"} }", nil)),
		"fragments-1500": tooComplex("1,500 fragments each selecting id, compared pairwise by validation",
			q("{ venues { "+repeatJoin(1500, func(i int) string { return fmt.Sprintf("...F%d", i) })+" } } "+
				repeatJoin(1500, func(i int) string { return fmt.Sprintf("fragment F%d on Venue { id }", i) }), nil)),
		"fragment-chain-deep": tooComplex("fragments nesting one another 40 levels deep", q(fragChain(40), nil)),
		"fragment-fan-out":    tooComplex("each of 40 fragments spreads the next twice (2^40 fields once expanded)", q(fanOut(40), nil)),
		"directives-3000": {Why: "3,000 unknown directives on one field (one error each, unbounded before)", Code: "QUERY_TOO_COMPLEX", Status: 200,
			Request: q("{ venues "+strings.Repeat("@foo ", 3000)+"{ id } }", nil)},
		"aliases-4900":   tooComplex("4,900 aliases of one field, under the token limit", q("{ venues { "+repeatJoin(4900, func(i int) string { return fmt.Sprintf("a%d: id", i) })+" } }", nil)),
		"aliases-10000":  {Why: "10,000 aliased root fields: over the parser's token limit", Code: "GRAPHQL_PARSE_FAILED", Status: 422, Request: q("{ "+repeatJoin(10000, func(i int) string { return fmt.Sprintf("a%d: venues { id }", i) })+" }", nil)},
		"root-fields-30": tooComplex("30 root fields", q("{ "+repeatJoin(30, func(i int) string { return fmt.Sprintf("v%d: venues { id }", i) })+" }", nil)),
		"nested-lists": {Why: "nested lists multiplying to millions of objects", Code: "COMPLEXITY_LIMIT_EXCEEDED", Status: 200,
			Request: q(`{ shows(first: 100) { edges { node { performances { show { performances { show { performances { prices { category } } } } } } } } } }`, nil)},
		"nesting-7000": {Why: "selection sets nested 7,000 deep: gqlparser's own recursion limit (1,000)", Code: "GRAPHQL_PARSE_FAILED", Status: 422,
			Request: q(strings.Repeat("{ a ", 7000)+strings.Repeat("} ", 7000), nil)},
		"nesting-990": tooComplex("selection sets nested 990 deep, under the parser's recursion limit (recursion in every later pass)",
			q(strings.Repeat("{ a ", 990)+strings.Repeat("} ", 990), nil)),
		"depth-40": tooComplex("selection sets nested 40 deep",
			q("{ shows(first: 1) { edges { node { "+strings.Repeat("performances { show { ", 20)+"id"+strings.Repeat(" } }", 20)+" } } } }", nil)),
		"entities-10000": tooComplex("_entities with 10,000 representations of a public type",
			q(entities, map[string]any{"r": reps(10000, "Show", "id", "1001")})),
		"entities-heavy-selection": {Why: "100 representations times a selection with nested lists", Code: "COMPLEXITY_LIMIT_EXCEEDED", Status: 200,
			Request: q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Show { performances { prices { category } show { performances { id } } } } } }`, map[string]any{"r": reps(100, "Show", "id", "1001")})},
		"entities-contact":    {Why: "a private entity type without credentials", Code: "UNAUTHENTICATED", Status: 200, Request: q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Contact { email } } }`, map[string]any{"r": reps(1, "Contact", "id", "20001")})},
		"entities-order":      {Why: "a private entity type without credentials", Code: "UNAUTHENTICATED", Status: 200, Request: q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id } } }`, map[string]any{"r": reps(1, "Order", "id", "260000007919")})},
		"entities-subscriber": {Why: "a private entity type without credentials", Code: "UNAUTHENTICATED", Status: 200, Request: q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Subscriber { email } } }`, map[string]any{"r": reps(1, "Subscriber", "code", 240001)})},
		"entities-private-after-public": {Why: "a private representation hidden behind public ones", Code: "UNAUTHENTICATED", Status: 200,
			Request: q(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Show { id } ... on Contact { email } } }`, map[string]any{"r": append(reps(5, "Show", "id", "1001"), reps(1, "Contact", "id", "20001")...)})},
		"entities-unknown-type": {Why: "an unknown __typename is the client's mistake", Code: "BAD_USER_INPUT", Status: 200,
			Request: q(`query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, map[string]any{"r": reps(1, "Nope", "id", "1")})},
		"service-without-introspection": {Why: "_service is the whole schema: refused with introspection off", Code: "FORBIDDEN", Status: 200, Request: q(`{ _service { sdl } }`, nil)},
		"introspection-off":             {Why: "introspection is off in production", Code: "FORBIDDEN", Status: 200, Request: q(`{ __schema { types { name } } }`, nil)},
		"suggestions-off": {Why: "no field names suggested when introspection is off", Code: "GRAPHQL_VALIDATION_FAILED", Status: 422, Absent: "Did you mean",
			Request: q(`{ subscribr(code: 1) { code } }`, nil)},
		"string-nul":      {Why: "a NUL byte in an argument", Code: "BAD_USER_INPUT", Status: 200, Request: q(`query($s: String) { shows(filter: {search: $s}) { count } }`, map[string]any{"s": "abc\x00def"})},
		"string-bidi":     {Why: "a right-to-left override in an argument", Code: "BAD_USER_INPUT", Status: 200, Request: q("{ shows(filter: {search: \"abc\u202Efed\"}) { count } }", nil)},
		"string-huge":     {Why: "a 100 KB string variable", Code: "BAD_USER_INPUT", Status: 200, Request: q(`query($s: String) { shows(filter: {search: $s}) { count } }`, map[string]any{"s": strings.Repeat("x", 100_000)})},
		"first-beyond-32": {Why: "first: beyond 32 bits", Code: "BAD_USER_INPUT", Status: 200, Request: q(`query($n: Int) { shows(first: $n) { count } }`, map[string]any{"n": 99999999999})},
		"register-lists-10000": {Why: "registerContact with 10,000 mailing lists", Code: "BAD_USER_INPUT", Status: 200,
			Request: q(`mutation($i: RegisterContactInput!) { registerContact(input: $i) { token } }`, map[string]any{"i": map[string]any{
				"email": "x@exemple.fr", "password": "Secret-123456", "passwordConfirmation": "Secret-123456", "firstName": "A", "lastName": "B",
				"lists": func() []int {
					l := make([]int, 10000)
					for i := range l {
						l[i] = i + 1
					}
					return l
				}()}})},
		"variables-deep-json": {Why: "variables nested 20,000 arrays deep", Code: "BAD_REQUEST", Status: 400, RawBody: deepVars},
		"batched-1000":        {Why: "a batch of 1,000 operations (batching is not supported)", Code: "BAD_REQUEST", Status: 400, Request: batched},
		"body-declared-10MB":  {Why: "a declared 10 MB body: 413 before anything reads it", Code: "PAYLOAD_TOO_LARGE", Status: 413, DeclaredLength: 10 << 20},
	}
}

func writeAbuseCorpus(t *testing.T) {
	if err := os.MkdirAll("testdata/abuse", 0o755); err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob("testdata/abuse/*.json")
	for _, f := range old {
		os.Remove(f)
	}
	for name, c := range abuseCases() {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata/abuse", name+".json"), append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
