package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/live"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
)

// wsClient speaks graphql-transport-ws, the protocol of graphql-ws and of
// federation routers, over a real WebSocket.
type wsClient struct {
	t    testing.TB
	conn *websocket.Conn
	ctx  context.Context
}

type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dialWS opens a connection and sends connection_init with payload; the
// returned error is the refusal of the init, if any.
func dialWS(t testing.TB, base string, payload map[string]any) (*wsClient, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	conn, _, err := websocket.Dial(ctx, strings.Replace(base, "http", "ws", 1)+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	c := &wsClient{t: t, conn: conn, ctx: ctx}
	init := map[string]any{"type": "connection_init"}
	if payload != nil {
		init["payload"] = payload
	}
	if err := wsjson.Write(ctx, conn, init); err != nil {
		t.Fatal(err)
	}
	m, err := c.next()
	if err != nil {
		return nil, err
	}
	if m.Type != "connection_ack" {
		return nil, fmt.Errorf("%s %s", m.Type, m.Payload)
	}
	return c, nil
}

// next reads the next protocol message, answering pings.
func (c *wsClient) next() (wsMsg, error) {
	for {
		var m wsMsg
		if err := wsjson.Read(c.ctx, c.conn, &m); err != nil {
			return m, err
		}
		switch m.Type {
		case "ping":
			wsjson.Write(c.ctx, c.conn, map[string]any{"type": "pong"})
			continue
		case "pong", "ka":
			continue
		}
		return m, nil
	}
}

func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	c.t.Helper()
	p, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err := wsjson.Write(c.ctx, c.conn, wsMsg{ID: id, Type: "subscribe", Payload: p}); err != nil {
		c.t.Fatal(err)
	}
}

// event waits for the next message of subscription id (others are
// returned to the caller through the map, keyed by id).
func (c *wsClient) event(within time.Duration) wsMsg {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, within)
	defer cancel()
	old := c.ctx
	c.ctx = ctx
	defer func() { c.ctx = old }()
	m, err := c.next()
	if err != nil {
		c.t.Fatalf("no message within %s: %v", within, err)
	}
	return m
}

type seatsEvent struct {
	SeatsChanged struct {
		PerformanceID string
		Performance   struct{ Show struct{ Title string } }
		Availability  struct {
			SeatsLeft int
			SoldOut   bool
		}
	}
}

const seatsQuery = `subscription($ids: [ID!]!) { seatsChanged(performanceIds: $ids) { performanceId performance { show { title } } availability { seatsLeft soldOut } } }`
const ordersQuery = `subscription { orderNotified { id paid lines { kind quantity performance { id show { title } } } } }`

func decodeNext(t testing.TB, m wsMsg, out any) {
	t.Helper()
	if m.Type != "next" {
		t.Fatalf("got %s %s, want next", m.Type, m.Payload)
	}
	var r gqlResp
	if err := json.Unmarshal(m.Payload, &r); err != nil || len(r.Errors) > 0 {
		t.Fatalf("payload %s: %v", m.Payload, err)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		t.Fatal(err)
	}
}

// livePerformance picks a performance still to come (the ticketing system
// sells no past one) and gives it a known count.
func livePerformance(t testing.TB, e *e2e, seats int) (perf, title string) {
	t.Helper()
	show, perf, ok := e.app.sandboxes.Ticketing.Sim.Seed().Upcoming()
	if !ok {
		t.Fatal("no performance to come in the seeded season")
	}
	e.app.sandboxes.Ticketing.Sim.SetAvailability(perf, seats)
	return perf, e.app.sandboxes.Ticketing.Sim.ShowTitle(show.ID)
}

