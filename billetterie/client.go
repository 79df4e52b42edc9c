// Package billetterie is the client of the L@billetterie (Ressources SI)
// web services: form-encoded calls to <site>/ws_<name>, answered by a JSON
// envelope or an XML flux. It knows nothing of GraphQL: callers get vendor
// records (field names kept in the tags) and typed errs errors.
//
// The spec decides the wire. Where it is silent, our reconstructions are
// marked GUESS and kept together: the catalogue flux names in
// flux_names.go, the contact field names and limits in fields.go, the
// return codes in codes.go. Other GUESSes: ws_login's answer may carry the
// ids flat in message; an order notification may come as a raw body or as
// any form value holding the XML (notify.go); ws_organisme_modification
// also sends id_organisme as a parameter (organisations.go).
package billetterie

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/guichet/guichet/errs"
)

// Config is how Guichet reaches a venue's ticketing system.
type Config struct {
	BaseURL, Login, Password, Client string // BILLETTERIE_URL, _LOGIN, _PASSWORD, _CLIENT
	APIURL, APILogin, APIKey         string // ws_execute_programme host (BILLETTERIE_API_URL/_API_LOGIN/_API_KEY)
	PwdKey                           string // x_rsi_pwd_key of ws_modification_pwd (BILLETTERIE_PWD_KEY)
	UseGET                           bool   // send every call as GET with a query string
	HTTPClient                       *http.Client
	Timeout                          time.Duration // per-call deadline; 0 means 10 s
}

func mask(s string) string {
	if s == "" {
		return "(unset)"
	}
	return "(masked)"
}

// String never shows the secrets (password, API key, password key).
func (c Config) String() string {
	return fmt.Sprintf("billetterie.Config{BaseURL:%s Login:%s Client:%s Password:%s APIURL:%s APILogin:%s APIKey:%s PwdKey:%s UseGET:%t Timeout:%s}",
		c.BaseURL, c.Login, c.Client, mask(c.Password), c.APIURL, c.APILogin, mask(c.APIKey), mask(c.PwdKey), c.UseGET, c.Timeout)
}

// GoString keeps %#v as safe as %v.
func (c Config) GoString() string { return c.String() }

// Format keeps every verb (%+v included) as safe as %v.
func (c Config) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// LogValue keeps slog as safe as %v.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base_url", c.BaseURL), slog.String("login", c.Login), slog.String("client", c.Client),
		slog.String("password", mask(c.Password)), slog.String("api_url", c.APIURL), slog.String("api_login", c.APILogin),
		slog.String("api_key", mask(c.APIKey)), slog.String("pwd_key", mask(c.PwdKey)))
}

// Client calls one venue's web services. Safe for concurrent use.
type Client struct {
	cfg   Config
	base  string
	api   string
	http  *http.Client
	mu    sync.Mutex
	calls map[string]int
}

// String hides the configuration's secrets too.
func (c *Client) String() string { return "billetterie.Client{" + c.cfg.String() + "}" }

// maxBody caps what a JSON or purchase service may answer; the flux is streamed.
const maxBody = 16 << 20

// sharedHTTP is the one client used when Config.HTTPClient is nil: explicit
// timeouts at every stage, keep-alive shared by all Clients.
var sharedHTTP = &http.Client{
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   32,
		ForceAttemptHTTP2:     true,
	},
	// No overall Timeout: the catalogue flux is long; each call has its deadline.
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// New checks the configuration and builds a client.
func New(cfg Config) (*Client, error) {
	const op = errs.Op("billetterie.New")
	base, err := checkURL(cfg.BaseURL)
	if err != nil {
		return nil, errs.E(op, errs.Invalid, errs.Field("BILLETTERIE_URL"), errs.Msg("must be an http(s) URL"))
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	c := &Client{cfg: cfg, base: base, calls: map[string]int{}, http: cfg.HTTPClient}
	if cfg.APIURL != "" {
		if c.api, err = checkURL(cfg.APIURL); err != nil {
			return nil, errs.E(op, errs.Invalid, errs.Field("BILLETTERIE_API_URL"), errs.Msg("must be an http(s) URL"))
		}
	}
	if c.http == nil {
		c.http = sharedHTTP
	}
	return c, nil
}

// checkURL accepts a base URL with or without its trailing slash and
// returns it with one.
func checkURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return "", errors.New("bad URL")
	}
	return strings.TrimRight(u.String(), "/") + "/", nil
}

