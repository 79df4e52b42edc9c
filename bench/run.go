package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/guichet/guichet/bench/load"
	"github.com/guichet/guichet/bench/scenarios"
	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/sandbox"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/sandbox/fault"
	"github.com/guichet/guichet/sandbox/fixture"
)

const apiKey = "bench-back-office-key-0123456789"

// The GraphQL operations of the scenarios (shared with the in-process
// benchmarks and golden answers of the root package).
const (
	qListing    = scenarios.Listing
	qShow       = scenarios.Show
	qMe         = scenarios.Me
	qPaidBy     = scenarios.PaidBy
	qSubscriber = scenarios.Subscriber
)

// target is one server's way of answering one scenario.
type target struct {
	server  string // guichet, guichet (GET), guichet (no cache), direct, mesh, static
	srv     *server
	build   func(i int) (*http.Request, error)
	check   load.Check
	hint    float64 // a rate to start the search from
	missing string  // why this alternative cannot serve the scenario
}

type scenario struct {
	ID      int
	Name    string
	Bound   time.Duration // p99 bound of a sustainable step
	Ref     float64       // common rate of the latency comparison
	targets []*target
}

// Step is one load step of one series.
type Step struct {
	load.Result
	Pass          bool           `json:"pass"`
	CPUSeconds    float64        `json:"cpu_s"`
	CPUPerReqMs   float64        `json:"cpu_ms_per_request"`
	UpstreamCalls map[string]int `json:"upstream_calls"`
	CallsPerReq   float64        `json:"upstream_calls_per_request"`
}

// Series is one server on one scenario.
type Series struct {
	Scenario    int            `json:"scenario"`
	Server      string         `json:"server"`
	Unavailable string         `json:"unavailable,omitempty"`
	OneRequest  map[string]int `json:"upstream_calls_one_request,omitempty"`
	Steps       []Step         `json:"steps,omitempty"`
	MaxRate     float64        `json:"max_sustainable_rate"`
	AtMax       *Step          `json:"at_max,omitempty"`
	AtRef       *Step          `json:"at_reference_rate,omitempty"`
	PeakRSS     int64          `json:"peak_rss_bytes"`
	Bytes       int            `json:"response_bytes"`
}

type env struct {
	o        options
	bil      *bilsandbox.Server
	abo      *abosandbox.Server
	guichet  *server
	resp     *server // a second Guichet with the response cache off
	tmp      string
	listing  []byte
	short    []byte // the listing's first page of shortShows shows
	token    string
	showIDs  []string
	bilURL   string
	aboURL   string
	servers  []*server
	meshNote string
}

// openEnv makes a scratch directory and starts the sandboxes; close stops
// every server started since and removes the directory.
func openEnv(o options, prefix string) (e *env, close func(), err error) {
	tmp, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, nil, err
	}
	e = &env{o: o, tmp: tmp}
	close = func() {
		for _, s := range e.servers {
			s.stop()
		}
		os.RemoveAll(tmp)
	}
	if err := e.startSandboxes(); err != nil {
		close()
		return nil, nil, err
	}
	return e, close, nil
}

func run(ctx context.Context, o options) error {
	t0 := time.Now()
	e, close, err := openEnv(o, "guichet-bench-")
	if err != nil {
		return err
	}
	defer close()
	if err := e.startServers(ctx); err != nil {
		return err
	}
	logf("servers up in %s", time.Since(t0).Round(time.Second))
	scenarios, err := e.scenarios()
	if err != nil {
		return err
	}
	var all []Series
	for _, sc := range scenarios {
		if len(o.only) > 0 && !o.only[sc.ID] {
			continue
		}
		for _, t := range sc.targets {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s := e.measure(ctx, sc, t)
			all = append(all, s)
			if s.Unavailable != "" {
				logf("scenario %d %-18s unavailable: %s", sc.ID, t.server, s.Unavailable)
				continue
			}
			if s.AtMax != nil {
				logf("scenario %d %-18s max %6.0f req/s  p99 %7.1f ms  calls/req %.2f", sc.ID, t.server, s.MaxRate, s.AtMax.P99, s.AtMax.CallsPerReq)
			} else {
				logf("scenario %d %-18s no sustainable step (first: %v)", sc.ID, t.server, firstErr(s))
			}
		}
	}
	rep := e.report(scenarios, all, time.Since(t0))
	rep.Notes = readNotes()
	return rep.write(o.out)
}