// Ensure a sale simulated in the ticketing sandbox is pushed to the hook,
// and reaches WebSocket subscribers as a new seat count and as the order
// with its lines joined to the catalogue; the read that follows asks the
// ticketing system once.
func TestLiveWebSocket(t *testing.T) {
	e := boot(t)
	e.app.wireSandboxPushes(e.srv.URL)
	sb := e.app.sandboxes.Ticketing.Sim
	perf, title := livePerformance(t, e, 40)

	pub, err := dialWS(t, e.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	pub.subscribe("s", seatsQuery, map[string]any{"ids": []string{perf, perf}})
	var ev seatsEvent
	decodeNext(t, pub.event(5*time.Second), &ev)
	if ev.SeatsChanged.PerformanceID != perf || ev.SeatsChanged.Availability.SeatsLeft != 40 || ev.SeatsChanged.Performance.Show.Title != title {
		t.Fatalf("first event %+v, want the current 40 seats of %s (%s)", ev, perf, title)
	}
	bo, err := dialWS(t, e.srv.URL, map[string]any{"Authorization": "Bearer " + e.key})
	if err != nil {
		t.Fatal(err)
	}
	bo.subscribe("o", ordersQuery, nil)
	time.Sleep(100 * time.Millisecond) // the subscription is registered

	calls := sb.Calls()
	before := calls.Get("ws_det_representation") + calls.Get("ws_det_spectacle")
	start := time.Now()
	res, err := sb.SimulatePurchase(context.Background(), bilsandbox.Purchase{Contact: demoContact(e), Performance: perf, Seats: 3})
	if err != nil || !res.Pushed {
		t.Fatalf("purchase: %+v %v", res, err)
	}
	decodeNext(t, pub.event(2*time.Second), &ev)
	if ev.SeatsChanged.Availability.SeatsLeft != 37 {
		t.Fatalf("after the sale: %+v, want 37 seats", ev)
	}
	var order struct {
		OrderNotified struct {
			ID    string
			Paid  bool
			Lines []struct {
				Kind        string
				Quantity    int
				Performance *struct {
					ID   string
					Show struct{ Title string }
				}
			}
		}
	}
	decodeNext(t, bo.event(2*time.Second), &order)
	if took := time.Since(start); took > time.Second {
		t.Errorf("events took %s, want within 1 s", took)
	}
	o := order.OrderNotified
	tickets := 0
	for _, l := range o.Lines {
		if l.Kind == "TICKET" && l.Performance != nil && l.Performance.ID == perf && l.Performance.Show.Title == title {
			tickets += l.Quantity
		}
	}
	if o.ID != res.OrderID || !o.Paid || tickets != 3 {
		t.Fatalf("order event %+v, want order %s paid with 3 tickets of %s", o, res.OrderID, perf)
	}
	// The subscriber's refresh asked once; a read now is served from it.
	var q struct {
		Performance struct{ Availability struct{ SeatsLeft int } }
	}
	e.ok(e.do(nil, `query($id: ID!) { performance(id: $id) { availability { seatsLeft } } }`, map[string]any{"id": perf}, &q))
	if q.Performance.Availability.SeatsLeft != 37 {
		t.Fatalf("read after the sale: %d seats, want 37", q.Performance.Availability.SeatsLeft)
	}
	if n := calls.Get("ws_det_representation") + calls.Get("ws_det_spectacle") - before; n != 1 {
		t.Fatalf("%d availability calls upstream after the sale, want 1", n)
	}
	// The printed card reaches cardPrinted subscribers.
	bo.subscribe("c", `subscription { cardPrinted { id firstName lastName contactId contact { id } } }`, nil)
	time.Sleep(100 * time.Millisecond)
	card, err := sb.SimulatePurchase(context.Background(), bilsandbox.Purchase{Contact: demoContact(e), Performance: perf, Seats: 1, Card: true})
	if err != nil {
		t.Fatal(err)
	}
	// The card purchase is an order too, on the orders subscription.
	if m := bo.event(2 * time.Second); m.ID != "o" {
		t.Fatalf("got %s %s, want the card order", m.ID, m.Payload)
	}
	if n, err := sb.PrintCards(context.Background(), card.OrderID); err != nil || n != 1 {
		t.Fatalf("print: %d %v", n, err)
	}
	m := bo.event(2 * time.Second)
	var c struct {
		CardPrinted struct {
			ID, ContactID string
			Contact       *struct{ ID string }
		}
	}
	decodeNext(t, m, &c)
	if m.ID != "c" || !strings.HasPrefix(c.CardPrinted.ID, "/CA") || c.CardPrinted.ContactID != strconv.Itoa(demoContact(e)) || c.CardPrinted.Contact == nil || c.CardPrinted.Contact.ID != c.CardPrinted.ContactID {
		t.Fatalf("card event %s %+v", m.ID, c)
	}
}

// Ensure the back-office subscriptions refuse visitors: over WebSocket no
// key gets UNAUTHENTICATED for the operation, a wrong key is refused at
// connection_init; over SSE the same.
func TestLiveAuth(t *testing.T) {
	e := boot(t)
	anon, err := dialWS(t, e.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	anon.subscribe("o", ordersQuery, nil)
	m := anon.event(5 * time.Second)
	if m.Type != "error" && m.Type != "next" || !strings.Contains(string(m.Payload), "UNAUTHENTICATED") {
		t.Fatalf("orderNotified without key: %s %s", m.Type, m.Payload)
	}
	if _, err := dialWS(t, e.srv.URL, map[string]any{"Authorization": "Bearer not-the-key-0123456789"}); err == nil {
		t.Fatal("a wrong key in connection_init was accepted")
	}
	status, body := sse(t, e.srv.URL, nil, `subscription { cardPrinted { id } }`, nil, 1)
	if status != http.StatusOK || len(body) != 1 || !strings.Contains(body[0], "UNAUTHENTICATED") {
		t.Fatalf("SSE cardPrinted without key: %d %q", status, body)
	}
}

// sse runs one operation over GraphQL over SSE and returns the data lines
// of the first n events.
func sse(t testing.TB, base string, headers map[string]string, query string, vars map[string]any, n int) (int, []string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("Content-Type %q: %s", ct, raw)
	}
	var out []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && len(out) < n {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			out = append(out, d)
		}
	}
	return resp.StatusCode, out
}

