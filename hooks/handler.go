package hooks

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/boxoffice"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Paths are the endpoints the vendor is given, under Prefix and the secret:
// /hooks/billetterie/<secret>/purchase (order document, spec 2.4.2) and
// /hooks/billetterie/<secret>/card (NOTIFY, 2.4.6).
const Prefix = "/hooks/billetterie/"

// MaxBody bounds a push: the spec's documents are a few kilobytes.
const MaxBody = 1 << 20

// Receiver serves the inbound pushes and applies the logged ones.
type Receiver struct {
	secret [32]byte
	allow  []*net.IPNet // nil: any source
	log    Log
	apply  func(context.Context, boxoffice.Push) error
	logger *slog.Logger

	requests  *prometheus.CounterVec
	processed *prometheus.CounterVec
}

// Options configure a Receiver.
type Options struct {
	Secret string       // the path segment the vendor's URL carries; required
	Allow  []*net.IPNet // source networks allowed to push; empty: any
	Log    Log
	// Apply carries out a push (seat counts, subscriptions). It is called
	// once per distinct push, after the push is logged.
	Apply  func(context.Context, boxoffice.Push) error
	Logger *slog.Logger
	// Registry receives the receiver's counters; nil: not exported.
	Registry prometheus.Registerer
}

// NewReceiver builds the receiver; Run must be started to apply pushes.
func NewReceiver(o Options) (*Receiver, error) {
	if len(o.Secret) < 16 {
		return nil, errors.New("hooks: the secret needs at least 16 characters")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Receiver{secret: sha256.Sum256([]byte(o.Secret)), allow: o.Allow, log: o.Log, apply: o.Apply, logger: o.Logger,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guichet_hook_requests_total",
			Help: "Inbound vendor pushes by outcome: accepted, bad_secret, forbidden_source, too_large, malformed, unavailable."}, []string{"outcome"}),
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guichet_hook_pushes_processed_total",
			Help: "Logged pushes by outcome: applied, duplicate, unreadable, failed."}, []string{"outcome"}),
	}
	if o.Registry != nil {
		o.Registry.MustRegister(r.requests, r.processed)
	}
	return r, nil
}

// Count is the value of one counter, for tests and the load report.
func (r *Receiver) Count(series, outcome string) float64 {
	v := r.requests
	if series == "processed" {
		v = r.processed
	}
	var m dto.Metric
	if v.WithLabelValues(outcome).Write(&m) != nil {
		return 0
	}
	return m.GetCounter().GetValue()
}

// ParseCIDRs reads a comma-separated allow-list (addresses or networks).
func ParseCIDRs(s string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			ip := net.ParseIP(part)
			if ip == nil {
				return nil, fmt.Errorf("%q is not an address or network", part)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or network", part)
		}
		out = append(out, n)
	}
	return out, nil
}

func (r *Receiver) allowed(remote string) bool {
	if len(r.allow) == 0 {
		return true
	}
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range r.allow {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// ServeHTTP answers POST (and GET, which the spec also allows) on
// Prefix+"<secret>/purchase" and Prefix+"<secret>/card". Anything that is
// not a well-addressed push from an allowed source is a plain 404: a
// scanner learns nothing, and the secret never reaches a log.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rest, _ := strings.CutPrefix(req.URL.Path, Prefix)
	secret, kind, _ := strings.Cut(rest, "/")
	given := sha256.Sum256([]byte(secret))
	switch {
	case !r.allowed(req.RemoteAddr):
		r.requests.WithLabelValues("forbidden_source").Inc()
		http.NotFound(w, req)
		return
	case subtle.ConstantTimeCompare(given[:], r.secret[:]) != 1:
		r.requests.WithLabelValues("bad_secret").Inc()
		http.NotFound(w, req)
		return
	case kind != "purchase" && kind != "card":
		http.NotFound(w, req)
		return
	case req.Method != http.MethodPost && req.Method != http.MethodGet:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	case req.ContentLength > MaxBody:
		r.requests.WithLabelValues("too_large").Inc()
		w.Header().Set("Connection", "close")
		http.Error(w, "push too large", http.StatusRequestEntityTooLarge)
		return
	}
	req.Body = http.MaxBytesReader(w, req.Body, MaxBody+1)
	body, err := billetterie.NotificationBody(req)
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, billetterie.ErrNotificationTooLarge) || errors.As(err, &mbe):
		r.requests.WithLabelValues("too_large").Inc()
		w.Header().Set("Connection", "close")
		http.Error(w, "push too large", http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		r.reject(req.Context(), kind, nil, "no XML document")
		http.Error(w, "no notification document", http.StatusBadRequest)
		return
	}
	if _, err := billetterie.ParsePush(body); err != nil {
		// Kept for inspection; an error status lets the vendor retry.
		r.reject(req.Context(), kind, body, err.Error())
		http.Error(w, "unreadable notification", http.StatusBadRequest)
		return
	}
	e := Entry{Path: kind, Body: body}
	if err := r.log.Append(req.Context(), &e); err != nil {
		r.requests.WithLabelValues("unavailable").Inc()
		r.logger.Error("hook push not logged", "path", kind, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	r.requests.WithLabelValues("accepted").Inc()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "OK")
}

// maxKeptBody is how much of a rejected push is kept for inspection: the
// spec's documents are a few kilobytes, and a vendor retrying a malformed
// 1 MiB push would otherwise store a mebibyte per attempt.
const maxKeptBody = 64 << 10

func (r *Receiver) reject(ctx context.Context, kind string, body []byte, reason string) {
	r.requests.WithLabelValues("malformed").Inc()
	if len(body) > maxKeptBody {
		body = body[:maxKeptBody]
	}
	if err := r.log.Reject(ctx, Entry{Path: kind, Body: body}, reason); err != nil {
		r.logger.Warn("rejected push not kept", "path", kind, "err", err)
	}
}

// Run applies the logged pushes until ctx ends.
func (r *Receiver) Run(ctx context.Context) error {
	return r.log.Run(ctx, r.process)
}

// process applies one logged entry once: a push whose key (order and
// state, card id) was already applied by another entry is a duplicate.
func (r *Receiver) process(ctx context.Context, e Entry) error {
	p, err := billetterie.ParsePush(e.Body)
	if err != nil { // checked before logging; only a hand-edited log gets here
		r.processed.WithLabelValues("unreadable").Inc()
		r.log.Reject(ctx, e, err.Error())
		return nil
	}
	first, err := r.log.Claim(ctx, p.Key(), e.ID)
	if err != nil {
		r.processed.WithLabelValues("failed").Inc()
		return err
	}
	if !first {
		r.processed.WithLabelValues("duplicate").Inc()
		return nil
	}
	if err := r.apply(ctx, p); err != nil {
		r.processed.WithLabelValues("failed").Inc()
		r.logger.Warn("hook push not applied, will retry", "entry", e.ID, "err", err)
		return err
	}
	r.processed.WithLabelValues("applied").Inc()
	return nil
}