func firstErr(s Series) string {
	for _, st := range s.Steps {
		if st.FirstError != "" {
			return st.FirstError
		}
	}
	if len(s.Steps) > 0 {
		return fmt.Sprintf("p99 %.1f ms at %.0f req/s", s.Steps[0].P99, s.Steps[0].Rate)
	}
	return "no step"
}

func (e *env) startSandboxes() error {
	e.bil = bilsandbox.New(bilsandbox.DefaultConfig())
	e.abo = abosandbox.New(abosandbox.DefaultConfig())
	e.bil.Faults().Set("*", fault.Rule{Latency: e.o.ticketingLatency})
	e.abo.Faults().Set("*", fault.Rule{Latency: e.o.abowebLatency})
	rb, err := sandbox.Serve("127.0.0.1:0", e.bil)
	if err != nil {
		return err
	}
	ra, err := sandbox.Serve("127.0.0.1:0", e.abo)
	if err != nil {
		return err
	}
	e.bilURL, e.aboURL = rb.URL+"/", ra.URL+"/aboweb/ClientService"
	// The show page is measured on shows still on sale: ws_det_spectacle
	// lists future performances only.
	bc := bilsandbox.DefaultConfig()
	for _, id := range e.bil.ShowIDs() {
		form := url.Values{"x_rsi_ws_login": {bc.Login}, "x_rsi_ws_mdp": {bc.Password}, "x_rsi_client": {bc.Client}, "id_spectacle": {id}}
		req := httptest.NewRequest(http.MethodPost, "/ws_det_spectacle", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		e.bil.ServeHTTP(rec, req)
		if fl, err := billetterie.Collect(rec.Body); err == nil && len(fl.Spectacles) == 1 && len(fl.Spectacles[0].Representations) > 0 {
			e.showIDs = append(e.showIDs, id)
		}
		if len(e.showIDs) == 20 {
			break
		}
	}
	if len(e.showIDs) == 0 {
		return fmt.Errorf("no show on sale in the ticketing sandbox")
	}
	return nil
}

// backendEnv is what every server process needs to reach the sandboxes.
func (e *env) backendEnv() []string {
	bc, ac := bilsandbox.DefaultConfig(), abosandbox.DefaultConfig()
	return []string{"BILLETTERIE_URL=" + e.bilURL, "BILLETTERIE_LOGIN=" + bc.Login, "BILLETTERIE_PASSWORD=" + bc.Password,
		"BILLETTERIE_CLIENT=" + bc.Client, "BILLETTERIE_API_URL=" + e.bilURL, "BILLETTERIE_API_LOGIN=" + bc.APILogin,
		"BILLETTERIE_API_KEY=" + bc.APIKey, "BILLETTERIE_PWD_KEY=" + bc.PwdKey,
		"ABOWEB_URL=" + e.aboURL, "ABOWEB_USERNAME=" + ac.Username, "ABOWEB_PASSWORD=" + ac.Password}
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run from inside the guichet module")
	}
	return filepath.Dir(mod), nil
}

func (e *env) startGuichet(bin, name string, extra ...string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(e.tmp, "data-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin)
	cmd.Env = append(append(os.Environ(), e.backendEnv()...), "GUICHET_ADDR="+addr, "GUICHET_DATA_DIR="+dir,
		"GUICHET_API_KEYS="+apiKey, "GUICHET_RATE_LIMITS=false",
		// The alternatives have no cap on calls in flight: lift Guichet's
		// (32 by default, a protection of the back office) above what the
		// ladder reaches, so upstream latency is equal for all.
		"GUICHET_UPSTREAM_CONCURRENCY=256", "GUICHET_SYNC_INTERVAL=1h", "GUICHET_LOG_LEVEL=warn",
		"GUICHET_PLAYGROUND=false")
	cmd.Env = append(append(cmd.Env, extra...), e.o.guichetEnv...)
	s, err := start(name, cmd, "http://"+addr, "/readyz", 60*time.Second)
	if err == nil {
		e.servers = append(e.servers, s)
	}
	return s, err
}

func (e *env) startChild(mode string, extra ...string) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-serve", mode)
	cmd.Env = append(append(os.Environ(), e.backendEnv()...), "BENCH_ADDR="+addr)
	cmd.Env = append(cmd.Env, extra...)
	s, err := start(mode, cmd, "http://"+addr, "/ready*", 20*time.Second)
	if err == nil {
		e.servers = append(e.servers, s)
	}
	return s, err
}

