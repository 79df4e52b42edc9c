package app

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/sandbox/fault"
	"github.com/guichet/guichet/sandbox/fixture"
	"github.com/guichet/guichet/upstream"
	"go.uber.org/goleak"
)

// bootEnv is boot() with some variables set, so that budgets and cooldowns
// stay short; it also checks, once everything is closed, that the test left
// no goroutine behind.
func bootEnv(t *testing.T, vars map[string]string) *e2e {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { // registered first: runs after the app and servers are closed
		http.DefaultClient.CloseIdleConnections()
		goleak.VerifyNone(t, before)
	})
	return bootWith(t, vars)
}

// breaker is the state of a back office's circuit breaker as /metrics
// shows it ("closed", "half_open", "open").
func (e *e2e) breaker(b upstream.Backend) string {
	e.t.Helper()
	res, err := http.Get(e.srv.URL + "/metrics")
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	prefix := `guichet_upstream_breaker_state{backend="` + b.Name + `",state="`
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok && strings.HasSuffix(rest, "} 1") {
			return strings.TrimSuffix(rest, `"} 1`)
		}
	}
	e.t.Fatalf("no breaker state of %s in /metrics", b.Name)
	return ""
}

const subscriberQuery = `query($c: Int!) { subscriber(code: $c) { email } }`

func (e *e2e) subscriber() gqlResp {
	return e.do(map[string]string{"Authorization": "Bearer " + e.key}, subscriberQuery, map[string]any{"c": abosandbox.DemoCode}, nil)
}

func (e *e2e) orders() gqlResp {
	now := time.Now()
	return e.do(map[string]string{"Authorization": "Bearer " + e.key}, `query($f: Date!, $t: Date!) { orders(from: $f, to: $t) { id } }`,
		map[string]any{"f": now.AddDate(0, 0, -60).Format("2006-01-02"), "t": now.Format("2006-01-02")}, nil)
}

// Ensure a back office slower than its budget (GUICHET_UPSTREAM_TIMEOUT,
// the one timeout of each back office) yields UPSTREAM_TIMEOUT once the
// budget is spent, long before the back office would have answered and
// before any other limit (there is none left on the shared pool), with no
// retry that could not have finished in time: for the CRM and the ticketing
// system alike.
func TestResilienceSlowBackend(t *testing.T) {
	const budget = 1500 * time.Millisecond
	e := bootEnv(t, map[string]string{"GUICHET_UPSTREAM_TIMEOUT": budget.String(), "GUICHET_UPSTREAM_RETRIES": "2"})
	type faults interface {
		Faults() *fault.Injector
		Calls() *fault.Counter
	}
	for _, c := range []struct {
		name string
		sb   faults
		op   string
		call func() gqlResp
	}{
		{"crm", e.app.sandboxes.CRM.Sim, "getClient", e.subscriber},
		{"ticketing", e.app.sandboxes.Ticketing.Sim, "ws_cat_histo_achat", e.orders},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.sb.Faults().Set(c.op, fault.Rule{Latency: 30 * time.Second})
			defer c.sb.Faults().Set(c.op, fault.Rule{})
			before := c.sb.Calls().Get(c.op)
			start := time.Now()
			r := c.call()
			took := time.Since(start)
			if r.Code() != "UPSTREAM_TIMEOUT" {
				t.Fatalf("slow %s: %+v", c.name, r)
			}
			// Cut at the budget: not before it, and not at a later limit
			// (the machine may be loaded, hence the margin).
			if took < budget || took > budget+2*time.Second {
				t.Fatalf("answered after %s with a %s budget", took, budget)
			}
			if n := c.sb.Calls().Get(c.op) - before; n != 1 {
				t.Fatalf("%d %s calls, want 1: no retry fits in a spent budget", n, c.op)
			}
		})
	}
}

