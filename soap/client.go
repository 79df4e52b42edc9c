package soap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gsoap "github.com/hooklift/gowsdl/soap"

	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/soap/clientservice"
	"github.com/guichet/guichet/upstream"
)

// maxBody bounds what is read from one answer (50 full records are ~50 KB).
const maxBody = 8 << 20

// Client calls AboWeb's ClientService. It is safe for concurrent use.
type Client struct {
	cfg Config

	mu    sync.Mutex
	calls map[string]int

	lenientSeen sync.Map // field names already logged as read leniently

	lastHeader atomic.Pointer[cachedHeader] // encodedHeader's cache
}

// New checks cfg and returns a client; no call is made.
func New(cfg Config) (*Client, error) {
	if err := cfg.normalise(); err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, calls: map[string]int{}}, nil
}

// String keeps the credentials out of %v.
func (c *Client) String() string { return "soap.Client{" + c.cfg.URL + "}" }

// GoString keeps the credentials out of %#v.
func (c *Client) GoString() string { return c.String() }

// Calls returns how many calls were sent per operation (wire names).
func (c *Client) Calls() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.calls)
}

// newHTTPClient is the shared client used when Config.HTTPClient is nil:
// explicit timeouts everywhere, connections kept alive between calls.
func newHTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout + 5*time.Second, // a backstop; the per-call context deadline comes first
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: timeout,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConns:          64,
			MaxIdleConnsPerHost:   32,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// exchange is gowsdl's HTTPClient for one call. It restores keep-alive (gowsdl
// sets req.Close, defect 5) and keeps the answer's status and body so that
// faults are parsed here from the bytes whatever gowsdl made of them (defect 6).
type exchange struct {
	hc       *http.Client
	sent     bool
	status   int
	header   http.Header
	body     []byte
	readErr  error
	roundErr error
	fast     *fastAnswer // the answer read without the generated decoder, if it could be
	// replay hands gowsdl the answer already received instead of sending
	// its request again: the request went out pre-encoded (sendEncoded) and
	// the fast reader did not accept the answer.
	replay bool
}

// emptyEnvelope is what gowsdl decodes when the answer was read fast: an
// empty Body, leaving its response struct zero.
const emptyEnvelope = `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body></Body></Envelope>`

// The constant request headers, shared by every call (net/http only reads
// them): Header.Set would allocate a slice each per call.
var (
	userAgent   = []string{"guichet-aboweb"}
	contentType = []string{"text/xml; charset=UTF-8"}
	soapAction  = []string{`""`}
)

func (x *exchange) Do(req *http.Request) (*http.Response, error) {
	if x.replay {
		return &http.Response{StatusCode: x.status, Header: x.header, Body: io.NopCloser(bytes.NewReader(x.body)), Request: req}, nil
	}
	req.Close = false
	req.Header["User-Agent"] = userAgent
	req.Header["Content-Type"] = contentType
	x.sent = true
	res, err := x.hc.Do(req)
	if err != nil {
		x.roundErr = err
		return nil, err
	}
	defer res.Body.Close()
	x.status, x.header = res.StatusCode, res.Header
	x.body, x.readErr = io.ReadAll(io.LimitReader(res.Body, maxBody))
	if x.readErr != nil {
		return nil, x.readErr
	}
	// The rest of a too-large body is drained so the connection can be reused.
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if x.fast != nil && res.StatusCode < 400 && !strings.Contains(strings.ToLower(res.Header.Get("Content-Type")), "multipart") {
		if cl, ok := decodeAnswer(x.body, x.fast.shape); ok {
			x.fast.ok, x.fast.clients = true, cl
			res.Body = io.NopCloser(strings.NewReader(emptyEnvelope))
			return res, nil
		}
	}
	res.Body = io.NopCloser(bytes.NewReader(x.body))
	return res, nil
}

