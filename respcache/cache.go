package respcache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"github.com/99designs/gqlgen/graphql"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	gqllru "github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/guichet/guichet/internal/livewindow"
	"github.com/guichet/guichet/persisted"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// Versioner gives the version of the catalogue snapshot being served, ""
// before the first load (*catalogue.Store implements it).
type Versioner interface{ Version() string }

// Options tune the cache. The zero value stores nothing in memory and sends
// `max-age=0`: configuration comes from config (GUICHET_RESPONSE_CACHE_BYTES,
// GUICHET_PUBLIC_MAX_AGE).
type Options struct {
	// MaxBytes bounds the stored responses; 0 keeps none (HTTP caching
	// headers, ETags and 304s still apply).
	MaxBytes int64
	// MaxAge is the max-age, in seconds, of public GET answers.
	MaxAge int
	// StaleWhileRevalidate, in seconds; 0 means 5 × MaxAge. A CDN may serve
	// a stale listing that long while it refetches in the background; the
	// catalogue itself is pulled every 5 minutes, so a few minutes more of
	// staleness on a listing costs little and spares the origin the bursts.
	StaleWhileRevalidate int
	// MaxBodyBytes caps the POST body read to decode it; 0 means 1 MiB. Give
	// the GraphQL handler's own cap.
	MaxBodyBytes int64
	// Decisions is how many documents' policy decisions are kept; 0: 1000.
	Decisions int
	// Observer, when set, is told every outcome: "hit" (a 304 counts as
	// one), "miss" or "bypass". *obs.Metrics fits.
	Observer Observer
	// TokenLimit bounds the parse of a document to decide on it; 0 means
	// 15,000. Give the GraphQL handler's own limit.
	TokenLimit int
	// LiveGeneration, when set, tells the generation of the shared live
	// values (it changes when one is dropped before its TTL, e.g. a
	// notified sale): an answer kept for its live window is reused only
	// within the generation it was computed in.
	LiveGeneration func() uint64
}

// Observer receives cache outcomes, e.g. to count them in Prometheus.
type Observer interface{ Cache(outcome string) }

// Stats are the cache's counters since start.
type Stats struct {
	Hits        uint64 // answered from memory, no parsing or execution
	NotModified uint64 // 304 to a GET whose If-None-Match matched
	Misses      uint64 // public operation executed (then stored if cacheable)
	Bypasses    uint64 // not public, carries credentials, or undecodable
	Stored      uint64 // responses added to the cache
	Shared      uint64 // misses answered by a concurrent identical miss's run
	Entries     int
	Bytes       int64
	Evictions   uint64
}

// Cache is the response cache and the HTTP caching policy of /graphql.
type Cache struct {
	policy    *Policy
	src       Versioner
	store     *lru // nil when MaxBytes is 0
	decisions *gqllru.LRU[*decision]
	maxBody   int64
	tokens    int
	public    string // Cache-Control of public GET answers
	observer  Observer
	liveGen   func() uint64 // Options.LiveGeneration

	hits, notModified, misses, bypasses, stored, shared atomic.Uint64

	// Concurrent misses of one key (a burst right after a new snapshot)
	// execute once; the others take the same bytes.
	flight singleflight.Group
}

const (
	privateNoStore = "private, no-store"
	// Answers differ by negotiated content type; credentials make Guichet
	// bypass the cache, so a shared cache must not answer those requests
	// with a stored anonymous answer either.
	varyPublic = "Accept, Authorization, X-Session-Token"
)

// New builds the cache for a schema and a snapshot version source.
func New(schema *ast.Schema, src Versioner, o Options) (*Cache, error) {
	p, err := NewPolicy(schema)
	if err != nil {
		return nil, err
	}
	if o.MaxAge < 0 || o.StaleWhileRevalidate < 0 || o.MaxBytes < 0 {
		return nil, fmt.Errorf("respcache: negative option in %+v", o)
	}
	c := &Cache{policy: p, src: src, maxBody: o.MaxBodyBytes, tokens: o.TokenLimit, observer: o.Observer, liveGen: o.LiveGeneration}
	if c.tokens <= 0 {
		c.tokens = 15000
	}
	if c.maxBody <= 0 {
		c.maxBody = 1 << 20
	}
	if o.MaxBytes > 0 {
		c.store = newLRU(o.MaxBytes)
	}
	n := o.Decisions
	if n <= 0 {
		n = 1000
	}
	c.decisions = gqllru.New[*decision](n)
	swr := o.StaleWhileRevalidate
	if swr == 0 {
		swr = 5 * o.MaxAge
	}
	c.public = "public, max-age=" + strconv.Itoa(o.MaxAge)
	if swr > 0 {
		c.public += ", stale-while-revalidate=" + strconv.Itoa(swr)
	}
	return c, nil
}

