package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/obs"
)

// SyncCommand is `guichet sync [--full]`: one catalogue sync into the
// configured storage (GUICHET_DATA_DIR or Redis), then exit. Operators run
// it to seed a new season or force deletions through, without a server.
func SyncCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("guichet sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	full := fs.Bool("full", false, "reload the whole season (ws_programmation), dropping what the ticketing system no longer sells")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: guichet sync [--full]\n\nSyncs the catalogue once into GUICHET_DATA_DIR (or Redis with GUICHET_REDIS_URL) and exits:\nan incremental pull (filtre=1&date_modif=) when a snapshot exists, else a full load.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "guichet sync: bad configuration:", err)
		return 2
	}
	cfg, sb, err := StartSandboxes(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "guichet sync:", err)
		return 1
	}
	defer sb.Close()
	logger := obs.NewLogger(stderr, slog.LevelWarn, obs.NewSecrets(cfg.Secrets()...))
	back, err := openBackends(cfg, logger, nil)
	if err != nil {
		fmt.Fprintln(stderr, "guichet sync:", err)
		return 1
	}
	defer back.Close()
	if sb.Ticketing != nil {
		fmt.Fprintln(stdout, "BILLETTERIE_URL is not set: syncing from the embedded sandbox season.")
	}
	persist, closePersist, err := catalogue.OpenPersister(ctx, cfg.RedisURL, cfg.DataDir)
	if err != nil {
		fmt.Fprintln(stderr, "guichet sync:", err)
		return 1
	}
	defer closePersist()
	if cfg.RedisURL != "" {
		fmt.Fprintln(stdout, "Storage: Redis (shared with the replicas).")
	} else {
		fmt.Fprintf(stdout, "Storage: %s\n", cfg.DataDir)
	}

	bar := newProgress(stdout)
	store := &catalogue.Store{}
	src := billetterie.CatalogueSource{C: back.ticketing.client, Progress: bar.update}
	s := catalogue.NewSyncer(store, src, persist, catalogue.SyncOptions{Logger: logger})
	found, err := s.Load(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "guichet sync:", err)
		return 1
	}
	if found {
		st := s.Status()
		fmt.Fprintf(stdout, "Saved catalogue: version %s, %s, last sync %s.\n", st.Version, countsLine(st.Counts), parisTime(st.LastSync))
	}
	start := time.Now()
	switch {
	case *full || !found:
		fmt.Fprintln(stdout, "Full load (ws_programmation)…")
		err = s.Full(ctx)
	default:
		fmt.Fprintf(stdout, "Incremental pull of the changes since %s (filtre=1&date_modif=)…\n", parisTime(s.Status().LastSync))
		err = s.Pull(ctx)
	}
	bar.done()
	if err != nil {
		fmt.Fprintln(stderr, "guichet sync: failed; the saved catalogue is unchanged:", err)
		return 1
	}
	st := s.Status()
	fmt.Fprintf(stdout, "Done in %s: version %s, %s.\n", time.Since(start).Round(time.Millisecond), st.Version, countsLine(st.Counts))
	return 0
}

func countsLine(c catalogue.Counts) string {
	return fmt.Sprintf("%d shows, %d performances, %d venues, %d price grids, %d passes, %d articles",
		c.Shows, c.Performances, c.Venues, c.Grids, c.Passes, c.Articles)
}

func parisTime(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.In(billetterie.Paris).Format("2006-01-02 15:04:05 MST")
}

// progress draws the running counts of a flux being read: redrawn in place
// ten times a second on a terminal, a line every 500 shows elsewhere (logs
// of a cron job stay short).
type progress struct {
	w      io.Writer
	tty    bool
	last   time.Time
	shows  int
	drawn  bool
	counts catalogue.Counts
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(c catalogue.Counts) {
	p.counts = c
	if p.tty {
		if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond {
			p.last = now
			fmt.Fprintf(p.w, "\r\033[K  read: %s", countsLine(c))
			p.drawn = true
		}
		return
	}
	if c.Shows >= p.shows+500 {
		p.shows = c.Shows
		fmt.Fprintf(p.w, "  read: %s\n", countsLine(c))
	}
}

func (p *progress) done() {
	if p.tty && p.drawn {
		fmt.Fprintf(p.w, "\r\033[K  read: %s\n", countsLine(p.counts))
	}
}