// Ensure seatsChanged streams over SSE: the current count, then the count
// after a sale pushed to the hook.
func TestLiveSSE(t *testing.T) {
	e := boot(t)
	e.app.wireSandboxPushes(e.srv.URL)
	perf, _ := livePerformance(t, e, 25)
	go func() {
		time.Sleep(500 * time.Millisecond)
		e.app.sandboxes.Ticketing.Sim.SimulatePurchase(context.Background(), bilsandbox.Purchase{Contact: demoContact(e), Performance: perf, Seats: 2})
	}()
	status, events := sse(t, e.srv.URL, nil, seatsQuery, map[string]any{"ids": []string{perf}}, 2)
	if status != http.StatusOK || len(events) != 2 {
		t.Fatalf("SSE: %d %q", status, events)
	}
	for i, want := range []int{25, 23} {
		var r struct{ Data seatsEvent }
		if err := json.Unmarshal([]byte(events[i]), &r); err != nil || r.Data.SeatsChanged.Availability.SeatsLeft != want {
			t.Fatalf("event %d %s: want %d seats", i, events[i], want)
		}
	}
	// A public catalogue query over SSE streams too (not through the
	// response cache, which cannot stream).
	status, events = sse(t, e.srv.URL, nil, `{ venues { id } }`, nil, 1)
	if status != http.StatusOK || len(events) != 1 || !strings.Contains(events[0], `"venues":[{"id"`) {
		t.Fatalf("query over SSE: %d %q", status, events)
	}
}

// hookPost sends a push to this Guichet's hook.
func hookPost(t testing.TB, url string, body io.Reader) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "text/xml; charset=utf-8", body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// Ensure the hook endpoint: a wrong secret is a 404, counted, with nothing
// logged or applied; a 10 MB push is refused; an unreadable one is a 400,
// kept for inspection; the same push twice is applied once.
func TestLiveHookEndpoint(t *testing.T) {
	e := boot(t)
	urls := e.app.hookURLs(e.srv.URL)
	rcv := e.app.live.receiver
	sb := e.app.sandboxes.Ticketing.Sim
	perf, _ := livePerformance(t, e, 30)

	// Capture a real order document: the sandbox pushes it to a recorder.
	var doc []byte
	rec := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { doc, _ = io.ReadAll(r.Body) })
	recSrv := httpServer(t, rec)
	sb.SetCallbacks(bilsandbox.Callbacks{Order: recSrv})
	if _, err := sb.SimulatePurchase(context.Background(), bilsandbox.Purchase{Contact: demoContact(e), Performance: perf, Seats: 1}); err != nil || len(doc) == 0 {
		t.Fatalf("no order document captured: %v", err)
	}

	wrong := strings.Replace(urls.Order, e.app.cfg.HookSecret, "0123456789abcdef0123456789abcdef", 1)
	if status, _ := hookPost(t, wrong, bytes.NewReader(doc)); status != http.StatusNotFound {
		t.Fatalf("wrong secret: %d, want 404", status)
	}
	if rcv.Count("requests", "bad_secret") != 1 || rcv.Count("requests", "accepted") != 0 {
		t.Fatal("the wrong secret was not counted, or the push was accepted")
	}
	big := io.MultiReader(strings.NewReader("<caddy>"), bytes.NewReader(make([]byte, 10<<20)))
	if status, _ := hookPost(t, urls.Order, big); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("10 MB push: %d, want 413", status)
	}
	if status, _ := hookPost(t, urls.Order, strings.NewReader("<caddy><id>")); status != http.StatusBadRequest {
		t.Fatalf("malformed push: %d, want 400", status)
	}
	kept, _ := os.ReadFile(filepath.Join(e.app.cfg.DataDir, "hooks", "rejected.log"))
	if !bytes.Contains(kept, []byte(`"reason"`)) {
		t.Fatalf("the malformed push was not kept: %q", kept)
	}

	bo, err := dialWS(t, e.srv.URL, map[string]any{"Authorization": "Bearer " + e.key})
	if err != nil {
		t.Fatal(err)
	}
	bo.subscribe("o", `subscription { orderNotified { id } }`, nil)
	time.Sleep(100 * time.Millisecond)
	for i := 0; i < 2; i++ {
		if status, body := hookPost(t, urls.Order, bytes.NewReader(doc)); status != http.StatusOK || body != "OK" {
			t.Fatalf("push %d: %d %q", i, status, body)
		}
	}
	bo.event(2 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	var extra wsMsg
	if err := wsjson.Read(ctx, bo.conn, &extra); err == nil && extra.Type == "next" {
		t.Fatalf("the duplicate push was applied again: %s", extra.Payload)
	}
	for deadline := time.Now().Add(2 * time.Second); rcv.Count("processed", "duplicate") < 1; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the duplicate was not recognised")
		}
	}
	if rcv.Count("processed", "applied") != 1 {
		t.Fatalf("applied %v times, want 1", rcv.Count("processed", "applied"))
	}
}

