// Package upstream holds the resilience of Guichet's calls to its back
// offices: an http.RoundTripper per back office that caps how many calls are
// in flight, bounds each call by a time budget, retries idempotent reads
// (never mutations) with jittered exponential backoff inside that budget, and
// trips a circuit breaker that fails fast while the back office is down and
// lets one probe through after a cooldown.
//
// Errors are errs errors or context errors, so the clients' existing
// transport-error mapping (errs.Transport) applies unchanged: an open breaker
// is Unavailable (UPSTREAM_UNAVAILABLE), a spent budget is Timeout
// (UPSTREAM_TIMEOUT).
package upstream

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/guichet/guichet/errs"
	"github.com/sony/gobreaker/v2"
	"golang.org/x/sync/semaphore"
)

// Policy is the resilience setting of one back office.
type Policy struct {
	Budget          time.Duration // deadline of one call, every attempt and wait included; 0: the caller's only
	Retries         int           // extra attempts of an idempotent read
	Concurrency     int           // calls in flight at most; 0 means 32
	BreakerFailures int           // consecutive failed attempts that open the breaker; 0 means 5
	BreakerCooldown time.Duration // open time before a probe; 0 means 10 s
	BaseDelay       time.Duration // first backoff; 0 means 50 ms
	MaxDelay        time.Duration // backoff ceiling; 0 means 1 s
}

func (p Policy) withDefaults() Policy {
	if p.Retries < 0 {
		p.Retries = 0
	}
	if p.Concurrency <= 0 {
		p.Concurrency = 32
	}
	if p.BreakerFailures <= 0 {
		p.BreakerFailures = 5
	}
	if p.BreakerCooldown <= 0 {
		p.BreakerCooldown = 10 * time.Second
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 50 * time.Millisecond
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = max(time.Second, p.BaseDelay)
	}
	return p
}

// ErrOpen is the cause of the error of a call refused by an open breaker.
var ErrOpen = errors.New("circuit breaker open")

// Transport is the resilient RoundTripper of one back office. Safe for
// concurrent use.
type Transport struct {
	b        Backend
	next     http.RoundTripper
	pol      Policy
	obs      Observer
	sem      *semaphore.Weighted
	cb       *gobreaker.TwoStepCircuitBreaker[struct{}]
	inFlight atomic.Int64
}

// New wraps next (shared by every back office: connection pooling stays
// global) with the policy of backend b. A nil obs observes nothing.
func New(b Backend, next http.RoundTripper, p Policy, obs Observer) *Transport {
	if obs == nil {
		obs = Nop{}
	}
	if next == nil {
		next = http.DefaultTransport
	}
	p = p.withDefaults()
	t := &Transport{b: b, next: next, pol: p, obs: obs, sem: semaphore.NewWeighted(int64(p.Concurrency))}
	failures := uint32(p.BreakerFailures)
	t.cb = gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        b.Name,
		MaxRequests: 1,
		Timeout:     p.BreakerCooldown,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= failures },
		IsExcluded:  func(err error) bool { return err == errExcluded },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			obs.BreakerState(b.Name, state(from), state(to))
		},
	})
	return t
}

// errFailure and errExcluded tell the breaker how an attempt went.
var (
	errFailure  = errors.New("failed attempt")
	errExcluded = errors.New("attempt not counted")
)

func state(s gobreaker.State) State {
	switch s {
	case gobreaker.StateOpen:
		return Open
	case gobreaker.StateHalfOpen:
		return HalfOpen
	}
	return Closed
}

// State is the breaker's current state.
func (t *Transport) State() State { return state(t.cb.State()) }

// Backend is the name of the back office.
func (t *Transport) Backend() string { return t.b.Name }

// CloseIdleConnections forwards to the wrapped transport, so that
// http.Client.CloseIdleConnections still reaches the pool.
func (t *Transport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// RoundTrip sends req, retrying it when it is an idempotent read.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		var err error
		if req, err = bufferBody(req); err != nil {
			return nil, err
		}
	}
	// The client says what the call is; a request without that is never
	// replayed.
	op, read := "unknown", false
	if c, ok := CallFrom(req.Context()); ok {
		op, read = c.Operation, c.Read
	}
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if t.pol.Budget > 0 {
		if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > t.pol.Budget {
			ctx, cancel = context.WithTimeout(ctx, t.pol.Budget)
		}
	}
	retries := 0
	if read {
		retries = t.pol.Retries
	}
	var (
		res     *http.Response
		err     error
		outcome Outcome
	)
	for attempt := 1; ; attempt++ {
		areq, berr := t.attemptRequest(req, ctx, attempt)
		if berr != nil {
			res, err, outcome = nil, berr, TransportError
			break
		}
		began := time.Now()
		res, outcome, err = t.attempt(ctx, areq)
		if !outcome.failure() || attempt > retries {
			break
		}
		delay, ok := t.retryDelay(ctx, attempt, res, time.Since(began))
		if !ok {
			break
		}
		t.obs.Retry(t.b.Name, op, attempt+1, outcome)
		if res != nil {
			drain(res.Body)
		}
		if werr := sleep(ctx, delay); werr != nil {
			res, err, outcome = nil, werr, outcomeOfErr(ctx, werr)
			break
		}
	}
	t.obs.Call(t.b.Name, op, outcome, time.Since(start))
	if err != nil {
		cancel()
		return nil, err
	}
	res.Body = &releasing{ReadCloser: res.Body, release: cancel}
	return res, nil
}

