package app

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/obs"
)

// Run serves until ctx is cancelled, then shuts down gracefully. cfg names
// the back offices' final endpoints (see StartSandboxes), and sb, which may
// be nil, is closed on the way out.
func Run(ctx context.Context, cfg config.Config, sb *Sandboxes, logger *slog.Logger) error {
	defer sb.Close()
	// Tracing is off (a no-op) unless an OTLP endpoint is configured.
	shutdownTracing, err := obs.SetupTracing(ctx, cfg.OTLPEndpoint)
	if err != nil {
		return err
	}
	defer func() {
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdownTracing(flushCtx); err != nil {
			logger.Warn("flushing traces", "err", err)
		}
	}()
	a, err := newApp(ctx, cfg, sb, logger)
	if err != nil {
		return err
	}
	defer a.Close()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	var admin *http.Server
	if cfg.AdminAddr != "" {
		aln, err := net.Listen("tcp", cfg.AdminAddr)
		if err != nil {
			ln.Close()
			return err
		}
		admin = &http.Server{Handler: a.AdminHandler(), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 120 * time.Second,
			ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
		go admin.Serve(aln)
		defer admin.Close()
		logger.Info("admin listening", "addr", aln.Addr().String(), "pprof", cfg.Pprof)
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(a.live.hub.Drain) // WebSockets and event streams end first
	a.announce(ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Drain: the load balancer sees /readyz fail and stops sending, while
	// whatever still arrives is served; closing each connection after its
	// answer moves clients off this replica without a reset.
	a.draining.Store(true)
	if cfg.Drain > 0 {
		logger.Info("draining", "for", cfg.Drain.String())
		srv.SetKeepAlivesEnabled(false)
		select {
		case err := <-errc:
			return err
		case <-time.After(cfg.Drain):
		}
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