func httpServer(t testing.TB, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func demoContact(e *e2e) int { return e.app.sandboxes.Ticketing.Sim.Seed().DemoContactID }

// Ensure GraphiQL runs a subscription in a real browser: the current count
// shows, then the count after a sale pushed while it is open.
func TestLiveGraphiQLInChromium(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil && os.Getenv("GUICHET_REQUIRE_E2E") != "1" {
		t.Skip("chromium missing; scripts/install-test-deps.sh installs it")
	}
	e := boot(t)
	e.app.wireSandboxPushes(e.srv.URL)
	perf, _ := livePerformance(t, e, 40)
	done := make(chan struct{})
	defer close(done)
	go func() { // the sale, once the browser's subscription is open
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if subs, _, _, _ := e.app.live.hub.Stats(); subs > 0 {
				time.Sleep(300 * time.Millisecond)
				e.app.sandboxes.Ticketing.Sim.SimulatePurchase(context.Background(),
					bilsandbox.Purchase{Contact: demoContact(e), Performance: perf, Seats: 3})
				return
			}
		}
	}()
	shot, _ := filepath.Abs("../artifacts/graphiql-subscription.png")
	os.MkdirAll(filepath.Dir(shot), 0o755)
	q := fmt.Sprintf(`subscription { seatsChanged(performanceIds: [%q]) { performanceId availability { seatsLeft } } }`, perf)
	nodeSuite(t, "../e2e/browser", "graphiql.mjs", "GUICHET_URL="+e.srv.URL+"/", "QUERY="+q,
		`EXPECT="seatsLeft": 37`, "EXERCISE=0", "SCREENSHOT="+shot)
}

// Ensure the subscriptions work through a federation router: Hive Gateway
// composes Guichet and subscribes to it over SSE and over WebSocket; a sale
// reaches the gateway's client as seatsChanged and orderNotified.
func TestLiveHiveGateway(t *testing.T) {
	e := boot(t)
	e.app.wireSandboxPushes(e.srv.URL)
	perf, _ := livePerformance(t, e, 40)
	nodeSuite(t, "../e2e/hive", "subscriptions.mjs", "GUICHET_URL="+e.srv.URL+"/graphql", "PERFORMANCE="+perf,
		"SANDBOX_URL="+e.app.sandboxes.Ticketing.BaseURL, "CONTACT="+strconv.Itoa(demoContact(e)), "KEY="+e.key)
}