// Stats reads the counters (for metrics).
func (c *Cache) Stats() Stats {
	s := Stats{Hits: c.hits.Load(), NotModified: c.notModified.Load(), Misses: c.misses.Load(),
		Bypasses: c.bypasses.Load(), Stored: c.stored.Load(), Shared: c.shared.Load()}
	if c.store != nil {
		s.Entries, s.Bytes, s.Evictions = c.store.stats()
	}
	return s
}

// decision is what the policy said about one document, kept per hash of
// its text so a hit neither parses nor walks the document.
type decision struct {
	doc [32]byte // sha256 of the normalised document
	ops []opDecision
	// size is the length of the last answer to this document: the capture
	// buffer starts that big instead of growing by copies.
	size atomic.Int64
}

type opDecision struct {
	name     string
	public   bool
	windowed bool // public but for SharedFields: kept for its live window
}

// public tells whether the operation gqlgen will run is public: the named
// one, or the only one when no name is given.
func (d *decision) public(name string) bool {
	op := d.op(name)
	return op != nil && op.public
}

// windowed tells whether that operation is public but for shared live
// fields.
func (d *decision) windowed(name string) bool {
	op := d.op(name)
	return op != nil && !op.public && op.windowed
}

func (d *decision) op(name string) *opDecision {
	if name == "" {
		if len(d.ops) == 1 {
			return &d.ops[0]
		}
		return nil
	}
	for i := range d.ops {
		if d.ops[i].name == name {
			return &d.ops[i]
		}
	}
	return nil
}

func (c *Cache) decide(query string) *decision {
	d := &decision{}
	// The same token limit as the GraphQL handler: beyond it gqlgen refuses.
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, c.tokens)
	if err != nil {
		return d
	}
	var b bytes.Buffer
	formatter.NewFormatter(&b).FormatQueryDocument(doc)
	d.doc = sha256.Sum256(b.Bytes())
	for _, op := range doc.Operations {
		d.ops = append(d.ops, opDecision{name: op.Name, public: c.policy.Public(doc, op), windowed: c.policy.Windowed(doc, op)})
	}
	return d
}

// params are gqlgen's own, decoded the way its transports do
// (encoding/json with UseNumber), so the key describes exactly what runs.
type params = graphql.RawParams

func jsonDecode(r io.Reader, v any) error {
	d := json.NewDecoder(r)
	d.UseNumber()
	return d.Decode(v)
}

// maxKeyedBody bounds the POST bodies worth keying: public catalogue
// queries are a few hundred bytes, and decoding a large body here would double what a
// hostile one costs (gqlgen decodes it again).
const maxKeyedBody = 16 << 10

// decode reads the GraphQL parameters of a GET or a JSON POST, leaving the
// body readable for the handler behind.
func (c *Cache) decode(r *http.Request) (*params, bool) {
	p := &params{}
	switch r.Method {
	case http.MethodGet:
		if r.Header.Get("Upgrade") != "" {
			return nil, false
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, false
		}
		p.Query, p.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" && jsonDecode(strings.NewReader(v), &p.Variables) != nil {
			return nil, false
		}
		if v := q.Get("extensions"); v != "" && jsonDecode(strings.NewReader(v), &p.Extensions) != nil {
			return nil, false
		}
		return p, true
	case http.MethodPost:
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" || r.Body == nil {
			return nil, false
		}
		// Only as much as a keyed body may hold is read here: a larger one
		// goes on unread, and is buffered once, by gqlgen, not twice.
		limit := min(c.maxBody, maxKeyedBody)
		body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		rest := r.Body
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), rest), rest}
		if err != nil || int64(len(body)) > limit {
			return nil, false
		}
		if jsonDecode(bytes.NewReader(body), p) != nil {
			return nil, false
		}
		return p, true
	}
	return nil, false
}