// Ensure a back office down opens its breaker: a read is tried 1+retries
// times, then queries fail fast with UPSTREAM_UNAVAILABLE without reaching
// it, the other back office is unaffected, and once it is back one probe
// after the cooldown closes the breaker.
func TestResilienceBreaker(t *testing.T) {
	e := bootEnv(t, map[string]string{"GUICHET_UPSTREAM_RETRIES": "2", "GUICHET_BREAKER_FAILURES": "3", "GUICHET_BREAKER_COOLDOWN": "2s"}) // long enough that the fail-fast checks below finish first on a loaded machine
	sb := e.app.sandboxes.CRM.Sim
	sb.Faults().Set("getClient", fault.Rule{Mode: fault.HTTP500})
	if r := e.subscriber(); r.Code() != "UPSTREAM_UNAVAILABLE" {
		t.Fatalf("CRM down: %+v", r)
	}
	if n := sb.Calls().Get("getClient"); n != 3 {
		t.Fatalf("%d getClient calls, want 3 (a read and its 2 retries)", n)
	}
	if s := e.breaker(upstream.AboWeb); s != string(upstream.Open) {
		t.Fatalf("breaker %s after 3 failures", s)
	}
	for i := 0; i < 5; i++ {
		if r := e.subscriber(); r.Code() != "UPSTREAM_UNAVAILABLE" {
			t.Fatalf("while open: %+v", r)
		}
	}
	if n := sb.Calls().Get("getClient"); n != 3 {
		t.Fatalf("%d getClient calls while the breaker was open", n-3)
	}
	if s := e.breaker(upstream.Billetterie); s != string(upstream.Closed) {
		t.Fatalf("ticketing breaker %s", s)
	}
	if r := e.orders(); len(r.Errors) > 0 {
		t.Fatalf("ticketing affected by the CRM's breaker: %+v", r.Errors)
	}
	sb.Faults().Reset()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		r := e.subscriber()
		if len(r.Errors) == 0 {
			var data struct{ Subscriber struct{ Email string } }
			if err := json.Unmarshal(r.Data, &data); err != nil || data.Subscriber.Email != fixture.DemoEmail {
				t.Fatalf("after recovery: %s", r.Data)
			}
			break
		}
		if r.Code() != "UPSTREAM_UNAVAILABLE" || time.Now().After(deadline) {
			t.Fatalf("no recovery: %+v", r)
		}
	}
	if n := sb.Calls().Get("getClient"); n != 4 {
		t.Fatalf("%d getClient calls, want 4: one probe closed the breaker", n)
	}
	if s := e.breaker(upstream.AboWeb); s != string(upstream.Closed) {
		t.Fatalf("breaker %s after a good probe", s)
	}
}

// Ensure ticketing reads are retried and mutations never are: a 500 costs
// a read 1+retries calls and a login exactly one.
func TestResilienceRetriesReadsOnly(t *testing.T) {
	e := bootEnv(t, map[string]string{"GUICHET_UPSTREAM_RETRIES": "2"})
	sb := e.app.sandboxes.Ticketing.Sim
	sb.Faults().Set("ws_cat_histo_achat", fault.Rule{Mode: fault.HTTP500})
	if r := e.orders(); r.Code() != "UPSTREAM_UNAVAILABLE" {
		t.Fatalf("history down: %+v", r)
	}
	if n := sb.Calls().Get("ws_cat_histo_achat"); n != 3 {
		t.Fatalf("%d ws_cat_histo_achat calls, want 3", n)
	}
	sb.Faults().Set("ws_login", fault.Rule{Mode: fault.HTTP500})
	r := e.do(nil, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
		map[string]any{"e": fixture.DemoEmail, "p": fixture.DemoPassword}, nil)
	if r.Code() != "UPSTREAM_UNAVAILABLE" {
		t.Fatalf("login down: %+v", r)
	}
	if n := sb.Calls().Get("ws_login"); n != 1 {
		t.Fatalf("%d ws_login calls, want exactly 1", n)
	}
}

// Ensure garbage answered with HTTP 200 by either back office is a typed
// UPSTREAM_UNAVAILABLE, neither retried (the back office did answer) nor
// counted against its breaker.
func TestResilienceGarbage(t *testing.T) {
	e := bootEnv(t, map[string]string{"GUICHET_BREAKER_FAILURES": "1"})
	abo, bil := e.app.sandboxes.CRM.Sim, e.app.sandboxes.Ticketing.Sim
	abo.Faults().Set("getClient", fault.Rule{Mode: fault.Garbage})
	bil.Faults().Set("ws_cat_histo_achat", fault.Rule{Mode: fault.Garbage})
	for i := 0; i < 2; i++ {
		if r := e.subscriber(); r.Code() != "UPSTREAM_UNAVAILABLE" {
			t.Fatalf("CRM garbage: %+v", r)
		}
		if r := e.orders(); r.Code() != "UPSTREAM_UNAVAILABLE" {
			t.Fatalf("ticketing garbage: %+v", r)
		}
	}
	if a, b := abo.Calls().Get("getClient"), bil.Calls().Get("ws_cat_histo_achat"); a != 2 || b != 2 {
		t.Fatalf("calls getClient %d ws_cat_histo_achat %d, want 2 each", a, b)
	}
	if a, b := e.breaker(upstream.AboWeb), e.breaker(upstream.Billetterie); a != string(upstream.Closed) || b != string(upstream.Closed) {
		t.Fatalf("breakers %s %s", a, b)
	}
}