// Ensure streams outlive the server's read and write timeouts (meant for
// ordinary answers), and that a drain ends them: the WebSocket is closed,
// the event stream completes.
func TestLiveStreamsTimeoutsAndDrain(t *testing.T) {
	e := boot(t)
	srv := httptest.NewUnstartedServer(e.app.Handler())
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = 500*time.Millisecond, 500*time.Millisecond
	srv.Start()
	defer srv.Close()
	perf, _ := livePerformance(t, e, 12)
	ws, err := dialWS(t, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.subscribe("s", seatsQuery, map[string]any{"ids": []string{perf}})
	var ev seatsEvent
	decodeNext(t, ws.event(5*time.Second), &ev)

	body, _ := json.Marshal(map[string]any{"query": seatsQuery, "variables": map[string]any{"ids": []string{perf}}})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	time.Sleep(1500 * time.Millisecond) // three times both timeouts
	e.app.sandboxes.Ticketing.Sim.SetAvailability(perf, 11)
	e.app.live.hub.Apply(live.Event{Seats: []string{perf}}) // as a notified sale does
	decodeNext(t, ws.event(3*time.Second), &ev)
	if ev.SeatsChanged.Availability.SeatsLeft != 11 {
		t.Fatalf("WebSocket after the timeouts: %+v", ev)
	}
	sawNew := false
	for deadline := time.After(3 * time.Second); !sawNew; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the event stream ended before the drain")
			}
			sawNew = strings.Contains(l, `"seatsLeft":11`)
		case <-deadline:
			t.Fatal("no new count on the event stream after the timeouts")
		}
	}
	e.app.live.hub.Drain()
	closed := make(chan error, 1)
	go func() {
		for { // a complete may come first
			if _, err := ws.next(); err != nil {
				closed <- err
				return
			}
		}
	}()
	select {
	case err := <-closed:
		if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
			t.Fatalf("WebSocket ended with %v, want a normal close", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the WebSocket is still open after the drain")
	}
	completed := false
	for deadline := time.After(3 * time.Second); ; {
		select {
		case l, ok := <-lines:
			if !ok {
				if !completed {
					t.Fatal("the stream ended without complete")
				}
				return
			}
			completed = completed || l == "event: complete"
		case <-deadline:
			t.Fatal("the event stream is still open after the drain")
		}
	}
}

