package app

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/internal/redistest"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
)

// TestLiveProcess is not a test: it is a Guichet server run in a child
// process by the live tests below.
func TestLiveProcess(t *testing.T) {
	if os.Getenv("GUICHET_TEST_LIVE_CHILD") != "1" {
		t.Skip("runs only as a child of the live process tests")
	}
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	stallHookProcessing = os.Getenv("GUICHET_TEST_STALL_HOOKS") == "1"
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	cfg, sb := sandboxed(t, cfg)
	if err := Run(ctx, cfg, sb, slog.New(slog.NewJSONHandler(os.Stderr, nil))); err != nil {
		t.Fatal(err)
	}
}

const liveKey = "live-test-key-0123456789"
const liveSecret = "hook-secret-0123456789abcdef"

// liveChild is one Guichet process over the shared ticketing sandbox.
type liveChild struct {
	base string
	cmd  *exec.Cmd
	logs *bytes.Buffer
}

// startLive launches a child with env added to the sandbox's settings and
// waits until it serves its catalogue.
func startLive(t *testing.T, upstream string, sc bilsandbox.Config, env ...string) *liveChild {
	t.Helper()
	return launchLive(t, upstream, sc, env...)()
}

// launchLive launches a child and returns the wait for its readiness, so
// several start at once.
func launchLive(t *testing.T, upstream string, sc bilsandbox.Config, env ...string) func() *liveChild {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLiveProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "GUICHET_TEST_LIVE_CHILD=1", "GUICHET_ADDR="+addr,
		"GUICHET_API_KEYS="+liveKey, "GUICHET_HOOK_SECRET="+liveSecret, "GUICHET_SYNC_INTERVAL=1h",
		"BILLETTERIE_URL="+upstream+"/", "BILLETTERIE_LOGIN="+sc.Login, "BILLETTERIE_PASSWORD="+sc.Password,
		"BILLETTERIE_CLIENT="+sc.Client, "BILLETTERIE_API_URL="+upstream+"/", "BILLETTERIE_API_LOGIN="+sc.APILogin,
		"BILLETTERIE_API_KEY="+sc.APIKey, "BILLETTERIE_PWD_KEY="+sc.PwdKey)
	cmd.Env = append(cmd.Env, env...)
	c := &liveChild{base: "http://" + addr, cmd: cmd, logs: &bytes.Buffer{}}
	cmd.Stdout, cmd.Stderr = c.logs, c.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.stop()
		if t.Failed() {
			t.Logf("child logs:\n%s", c.logs.String())
		}
	})
	return func() *liveChild {
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if resp, err := http.Get(c.base + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return c
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("child not ready:\n%s", c.logs.String())
			}
		}
	}
}

func (c *liveChild) stop() {
	if c.cmd.ProcessState != nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
}

// kill ends the process at once, as a crash would.
func (c *liveChild) kill() {
	c.cmd.Process.Kill()
	c.cmd.Wait()
}