// docID is the hex sha256 of the document text, which is also the APQ hash.
// Requests gqlgen would refuse over their APQ extension are not keyed.
func docID(p *params) (string, bool) {
	pq := p.Extensions["persistedQuery"]
	if pq == nil {
		if p.Query == "" {
			return "", false
		}
		return persisted.Hash(p.Query), true
	}
	m, ok := pq.(map[string]any)
	if !ok {
		return "", false
	}
	if v, _ := m["version"].(json.Number); v.String() != "1" {
		return "", false
	}
	h, _ := m["sha256Hash"].(string)
	if h == "" || (p.Query != "" && persisted.Hash(p.Query) != h) {
		return "", false
	}
	return h, true
}

// responseType is the content type gqlgen's transports negotiate from
// Accept (graph.NewHandler sets no default), part of the key since it
// changes the answer's headers.
func responseType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return "application/json"
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", "application/json":
			return "application/json"
		case "application/graphql-response+json":
			return mt
		}
	}
	return "application/graphql-response+json"
}

func (c *Cache) key(d *decision, p *params, version, ctype string) ([32]byte, bool) {
	h := sha256.New()
	field := func(b []byte) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	field(d.doc[:])
	field([]byte(p.OperationName))
	// encoding/json sorts map keys at every level: one text per value.
	if len(p.Variables) > 0 {
		v, err := json.Marshal(p.Variables)
		if err != nil {
			return [32]byte{}, false
		}
		field(v)
	} else {
		field(nil)
	}
	field([]byte(version))
	field([]byte(ctype))
	var k [32]byte
	h.Sum(k[:0])
	return k, true
}

func etag(k [32]byte) string { return `"` + base64.RawURLEncoding.EncodeToString(k[:18]) + `"` }

func matches(ifNoneMatch, tag string) bool {
	for t := range strings.SplitSeq(ifNoneMatch, ",") {
		// If-None-Match compares weakly: W/ does not matter.
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == tag {
			return true
		}
	}
	return false
}

// liveGeneration is the current generation of the shared live values.
func (c *Cache) liveGeneration() uint64 {
	if c.liveGen == nil {
		return 0
	}
	return c.liveGen()
}

// Wrap puts the cache in front of the /graphql handler. It sits outside
// authentication and the per-request loaders so a hit costs none of them;
// requests with credentials never reach the cache, so it needs no caller.
func (c *Cache) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Everything is private unless proven public below.
		w.Header().Set("Cache-Control", privateNoStore)
		k, ok := c.lookupKey(r)
		if !ok {
			c.bypasses.Add(1)
			c.observe("bypass")
			next.ServeHTTP(w, r)
			return
		}
		get := r.Method == http.MethodGet
		public := get && !k.windowed // windowed bytes change under one key: no ETag
		tag := etag(k.key)
		if public {
			if inm := r.Header.Get("If-None-Match"); inm != "" && matches(inm, tag) {
				// The tag names (operation, variables, snapshot version) and
				// is only ever sent with a successful answer, which the same
				// key always reproduces: no lookup needed.
				c.notModified.Add(1)
				c.observe("hit")
				c.publicHeaders(w.Header(), tag)
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		if c.store != nil {
			if e, ok := c.store.get(k.key); ok && (e.expires.IsZero() || time.Now().Before(e.expires) && e.generation == c.liveGeneration()) {
				c.hits.Add(1)
				c.observe("hit")
				h := w.Header()
				h.Set("Content-Type", e.contentType)
				h.Set("Content-Length", strconv.Itoa(len(e.body)))
				if public {
					c.publicHeaders(h, tag)
				}
				w.WriteHeader(http.StatusOK)
				w.Write(e.body)
				return
			}
		}
		c.misses.Add(1)
		c.observe("miss")
		ran := false // only the caller whose function runs executes; the others wait
		execute := func() (any, error) {
			ran = true
			cw := &capture{header: http.Header{}, status: http.StatusOK}
			cw.body.Grow(int(k.doc.size.Load()) + 512)
			run := r
			var win *livewindow.Window
			gen := c.liveGeneration() // read before: a drop during the run makes the answer stale
			if k.windowed {
				var ctx context.Context
				ctx, win = livewindow.Open(r.Context())
				run = r.WithContext(ctx)
			}
			next.ServeHTTP(cw, run)
			k.doc.size.Store(int64(cw.body.Len()))
			// The body is never written again: the entry shares it.
			res := &executed{status: cw.status, header: cw.header, body: cw.body.Bytes()}
			res.good = cw.status == http.StatusOK && noErrors(res.body) && c.src.Version() == k.version
			var expires time.Time
			if win != nil {
				// Reusable until the oldest shared value it used expires.
				until, ok := win.End()
				res.good = res.good && ok && time.Now().Before(until)
				expires = until
			}
			if res.good && c.store != nil {
				if c.store.add(&entry{key: k.key, version: k.version, body: res.body, contentType: cw.header.Get("Content-Type"), expires: expires, generation: gen}) {
					c.stored.Add(1)
				}
			}
			return res, nil
		}
		v, _, _ := c.flight.Do(string(k.key[:]), execute)
		res := v.(*executed)
		if !ran {
			c.shared.Add(1)
			if !res.good { // the one that ran failed (its client left, say): run our own
				v, _ = execute()
				res = v.(*executed)
			}
		}
		h := w.Header()
		for name, vals := range res.header {
			if name != "Cache-Control" {
				h[name] = append([]string(nil), vals...)
			}
		}
		if res.good && public {
			c.publicHeaders(h, tag)
		}
		h.Set("Content-Length", strconv.Itoa(len(res.body)))
		w.WriteHeader(res.status)
		w.Write(res.body)
	})
}