// Ensure the subscription limits over the wire: past the per-connection
// limit an operation is refused with RATE_LIMITED, and the connection stays
// usable; the per-address limit counts SSE streams too.
func TestLiveLimits(t *testing.T) {
	e := bootWith(t, map[string]string{"GUICHET_SUBSCRIPTIONS_PER_CONNECTION": "2", "GUICHET_SUBSCRIPTIONS_PER_IP": "3"})
	perf, _ := livePerformance(t, e, 9)
	ws, err := dialWS(t, e.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{"ids": []string{perf}}
	for _, id := range []string{"a", "b", "c"} {
		ws.subscribe(id, seatsQuery, vars)
	}
	got := map[string]string{}
	for len(got) < 3 {
		m := ws.event(5 * time.Second)
		if _, seen := got[m.ID]; !seen {
			got[m.ID] = m.Type + " " + string(m.Payload)
		}
	}
	refused := 0
	for id, m := range got {
		if strings.Contains(m, "RATE_LIMITED") {
			refused++
			if !strings.Contains(m, "2 subscriptions per connection") {
				t.Fatalf("%s: %s", id, m)
			}
		}
	}
	if refused != 1 {
		t.Fatalf("three subscriptions with a limit of two: %v", got)
	}
	// Two on the WebSocket, one more stream allowed from this address,
	// then refused.
	done := make(chan struct{})
	defer close(done)
	go func() {
		body, _ := json.Marshal(map[string]any{"query": seatsQuery, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		resp, err := http.DefaultClient.Do(req.WithContext(ctx))
		if err == nil {
			defer resp.Body.Close()
			<-done
		}
	}()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if subs, _, _, _ := e.app.live.hub.Stats(); subs == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the SSE stream was not admitted")
		}
	}
	_, events := sse(t, e.srv.URL, nil, seatsQuery, vars, 1)
	if len(events) != 1 || !strings.Contains(events[0], "RATE_LIMITED") || !strings.Contains(events[0], "per client address") {
		t.Fatalf("fourth from one address: %q", events)
	}
}

// Ensure open connections are counted per client address too: idle
// WebSockets (no subscription) past GUICHET_SUBSCRIPTIONS_PER_IP are
// refused at the upgrade with 429 RATE_LIMITED, and a closed one gives its
// place back.
func TestLiveConnectionsPerAddress(t *testing.T) {
	e := bootWith(t, map[string]string{"GUICHET_SUBSCRIPTIONS_PER_IP": "2"})
	first, err := dialWS(t, e.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dialWS(t, e.srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	dial := func() (*websocket.Conn, *http.Response, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return websocket.Dial(ctx, strings.Replace(e.srv.URL, "http", "ws", 1)+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	}
	conn, resp, err := dial()
	if err == nil {
		conn.CloseNow()
		t.Fatal("a third idle connection from one address was accepted")
	}
	if resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("third connection: %v", err)
	}
	if b, _ := io.ReadAll(resp.Body); !strings.Contains(string(b), "RATE_LIMITED") {
		t.Fatalf("third connection refused with %s", b)
	}
	first.conn.Close(websocket.StatusNormalClosure, "")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		conn, _, err := dial()
		if err == nil {
			conn.CloseNow()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a closed connection did not give its place back:", err)
		}
	}
}

// Ensure a WebSocket that sends faster than GUICHET_WEBSOCKET_READ_RATE is
// read at that rate after its burst: forty 6 KiB pings sent at once get the
// pongs of the 64 KiB burst (and what the rate adds) within a second, not
// forty, the waits are counted, and the connection still works after.
func TestLiveWebSocketReadRate(t *testing.T) {
	e := bootWith(t, map[string]string{"GUICHET_WEBSOCKET_READ_RATE": "1024"})
	ws, err := dialWS(t, e.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", 6<<10)
	go func() {
		for i := range 40 {
			if wsjson.Write(ws.ctx, ws.conn, map[string]any{"type": "ping", "payload": map[string]any{"n": i, "pad": pad}}) != nil {
				return
			}
		}
	}()
	pongs := 0
	ctx, cancel := context.WithTimeout(ws.ctx, time.Second)
	defer cancel()
	for {
		var m wsMsg
		if err := wsjson.Read(ctx, ws.conn, &m); err != nil {
			break
		}
		if m.Type == "pong" {
			pongs++
		}
	}
	// 64 KiB of burst and 1 KiB/s: ten or eleven 6 KiB messages in the
	// first second; unpaced, all forty come back within milliseconds.
	if pongs == 0 || pongs > 14 {
		t.Fatalf("%d pongs within a second for 40 pings of 6 KiB, want the burst's 10-11", pongs)
	}
	if e.app.live.hub.PacedReads() == 0 {
		t.Fatal("no paced read was counted")
	}
}

// Ensure a WebSocket message is bounded like a light request: a subscribe
// past HeavyRequestBytes closes the connection (1009) instead of being
// parsed, since WebSocket operations never wait in the heavy lane.
func TestLiveWebSocketMessageLimit(t *testing.T) {
	e := boot(t)
	perf, _ := livePerformance(t, e, 9)
	ws, err := dialWS(t, e.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{"ids": []string{perf}}
	ws.subscribe("small", seatsQuery, vars)
	if m := ws.event(5 * time.Second); m.Type != "next" {
		t.Fatalf("a small subscription: %s %s", m.Type, m.Payload)
	}
	padded := "# " + strings.Repeat("x", graph.HeavyRequestBytes) + "\n" + seatsQuery
	ws.subscribe("big", padded, vars)
	for {
		m, err := ws.next()
		if err == nil && m.ID == "big" {
			t.Fatalf("a %d-byte message was served: %s %s", len(padded), m.Type, m.Payload)
		}
		if err == nil {
			continue // the first subscription's events
		}
		if websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
			t.Fatalf("a %d-byte message: %v, want close 1009", len(padded), err)
		}
		break
	}
}

// Ensure a browser WebSocket from another origin is refused unless the
// origin is one of GUICHET_CORS_ORIGINS.
func TestLiveWebSocketOrigins(t *testing.T) {
	e := bootWith(t, map[string]string{"GUICHET_CORS_ORIGINS": "https://www.theatre.fr"})
	dial := func(origin string) int {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		h := http.Header{}
		h.Set("Origin", origin)
		conn, resp, err := websocket.Dial(ctx, strings.Replace(e.srv.URL, "http", "ws", 1)+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h})
		if err == nil {
			conn.CloseNow()
		}
		if resp == nil {
			t.Fatal(err)
		}
		return resp.StatusCode
	}
	if got := dial("https://www.theatre.fr"); got != http.StatusSwitchingProtocols {
		t.Fatalf("allowed origin: %d", got)
	}
	if got := dial("https://evil.example"); got != http.StatusForbidden {
		t.Fatalf("other origin: %d, want 403", got)
	}
}

// Ensure GraphQL over SSE with GET (graphql-sse's distinct connections, as
// Hive Gateway subscribes): the query string is the operation; variables
// that are not JSON are a BAD_REQUEST.
func TestLiveSSEGet(t *testing.T) {
	e := boot(t)
	perf, _ := livePerformance(t, e, 17)
	get := func(vars string) (*http.Response, string) {
		q := url.Values{"query": {seatsQuery}, "variables": {vars}}
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/graphql?"+q.Encode(), nil)
		req.Header.Set("Accept", "text/event-stream")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		resp, err := http.DefaultClient.Do(req.WithContext(ctx))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data: ") || strings.HasPrefix(sc.Text(), "{") {
				return resp, sc.Text()
			}
		}
		return resp, ""
	}
	resp, first := get(`{"ids": ["` + perf + `"]}`)
	if resp.Header.Get("Content-Type") != "text/event-stream" || !strings.Contains(first, `"seatsLeft":17`) {
		t.Fatalf("GET stream: %s %q", resp.Header.Get("Content-Type"), first)
	}
	resp, body := get(`{"ids": [`)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "BAD_REQUEST") {
		t.Fatalf("bad variables: %d %s", resp.StatusCode, body)
	}
	// A mutation over GET is refused, as on the plain GET transport: any
	// page can open an EventSource here without a CORS preflight.
	e.tickets().Reset()
	q := url.Values{"query": {`mutation { createSession { token } }`}}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/graphql?"+q.Encode(), nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(raw), `"token"`) || !strings.Contains(string(raw), "OPERATION_NOT_ALLOWED") {
		t.Fatalf("mutation over GET: %d %.300q", resp.StatusCode, raw)
	}
	for svc, n := range e.tickets().Snapshot() {
		if n > 0 {
			t.Fatalf("a mutation over GET reached the ticketing system: %s", svc)
		}
	}
}

