package app

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/obs"
	"github.com/guichet/guichet/soap"
	"github.com/guichet/guichet/upstream"
)

// backends are the two back offices as Guichet talks to them, at the
// endpoints of the configuration (real ones, or sandboxes already started).
type backends struct {
	crm       crm.Service // the AboWeb client (soap)
	ticketing *ticketing  // the L@billetterie client (billetterie)
	links     *siteLinks
	closers   []func()

	// Sees the breakers of both back offices (logs, and metrics when the
	// server runs).
	observer upstream.Observer
}

// policyFor is the resilience policy of a back office. Its Budget is the
// back office's one timeout: the resilient transport enforces it over a
// whole logical call (waiting for a slot, attempts, back-off), the adapter's
// per-call deadline is set to it (adapters need one of their own when used
// without the transport), and the shared connection pool has none beyond
// connection set-up, since it serves both back offices.
// Both back offices take the same variables today.
func policyFor(cfg config.Config) upstream.Policy {
	return upstream.Policy{Budget: cfg.UpstreamTimeout, Retries: cfg.UpstreamRetries, Concurrency: cfg.UpstreamConcurrency,
		BreakerFailures: cfg.BreakerFailures, BreakerCooldown: cfg.BreakerCooldown}
}

// sharedHTTP is the one HTTP client of the upstream calls: keep-alive,
// enough idle connections for a season opening. It sets no call timeout
// (no Client.Timeout, no ResponseHeaderTimeout): the budget of each back
// office (policyFor) bounds headers and body alike through the request's
// context; only connection set-up has its own limits.
func sharedHTTP() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 64
	tr.IdleConnTimeout = 90 * time.Second
	tr.TLSHandshakeTimeout = 10 * time.Second
	return &http.Client{Transport: tr}
}

// resilient gives one back office its own resilient transport (retries,
// breaker, concurrency cap, budget) over the shared pool: a breaker or a
// full concurrency cap of one never blocks the other.
func (b *backends) resilient(shared *http.Client, backend upstream.Backend, pol upstream.Policy) *http.Client {
	t := upstream.New(backend, shared.Transport, pol, b.observer)
	c := *shared
	// One span per logical call, retries included (a no-op without tracing).
	c.Transport = &obs.Transport{Base: t, Backend: backend.Name}
	return &c
}

// breakerLog logs the breakers' transitions until metrics observe them too.
type breakerLog struct {
	upstream.Nop
	log *slog.Logger
}

func (l breakerLog) BreakerState(backend string, from, to upstream.State) {
	level := slog.LevelWarn
	if to == upstream.Closed {
		level = slog.LevelInfo
	}
	l.log.Log(context.Background(), level, "upstream circuit breaker", "backend", backend, "from", string(from), "to", string(to))
}

// openBackends connects both back offices; metrics may be nil (the sync
// command), else upstream calls, retries and breakers are counted.
func openBackends(cfg config.Config, logger *slog.Logger, metrics *obs.Metrics) (*backends, error) {
	b := &backends{observer: breakerLog{log: logger}}
	if metrics != nil {
		b.observer = metrics.UpstreamObserver(breakerLog{log: logger})
		// Both breakers start closed: show it before the first transition.
		metrics.Breaker(upstream.AboWeb.Name, string(upstream.Closed))
		metrics.Breaker(upstream.Billetterie.Name, string(upstream.Closed))
	}
	httpClient := sharedHTTP()
	b.closers = append(b.closers, httpClient.CloseIdleConnections)

	crmPolicy := policyFor(cfg)
	crmHTTP := b.resilient(httpClient, upstream.AboWeb, crmPolicy)
	crm, err := soap.New(soap.Config{
		URL: cfg.AbowebURL, Username: cfg.AbowebUsername, Password: cfg.AbowebPassword,
		PasswordMode: soap.PasswordMode(cfg.AbowebPasswordMode), UpdateSendsAll: cfg.AbowebUpdateSendsAll,
		HTTPClient: crmHTTP, Timeout: crmPolicy.Budget, Logger: logger,
		AuthFallback:   cfg.AbowebAuthFallback,
		OnLenientField: func(field string) { metrics.LenientField(upstream.AboWeb.Name, field) },
	})
	if err != nil {
		b.Close()
		return nil, err
	}
	b.crm = crm

	if err := b.openTicketing(cfg, httpClient, logger); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Close closes the idle upstream connections.
func (b *backends) Close() {
	for i := len(b.closers) - 1; i >= 0; i-- {
		b.closers[i]()
	}
	b.closers = nil
}