// executed is one run of the wrapped handler, shared by concurrent misses.
type executed struct {
	status int
	header http.Header
	body   []byte
	good   bool
}

type requestKey struct {
	key      [32]byte
	version  string
	doc      *decision
	windowed bool // kept until its live window closes; never public
}

// lookupKey decides whether r may be answered from the cache and keys it.
func (c *Cache) lookupKey(r *http.Request) (requestKey, bool) {
	// No cross-user risk at all: whatever carries a session or a key runs.
	if len(r.Header.Values("X-Session-Token")) > 0 || len(r.Header.Values("Authorization")) > 0 {
		return requestKey{}, false
	}
	// A client asking for an event stream (GraphQL over SSE) must get
	// one, never a stored JSON answer.
	if strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		return requestKey{}, false
	}
	p, ok := c.decode(r)
	if !ok {
		return requestKey{}, false
	}
	id, ok := docID(p)
	if !ok {
		return requestKey{}, false
	}
	ctx := context.Background()
	d, known := c.decisions.Get(ctx, id)
	if !known {
		if p.Query == "" {
			// A bare APQ hash we never saw: gqlgen answers (or asks for the
			// query); its answer teaches us nothing without the text.
			return requestKey{}, false
		}
		d = c.decide(p.Query)
		c.decisions.Add(ctx, id, d)
	}
	windowed := d.windowed(p.OperationName)
	if !d.public(p.OperationName) && !windowed {
		return requestKey{}, false
	}
	version := c.src.Version()
	if version == "" {
		return requestKey{}, false
	}
	if c.store != nil {
		c.store.useVersion(version)
	}
	k, ok := c.key(d, p, version, responseType(r))
	return requestKey{key: k, version: version, doc: d, windowed: windowed}, ok
}

func (c *Cache) observe(outcome string) {
	if c.observer != nil {
		c.observer.Cache(outcome)
	}
}

func (c *Cache) publicHeaders(h http.Header, tag string) {
	h.Set("Cache-Control", c.public)
	h.Set("ETag", tag)
	// Add, not Set: CORS has already put Origin there.
	h.Add("Vary", varyPublic)
}

// noErrors reports a GraphQL response without a top-level "errors" entry
// (partial answers are never stored).
func noErrors(body []byte) bool {
	// gqlgen marshals graphql.Response with errors first: an answer that
	// starts with a non-null data member and nowhere names errors has none
	// (a scan, not a parse, of a 92 KB listing). Other shapes are parsed.
	if rest, ok := bytes.CutPrefix(body, []byte(`{"data":`)); ok && len(rest) > 0 && !bytes.HasPrefix(rest, []byte("null")) &&
		!bytes.Contains(rest, []byte(`"errors"`)) {
		return true
	}
	var top struct {
		Errors json.RawMessage `json:"errors"`
		Data   json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &top) != nil {
		return false
	}
	e := bytes.TrimSpace(top.Errors)
	d := bytes.TrimSpace(top.Data)
	return (len(e) == 0 || bytes.Equal(e, []byte("null"))) && len(d) > 0 && !bytes.Equal(d, []byte("null"))
}

// capture buffers the handler's answer so it can be inspected, stored and
// given its caching headers before anything is sent.
type capture struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(status int) {
	if !c.wrote {
		c.status, c.wrote = status, true
	}
}

func (c *capture) Write(b []byte) (int, error) {
	c.wrote = true
	return c.body.Write(b)
}
