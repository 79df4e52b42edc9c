// Command guichet serves one GraphQL API over a venue's ticketing system
// (L@billetterie) and its subscriber CRM (AboWeb). With no backend
// configured it runs both as embedded sandboxes, so `go run .` is a working
// demo and a development server.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Paris must resolve on minimal hosts too

	"github.com/guichet/guichet/app"
	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/internal/gctarget"
	"github.com/guichet/guichet/obs"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		ver, rev, gov := app.BuildVersion()
		fmt.Printf("guichet %s (revision %s, %s)\n", ver, rev, gov)
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "sync" {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		code := app.SyncCommand(ctx, os.Args[2:], os.Getenv, os.Stdout, os.Stderr)
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
	// The back offices left unset run as sandboxes: started first, so the
	// configuration is final (their endpoints and credentials, the demo key)
	// before the logger redacts every credential of it.
	cfg, sb, err := app.StartSandboxes(cfg)
	if err != nil {
		obs.NewLogger(os.Stderr, slog.LevelInfo, nil).Error("starting the sandboxes", "err", err)
		os.Exit(1)
	}
	logger := obs.NewLogger(os.Stderr, cfg.LogLevel, obs.NewSecrets(cfg.Secrets()...))
	slog.SetDefault(logger)
	gc := gctarget.Apply(cfg.GCPercent, cfg.MemoryLimit, os.Getenv, "/sys/fs/cgroup")
	logger.Info("gc target", "gogc", gc.GCPercent, "memory_limit_bytes", gc.MemoryLimit, "from", gc.Source)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, cfg, sb, logger); err != nil {
		logger.Error("guichet stopped", "err", err)
		stop()
		os.Exit(1)
	}
}