// Ensure the hook secret, which travels in the push URL's path, never
// reaches the log: neither a configured one nor the random one of sandbox
// mode (made after the logger), in the access log line of a push.
func TestLiveHookSecretNotLogged(t *testing.T) {
	for _, env := range []map[string]string{nil, {"GUICHET_HOOK_SECRET": "configured-hook-secret-0123"}} {
		e, sink := bootLogged(t, env)
		secret := e.app.cfg.HookSecret
		if env != nil && secret != env["GUICHET_HOOK_SECRET"] {
			t.Fatalf("hook secret %q, want the configured one", secret)
		}
		urls := e.app.hookURLs(e.srv.URL)
		if status, _ := hookPost(t, urls.Card, strings.NewReader("<NOTIFY><idcarte>")); status != http.StatusBadRequest {
			t.Fatalf("malformed push: %d", status)
		}
		logged := sink.String()
		if !strings.Contains(logged, "/hooks/billetterie/") {
			t.Fatalf("no access log line for the push: %s", logged)
		}
		if strings.Contains(logged, secret) {
			t.Fatalf("the hook secret reached the log: %s", logged)
		}
	}
}

// Ensure the hostile documents of the abuse corpus get the same refusal
// over a WebSocket as over POST (the checks are gqlgen extensions, which
// every transport runs), with nothing executed: each small enough for one
// WebSocket message is sent as a subscribe.
func TestAbuseOverWebSocket(t *testing.T) {
	corpus := loadAbuse(t)
	e := bootWith(t, abuseEnv)
	ws, err := dialWS(t, e.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.tickets().Reset()
	e.crm().Reset()
	names := make([]string, 0, len(corpus))
	for n, c := range corpus {
		if len(c.Request) > 0 && len(c.Request) < graph.HeavyRequestBytes-200 && c.Header == nil && c.DeclaredLength == 0 {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	t.Logf("over the WebSocket: %v", names)
	if len(names) < 10 {
		t.Fatalf("only %d cases fit a WebSocket message", len(names))
	}
	for _, name := range names {
		c := corpus[name]
		if err := wsjson.Write(ws.ctx, ws.conn, wsMsg{ID: name, Type: "subscribe", Payload: c.Request}); err != nil {
			t.Fatal(err)
		}
		m := ws.event(5 * time.Second)
		if m.ID != name {
			t.Fatalf("%s: answer for %q", name, m.ID)
		}
		if !strings.Contains(string(m.Payload), `"code":"`+c.Code+`"`) {
			t.Errorf("%s: %s %.300s, want %s", name, m.Type, m.Payload, c.Code)
		}
		var p struct{ Data json.RawMessage }
		if m.Type == "next" && json.Unmarshal(m.Payload, &p) == nil && len(p.Data) > 0 && string(p.Data) != "null" {
			t.Errorf("%s: fields ran: %.300s", name, p.Data)
		}
		if m.Type == "next" { // a query's answer is followed by complete
			ws.event(5 * time.Second)
		}
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

// Ensure a public query over SSE is answered as an event stream even when
// the response cache holds its JSON answer: the cache must not serve a
// stream request.
func TestLiveSSEQueryNotFromCache(t *testing.T) {
	e := boot(t)
	q := []byte(`{"query":"{ venues { id } }"}`)
	for _, accept := range []string{"application/graphql-response+json", "application/graphql-response+json", "text/event-stream"} {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(q))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, strings.Split(accept, ",")[0]) {
			t.Fatalf("Accept %s: %d %s %.200q", accept, resp.StatusCode, ct, b)
		}
		if accept == "text/event-stream" && !strings.Contains(string(b), "event: next") {
			t.Fatalf("no event in the stream: %.200q", b)
		}
	}
}

// Ensure a subscription is one operation in the log and the metrics, not
// one per event: a seat count pushed to a thousand subscribers must not
// write a thousand log lines, nor put hours-long "durations" in the
// latency histogram.
func TestLiveEventsAreNotOperations(t *testing.T) {
	e, sink := bootLogged(t, nil)
	perf, _ := livePerformance(t, e, 20)
	ws, err := dialWS(t, e.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.subscribe("s", seatsQuery, map[string]any{"ids": []string{perf}})
	var ev seatsEvent
	decodeNext(t, ws.event(5*time.Second), &ev)
	for _, n := range []int{19, 18} {
		e.app.sandboxes.Ticketing.Sim.SetAvailability(perf, n)
		e.app.live.hub.Apply(live.Event{Seats: []string{perf}})
		decodeNext(t, ws.event(5*time.Second), &ev)
		if ev.SeatsChanged.Availability.SeatsLeft != n {
			t.Fatalf("event %+v, want %d seats", ev, n)
		}
	}
	ops := 0
	for _, l := range sink.lines(t) {
		if l["msg"] == "graphql operation" && l["type"] == "subscription" {
			ops++
		}
	}
	if ops != 1 {
		t.Fatalf("%d operation log lines for one subscription of three events, want 1", ops)
	}
}

// Ensure the federation router, which carries every client's subscriptions
// from one address, is not held to the per-address limits when it presents
// GUICHET_ROUTER_SECRET; another caller from the same address is.
func TestLiveRouterNotLimitedPerAddress(t *testing.T) {
	const secret = "router-secret-0123456789"
	e := bootWith(t, map[string]string{"GUICHET_SUBSCRIPTIONS_PER_IP": "1", "GUICHET_ROUTER_SECRET": secret})
	perf, _ := livePerformance(t, e, 9)
	vars := map[string]any{"ids": []string{perf}}
	stream := func(header map[string]string) *http.Request {
		body, _ := json.Marshal(map[string]any{"query": seatsQuery, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		return req
	}
	hold := make(chan struct{})
	defer close(hold)
	waitSubs := func(subs int64) {
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if n, _, _, _ := e.app.live.hub.Stats(); n == subs {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("subscriptions never reached %d", subs)
			}
		}
	}
	held := func(header map[string]string, subs int64) { // a stream kept open
		go func() {
			if resp, err := http.DefaultClient.Do(stream(header)); err == nil {
				defer resp.Body.Close()
				<-hold
			}
		}()
		waitSubs(subs)
	}
	router := map[string]string{graph.RouterSecretHeader: secret}
	held(router, 1)
	held(router, 2)
	if _, events := sse(t, e.srv.URL, router, seatsQuery, vars, 1); len(events) != 1 || !strings.Contains(events[0], `"seatsLeft":9`) {
		t.Fatalf("the router's third stream: %q", events)
	}
	waitSubs(2) // the third stream ended
	// Another caller from the same address has its one place, not two.
	held(nil, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(stream(nil).WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "RATE_LIMITED") {
			return
		}
		if strings.Contains(sc.Text(), "seatsLeft") {
			break
		}
	}
	t.Fatalf("a second stream from the address without the secret was admitted (%d)", resp.StatusCode)
}
