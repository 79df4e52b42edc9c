package upstream

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recorder is an Observer that keeps what it is told.
type recorder struct {
	mu          sync.Mutex
	opNames     []string
	calls       []Outcome
	retries     []int
	transitions []string
	maxInFlight int
}

func (r *recorder) Call(_, op string, o Outcome, _ time.Duration) {
	r.mu.Lock()
	r.calls = append(r.calls, o)
	r.opNames = append(r.opNames, op)
	r.mu.Unlock()
}
func (r *recorder) ops() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.opNames...)
}
func (r *recorder) Retry(_, _ string, attempt int, _ Outcome) {
	r.mu.Lock()
	r.retries = append(r.retries, attempt)
	r.mu.Unlock()
}
func (r *recorder) BreakerState(_ string, from, to State) {
	r.mu.Lock()
	r.transitions = append(r.transitions, string(from)+">"+string(to))
	r.mu.Unlock()
}
func (r *recorder) InFlight(_ string, n int) {
	r.mu.Lock()
	r.maxInFlight = max(r.maxInFlight, n)
	r.mu.Unlock()
}
func (r *recorder) snapshot() (calls []Outcome, retries []int, transitions []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Outcome(nil), r.calls...), append([]int(nil), r.retries...), append([]string(nil), r.transitions...)
}

// backOffice is a test server answering with the status handler returns,
// counting the requests and keeping their bodies.
type backOffice struct {
	srv    *httptest.Server
	n      atomic.Int64
	mu     sync.Mutex
	bodies []string
}

func newBackOffice(t *testing.T, handler func(n int, w http.ResponseWriter, r *http.Request)) *backOffice {
	b := &backOffice{}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		b.mu.Lock()
		b.bodies = append(b.bodies, string(body))
		b.mu.Unlock()
		handler(int(b.n.Add(1)), w, r)
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *backOffice) count() int { return int(b.n.Load()) }

// fastPolicy keeps the backoff in milliseconds so that tests stay short.
func fastPolicy() Policy {
	return Policy{Retries: 2, Concurrency: 8, BreakerFailures: 100, BreakerCooldown: time.Minute,
		BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}
}

func client(t *testing.T, b Backend, p Policy, obs Observer) (*http.Client, *Transport) {
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	tr := New(b, base, p, obs)
	return &http.Client{Transport: describing{b.Name, tr}}, tr
}

// describing plays the clients' part (billetterie, soap): it puts the
// call's description in the request's context, from the path's service or
// the SOAP body's operation, a read when named like one (ws_cat_*, ws_det_*,
// ws_info_*, ws_programmation, ws_status_session…, get*, find*).
type describing struct {
	backend string
	next    http.RoundTripper
}

var soapOp = regexp.MustCompile(`<soap:Body><([A-Za-z]+)`)

func (d describing) RoundTrip(r *http.Request) (*http.Response, error) {
	op := path.Base(r.URL.Path)
	if r.GetBody != nil {
		if rc, err := r.GetBody(); err == nil {
			b, _ := io.ReadAll(rc)
			if m := soapOp.FindSubmatch(b); m != nil {
				op = string(m[1])
			}
		}
	}
	read := op == "ws_programmation" || op == "ws_status_session" || op == "ws_recap_achat" || op == "ws_historique_contact"
	for _, pre := range []string{"ws_cat_", "ws_det_", "ws_info_", "get", "find"} {
		read = read || strings.HasPrefix(op, pre)
	}
	return d.next.RoundTrip(r.WithContext(WithCall(r.Context(), Call{Backend: d.backend, Operation: op, Read: read})))
}

func post(t *testing.T, c *http.Client, ctx context.Context, u, contentType, body string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	res, err := c.Do(req)
	if err == nil {
		t.Cleanup(func() { res.Body.Close() })
	}
	return res, err
}

const form = "application/x-www-form-urlencoded"

func status(code int) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