// metric reads one series of the child's /metrics.
func (c *liveChild) metric(t *testing.T, series string) float64 {
	t.Helper()
	resp, err := http.Get(c.base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

func (c *liveChild) hook(kind string) string {
	return c.base + "/hooks/billetterie/" + liveSecret + "/" + kind
}

func availabilityOn(t *testing.T, base, perf string) int {
	t.Helper()
	e := &e2e{t: t, srv: &httptest.Server{URL: base}}
	var q struct {
		Performance struct{ Availability struct{ SeatsLeft int } }
	}
	e.ok(e.do(nil, `query($id: ID!) { performance(id: $id) { availability { seatsLeft } } }`, map[string]any{"id": perf}, &q))
	return q.Performance.Availability.SeatsLeft
}

// Ensure, across two Guichet processes sharing a real Redis: a sale in the
// ticketing sandbox is pushed to replica A, and a subscriber connected to
// replica B receives seatsChanged with the new count and orderNotified
// with the order's lines within a second; B's refresh asked the ticketing
// system once, and A's cached count was dropped too.
func TestLiveTwoReplicas(t *testing.T) {
	t0 := time.Now()
	redisURL, _ := redistest.Start(t)
	sc := bilsandbox.DefaultConfig()
	sb := bilsandbox.New(sc)
	upstream := httptest.NewServer(sb)
	defer upstream.Close()
	waitA := launchLive(t, upstream.URL, sc, "GUICHET_REDIS_URL="+redisURL, "GUICHET_DATA_DIR="+t.TempDir())
	waitB := launchLive(t, upstream.URL, sc, "GUICHET_REDIS_URL="+redisURL, "GUICHET_DATA_DIR="+t.TempDir())
	a, b := waitA(), waitB()
	t.Logf("ready after %s", time.Since(t0))
	sb.SetCallbacks(bilsandbox.Callbacks{Order: a.hook("purchase"), Card: a.hook("card")})

	seed := sb.Seed()
	_, perf, ok := seed.Upcoming()
	if !ok {
		t.Fatal("no performance to come in the seeded season")
	}
	sb.SetAvailability(perf, 40)
	// Both replicas have the count cached before the sale.
	if availabilityOn(t, a.base, perf) != 40 || availabilityOn(t, b.base, perf) != 40 {
		t.Fatal("warm-up counts")
	}
	ws, err := dialWS(t, b.base, map[string]any{"Authorization": "Bearer " + liveKey})
	if err != nil {
		t.Fatal(err)
	}
	ws.subscribe("s", seatsQuery, map[string]any{"ids": []string{perf}})
	var ev seatsEvent
	decodeNext(t, ws.event(5*time.Second), &ev)
	if ev.SeatsChanged.Availability.SeatsLeft != 40 {
		t.Fatalf("first count %+v", ev)
	}
	ws.subscribe("o", ordersQuery, nil)
	time.Sleep(200 * time.Millisecond)

	calls := sb.Calls()
	avail := func() int { return calls.Get("ws_det_representation") + calls.Get("ws_det_spectacle") }
	before := avail()
	start := time.Now()
	res, err := sb.SimulatePurchase(context.Background(), bilsandbox.Purchase{Contact: seed.DemoContactID, Performance: perf, Seats: 3})
	if err != nil || !res.Pushed {
		t.Fatalf("purchase: %+v %v", res, err)
	}
	gotSeats, gotOrder := false, false
	for !gotSeats || !gotOrder {
		m := ws.event(time.Second)
		switch m.ID {
		case "s":
			decodeNext(t, m, &ev)
			if ev.SeatsChanged.Availability.SeatsLeft != 37 {
				t.Fatalf("seats event %+v, want 37", ev)
			}
			gotSeats = true
		case "o":
			var o struct {
				OrderNotified struct {
					ID    string
					Lines []struct {
						Quantity    int
						Performance *struct{ ID string }
					}
				}
			}
			decodeNext(t, m, &o)
			n := 0
			for _, l := range o.OrderNotified.Lines {
				if l.Performance != nil && l.Performance.ID == perf {
					n += l.Quantity
				}
			}
			if o.OrderNotified.ID != res.OrderID || n != 3 {
				t.Fatalf("order event %+v", o)
			}
			gotOrder = true
		}
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("events on B after %s, want within 1 s", took)
	}
	if n := avail() - before; n != 1 {
		t.Fatalf("%d availability calls after the sale, want 1 (B's refresh)", n)
	}
	if got := availabilityOn(t, b.base, perf); got != 37 || avail()-before != 1 {
		t.Fatalf("read on B: %d seats, %d calls; want 37 from B's refreshed cache", got, avail()-before)
	}
	if got := availabilityOn(t, a.base, perf); got != 37 || avail()-before != 2 {
		t.Fatalf("read on A: %d seats, %d calls; want 37 asked once (its cached 40 dropped)", got, avail()-before)
	}
	t.Logf("checked after %s", time.Since(t0))
	// One replica applied the push, once.
	applied := a.metric(t, `guichet_hook_pushes_processed_total{outcome="applied"}`) + b.metric(t, `guichet_hook_pushes_processed_total{outcome="applied"}`)
	if applied != 1 {
		t.Fatalf("push applied %v times across replicas", applied)
	}
	// Shutdown with the subscriptions open: B drains them (the WebSocket
	// is closed normally) and stops well before its 20 s shutdown budget.
	t0 = time.Now()
	closed := make(chan error, 1)
	go func() {
		for {
			if _, err := ws.next(); err != nil {
				closed <- err
				return
			}
		}
	}()
	b.stop()
	if took := time.Since(t0); took > 5*time.Second {
		t.Fatalf("B took %s to stop with a subscriber connected", took)
	}
	select {
	case err := <-closed:
		if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
			t.Fatalf("the subscriber saw %v, want a normal close", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the subscriber's connection outlived B")
	}
}

// Ensure a push acknowledged to the vendor by a process that dies before
// applying it is applied once after the restart, and not again after a
// second restart: with the file log and with the Redis Stream.
func TestLiveHookCrash(t *testing.T) {
	t.Run("file", func(t *testing.T) { hookCrash(t) })
	t.Run("redis", func(t *testing.T) {
		url, _ := redistest.Start(t)
		hookCrash(t, "GUICHET_REDIS_URL="+url)
	})
}

func hookCrash(t *testing.T, env ...string) {
	sc := bilsandbox.DefaultConfig()
	sb := bilsandbox.New(sc)
	upstream := httptest.NewServer(sb)
	defer upstream.Close()
	dir := t.TempDir()
	const applied = `guichet_hook_pushes_processed_total{outcome="applied"}`

	first := startLive(t, upstream.URL, sc, append(env, "GUICHET_DATA_DIR="+dir, "GUICHET_TEST_STALL_HOOKS=1")...)
	var doc []byte
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, _ = io.ReadAll(r.Body)
		// Forward to the hook, as the vendor would have sent it there.
		resp, err := http.Post(first.hook("purchase"), "text/xml", bytes.NewReader(doc))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
		resp.Body.Close()
	}))
	defer rec.Close()
	sb.SetCallbacks(bilsandbox.Callbacks{Order: rec.URL})
	seed := sb.Seed()
	perf := seed.Shows[3].PerformanceIDs[0]
	sb.SetAvailability(perf, 10)
	res, err := sb.SimulatePurchase(context.Background(), bilsandbox.Purchase{Contact: seed.DemoContactID, Performance: perf, Seats: 1})
	if err != nil || !res.Pushed {
		t.Fatalf("the push was not acknowledged: %+v %v", res, err)
	}
	if v := first.metric(t, applied); v != 0 {
		t.Fatalf("applied %v before the crash, want 0 (stalled)", v)
	}
	first.kill()

	second := startLive(t, upstream.URL, sc, append(env, "GUICHET_DATA_DIR="+dir)...)
	for deadline := time.Now().Add(5 * time.Second); second.metric(t, applied) != 1; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after the restart the push was applied %v times, want 1", second.metric(t, applied))
		}
	}
	// The vendor retries the same push: a duplicate.
	if resp, err := http.Post(second.hook("purchase"), "text/xml", bytes.NewReader(doc)); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("retry: %v %v", resp, err)
	}
	for deadline := time.Now().Add(5 * time.Second); second.metric(t, `guichet_hook_pushes_processed_total{outcome="duplicate"}`) != 1; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the retried push was not recognised as a duplicate")
		}
	}
	second.stop()
	third := startLive(t, upstream.URL, sc, append(env, "GUICHET_DATA_DIR="+dir)...)
	time.Sleep(300 * time.Millisecond)
	if v := third.metric(t, applied) + third.metric(t, `guichet_hook_pushes_processed_total{outcome="duplicate"}`); v != 0 {
		t.Fatalf("a third run handled %v logged pushes again, want none", v)
	}
}