func (e *env) startServers(ctx context.Context) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	bin := filepath.Join(e.tmp, "guichet")
	logf("building Guichet (go build -o %s .)", bin)
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	if e.guichet, err = e.startGuichet(bin, "guichet"); err != nil {
		return err
	}
	if e.resp, err = e.startGuichet(bin, "guichet-nocache", "GUICHET_RESPONSE_CACHE_BYTES=0"); err != nil {
		return err
	}
	// The ceiling serves the very bytes of Guichet's listing answer.
	req, _ := gqlRequest(e.guichet.url, qListing, map[string]any{"first": 20}, nil)
	body, status, err := fetch(req)
	if err != nil || status != 200 || bytes.Contains(body, []byte(`"errors"`)) {
		return fmt.Errorf("listing through Guichet: status %d, %v: %s", status, err, tail(string(body), 500))
	}
	e.listing = body
	file := filepath.Join(e.tmp, "listing.json")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		return err
	}
	// A short page of the same listing (about 10 KB): the per-request
	// overhead of a cached answer weighs most on small answers.
	req, _ = gqlRequest(e.guichet.url, qListing, map[string]any{"first": shortShows}, nil)
	if body, status, err = fetch(req); err != nil || status != 200 || bytes.Contains(body, []byte(`"errors"`)) {
		return fmt.Errorf("short listing through Guichet: status %d, %v: %s", status, err, tail(string(body), 500))
	}
	e.short = body
	shortFile := filepath.Join(e.tmp, "listing-short.json")
	if err := os.WriteFile(shortFile, body, 0o600); err != nil {
		return err
	}
	if _, err := e.startChild("static", "BENCH_STATIC_FILE="+file, "BENCH_STATIC_SHORT_FILE="+shortFile); err != nil {
		return err
	}
	if _, err := e.startChild("direct"); err != nil {
		return err
	}
	// One visitor session for the account page, opened through Guichet's
	// login mutation; the same ticketing token serves the direct site.
	req, _ = gqlRequest(e.guichet.url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token loggedIn } }`,
		map[string]any{"e": fixture.DemoEmail, "p": fixture.DemoPassword}, nil)
	body, _, err = fetch(req)
	var login struct {
		Data struct{ Login struct{ Token string } }
	}
	if err != nil || json.Unmarshal(body, &login) != nil || login.Data.Login.Token == "" {
		return fmt.Errorf("login: %v: %s", err, tail(string(body), 300))
	}
	e.token = login.Data.Login.Token
	if e.o.mesh {
		if s, note := e.startMesh(root); s != nil {
			e.servers = append(e.servers, s)
		} else {
			e.meshNote = note
			logf("GraphQL Mesh not measured: %s", note)
		}
	}
	return nil
}

func (e *env) byName(name string) *server {
	for _, s := range e.servers {
		if s.name == name {
			return s
		}
	}
	return nil
}

func gqlRequest(base, query string, vars map[string]any, header map[string]string) (*http.Request, error) {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req, nil
}

func gqlGET(base, query string, vars map[string]any) (*http.Request, error) {
	v, _ := json.Marshal(vars)
	q := url.Values{"query": {query}, "variables": {string(v)}}
	return http.NewRequest(http.MethodGet, base+"/graphql?"+q.Encode(), nil)
}

func fetch(req *http.Request) ([]byte, int, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.StatusCode, err
}

// okGraphQL accepts a 200 without errors, of the given size when size > 0.
func okGraphQL(size int) load.Check {
	return func(status int, body []byte) error {
		if status != 200 {
			return fmt.Errorf("HTTP %d: %s", status, tail(string(body), 200))
		}
		if bytes.Contains(body, []byte(`"errors"`)) {
			return fmt.Errorf("GraphQL errors: %s", tail(string(body), 300))
		}
		if size > 0 && len(body) != size {
			return fmt.Errorf("%d bytes, want %d", len(body), size)
		}
		return nil
	}
}

func okHTTP(status int, body []byte) error {
	if status != 200 {
		return fmt.Errorf("HTTP %d: %s", status, tail(string(body), 200))
	}
	return nil
}

func get(base, path string, header map[string]string) func(int) (*http.Request, error) {
	return func(int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		return req, err
	}
}

func (e *env) scenarios() ([]scenario, error) {
	g, nc, direct, static := e.guichet.url, e.resp.url, e.byName("direct").url, e.byName("static").url
	mesh := e.byName("mesh")
	listVars := map[string]any{"first": 20}
	shortVars := map[string]any{"first": shortShows}
	session := map[string]string{"X-Session-Token": e.token}
	backOffice := map[string]string{"Authorization": "Bearer " + apiKey}
	shows := e.showIDs[:min(20, len(e.showIDs))]
	code := func(i int) int { return abosandbox.SeedCode(i % fixture.Subscribers) }
	n := len(e.listing)
	noMesh := func(why string) *target { return &target{server: "mesh", missing: why} }
	meshTarget := func(hint float64, build func(base string) func(int) (*http.Request, error)) *target {
		if mesh == nil {
			return noMesh(cmp.Or(e.meshNote, "not measured (-mesh=false)"))
		}
		return &target{server: "mesh", srv: mesh, build: build(mesh.url), check: okGraphQL(0), hint: hint}
	}
	// The account page checks that every service answered with data.
	meshAccount := func(t *target) *target {
		if t.srv != nil {
			t.check = okMeshAccount
		}
		return t
	}
	t := e.o.ticketingLatency
	return []scenario{
		{ID: 1, Name: "Season listing (20 shows, performances, venues, prices)", Ref: e.o.refRate, Bound: t + 100*time.Millisecond, targets: []*target{
			{server: "guichet", srv: e.guichet, hint: 800, check: okGraphQL(n),
				build: func(int) (*http.Request, error) { return gqlRequest(g, qListing, listVars, nil) }},
			{server: "guichet (GET)", srv: e.guichet, hint: 1600, check: okGraphQL(n),
				build: func(int) (*http.Request, error) { return gqlGET(g, qListing, listVars) }},
			// A variable the operation ignores makes every request distinct, so
			// the executor runs for each one instead of answering concurrent
			// identical requests once (the cache's singleflight stays on at
			// size 0); the parsed-query cache still hits, as for a real site.
			{server: "guichet (no cache)", srv: e.resp, hint: 50, check: okGraphQL(n),
				build: func(i int) (*http.Request, error) {
					return gqlRequest(nc, qListing, map[string]any{"first": 20, "nonce": i}, nil)
				}},
			{server: "direct", srv: e.byName("direct"), hint: 100, check: okHTTP, build: get(direct, "/listing", nil)},
			noMesh("the listing comes from ws_programmation, an ISO-8859-1 XML flux; Mesh's JSON-schema handler reads JSON only and its SOAP handler needs a WSDL, so Mesh has no source for it without custom resolver code"),
		}},
		{ID: 2, Name: "Show page with live availability", Ref: e.o.refRate, Bound: t + 100*time.Millisecond, targets: []*target{
			{server: "guichet", srv: e.guichet, hint: 800, check: okGraphQL(0),
				build: func(i int) (*http.Request, error) {
					return gqlRequest(g, qShow, map[string]any{"id": shows[i%len(shows)]}, nil)
				}},
			// Uncached: the executor runs for every request (the seat counts
			// still come from the process-wide availability cache).
			{server: "guichet (no cache)", srv: e.resp, hint: 400, check: okGraphQL(0),
				build: func(i int) (*http.Request, error) {
					return gqlRequest(nc, qShow, map[string]any{"id": shows[i%len(shows)], "nonce": i}, nil)
				}},
			{server: "direct", srv: e.byName("direct"), hint: 800, check: okHTTP,
				build: func(i int) (*http.Request, error) { return get(direct, "/show/"+shows[i%len(shows)], nil)(i) }},
			noMesh("ws_det_spectacle answers an XML flux (same reason as scenario 1)"),
		}},
		{ID: 3, Name: "Visitor account page (me: tickets, cards, order lines)", Ref: e.o.refRate, Bound: 2*t + 100*time.Millisecond, targets: []*target{
			{server: "guichet", srv: e.guichet, hint: 200, check: okGraphQL(0),
				build: func(int) (*http.Request, error) { return gqlRequest(g, qMe, nil, session) }},
			{server: "direct", srv: e.byName("direct"), hint: 400, check: okHTTP, build: get(direct, "/account", session)},
			meshAccount(meshTarget(200, func(base string) func(int) (*http.Request, error) {
				return func(int) (*http.Request, error) {
					return gqlRequest(base, meshMe, map[string]any{"token": e.token}, nil)
				}
			})),
		}},
		{ID: 4, Name: "Back-office fan-out: 50 PAID_BY subscribers with their payer", Ref: e.o.refRate / 5, Bound: 2*e.o.abowebLatency + 100*time.Millisecond, targets: []*target{
			{server: "guichet", srv: e.guichet, hint: 100, check: okGraphQL(0),
				build: func(int) (*http.Request, error) { return gqlRequest(g, qPaidBy, nil, backOffice) }},
			{server: "direct", srv: e.byName("direct"), hint: 50, check: okHTTP, build: get(direct, "/paid-by", nil)},
			meshTarget(3, func(base string) func(int) (*http.Request, error) {
				return func(int) (*http.Request, error) { return gqlRequest(base, meshPaidBy, nil, nil) }
			}),
		}},
		{ID: 5, Name: "Single subscriber(code:) lookup", Ref: e.o.refRate, Bound: e.o.abowebLatency + 100*time.Millisecond, targets: []*target{
			{server: "guichet", srv: e.guichet, hint: 400, check: okGraphQL(0),
				build: func(i int) (*http.Request, error) {
					return gqlRequest(g, qSubscriber, map[string]any{"code": code(i)}, backOffice)
				}},
			{server: "direct", srv: e.byName("direct"), hint: 1600, check: okHTTP,
				build: func(i int) (*http.Request, error) { return get(direct, "/subscriber/"+strconv.Itoa(code(i)), nil)(i) }},
			meshTarget(200, func(base string) func(int) (*http.Request, error) {
				return func(i int) (*http.Request, error) {
					return gqlRequest(base, meshSubscriber, map[string]any{"code": code(i)}, nil)
				}
			}),
		}},
		{ID: 6, Name: "Ceiling: scenario 1's bytes from a static Go handler", Ref: e.o.refRate, Bound: 100 * time.Millisecond, targets: []*target{
			{server: "static", srv: e.byName("static"), hint: 1600, check: okGraphQL(n),
				build: func(int) (*http.Request, error) { return gqlRequest(static, qListing, listVars, nil) }},
		}},
		{ID: 7, Name: fmt.Sprintf("Short season listing (first %d shows, %.0f KB), cached, against the static handler writing the same bytes", shortShows, float64(len(e.short))/1024), Ref: e.o.refRate, Bound: t + 100*time.Millisecond, targets: []*target{
			{server: "guichet", srv: e.guichet, hint: 1600, check: okGraphQL(len(e.short)),
				build: func(int) (*http.Request, error) { return gqlRequest(g, qListing, shortVars, nil) }},
			{server: "static", srv: e.byName("static"), hint: 1600, check: okGraphQL(len(e.short)),
				build: func(int) (*http.Request, error) { return gqlRequest(static+shortPath, qListing, shortVars, nil) }},
		}},
	}, nil
}

// shortShows is the page size of scenario 7's short listing.
const shortShows = 2

// minK is the lowest step of the ladder: 25/8 ≈ 3 requests per second.
const minK = -3

// grid is the ladder of rates: 25 × 2^k requests per second.
func grid(k int) float64 { return 25 * math.Pow(2, float64(k)) }

func gridIndex(rate float64) int {
	return max(minK, int(math.Floor(math.Log2(rate/25)+1e-9)))
}

// measure finds the highest rate of the ladder a server sustains: zero
// errors and p99 under the scenario's bound. It starts from the target's
// hint, climbs while steps pass and goes down when the first one fails.
func (e *env) measure(ctx context.Context, sc scenario, t *target) Series {
	s := Series{Scenario: sc.ID, Server: t.server, Unavailable: t.missing}
	if t.missing != "" {
		return s
	}
	// Upstream calls of one request, alone, after a warm-up one.
	if req, err := t.build(0); err == nil {
		if b, _, err := fetch(req); err == nil {
			s.Bytes = len(b)
		}
	}
	e.quiesce()
	if req, err := t.build(1); err == nil {
		fetch(req)
	}
	s.OneRequest = e.calls()
	client := load.NewClient(512)
	stepFor := func(rate float64, d time.Duration) Step {
		e.quiesce()
		before := t.srv.usage()
		r := load.Run(ctx, load.Target{Build: t.build, Check: t.check},
			load.Options{Rate: rate, Duration: d, Warmup: e.o.warmup, MaxInFlight: 512, Client: client, Timeout: 3 * time.Second})
		after := t.srv.usage()
		st := Step{Result: r, UpstreamCalls: e.calls()}
		st.Pass = r.Errors == 0 && r.OK > 0 && r.P99 <= float64(sc.Bound)/float64(time.Millisecond)
		st.CPUSeconds = round3((after.CPU - before.CPU).Seconds())
		if r.Started > 0 {
			total := 0
			for _, v := range st.UpstreamCalls {
				total += v
			}
			st.CallsPerReq = round3(float64(total) / float64(r.Started))
			// CPU over the whole step (warm-up included) per request started.
			st.CPUPerReqMs = round3(st.CPUSeconds * 1000 / float64(r.Started))
		}
		s.Steps = append(s.Steps, st)
		return st
	}
	step := func(rate float64) Step { return stepFor(rate, e.o.duration) }
	best := -1
	keep := func(st Step) {
		if st.Pass && st.Rate > s.MaxRate {
			s.MaxRate = st.Rate
			cp := st
			s.AtMax = &cp
			best = len(s.Steps) - 1
		}
	}
	if fixed := splitRates(e.o.rates); len(fixed) > 0 {
		for _, r := range fixed {
			keep(step(r))
		}
	} else {
		k := gridIndex(t.hint)
		first := step(grid(k))
		keep(first)
		for n := 1; n < e.o.maxSteps && ctx.Err() == nil; n++ {
			if first.Pass {
				k++
			} else {
				if k <= minK || best >= 0 {
					break
				}
				k--
			}
			st := step(grid(k))
			keep(st)
			if first.Pass && !st.Pass {
				break
			}
			if !first.Pass && st.Pass {
				break
			}
		}
	}
	// Full mode halves the ladder's uncertainty: one step between the last
	// passing rate and the failing one above it.
	if !e.o.short && len(splitRates(e.o.rates)) == 0 && s.MaxRate > 0 && ctx.Err() == nil {
		for _, st := range s.Steps {
			if st.Rate == 2*s.MaxRate && !st.Pass {
				keep(step(1.5 * s.MaxRate))
				break
			}
		}
	}
	// Latency at the common reference rate, for comparisons at equal load:
	// a step of its own, long enough for about 1,000 samples (30 s at most)
	// in full mode, so the p99 is not the third-worst request of 250.
	if ctx.Err() == nil {
		d := e.o.duration
		if !e.o.short {
			d = max(d, min(30*time.Second, time.Duration(1000/sc.Ref*float64(time.Second))))
		}
		st := stepFor(sc.Ref, d)
		s.AtRef = &st
		keep(st)
	}
	s.PeakRSS = t.srv.usage().PeakRSS
	_ = best
	return s
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// quiesce waits until no server burns CPU and no upstream call is made
// (answers to requests a previous step gave up on, Mesh workers starting),
// then zeroes the counters, so each step is measured alone.
func (e *env) quiesce() {
	cpu := func() time.Duration {
		var d time.Duration
		for _, s := range e.servers {
			d += s.usage().CPU
		}
		return d
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		e.resetCalls()
		c0 := cpu()
		time.Sleep(200 * time.Millisecond)
		if totalCalls(e.calls()) == 0 && cpu()-c0 < 20*time.Millisecond {
			break
		}
	}
	e.resetCalls()
}

func (e *env) resetCalls() { e.bil.Calls().Reset(); e.abo.Calls().Reset() }

// calls merges both sandboxes' counters ("billetterie:ws_x", "aboweb:getClient").
func (e *env) calls() map[string]int {
	out := map[string]int{}
	for k, v := range e.bil.Calls().Snapshot() {
		out["billetterie:"+k] = v
	}
	for k, v := range e.abo.Calls().Snapshot() {
		out["aboweb:"+k] = v
	}
	return maps.Clone(out)
}