// Ensure a read failing with 5xx is sent 1+Retries times, each with the
// same body, and the last answer reaches the client.
func TestReadRetriedOnServerError(t *testing.T) {
	bo := newBackOffice(t, status(http.StatusInternalServerError))
	rec := &recorder{}
	c, _ := client(t, Billetterie, fastPolicy(), rec)
	res, err := post(t, c, context.Background(), bo.srv.URL+"/ws_det_representation", form, "id_representation=42&x_rsi_client=677")
	if err != nil || res.StatusCode != 500 {
		t.Fatalf("got %v %v", res, err)
	}
	if bo.count() != 3 {
		t.Fatalf("%d upstream calls, want 3", bo.count())
	}
	for _, b := range bo.bodies {
		if b != "id_representation=42&x_rsi_client=677" {
			t.Fatalf("replayed body %q", b)
		}
	}
	calls, retries, _ := rec.snapshot()
	if len(calls) != 1 || calls[0] != ServerError || len(retries) != 2 || retries[0] != 2 || retries[1] != 3 {
		t.Fatalf("observed calls %v retries %v", calls, retries)
	}
}

// Ensure a read that recovers on the third attempt returns that answer.
func TestReadRetrySucceeds(t *testing.T) {
	bo := newBackOffice(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		switch n {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			io.WriteString(w, `{"statut":{"code":0}}`)
		}
	})
	c, _ := client(t, Billetterie, fastPolicy(), nil)
	res, err := post(t, c, context.Background(), bo.srv.URL+"/ws_status_session", form, "x_rsi_token=T")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("got %v %v", res, err)
	}
	if b, _ := io.ReadAll(res.Body); string(b) != `{"statut":{"code":0}}` || bo.count() != 3 {
		t.Fatalf("body %q after %d calls", b, bo.count())
	}
}

// Ensure a body without GetBody is buffered so that it replays whole.
func TestReplayWithoutGetBody(t *testing.T) {
	bo := newBackOffice(t, status(http.StatusBadGateway))
	c, _ := client(t, Billetterie, fastPolicy(), nil)
	req, _ := http.NewRequest(http.MethodPost, bo.srv.URL+"/ws_programmation", io.NopCloser(strings.NewReader("a=1&b=2")))
	req.Header.Set("Content-Type", form)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if bo.count() != 3 || bo.bodies[2] != "a=1&b=2" {
		t.Fatalf("%d calls, bodies %q", bo.count(), bo.bodies)
	}
}

// Ensure mutations and unknown operations are sent exactly once, whatever
// the failure.
func TestMutationsNeverRetried(t *testing.T) {
	for _, svc := range []string{"ws_login", "ws_idsession", "ws_ccontact", "ws_modification_contact", "ws_modification_pwd",
		"ws_suppression_compte", "ws_organisme_creation", "ws_deconnexion_session", "not_a_service"} {
		bo := newBackOffice(t, status(http.StatusInternalServerError))
		c, _ := client(t, Billetterie, fastPolicy(), nil)
		if _, err := post(t, c, context.Background(), bo.srv.URL+"/"+svc, form, "x=1"); err != nil {
			t.Fatal(err)
		}
		if bo.count() != 1 {
			t.Fatalf("%s sent %d times", svc, bo.count())
		}
	}
	for _, op := range []string{"createOrUpdateClientEx", "updateClient", "UpdateStatut", "sendPassword", "authenticateByEmail"} {
		bo := newBackOffice(t, status(http.StatusInternalServerError))
		c, _ := client(t, AboWeb, fastPolicy(), nil)
		if _, err := post(t, c, context.Background(), bo.srv.URL, "text/xml", envelope(op)); err != nil {
			t.Fatal(err)
		}
		if bo.count() != 1 {
			t.Fatalf("%s sent %d times", op, bo.count())
		}
	}
}

