package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/graph/loaders"
	"github.com/guichet/guichet/playground"
	"github.com/guichet/guichet/sandbox/fixture"
)

// app is one Guichet: its backends (real or sandboxed), its catalogue and
// its HTTP routes. Tests build it the same way main does.
type app struct {
	cfg      config.Config
	log      *slog.Logger
	back     *backends
	store    *catalogue.Store
	resolver *graph.Resolver
	ready    atomic.Bool
	stopSync context.CancelFunc
	demoKey  string
	sources  loaders.Sources
}

func newApp(ctx context.Context, cfg config.Config, logger *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: logger, store: &catalogue.Store{}}
	if cfg.BilletterieSandbox() && cfg.AbowebSandbox() && len(cfg.APIKeys) == 0 {
		// Sandbox mode needs a back-office key to explore back-office fields;
		// a fresh random one per run keeps it from becoming a known default.
		a.demoKey = "sandbox-" + randomHex(16)
		a.cfg.APIKeys = []string{a.demoKey}
	}
	back, err := openBackends(&a.cfg, logger)
	if err != nil {
		return nil, err
	}
	a.back = back
	a.resolver = &graph.Resolver{Catalogue: a.store, Links: back.links, CRM: back.crm,
		BoxOffice: back.tickets.box, Relations: back.tickets.box}
	a.sources = loaders.Sources{Subscribers: back.crm, BoxOffice: back.tickets.box}

	syncCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.stopSync = cancel
	if err := a.loadCatalogue(ctx); err != nil {
		logger.Warn("catalogue not loaded at start; retrying in the background", "err", err)
		go a.retryLoad(syncCtx)
	}
	return a, nil
}

// loadCatalogue fetches the full catalogue once and swaps it in.
func (a *app) loadCatalogue(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	snap, err := a.back.fullCatalogue(ctx)
	if err != nil {
		return err
	}
	a.store.Swap(snap)
	a.ready.Store(true)
	shows, perfs, venues := snap.Counts()
	a.log.Info("catalogue loaded", "version", snap.Version, "shows", shows, "performances", perfs, "venues", venues)
	return nil
}

func (a *app) retryLoad(ctx context.Context) {
	delay := time.Second
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		if err := a.loadCatalogue(ctx); err == nil {
			return
		} else {
			a.log.Warn("catalogue load failed", "err", err, "next_attempt_in", delay.String())
		}
		if delay < time.Minute {
			delay *= 2
		}
	}
}

// Handler is the whole HTTP surface of Guichet.
func (a *app) Handler() http.Handler {
	mux := http.NewServeMux()
	keys := graph.NewKeys(a.cfg.APIKeys)
	gql := graph.NewHandler(a.resolver, graph.Options{Introspection: a.cfg.Introspection})
	mux.Handle("/graphql", keys.Authenticate(loaders.Middleware(a.sources, gql)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !a.ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "catalogue not loaded yet")
			return
		}
		fmt.Fprintln(w, "ready")
	})
	if a.cfg.Playground {
		pg := playground.Handler("/graphql")
		mux.Handle("GET /{$}", pg)
		mux.Handle("GET /playground/", pg)
	}
	return mux
}

// announce logs where to reach the server and, in sandbox mode only, the
// demo credentials.
func (a *app) announce(addr net.Addr) {
	host := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = fmt.Sprintf("localhost:%d", tcp.Port)
	}
	attrs := []any{"addr", addr.String(), "config", a.cfg.String(), "sandboxes", a.back.sandboxes}
	if a.cfg.Playground {
		attrs = append(attrs, "graphiql", "http://"+host+"/")
	}
	a.log.Info("guichet listening", attrs...)
	if len(a.back.sandboxes) > 0 {
		a.log.Info("sandbox backends", "billetterie", a.back.billetterieSandboxURL, "aboweb", a.back.abowebSandboxURL)
	}
	if a.demoKey != "" {
		fmt.Printf("\nSandbox mode. Demo back-office key: Authorization: Bearer %s\n", a.demoKey)
	}
	if a.back.billetterieSandbox != nil {
		fmt.Printf("Demo website account: %s / %s\n", fixture.DemoEmail, fixture.DemoPassword)
	}
	if a.cfg.Playground {
		fmt.Printf("GraphiQL: http://%s/\n\n", host)
	}
}

// Close stops background work and the sandboxes.
func (a *app) Close() {
	a.stopSync()
	a.back.Close()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// now is the clock of the app (the sandboxes share the real one).
func (a *app) now() time.Time { return time.Now() }