// Calls returns how many calls each service received (a copy).
func (c *Client) Calls() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.calls))
	for k, v := range c.calls {
		out[k] = v
	}
	return out
}

// SiteURL is the sales site's base URL, with a trailing slash.
func (c *Client) SiteURL() string { return c.base }

// Links returns a deep-link builder for the sales site.
func (c *Client) Links() Links { return Links{Base: c.base} }

func (c *Client) creds(v url.Values) url.Values {
	if v == nil {
		v = url.Values{}
	}
	v.Set("x_rsi_ws_login", c.cfg.Login)
	v.Set("x_rsi_ws_mdp", c.cfg.Password)
	v.Set("x_rsi_client", c.cfg.Client)
	return v
}

// body is an open answer; Close releases the call's deadline too.
type body struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b body) Close() error { err := b.ReadCloser.Close(); b.cancel(); return err }

// The headers of every call, shared (never modified) rather than one
// slice per call.
var (
	acceptAnswers = []string{"application/json, application/xml, text/xml"}
	formContent   = []string{"application/x-www-form-urlencoded"}
)

// do sends one call (counted) and returns the open body of a 200 answer.
func (c *Client) do(ctx context.Context, base, service string, form url.Values, get bool) (io.ReadCloser, error) {
	op := func() string { return "billetterie." + service } // for errors only
	c.mu.Lock()
	c.calls[service]++
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(describe(ctx, service, form), c.cfg.Timeout)
	var req *http.Request
	var err error
	target := base + service
	if get || c.cfg.UseGET {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, target+"?"+form.Encode(), nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
		if err == nil {
			req.Header["Content-Type"] = formContent
		}
	}
	if err != nil {
		cancel()
		return nil, errs.E(errs.Op(op()), errs.Internal, errs.Msg("cannot build the request"))
	}
	req.Header["Accept"] = acceptAnswers
	res, err := c.http.Do(req)
	if err != nil {
		cancel()
		// The URL error carries the query string (credentials on GET): keep only its cause.
		return nil, errs.Transport(op(), stripURL(err))
	}
	if res.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(res.Body, 4<<10))
		res.Body.Close()
		cancel()
		kind := errs.Unavailable
		if res.StatusCode == http.StatusTooManyRequests {
			kind = errs.RateLimited
		}
		return nil, errs.E(errs.Op(op()), kind, errs.Code(fmt.Sprintf("HTTP %d", res.StatusCode)),
			errs.Msg(fmt.Sprintf("the ticketing system answered HTTP %d", res.StatusCode)))
	}
	return body{res.Body, cancel}, nil
}

func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// readBufs are the scratch buffers answers are read into: io.ReadAll
// grew its buffer from 512 bytes, eight allocations and copies for an
// order recap; the answer is now copied once, at its size.
var readBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// fetch reads a whole (bounded) answer.
func (c *Client) fetch(ctx context.Context, base, service string, form url.Values, get bool) ([]byte, error) {
	b, err := c.do(ctx, base, service, form, get)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	buf := readBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 256<<10 { // a rare huge answer is not kept
			buf.Reset()
			readBufs.Put(buf)
		}
	}()
	buf.Reset()
	if _, err := buf.ReadFrom(&io.LimitedReader{R: b, N: maxBody + 1}); err != nil {
		return nil, errs.Transport("billetterie."+service, err)
	}
	if buf.Len() > maxBody {
		return nil, errs.E(errs.Op("billetterie."+service), errs.Unavailable, errs.Msg("the ticketing system's answer is too large"))
	}
	return append([]byte{}, buf.Bytes()...), nil
}