// Ensure answers that are not the back office's failure are not retried
// and do not count against it: 4xx, vendor errors with 200, SOAP faults
// with 500.
func TestAnswersNotRetried(t *testing.T) {
	p := fastPolicy()
	p.BreakerFailures = 2
	cases := []struct {
		name    string
		b       Backend
		path    string
		ct      string
		body    string
		handler func(int, http.ResponseWriter, *http.Request)
	}{
		{"404", Billetterie, "/ws_cat_spectacle", form, "x=1", status(http.StatusNotFound)},
		{"vendor JSON error", Billetterie, "/ws_info_contact", form, "x=1", func(_ int, w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, `{"statut":{"code":5,"etat":"ko","message":"Pas de communication avec le serveur"}}`)
		}},
		{"SOAP fault", AboWeb, "/", "text/xml", envelope("getClient"), func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault><faultcode>S:Server</faultcode><faultstring>204 - Client inexistant</faultstring></S:Fault></S:Body></S:Envelope>`)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bo := newBackOffice(t, tc.handler)
			c, tr := client(t, tc.b, p, nil)
			for i := 0; i < 4; i++ {
				res, err := post(t, c, context.Background(), bo.srv.URL+tc.path, tc.ct, tc.body)
				if err != nil {
					t.Fatal(err)
				}
				// The peeked fault is still there for the client to parse.
				if b, _ := io.ReadAll(res.Body); tc.name == "SOAP fault" && !strings.Contains(string(b), "204 - Client inexistant") {
					t.Fatalf("body %q", b)
				}
			}
			if bo.count() != 4 || tr.State() != Closed {
				t.Fatalf("%d calls for 4, breaker %s", bo.count(), tr.State())
			}
		})
	}
}

// Ensure a read whose connection is reset is retried, the error typed when
// every attempt fails.
func TestReadRetriedOnTransportError(t *testing.T) {
	bo := newBackOffice(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close()
		}
	})
	c, _ := client(t, AboWeb, fastPolicy(), nil)
	_, err := post(t, c, context.Background(), bo.srv.URL, "text/xml", envelope("getNbClientsByType"))
	if err == nil || bo.count() != 3 {
		t.Fatalf("err %v after %d calls, want an error after 3", err, bo.count())
	}
	if k := errs.KindOf(errs.Transport("soap.getNbClientsByType", err)); k != errs.Unavailable {
		t.Fatalf("kind %s", k)
	}
}

// Ensure a slow back office ends in a Timeout within the budget, and that
// no retry starts that could not finish inside it.
func TestBudget(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	bo := newBackOffice(t, func(n int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	p := fastPolicy()
	p.Budget = 100 * time.Millisecond
	rec := &recorder{}
	c, _ := client(t, Billetterie, p, rec)
	_, err := post(t, c, context.Background(), bo.srv.URL+"/ws_programmation", form, "x=1")
	if errs.KindOf(err) != errs.Timeout || errs.KindOf(errs.Transport("billetterie.ws_programmation", err)) != errs.Timeout {
		t.Fatalf("err %v, want a timeout", err)
	}
	if bo.count() != 1 {
		t.Fatalf("%d calls: a retry started after the budget was spent", bo.count())
	}
	if calls, _, _ := rec.snapshot(); len(calls) != 1 || calls[0] != Timeout {
		t.Fatalf("observed %v", calls)
	}
}

// Ensure a failed attempt is not retried when the wait plus another such
// attempt would overrun the caller's deadline.
func TestNoRetryPastDeadline(t *testing.T) {
	bo := newBackOffice(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		time.Sleep(60 * time.Millisecond)
		w.WriteHeader(http.StatusInternalServerError)
	})
	c, _ := client(t, Billetterie, fastPolicy(), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res, err := post(t, c, ctx, bo.srv.URL+"/ws_programmation", form, "x=1")
	if err != nil || res.StatusCode != 500 || bo.count() != 1 {
		t.Fatalf("res %v err %v after %d calls, want the 500 after 1", res, err, bo.count())
	}
}

// Ensure the breaker opens after consecutive failures, then fails fast
// without calling the back office, lets one probe through after the
// cooldown, and closes when the probe succeeds.
func TestBreakerOpensAndRecovers(t *testing.T) {
	var healthy atomic.Bool
	bo := newBackOffice(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		if !healthy.Load() {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	p := fastPolicy()
	p.Retries, p.BreakerFailures, p.BreakerCooldown = 0, 3, 50*time.Millisecond
	rec := &recorder{}
	c, tr := client(t, Billetterie, p, rec)
	u := bo.srv.URL + "/ws_cat_spectacle"
	for i := 0; i < 3; i++ {
		if res, err := post(t, c, context.Background(), u, form, "x=1"); err != nil || res.StatusCode != 500 {
			t.Fatalf("call %d: %v %v", i, res, err)
		}
	}
	if tr.State() != Open {
		t.Fatalf("breaker %s after 3 failures", tr.State())
	}
	for i := 0; i < 5; i++ {
		_, err := post(t, c, context.Background(), u, form, "x=1")
		if !errors.Is(err, ErrOpen) || errs.KindOf(errs.Transport("billetterie.ws_cat_spectacle", err)) != errs.Unavailable {
			t.Fatalf("err %v, want the breaker's Unavailable", err)
		}
	}
	if bo.count() != 3 {
		t.Fatalf("%d upstream calls while open, want none beyond 3", bo.count()-3)
	}
	healthy.Store(true)
	waitState(t, tr, HalfOpen)
	if res, err := post(t, c, context.Background(), u, form, "x=1"); err != nil || res.StatusCode != 200 {
		t.Fatalf("probe: %v %v", res, err)
	}
	if tr.State() != Closed || bo.count() != 4 {
		t.Fatalf("breaker %s after %d calls", tr.State(), bo.count())
	}
	calls, _, transitions := rec.snapshot()
	if strings.Join(transitions, " ") != "closed>open open>half-open half-open>closed" {
		t.Fatalf("transitions %v", transitions)
	}
	if calls[3] != BreakerOpen {
		t.Fatalf("calls %v", calls)
	}
}

// Ensure a failed probe reopens the breaker, and that while the probe is
// out every other call fails fast.
func TestHalfOpenSingleProbe(t *testing.T) {
	probing := make(chan struct{})
	finish := make(chan struct{})
	bo := newBackOffice(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 2 {
			close(probing)
			<-finish
		}
		w.WriteHeader(http.StatusInternalServerError)
	})
	p := fastPolicy()
	p.Retries, p.BreakerFailures, p.BreakerCooldown = 0, 1, 30*time.Millisecond
	c, tr := client(t, Billetterie, p, nil)
	u := bo.srv.URL + "/ws_cat_spectacle"
	post(t, c, context.Background(), u, form, "x=1")
	waitState(t, tr, HalfOpen)
	done := make(chan error)
	go func() {
		res, err := c.Post(u, form, strings.NewReader("x=1"))
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	<-probing
	if _, err := post(t, c, context.Background(), u, form, "x=1"); !errors.Is(err, ErrOpen) {
		t.Fatalf("second call during the probe: %v", err)
	}
	close(finish)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if tr.State() != Open || bo.count() != 2 {
		t.Fatalf("breaker %s after %d calls", tr.State(), bo.count())
	}
}

// Ensure a caller giving up does not count against the back office.
func TestCancellationNotCounted(t *testing.T) {
	bo := newBackOffice(t, func(_ int, w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	p := fastPolicy()
	p.BreakerFailures = 1
	c, tr := client(t, Billetterie, p, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for bo.count() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	if _, err := post(t, c, ctx, bo.srv.URL+"/ws_programmation", form, "x=1"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if tr.State() != Closed || bo.count() != 1 {
		t.Fatalf("breaker %s after %d calls", tr.State(), bo.count())
	}
}

// Ensure no more than Concurrency calls reach the back office at once, and
// that a call queued past its deadline times out without being sent.
func TestConcurrencyCap(t *testing.T) {
	var cur, peak atomic.Int64
	arrived := make(chan struct{}, 16)
	release := make(chan struct{})
	bo := newBackOffice(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		n := cur.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		arrived <- struct{}{}
		<-release
		cur.Add(-1)
		io.WriteString(w, "ok")
	})
	p := fastPolicy()
	p.Concurrency = 2
	rec := &recorder{}
	c, _ := client(t, Billetterie, p, rec)
	u := bo.srv.URL + "/ws_cat_spectacle"
	var wg sync.WaitGroup
	errc := make(chan error, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.Post(u, form, strings.NewReader("x=1"))
			if err == nil {
				_, err = io.ReadAll(res.Body)
				res.Body.Close()
			}
			errc <- err
		}()
	}
	<-arrived
	<-arrived
	// With two slots taken, a call with a short deadline waits and gives up.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	_, err := post(t, c, ctx, u, form, "x=1")
	cancel()
	if errs.KindOf(err) != errs.Timeout {
		t.Fatalf("queued call: %v", err)
	}
	if got := bo.count(); got != 2 {
		t.Fatalf("%d calls reached the back office with 2 slots", got)
	}
	close(release)
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	if peak.Load() != 2 || bo.count() != 6 {
		t.Fatalf("peak %d, %d calls", peak.Load(), bo.count())
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.maxInFlight != 2 {
		t.Fatalf("observed in flight %d", rec.maxInFlight)
	}
}

// Ensure reading an answer to its end frees its slot even before Close,
// and closing frees it too: with one slot, sequential calls never block.
func TestSlotReleased(t *testing.T) {
	bo := newBackOffice(t, func(_ int, w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	p := fastPolicy()
	p.Concurrency = 1
	c, _ := client(t, Billetterie, p, nil)
	for i := 0; i < 3; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, bo.srv.URL+"/ws_cat_spectacle", strings.NewReader("x=1"))
		res, err := c.Do(req)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if i%2 == 0 {
			io.ReadAll(res.Body) // freed at EOF
		} else {
			res.Body.Close() // freed at Close
		}
		cancel()
	}
	if bo.count() != 3 {
		t.Fatalf("%d calls", bo.count())
	}
}

func waitState(t *testing.T, tr *Transport, want State) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); tr.State() != want; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("breaker %s, want %s", tr.State(), want)
		}
	}
}

func envelope(op string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><wsse:Security xmlns:wsse="x"><wsse:UsernameToken><wsse:Username>u</wsse:Username></wsse:UsernameToken></wsse:Security></soap:Header><soap:Body><` +
		op + ` xmlns="http://www.gesmag.com/"><codeClient>1</codeClient></` + op + `></soap:Body></soap:Envelope>`
}

// Ensure a call is named and retried as its client describes it: a read
// described as a mutation is sent once, and a request without a
// description is an unknown operation, never replayed.
func TestCallDescription(t *testing.T) {
	bo := newBackOffice(t, status(http.StatusBadGateway))
	rec := &recorder{}
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	c := &http.Client{Transport: New(Billetterie, base, fastPolicy(), rec)}
	for _, ctx := range []context.Context{
		WithCall(context.Background(), Call{Backend: "billetterie", Operation: "ws_modification_contact"}),
		context.Background(),
	} {
		before := bo.count()
		if _, err := post(t, c, ctx, bo.srv.URL+"/ws_cat_spectacle", form, "x=1"); err != nil {
			t.Fatal(err)
		}
		if n := bo.count() - before; n != 1 {
			t.Fatalf("sent %d times, want once", n)
		}
	}
	if got := rec.ops(); strings.Join(got, ",") != "ws_modification_contact,unknown" {
		t.Fatalf("observed operations %v", got)
	}
	if soapFault(500, []byte("<html>500</html>")) || soapFault(502, []byte(envelope("Fault"))) || !soapFault(500, []byte(`<E><Body><Fault/></Body></E>`)) {
		t.Error("soapFault")
	}
}