// describe puts what a call is in its context for the resilient transport,
// the spans and the metrics. get*/find* only read (getClient, getClients*,
// getNb* counts, findClientByEmail). Everything else is never retried:
// createOrUpdate*, update*/UpdateStatut and sendPassword change data or send
// mail, and authenticate* is a credential check the vendor may count
// towards a lockout.
func describe(ctx context.Context, op string) context.Context {
	read := strings.HasPrefix(op, "get") || strings.HasPrefix(op, "find")
	return upstream.WithCall(ctx, upstream.Call{Backend: upstream.AboWeb.Name, Operation: op, Read: read})
}

// call runs one operation through the generated client with its own header.
// op is the wire name; fn receives the generated service.
func (c *Client) call(ctx context.Context, op string, fn func(ctx context.Context, svc clientservice.ClientService) error) error {
	return c.callFast(ctx, op, nil, fn)
}

// callFast is call with the answer read by the fast reader when it accepts
// it (fast.ok, fast.clients); fn's response is then empty.
func (c *Client) callFast(ctx context.Context, op string, fast *fastAnswer, fn func(ctx context.Context, svc clientservice.ClientService) error) error {
	eop := "soap." + op
	hdr, err := c.header(ctx)
	if err != nil {
		return errs.E(errs.Op(eop), errs.Internal, errs.Msg("could not build the security header"))
	}
	ctx, cancel := context.WithTimeout(describe(ctx, op), c.cfg.Timeout)
	defer cancel()

	c.mu.Lock()
	c.calls[op]++
	c.mu.Unlock()

	x := &exchange{hc: c.cfg.HTTPClient, fast: fast}
	if fast != nil && fast.request != nil {
		// The hot reads skip gowsdl's reflective encoder (a third of
		// their CPU here): same bytes, written from cached parts.
		if err := x.sendEncoded(ctx, c.cfg.URL, c.encodedHeader(hdr), fast.request); err != nil {
			return c.classify(ctx, eop, x, err)
		}
		if fast.ok {
			return c.classify(ctx, eop, x, nil)
		}
		x.replay = true
	}
	sc := gsoap.NewClient(c.cfg.URL, gsoap.WithHTTPClient(x))
	sc.AddHeader(hdr)
	err = fn(ctx, clientservice.NewClientService(sc))
	return c.classify(ctx, eop, x, err)
}

// classify turns whatever happened into a typed error. Causes are rebuilt so
// that no envelope, header or body fragment reaches an error string.
func (c *Client) classify(ctx context.Context, op string, x *exchange, err error) error {
	switch {
	case !x.sent && err != nil:
		return errs.E(errs.Op(op), errs.Internal, errs.Msg("could not encode the request"), errors.New(typeName(err)))
	case x.roundErr != nil || x.readErr != nil:
		cause := x.roundErr
		if cause == nil {
			cause = x.readErr
		}
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cause = context.DeadlineExceeded
		}
		return errs.Transport(op, sanitizeTransport(cause))
	}
	// An answer the fast reader accepted is no fault (it declines them).
	if x.fast == nil || !x.fast.ok {
		if f, ok := parseFault(x.body); ok {
			return c.faultError(op, f)
		}
	}
	if x.status >= 400 {
		return errs.E(errs.Op(op), errs.Unavailable, errs.Code(fmt.Sprintf("HTTP %d", x.status)),
			errs.Msg("subscriber service answered with an HTTP error"))
	}
	if err != nil {
		return errs.E(errs.Op(op), errs.Unavailable, errs.Msg("subscriber service answered with an unreadable response"),
			errors.New(typeName(err)))
	}
	return nil
}

// sanitizeTransport keeps the classification of a transport error (timeouts,
// cancellation) but not its text beyond the standard net messages.
func sanitizeTransport(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		return context.Canceled
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return timeoutError{}
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return fmt.Errorf("%s: %w", oe.Op, oe.Err)
	}
	return errors.New("connection failed")
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func typeName(err error) string { return fmt.Sprintf("%T", err) }
