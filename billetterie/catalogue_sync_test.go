package billetterie_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/catalogue"
	sandbox "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/sandbox/fault"
)

// upstream is the ticketing sandbox behind a recorder of ws_programmation
// calls, with a clock the test moves.
type upstream struct {
	srv   *sandbox.Server
	url   string
	mu    sync.Mutex
	forms []url.Values
	now   time.Time
}

func (u *upstream) Now() time.Time { u.mu.Lock(); defer u.mu.Unlock(); return u.now }
func (u *upstream) advance(d time.Duration) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.now = u.now.Add(d)
}

// calls returns the forms of the ws_programmation calls so far.
func (u *upstream) calls() []url.Values {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]url.Values(nil), u.forms...)
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{now: time.Date(2026, time.November, 22, 10, 0, 0, 0, billetterie.Paris)}
	cfg := sandbox.DefaultConfig()
	cfg.Now = u.Now
	u.srv = sandbox.New(cfg)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ParseForm() == nil && len(r.URL.Path) >= len("ws_programmation") && r.URL.Path[len(r.URL.Path)-len("ws_programmation"):] == "ws_programmation" {
			u.mu.Lock()
			u.forms = append(u.forms, r.Form)
			u.mu.Unlock()
		}
		u.srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	u.url = hs.URL + "/"
	return u
}

func (u *upstream) source(t *testing.T) catalogue.Source {
	sc := sandbox.DefaultConfig()
	c, err := billetterie.New(billetterie.Config{BaseURL: u.url, Login: sc.Login, Password: sc.Password, Client: sc.Client, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return billetterie.CatalogueSource{C: c}
}

func (u *upstream) syncer(t *testing.T, dir string) (*catalogue.Syncer, *catalogue.Store) {
	st := &catalogue.Store{}
	return catalogue.NewSyncer(st, u.source(t), catalogue.FilePersister{Dir: dir}, catalogue.SyncOptions{
		Interval: time.Hour, PollInterval: 10 * time.Millisecond, Now: u.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}), st
}

func isFull(f url.Values) bool { return f.Get("filtre") == "" && f.Get("date_modif") == "" }

// TestSyncAgainstSandbox runs the acceptance scenario of the catalogue sync
// against the ticketing simulator, counting its ws_programmation calls.
func TestSyncAgainstSandbox(t *testing.T) {
	u := newUpstream(t)
	dir := t.TempDir()
	ctx := context.Background()

	// First start: one full load.
	s1, st1 := u.syncer(t, dir)
	if err := s1.Start(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !s1.Ready() {
		if time.Now().After(deadline) {
			t.Fatalf("never ready: %+v", s1.Status())
		}
		time.Sleep(5 * time.Millisecond)
	}
	s1.Stop()
	calls := u.calls()
	if len(calls) != 1 || !isFull(calls[0]) {
		t.Fatalf("first start made %d calls (%v), want one full load", len(calls), calls)
	}
	seed := u.srv.Seed()
	snap := st1.Current()
	if c := snap.Totals(); c.Shows != len(seed.Shows) || c.Performances != seed.Performances || c.Venues != len(seed.Venues) ||
		c.Passes != len(seed.PassIDs) || c.Articles != len(seed.ArticleIDs) || c.Grids == 0 {
		t.Fatalf("loaded %+v; sandbox has %d shows, %d performances, %d venues", c, len(seed.Shows), seed.Performances, len(seed.Venues))
	}
	first := seed.Shows[0]
	if sh := snap.Show(first.ID); sh == nil || sh.Title != first.Title || len(sh.Performances) != len(first.PerformanceIDs) {
		t.Fatalf("show %s: %+v", first.ID, sh)
	}

	// Restart: ready from disk, zero upstream calls; catalogue reads make none.
	s2, st2 := u.syncer(t, dir)
	if err := s2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer s2.Stop()
	if !s2.Ready() || st2.Current().Version != snap.Version {
		t.Fatal("restart not ready from the saved snapshot")
	}
	for _, sh := range seed.Shows {
		if st2.Current().Show(sh.ID) == nil {
			t.Fatalf("show %s missing after restart", sh.ID)
		}
	}
	st2.Current().Shows(catalogue.ShowFilter{Text: first.Title}, "", 20)
	time.Sleep(50 * time.Millisecond)
	if n := len(u.calls()); n != 1 {
		t.Fatalf("restart and reads made %d more calls", n-1)
	}

	// A show modified upstream appears after the next pull, which carries
	// filtre=1 and the date of the last successful sync.
	target := seed.Shows[len(seed.Shows)-1].ID
	before := st2.Current().Show(target).ModifiedAt
	u.advance(26 * time.Hour)
	u.srv.TouchShow(target)
	if err := s2.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	calls = u.calls()
	last := calls[len(calls)-1]
	if last.Get("filtre") != "1" || last.Get("date_modif") != "20261122" {
		t.Fatalf("pull sent filtre=%q date_modif=%q, want 1 and 20261122 (the full load's day)", last.Get("filtre"), last.Get("date_modif"))
	}
	got := st2.Current().Show(target)
	if !got.ModifiedAt.After(before) || !got.ModifiedAt.Equal(u.Now().Truncate(time.Second)) {
		t.Fatalf("touched show modified at %v, was %v, sandbox now %v", got.ModifiedAt, before, u.Now())
	}
	if st2.Current().Totals().Shows != len(seed.Shows) {
		t.Fatal("shows absent from the delta were dropped")
	}
	u.advance(time.Hour)
	if err := s2.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	calls = u.calls()
	if d := calls[len(calls)-1].Get("date_modif"); d != "20261123" {
		t.Fatalf("second pull date_modif=%q, want 20261123 (the previous pull's day)", d)
	}

	// Faults during a pull: the previous snapshot keeps serving.
	good := st2.Current()
	for _, mode := range []fault.Mode{fault.VendorErr, fault.Garbage, fault.HTTP500} {
		u.srv.Faults().Set("ws_programmation", fault.Rule{Mode: mode})
		if err := s2.Pull(ctx); err == nil {
			t.Fatalf("%s: pull succeeded", mode)
		}
		if st2.Current() != good {
			t.Fatalf("%s: snapshot replaced", mode)
		}
		if stt := s2.Status(); !stt.Ready || stt.LastError == "" {
			t.Fatalf("%s: status %+v", mode, stt)
		}
	}
	u.srv.Faults().Reset()
	if err := s2.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if stt := s2.Status(); stt.LastError != "" || stt.FullLoads != 0 {
		t.Fatalf("after recovery: %+v", stt)
	}
	for _, f := range u.calls()[1:] {
		if isFull(f) {
			t.Fatal("a full load happened after the first start")
		}
	}
}

// Ensure a full load with a progress callback reports running counts that
// end at the loaded catalogue's sizes (what `guichet sync` draws).
func TestSourceProgress(t *testing.T) {
	u := newUpstream(t)
	src := u.source(t).(billetterie.CatalogueSource)
	var seen []catalogue.Counts
	src.Progress = func(c catalogue.Counts) { seen = append(seen, c) }
	parts, err := src.Full(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := catalogue.New("v", time.Now(), parts).Totals()
	if len(seen) < 10 || seen[len(seen)-1] != want {
		t.Fatalf("%d progress calls, last %+v, want %+v", len(seen), seen[len(seen)-1], want)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Shows < seen[i-1].Shows || seen[i].Performances < seen[i-1].Performances {
			t.Fatalf("counts went back: %+v then %+v", seen[i-1], seen[i])
		}
	}
}
