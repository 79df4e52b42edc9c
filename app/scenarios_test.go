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
	"net/url"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/guichet/guichet/bench/scenarios"
	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/internal/gctarget"
	"github.com/guichet/guichet/obs"
	"github.com/guichet/guichet/sandbox"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/sandbox/fixture"
)

// The benchmark's scenarios (bench/scenarios) run in this process: Guichet's
// /graphql handler called directly, both back offices as sandboxes on
// loopback with no added latency and a fixed clock, so that the answers are
// the same on every run (golden files) and the benchmarks measure the
// server's own work plus the sandboxes' (they share the process).

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/scenarios/*.json from the current answers")

// scenarioClock is the sandboxes' "now": the seeded season is laid out
// around it, so a fixed instant makes every answer reproducible.
var scenarioClock = time.Date(2026, 11, 16, 10, 0, 0, 0, paris)

type scenarioEnv struct {
	e       *e2e
	h       http.Handler
	token   string   // a logged-in visitor (the demo account)
	showIDs []string // shows with performances on sale, as bench picks them
	bil     *bilsandbox.Server
	abo     *abosandbox.Server
	bilURL  string // the ticketing sandbox's base, on a random port
}

// newScenarioEnv boots Guichet as bench does (GUICHET_RESPONSE_CACHE_BYTES
// from cacheBytes) over fresh sandboxes.
func newScenarioEnv(tb testing.TB, cacheBytes string) *scenarioEnv {
	tb.Helper()
	now := func() time.Time { return scenarioClock }
	bc, ac := bilsandbox.DefaultConfig(), abosandbox.DefaultConfig()
	bc.Now, ac.Now = now, now
	s := &scenarioEnv{bil: bilsandbox.New(bc), abo: abosandbox.New(ac)}
	rb, err := sandbox.Serve("127.0.0.1:0", s.bil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(rb.Close)
	s.bilURL = rb.URL
	ra, err := sandbox.Serve("127.0.0.1:0", s.abo)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(ra.Close)
	env := map[string]string{
		"BILLETTERIE_URL": rb.URL + "/", "BILLETTERIE_LOGIN": bc.Login, "BILLETTERIE_PASSWORD": bc.Password,
		"BILLETTERIE_CLIENT": bc.Client, "BILLETTERIE_API_URL": rb.URL + "/", "BILLETTERIE_API_LOGIN": bc.APILogin,
		"BILLETTERIE_API_KEY": bc.APIKey, "BILLETTERIE_PWD_KEY": bc.PwdKey,
		"ABOWEB_URL": ra.URL + "/aboweb/ClientService", "ABOWEB_USERNAME": ac.Username, "ABOWEB_PASSWORD": ac.Password,
		"GUICHET_API_KEYS": backOfficeBenchKey, "GUICHET_RATE_LIMITS": "false", "GUICHET_UPSTREAM_CONCURRENCY": "256",
		"GUICHET_SYNC_INTERVAL": "1h", "GUICHET_RESPONSE_CACHE_BYTES": cacheBytes,
	}
	cfg, err := config.Load(testEnv(tb, env))
	if err != nil {
		tb.Fatal(err)
	}
	// The production logger at bench's level (warn), writing nowhere.
	s.e = bootApp(tb, cfg, nil, obs.NewLogger(io.Discard, slog.LevelWarn, obs.NewSecrets(cfg.Secrets()...)))
	s.h = s.e.app.Handler()

	// The show page is asked for shows still on sale, as bench does.
	for _, id := range s.bil.ShowIDs() {
		form := url.Values{"x_rsi_ws_login": {bc.Login}, "x_rsi_ws_mdp": {bc.Password}, "x_rsi_client": {bc.Client}, "id_spectacle": {id}}
		req := httptest.NewRequest(http.MethodPost, "/ws_det_spectacle", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.bil.ServeHTTP(rec, req)
		if fl, err := billetterie.Collect(rec.Body); err == nil && len(fl.Spectacles) == 1 && len(fl.Spectacles[0].Representations) > 0 {
			s.showIDs = append(s.showIDs, id)
		}
		if len(s.showIDs) == 20 {
			break
		}
	}
	if len(s.showIDs) == 0 {
		tb.Fatal("no show on sale in the ticketing sandbox")
	}
	var login struct {
		Data struct{ Login struct{ Token string } }
	}
	body, _ := s.serve(tb, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
		map[string]any{"e": fixture.DemoEmail, "p": fixture.DemoPassword}, nil)
	if err := json.Unmarshal(body, &login); err != nil || login.Data.Login.Token == "" {
		tb.Fatalf("login: %v: %s", err, body)
	}
	s.token = login.Data.Login.Token
	s.bil.Calls().Reset()
	s.abo.Calls().Reset()
	return s
}

const backOfficeBenchKey = "bench-back-office-key-0123456789"

// serve runs one POST /graphql through the whole handler (response cache,
// auth, loaders, executor) and returns the body and status.
func (s *scenarioEnv) serve(tb testing.TB, query string, vars map[string]any, header map[string]string) ([]byte, int) {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec.Body.Bytes(), rec.Code
}

// scenario is one request of a benchmark scenario; i varies it as bench
// does (another show, another subscriber).
type scenario struct {
	name  string
	query string
	vars  func(s *scenarioEnv, i int) map[string]any
	head  func(s *scenarioEnv) map[string]string
}

var scenarioList = []scenario{
	{name: "1-listing", query: scenarios.Listing,
		vars: func(_ *scenarioEnv, i int) map[string]any { return map[string]any{"first": 20, "nonce": i} }},
	{name: "2-show", query: scenarios.Show,
		vars: func(s *scenarioEnv, i int) map[string]any { return map[string]any{"id": s.showIDs[i%len(s.showIDs)]} }},
	{name: "3-account", query: scenarios.Me,
		head: func(s *scenarioEnv) map[string]string { return map[string]string{"X-Session-Token": s.token} }},
	{name: "4-paid-by", query: scenarios.PaidBy,
		head: func(*scenarioEnv) map[string]string {
			return map[string]string{"Authorization": "Bearer " + backOfficeBenchKey}
		}},
	{name: "5-subscriber", query: scenarios.Subscriber,
		vars: func(_ *scenarioEnv, i int) map[string]any {
			return map[string]any{"code": abosandbox.SeedCode(i % fixture.Subscribers)}
		},
		head: func(*scenarioEnv) map[string]string {
			return map[string]string{"Authorization": "Bearer " + backOfficeBenchKey}
		}},
}

func (sc scenario) request(s *scenarioEnv, i int) (map[string]any, map[string]string) {
	var vars map[string]any
	var head map[string]string
	if sc.vars != nil {
		vars = sc.vars(s, i)
	}
	if sc.head != nil {
		head = sc.head(s)
	}
	return vars, head
}

// Ensure the answers of the benchmark scenarios stay byte-identical across
// performance work: each scenario's first request (second show, second
// subscriber too) is compared with testdata/scenarios. -update-golden
// rewrites them; a change there must be a deliberate behaviour change.
func TestScenarioAnswersGolden(t *testing.T) {
	s := newScenarioEnv(t, "0")
	for _, sc := range scenarioList {
		for i := range 2 {
			vars, head := sc.request(s, i)
			if vars != nil {
				delete(vars, "nonce") // the same answer with or without it
			}
			body, status := s.serve(t, sc.query, vars, head)
			if status != http.StatusOK || bytes.Contains(body, []byte(`"errors"`)) {
				t.Fatalf("%s: HTTP %d: %.300s", sc.name, status, body)
			}
			// Deep links carry the sandbox's random port.
			body = bytes.ReplaceAll(body, []byte(s.bilURL), []byte("http://billetterie.test"))
			file := filepath.Join("testdata", "scenarios", fmt.Sprintf("%s-%d.json", sc.name, i))
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, body, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update-golden once)", err)
			}
			if !bytes.Equal(body, want) {
				t.Errorf("%s: answer differs from %s:\n got %.400s\nwant %.400s", sc.name, file, body, want)
			}
		}
	}
}

// BenchmarkScenario runs each scenario in process, the response cache off
// (as bench's "guichet (no cache)": every request executed) except where
// the name says cached. Reported: µs/op (wall, with the sandboxes' work),
// cpu-µs/op (CPU time of the process: Guichet and the sandboxes),
// allocs/op and B/op, goroutines/op (created, whole process) and upstream
// calls/op.
func BenchmarkScenario(b *testing.B) {
	// The GC target main sets (GUICHET_GOGC, GUICHET_MEMORY_LIMIT defaults);
	// GOGC in the environment wins, as in production.
	cfg, _ := config.Load(func(string) string { return "" })
	gctarget.Apply(cfg.GCPercent, cfg.MemoryLimit, os.Getenv, "/sys/fs/cgroup")
	for _, cache := range []struct{ name, bytes string }{{"", "0"}, {"cached-", "67108864"}} {
		s := newScenarioEnv(b, cache.bytes)
		for _, sc := range scenarioList {
			if cache.name != "" && sc.name != "1-listing" && sc.name != "2-show" {
				continue
			}
			b.Run(cache.name+sc.name, func(b *testing.B) {
				// Requests vary (nonce, show, code) as in bench; the cached
				// listing asks the same page every time, the cached show
				// page one of 20 shows (all kept within their window).
				type req struct {
					body []byte
					head map[string]string
				}
				reqs := make([]req, 64)
				for i := range reqs {
					vars, head := sc.request(s, i)
					if cache.name != "" {
						delete(vars, "nonce")
					}
					body, _ := json.Marshal(map[string]any{"query": sc.query, "variables": vars})
					reqs[i] = req{body, head}
				}
				// One untimed round warms the parsed-query cache, the
				// connections and the seat counts.
				for _, r := range reqs[:4] {
					serveRaw(b, s.h, r.body, r.head)
				}
				s.bil.Calls().Reset()
				s.abo.Calls().Reset()
				g0, cpu0 := goroutinesCreated(), processCPU()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					r := reqs[i%len(reqs)]
					serveRaw(b, s.h, r.body, r.head)
				}
				b.StopTimer()
				b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
				b.ReportMetric(float64(goroutinesCreated()-g0)/float64(b.N), "goroutines/op")
				calls := 0
				for _, n := range s.bil.Calls().Snapshot() {
					calls += n
				}
				for _, n := range s.abo.Calls().Snapshot() {
					calls += n
				}
				b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
			})
		}
	}
}

func serveRaw(tb testing.TB, h http.Handler, body []byte, head map[string]string) {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range head {
		req.Header.Set(k, v)
	}
	// A writer that keeps only the start of the answer: what is measured is
	// the server, not a recorder growing a copy of 92 KB (gqlgen writes
	// errors first, so the start shows them).
	w := &headWriter{header: http.Header{}}
	h.ServeHTTP(w, req)
	if w.code != http.StatusOK || w.n == 0 || bytes.Contains(w.head, []byte(`"errors"`)) {
		tb.Fatalf("HTTP %d, %d bytes: %.300s", w.code, w.n, w.head)
	}
}

// headWriter is an http.ResponseWriter keeping the status, the size and
// the first bytes of the body.
type headWriter struct {
	header http.Header
	code   int
	n      int
	head   []byte
}

func (w *headWriter) Header() http.Header { return w.header }

func (w *headWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *headWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	if len(w.head) < 64 {
		w.head = append(w.head, b[:min(len(b), 64-len(w.head))]...)
	}
	w.n += len(b)
	return len(b), nil
}

// processCPU is the CPU time (user + system) of this process so far: less
// sensitive than wall time to other work on a shared machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var goroutineSample = []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}

func goroutinesCreated() uint64 {
	metrics.Read(goroutineSample)
	return goroutineSample[0].Value.Uint64()
}

// Ensure a performance's availability does not depend on what it is asked
// with: every performance of a show (past ones included), asked alone on a
// fresh process, gets what the show page says of it, and a past one is not
// on sale (the sandbox's ws_det_representation still counts seats for it).
func TestAvailabilitySameAloneOrBatched(t *testing.T) {
	type avail struct {
		SeatsLeft int
		SoldOut   bool
	}
	type perf struct {
		ID           string
		StartsAt     time.Time
		Availability avail
	}
	page := newScenarioEnv(t, "0")
	var show struct {
		Data struct{ Show struct{ Performances []perf } }
	}
	body, _ := page.serve(t, `query($id: ID!) { show(id: $id) { performances { id startsAt availability { seatsLeft soldOut } } } }`,
		map[string]any{"id": page.showIDs[0]}, nil)
	if err := json.Unmarshal(body, &show); err != nil || len(show.Data.Show.Performances) == 0 {
		t.Fatalf("show page: %v %s", err, body)
	}
	past := 0
	alone := newScenarioEnv(t, "0")
	for _, p := range show.Data.Show.Performances {
		if p.StartsAt.Before(scenarioClock) {
			past++
			if !p.Availability.SoldOut || p.Availability.SeatsLeft != 0 {
				t.Errorf("past performance %s on the show page: %+v, want not on sale", p.ID, p.Availability)
			}
		}
		var one struct {
			Data struct{ Performance perf }
		}
		body, _ := alone.serve(t, `query($id: ID!) { performance(id: $id) { id startsAt availability { seatsLeft soldOut } } }`,
			map[string]any{"id": p.ID}, nil)
		if err := json.Unmarshal(body, &one); err != nil || one.Data.Performance.Availability != p.Availability {
			t.Errorf("performance %s alone: %s, on the show page: %+v", p.ID, body, p.Availability)
		}
	}
	if past == 0 {
		t.Fatal("the show has no past performance: the test proves nothing")
	}
	if c := alone.bil.Calls().Snapshot(); c["ws_det_representation"] != 0 || c["ws_det_spectacle"] != 1 {
		t.Fatalf("calls %v: want the show's one ws_det_spectacle, shared by the performances asked one by one", c)
	}
}

// Ensure the show page (catalogue plus shared seat counts) is served from
// memory within the seat counts' window: the second visitor gets the same
// bytes without execution or upstream call, a visitor with a session
// still gets an executed answer, and with the seat cache off nothing is
// kept.
func TestShowPageLiveWindowCache(t *testing.T) {
	s := newScenarioEnv(t, "67108864")
	vars := map[string]any{"id": s.showIDs[0]}
	first, _ := s.serve(t, scenarios.Show, vars, nil)
	calls := s.bil.Calls().Snapshot()["ws_det_spectacle"]
	second, _ := s.serve(t, scenarios.Show, vars, nil)
	st := s.e.app.responses.Stats()
	if !bytes.Equal(first, second) || st.Hits != 1 || st.Stored != 1 {
		t.Fatalf("second show page: stats %+v, same bytes %t", st, bytes.Equal(first, second))
	}
	if calls != 1 || s.bil.Calls().Snapshot()["ws_det_spectacle"] != 1 {
		t.Fatalf("ws_det_spectacle calls %d then %d, want 1", calls, s.bil.Calls().Snapshot()["ws_det_spectacle"])
	}
	s.serve(t, scenarios.Show, vars, map[string]string{"X-Session-Token": s.token})
	if after := s.e.app.responses.Stats(); after.Hits != 1 || after.Bypasses != st.Bypasses+1 {
		t.Fatalf("a visitor with a session must bypass the cache: %+v", after)
	}

	off := bootWith(t, map[string]string{"GUICHET_AVAILABILITY_TTL": "0"})
	id := off.app.sandboxes.Ticketing.Sim.ShowIDs()[0]
	for range 2 {
		off.ok(off.do(nil, scenarios.Show, map[string]any{"id": id}, nil))
	}
	if st := off.app.responses.Stats(); st.Stored != 0 || st.Hits != 0 || st.Misses != 2 {
		t.Fatalf("with the seat cache off the show page must run every time: %+v", st)
	}
}