// attemptRequest is the request of one attempt: the caller's for the first
// (its own context unless the budget is shorter), a clone with a fresh copy
// of the body after.
func (t *Transport) attemptRequest(req *http.Request, ctx context.Context, attempt int) (*http.Request, error) {
	if attempt == 1 {
		if ctx == req.Context() {
			return req, nil
		}
		return req.WithContext(ctx), nil
	}
	r := req.Clone(ctx)
	if req.Body != nil && req.Body != http.NoBody {
		b, err := req.GetBody()
		if err != nil {
			return nil, errs.E(errs.Op("upstream."+t.b.Name), errs.Internal, errs.Msg("cannot replay the request body"), err)
		}
		r.Body = b
	}
	return r, nil
}

// attempt sends one request under the concurrency cap and the breaker. A
// returned response holds its slot until its body is closed.
func (t *Transport) attempt(ctx context.Context, req *http.Request) (*http.Response, Outcome, error) {
	// Fail fast before queueing for a slot: an open breaker must not wait.
	if t.cb.State() == gobreaker.StateOpen {
		closeBody(req)
		return nil, BreakerOpen, t.openError()
	}
	if err := t.sem.Acquire(ctx, 1); err != nil {
		closeBody(req)
		return nil, outcomeOfErr(ctx, err), err
	}
	t.obs.InFlight(t.b.Name, int(t.inFlight.Add(1)))
	release := func() {
		t.sem.Release(1)
		t.obs.InFlight(t.b.Name, int(t.inFlight.Add(-1)))
	}
	done, err := t.cb.Allow()
	if err != nil { // opened meanwhile, or the half-open probe is already out
		release()
		closeBody(req)
		return nil, BreakerOpen, t.openError()
	}
	res, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		o := outcomeOfErr(ctx, err)
		done(breakerVerdict(o))
		return nil, o, err
	}
	o := t.outcomeOfResponse(res)
	done(breakerVerdict(o))
	res.Body = &releasing{ReadCloser: res.Body, release: release}
	return res, o, nil
}

func (t *Transport) openError() error {
	return errs.E(errs.Op("upstream."+t.b.Name), errs.Unavailable,
		errs.Msg("back office unavailable: failing fast until it recovers"), ErrOpen)
}

func breakerVerdict(o Outcome) error {
	switch {
	case o == Cancelled:
		return errExcluded
	case o.failure():
		return errFailure
	}
	return nil
}

func outcomeOfErr(ctx context.Context, err error) Outcome {
	switch {
	case errors.Is(err, context.Canceled) && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return Cancelled
	case errs.KindOf(err) == errs.Timeout:
		return Timeout
	}
	return TransportError
}

// vendorPeek bounds how much of a 5xx body is read to recognise a vendor
// error document; the rest stays readable by the client.
const vendorPeek = 64 << 10

func (t *Transport) outcomeOfResponse(res *http.Response) Outcome {
	switch s := res.StatusCode; {
	case s == http.StatusTooManyRequests:
		return RateLimited
	case s >= 500:
		if t.b.VendorAnswer != nil {
			head, _ := io.ReadAll(io.LimitReader(res.Body, vendorPeek))
			res.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(head), res.Body), res.Body}
			if t.b.VendorAnswer(s, head) {
				return VendorError
			}
		}
		return ServerError
	case s >= 400:
		return ClientError
	}
	return OK
}

// retryDelay is the jittered backoff before attempt+1, and whether that
// attempt can still finish inside the budget: the wait plus as long as the
// last attempt took must fit before the deadline.
func (t *Transport) retryDelay(ctx context.Context, attempt int, res *http.Response, last time.Duration) (time.Duration, bool) {
	if t.cb.State() != gobreaker.StateClosed {
		return 0, false
	}
	d := t.pol.BaseDelay << (attempt - 1)
	if d > t.pol.MaxDelay || d <= 0 {
		d = t.pol.MaxDelay
	}
	// Equal jitter: at least half the step, so that retries stay spaced,
	// spread over the other half so that callers do not retry in step.
	d = d/2 + rand.N(d/2+1)
	if res != nil {
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s > 0 {
			d = max(d, time.Duration(s)*time.Second)
		}
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d+last {
		return 0, false
	}
	return d, true
}

func sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// releasing calls release once, when the body is closed or read to its end
// (whichever comes first), so that a slot or a deadline is never held by an
// answer already consumed.
type releasing struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasing) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(b.release)
	}
	return n, err
}

func (b *releasing) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// drain reads a little of an answer that is dropped for a retry, so that its
// connection can be reused, and closes it.
func drain(rc io.ReadCloser) {
	io.Copy(io.Discard, io.LimitReader(rc, 4<<10))
	rc.Close()
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// maxBuffered bounds a request body kept in memory for replays when the
// caller gave no GetBody; ours always do, so this is a safety net.
const maxBuffered = 8 << 20

// bufferBody makes req's body replayable: a shallow copy of req gets it.
func bufferBody(req *http.Request) (*http.Request, error) {
	b, err := io.ReadAll(io.LimitReader(req.Body, maxBuffered+1))
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	if len(b) > maxBuffered {
		return nil, errs.E(errs.Op("upstream"), errs.Internal, errs.Msg("request body too large to replay"))
	}
	r := req.WithContext(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return r, nil
}
