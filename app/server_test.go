package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/internal/apitest"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/sandbox/fixture"
)

// e2e is Guichet booted as `go run .` boots it, both back offices as
// sandboxes on random loopback ports, served over real HTTP.
type e2e struct {
	t   testing.TB
	app *app
	srv *httptest.Server
	key string
}

func boot(t *testing.T) *e2e { return bootWith(t, nil) }

// bootWith starts the app on its sandboxes with env as its only
// configuration (the test machine's own environment is ignored).
func bootWith(t testing.TB, env map[string]string) *e2e {
	t.Helper()
	cfg, err := config.Load(testEnv(t, env))
	if err != nil {
		t.Fatal(err)
	}
	cfg, sb := sandboxed(t, cfg)
	return bootApp(t, cfg, sb, slog.New(slog.DiscardHandler))
}

// sandboxed is cfg with the back offices it leaves unset started as
// sandboxes, closed with the test.
func sandboxed(t testing.TB, cfg config.Config) (config.Config, *Sandboxes) {
	t.Helper()
	cfg, sb, err := StartSandboxes(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return cfg, sb
}

// testEnv is env as a configuration source, with a fresh data directory
// unless env names one.
func testEnv(t testing.TB, env map[string]string) func(string) string {
	dir := t.TempDir()
	return func(k string) string {
		if k == "GUICHET_DATA_DIR" && env[k] == "" {
			return dir
		}
		return env[k]
	}
}

// bootApp starts the app of cfg, waits for its catalogue and serves it.
func bootApp(t testing.TB, cfg config.Config, sb *Sandboxes, logger *slog.Logger) *e2e {
	t.Helper()
	a, err := newApp(context.Background(), cfg, sb, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	for deadline := time.Now().Add(20 * time.Second); !a.sync.Ready(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("catalogue not loaded")
		}
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &e2e{t: t, app: a, srv: srv, key: sb.demoKey()}
}

// gqlResp is a decoded answer (internal/apitest, shared by every package).
type gqlResp = apitest.Response

// do posts a GraphQL request to the app over HTTP and decodes data into out
// (when not nil).
func (e *e2e) do(headers map[string]string, query string, vars map[string]any, out any) gqlResp {
	e.t.Helper()
	return apitest.Do(e.t, e.srv.URL, apitest.Request{Query: query, Vars: vars, Headers: headers}, out)
}

func (e *e2e) ok(r gqlResp) {
	e.t.Helper()
	if len(r.Errors) > 0 {
		e.t.Fatalf("errors: %+v", r.Errors)
	}
}

// Ensure the catalogue slice works end to end: shows listed in the
// sandbox's order with its titles, one show with its performances.
func TestE2ECatalogue(t *testing.T) {
	e := boot(t)
	ids := e.app.sandboxes.Ticketing.Sim.ShowIDs()
	var data struct {
		Shows struct {
			Edges []struct {
				Node struct {
					ID, Title string
				}
			}
			PageInfo struct{ HasNextPage bool }
		}
	}
	e.ok(e.do(nil, `{ shows(first: 3) { edges { node { id title } } pageInfo { hasNextPage } } }`, nil, &data))
	if len(data.Shows.Edges) != 3 || !data.Shows.PageInfo.HasNextPage {
		t.Fatalf("got %+v", data.Shows)
	}
	for i, edge := range data.Shows.Edges {
		if edge.Node.ID != ids[i] || edge.Node.Title != e.app.sandboxes.Ticketing.Sim.ShowTitle(ids[i]) {
			t.Fatalf("show %d: %+v, want %s %q", i, edge.Node, ids[i], e.app.sandboxes.Ticketing.Sim.ShowTitle(ids[i]))
		}
	}
	var one struct {
		Show struct {
			Title        string
			BookingURL   string
			Performances []struct {
				ID, StartsAt string
				Venue        *struct{ Name string }
				Prices       []struct{ Total struct{ Cents int } }
				Availability *struct{ SeatsLeft int }
			}
		}
	}
	// The season's last show: all its performances are still on sale.
	last := ids[len(ids)-1]
	e.ok(e.do(nil, `query($id: ID!) { show(id: $id) { title bookingUrl performances { id startsAt venue { name } prices { total { cents } } availability { seatsLeft } } } }`, map[string]any{"id": last}, &one))
	if one.Show.Title == "" || len(one.Show.Performances) < 2 || !strings.Contains(one.Show.BookingURL, "id_spectacle="+last) {
		t.Fatalf("show: %+v", one.Show)
	}
	p := one.Show.Performances[0]
	if p.Venue == nil || p.Venue.Name == "" || len(p.Prices) == 0 || p.Prices[0].Total.Cents <= 0 || p.Availability == nil {
		t.Fatalf("performance: %+v", p)
	}
	if !strings.HasSuffix(p.StartsAt, "+01:00") && !strings.HasSuffix(p.StartsAt, "+02:00") {
		t.Fatalf("startsAt %q is not in Paris time", p.StartsAt)
	}
	calls := e.app.back.ticketing.client.Calls()
	if calls["ws_programmation"] != 1 || calls["ws_det_spectacle"] != 1 || calls["ws_det_representation"] != 0 {
		t.Fatalf("upstream calls %v: want one full load and one ws_det_spectacle for all the show's seat counts", calls)
	}
	// Seat counts are shared across requests for GUICHET_AVAILABILITY_TTL:
	// a sale upstream shows once the TTL has passed, not on every page view.
	perf := one.Show.Performances[0]
	e.app.sandboxes.Ticketing.Sim.SetSeatsLeft(perf.ID, perf.Availability.SeatsLeft-2)
	e.ok(e.do(nil, `query($id: ID!) { show(id: $id) { performances { id availability { seatsLeft } } } }`, map[string]any{"id": last}, &one))
	if got := one.Show.Performances[0].Availability.SeatsLeft; got != perf.Availability.SeatsLeft {
		t.Fatalf("within the TTL seats = %d, want the cached %d", got, perf.Availability.SeatsLeft)
	}
	if again := e.app.back.ticketing.client.Calls(); again["ws_det_spectacle"] != 1 || again["ws_det_representation"] != 0 {
		t.Fatalf("second request within the TTL went upstream: %v", again)
	}
}

// Ensure availability with the shared cache turned off is live on every request.
func TestE2EAvailabilityWithoutCache(t *testing.T) {
	e := bootWith(t, map[string]string{"GUICHET_AVAILABILITY_TTL": "0"})
	ids := e.app.sandboxes.Ticketing.Sim.ShowIDs()
	id := ids[len(ids)-2]
	var one struct {
		Show struct {
			Performances []struct {
				ID           string
				Availability struct{ SeatsLeft int }
			}
		}
	}
	q := `query($id: ID!) { show(id: $id) { performances { id availability { seatsLeft } } } }`
	e.ok(e.do(nil, q, map[string]any{"id": id}, &one))
	perf := one.Show.Performances[0]
	e.app.sandboxes.Ticketing.Sim.SetSeatsLeft(perf.ID, perf.Availability.SeatsLeft-1)
	e.ok(e.do(nil, q, map[string]any{"id": id}, &one))
	if got := one.Show.Performances[0].Availability.SeatsLeft; got != perf.Availability.SeatsLeft-1 {
		t.Fatalf("seats = %d, want the live %d", got, perf.Availability.SeatsLeft-1)
	}
	// Each request asks the ticketing system (nothing is kept with a TTL of
	// 0), in one ws_det_spectacle for the show's performances; a loaded
	// machine can miss the loader's 1 ms window and split a batch in two,
	// never more than one call per performance.
	if n := e.app.back.ticketing.client.Calls()["ws_det_spectacle"]; n < 2 || n > 2*len(one.Show.Performances) {
		t.Fatalf("%d ws_det_spectacle calls for two requests over %d performances", n, len(one.Show.Performances))
	}
}

// Ensure a subscriber is read through the real SOAP client with a key.
func TestE2ESubscriber(t *testing.T) {
	e := boot(t)
	var data struct {
		Subscriber struct{ FirstName, Email string }
	}
	e.ok(e.do(map[string]string{"Authorization": "Bearer " + e.key}, `query($c: Int!) { subscriber(code: $c) { firstName email } }`, map[string]any{"c": abosandbox.DemoCode}, &data))
	if data.Subscriber.Email != fixture.DemoEmail {
		t.Fatalf("got %+v", data.Subscriber)
	}
}

// Ensure the visitor journey works end to end: session, sign-in, account
// page joined to the CRM by email, sign-out.
func TestE2EVisitorAccount(t *testing.T) {
	e := boot(t)
	var s struct {
		Login struct {
			Token    string
			LoggedIn bool
		}
	}
	e.ok(e.do(nil, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token loggedIn } }`, map[string]any{"e": fixture.DemoEmail, "p": fixture.DemoPassword}, &s))
	if s.Login.Token == "" || !s.Login.LoggedIn {
		t.Fatalf("login: %+v", s)
	}
	h := map[string]string{"X-Session-Token": s.Login.Token}
	var me struct {
		Me struct {
			Email   string
			Tickets []struct {
				Label        string
				Downloadable bool
			}
			OrderLines []struct {
				Kind        string
				Performance *struct{ ID string }
				Show        *struct{ Title string }
			}
			Subscriber   *struct{ Code int }
			AccountLinks struct{ Orders string }
		}
	}
	e.ok(e.do(h, `{ me { email tickets { label downloadable } orderLines { kind performance { id } show { title } } subscriber { code } accountLinks { orders } } }`, nil, &me))
	if me.Me.Email != fixture.DemoEmail || me.Me.Subscriber == nil || me.Me.Subscriber.Code != abosandbox.DemoCode {
		t.Fatalf("me: %+v", me.Me)
	}
	if len(me.Me.OrderLines) == 0 || !strings.Contains(me.Me.AccountLinks.Orders, "x_rsi_token="+url.QueryEscape(s.Login.Token)) {
		t.Fatalf("account: %+v", me.Me)
	}
	joined := 0
	for _, l := range me.Me.OrderLines {
		if l.Kind == "TICKET" && l.Performance != nil && l.Show != nil && l.Show.Title != "" {
			joined++
		}
	}
	if joined == 0 {
		t.Fatalf("no ticket line joined to its performance and show: %+v", me.Me.OrderLines)
	}
	// Another visitor's session never sees this account.
	var other struct{ CreateSession struct{ Token string } }
	e.ok(e.do(nil, `mutation { createSession { token } }`, nil, &other))
	if r := e.do(map[string]string{"X-Session-Token": other.CreateSession.Token}, `{ me { email } }`, nil, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("anonymous session reached me: %+v", r)
	}
	var out struct{ Logout bool }
	e.ok(e.do(h, `mutation { logout }`, nil, &out))
	if r := e.do(h, `{ me { email } }`, nil, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("after logout: %+v", r)
	}
	if r := e.do(nil, `mutation { login(email: "camille.martin@exemple.fr", password: "Mauvais2026") { token } }`, nil, nil); r.Code() != "UNAUTHENTICATED" || r.Errors[0].Extensions["vendorCode"] != "504" {
		t.Fatalf("wrong password: %+v", r)
	}
}

// Ensure registration enforces the vendor's rules with field names, then
// creates a signed-in account.
func TestE2ERegister(t *testing.T) {
	e := boot(t)
	q := `mutation($i: RegisterContactInput!) { registerContact(input: $i) { token loggedIn contact { email firstName } } }`
	in := func(email, pw, confirm string) map[string]any {
		return map[string]any{"i": map[string]any{"email": email, "password": pw, "passwordConfirmation": confirm, "firstName": "Zoé", "lastName": "Nouvelle"}}
	}
	if r := e.do(nil, q, in("zoe.nouvelle@exemple.fr", "court", "court"), nil); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.password" {
		t.Fatalf("weak password: %+v", r)
	}
	if r := e.do(nil, q, in("zoe.nouvelle@exemple.fr", "Nouvelle2026", "Nouvelle2027"), nil); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "input.passwordConfirmation" {
		t.Fatalf("confirmation: %+v", r)
	}
	if r := e.do(nil, q, in(fixture.At(3).Email, "Nouvelle2026", "Nouvelle2026"), nil); r.Code() != "CONFLICT" || r.Errors[0].Extensions["vendorCode"] != "518" {
		t.Fatalf("existing email: %+v", r)
	}
	var ok struct {
		RegisterContact struct {
			Token    string
			LoggedIn bool
			Contact  struct{ Email, FirstName string }
		}
	}
	e.ok(e.do(nil, q, in("zoe.nouvelle@exemple.fr", "Nouvelle2026", "Nouvelle2026"), &ok))
	if !ok.RegisterContact.LoggedIn || ok.RegisterContact.Contact.Email != "zoe.nouvelle@exemple.fr" || ok.RegisterContact.Contact.FirstName != "Zoé" {
		t.Fatalf("register: %+v", ok)
	}
}

// Ensure a back-office order joins its ticket lines to the catalogue.
func TestE2EOrders(t *testing.T) {
	e := boot(t)
	h := map[string]string{"Authorization": "Bearer " + e.key}
	var list struct {
		Orders []struct {
			ID    string
			Paid  bool
			Lines []struct {
				Kind        string
				Performance *struct{ ID string }
				Show        *struct{ ID string }
			}
		}
	}
	e.ok(e.do(h, `query($f: Date!, $t: Date!) { orders(from: $f, to: $t) { id paid lines { kind performance { id } show { id } } } }`,
		map[string]any{"f": time.Now().AddDate(0, 0, -60).Format("2006-01-02"), "t": time.Now().Format("2006-01-02")}, &list))
	if len(list.Orders) == 0 {
		t.Fatal("no paid order in the last 60 days")
	}
	tickets := 0
	for _, o := range list.Orders {
		if !o.Paid {
			t.Fatalf("order %s is not paid", o.ID)
		}
		for _, l := range o.Lines {
			if l.Kind == "TICKET" && l.Performance != nil && l.Show != nil {
				tickets++
			}
		}
	}
	if tickets == 0 {
		t.Fatal("no ticket line joined to the catalogue")
	}
	if n := e.app.back.ticketing.client.Calls()["ws_det_achat"]; n != len(list.Orders) {
		t.Fatalf("ws_det_achat calls %d, want one per order (%d)", n, len(list.Orders))
	}
	if r := e.do(nil, `{ orders { id } }`, nil, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("anonymous orders: %+v", r)
	}
}

// Ensure the HTTP surface: GraphiQL, health, readiness, GET queries only.
func TestE2ERoutes(t *testing.T) {
	e := boot(t)
	get := func(path string) *http.Response {
		res, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	if res := get("/"); res.StatusCode != 200 || res.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("playground: %d", res.StatusCode)
	}
	if get("/healthz").StatusCode != 200 || get("/readyz").StatusCode != 200 {
		t.Fatal("health or readiness")
	}
	res := get("/graphql?query=" + url.QueryEscape(`{ venues { id } }`))
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(b), `"venues"`) {
		t.Fatalf("GET query: %d %s", res.StatusCode, b)
	}
	res = get("/graphql?query=" + url.QueryEscape(`mutation { createSession { token } }`))
	if res.StatusCode == 200 {
		b, _ := io.ReadAll(res.Body)
		if !strings.Contains(string(b), "errors") {
			t.Fatalf("mutation over GET accepted: %s", b)
		}
	}
}
