// Command guichet serves one GraphQL API over a venue's ticketing system
// (L@billetterie) and its subscriber CRM (AboWeb). With no backend
// configured it runs both as embedded sandboxes, so `go run .` is a working
// demo and a development server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on minimal hosts too

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/internal/gctarget"
	"github.com/guichet/guichet/obs"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		ver, rev, gov := buildVersion()
		fmt.Printf("guichet %s (revision %s, %s)\n", ver, rev, gov)
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "sync" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		code := syncCommand(ctx, os.Args[2:], os.Getenv, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: guichet\n       guichet sync [--full]\n       guichet version\n\nServes the GraphQL API (/graphql) and GraphiQL (/). Configuration comes from the environment:\n\n")
		config.Usage(flag.CommandLine.Output())
		fmt.Fprintf(flag.CommandLine.Output(), "\nA backend whose URL is unset runs as an embedded sandbox.\n")
	}
	flag.Parse()
	cfg, err := config.FromEnv()
	if err != nil {
		obs.NewLogger(os.Stderr, slog.LevelInfo, nil).Error("bad configuration", "err", err)
		os.Exit(2)
	}
	// JSON lines with every credential of the configuration redacted; the
	// app adds the ones it learns later (sandbox credentials, demo key).
	logger := obs.NewLogger(os.Stderr, cfg.LogLevel, obs.NewSecrets(cfg.Secrets()...))
	slog.SetDefault(logger)
	gc := gctarget.Apply(cfg.GCPercent, cfg.MemoryLimit, os.Getenv, "/sys/fs/cgroup")
	logger.Info("gc target", "gogc", gc.GCPercent, "memory_limit_bytes", gc.MemoryLimit, "from", gc.Source)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, logger); err != nil {
		logger.Error("guichet stopped", "err", err)
		os.Exit(1)
	}
}

// run serves until ctx is cancelled, then shuts down gracefully.
func run(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
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
	a, err := newApp(ctx, cfg, logger)
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
