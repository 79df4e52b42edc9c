package catalogue

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newTestSyncer(t *testing.T, src Source, dir string, clk *fakeClock) (*Syncer, *Store) {
	t.Helper()
	st := &Store{}
	var p Persister
	if dir != "" {
		p = FilePersister{Dir: dir}
	}
	opts := SyncOptions{Interval: time.Hour, PollInterval: 10 * time.Millisecond, Logger: quietLogger()}
	if clk != nil {
		opts.Now = clk.Now
	}
	return NewSyncer(st, src, p, opts), st
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestStartFullLoadThenRestartFromDisk(t *testing.T) {
	dir := t.TempDir()
	src := newFakeSource(30)
	s1, st1 := newTestSyncer(t, src, dir, nil)
	if err := s1.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "first full load", s1.Ready)
	s1.Stop()
	if fulls, since := src.counts(); fulls != 1 || len(since) != 0 {
		t.Fatalf("first start: %d full loads, %d pulls; want 1 and 0", fulls, len(since))
	}
	if _, err := os.Stat(filepath.Join(dir, snapFile)); err != nil {
		t.Fatalf("snapshot not saved: %v", err)
	}
	want := st1.Current()

	// A restart is ready as soon as Start returns, with no upstream call.
	s2, st2 := newTestSyncer(t, src, dir, nil)
	if err := s2.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s2.Stop()
	if !s2.Ready() {
		t.Fatal("not ready right after Start with a saved snapshot")
	}
	got := st2.Current()
	if got.Version != want.Version || got.Totals() != want.Totals() || got.Totals().Shows != 30 {
		t.Fatalf("reloaded %s %+v, saved %s %+v", got.Version, got.Totals(), want.Version, want.Totals())
	}
	p := got.Performance("s7-p1")
	if p == nil || !p.StartsAt.Equal(at(2, 20)) || p.StartsAt.Location().String() != "Europe/Paris" {
		t.Fatalf("performance after reload: %+v", p)
	}
	time.Sleep(50 * time.Millisecond) // several loop turns
	if fulls, since := src.counts(); fulls != 1 || len(since) != 0 {
		t.Fatalf("after restart: %d full loads, %d pulls; want still 1 and 0", fulls, len(since))
	}
	if st := s2.Status(); !st.Ready || st.FullLoads != 0 || st.Version != want.Version || st.LastFull.IsZero() {
		t.Fatalf("status after restart: %+v", st)
	}
}

func TestPullsCarryLastSyncDateAndMerge(t *testing.T) {
	src := newFakeSource(10)
	clk := &fakeClock{t: at(5, 10)}
	s, st := newTestSyncer(t, src, t.TempDir(), clk)
	ctx := context.Background()
	if err := s.Full(ctx); err != nil {
		t.Fatal(err)
	}
	v1 := st.Current()

	// Nothing modified since the 5th: no new version.
	clk.Set(at(6, 9))
	if err := s.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if st.Current() != v1 {
		t.Fatal("a pull that changed nothing minted a new snapshot")
	}

	// A show modified on the 6th appears after the next pull.
	clk.Set(at(6, 15))
	src.set(fakeShow("s3", "Nouveau titre", 1), at(6, 12))
	if err := s.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	_, since := src.counts()
	if len(since) != 2 || !since[0].Equal(at(5, 10)) || !since[1].Equal(at(6, 9)) {
		t.Fatalf("pull dates %v, want the 5th 10:00 then the 6th 09:00 (start of the previous success)", since)
	}
	v2 := st.Current()
	if v2 == v1 || v2.Version == v1.Version {
		t.Fatal("modified show did not produce a new snapshot")
	}
	if got := v2.Show("s3"); got == nil || got.Title != "Nouveau titre" || len(got.Performances) != 1 {
		t.Fatalf("s3 after pull: %+v", got)
	}
	if v2.Performance("s3-p1") != nil {
		t.Fatal("performance dropped by the modified show still served")
	}
	if v1.Show("s3").Title != "Show s3" || v1.Performance("s3-p1") == nil {
		t.Fatal("the previous snapshot was modified")
	}
	if v2.Totals().Shows != 10 {
		t.Fatalf("shows absent from the delta were lost: %d", v2.Totals().Shows)
	}
	if stt := s.Status(); stt.Pulls != 2 || stt.FullLoads != 1 || !stt.LastSync.Equal(at(6, 15)) || stt.LastError != "" {
		t.Fatalf("status: %+v", stt)
	}
}

func TestPullFailureKeepsServing(t *testing.T) {
	dir := t.TempDir()
	src := newFakeSource(5)
	clk := &fakeClock{t: at(5, 10)}
	s, st := newTestSyncer(t, src, dir, clk)
	ctx := context.Background()
	if err := s.Full(ctx); err != nil {
		t.Fatal(err)
	}
	good := st.Current()
	clk.Set(at(5, 11))
	src.fail(errs.E(errs.Op("billetterie.ws_programmation"), errs.Unavailable, errs.Msg("the ticketing system answered an error document"),
		errors.New("ERREUR: secret upstream detail")))
	if err := s.Pull(ctx); err == nil {
		t.Fatal("pull against a failing source succeeded")
	}
	if err := s.Full(ctx); err == nil {
		t.Fatal("full load against a failing source succeeded")
	}
	if st.Current() != good {
		t.Fatal("a failing sync replaced the snapshot")
	}
	stt := s.Status()
	if !stt.Ready || stt.Failures != 2 || !stt.LastErrorAt.Equal(at(5, 11)) ||
		!strings.Contains(stt.LastError, "error document") || strings.Contains(stt.LastError, "secret") {
		t.Fatalf("status after failures: %+v", stt)
	}
	// The failure is saved with the state, and the last good sync date kept.
	_, saved, err := FilePersister{Dir: dir}.Load(ctx)
	if err != nil || saved.LastError != stt.LastError || !saved.LastSync.Equal(at(5, 10)) {
		t.Fatalf("saved state %+v (%v)", saved, err)
	}
	// Recovery clears the error and pulls from the last successful date.
	src.fail(nil)
	clk.Set(at(5, 12))
	if err := s.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	_, since := src.counts()
	if last := since[len(since)-1]; !last.Equal(at(5, 10)) {
		t.Fatalf("pull after failure asked since %v, want the last success %v", last, at(5, 10))
	}
	if stt := s.Status(); stt.LastError != "" {
		t.Fatalf("error not cleared: %+v", stt)
	}
}

func TestFullLoadWithoutShowsRefused(t *testing.T) {
	src := newFakeSource(3)
	s, st := newTestSyncer(t, src, "", nil)
	ctx := context.Background()
	if err := s.Full(ctx); err != nil {
		t.Fatal(err)
	}
	good := st.Current()
	src.mu.Lock()
	src.shows = map[string]*Show{}
	src.mu.Unlock()
	if err := s.Full(ctx); !errs.Is(errs.Unavailable, err) {
		t.Fatalf("empty full load: %v", err)
	}
	if st.Current() != good {
		t.Fatal("an empty full load wiped the catalogue")
	}
}

func TestFullLoadDeletes(t *testing.T) {
	src := newFakeSource(3)
	s, st := newTestSyncer(t, src, "", nil)
	ctx := context.Background()
	s.Full(ctx)
	src.mu.Lock()
	delete(src.shows, "s1")
	src.mu.Unlock()
	if err := s.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	if st.Current().Show("s1") == nil {
		t.Fatal("a pull deleted a show absent from the delta")
	}
	if err := s.Full(ctx); err != nil {
		t.Fatal(err)
	}
	if st.Current().Show("s1") != nil || st.Current().Performance("s1-p0") != nil {
		t.Fatal("a full load kept a deleted show")
	}
}

func TestStartRetriesFullLoad(t *testing.T) {
	src := newFakeSource(2)
	src.fail(errors.New("connection refused"))
	s, _ := newTestSyncer(t, src, t.TempDir(), nil)
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	waitFor(t, "a failed attempt", func() bool { return s.Status().Failures > 0 })
	if s.Ready() {
		t.Fatal("ready without any snapshot")
	}
	src.fail(nil)
	waitFor(t, "the retried full load", s.Ready)
}

func TestLoopPullsEveryInterval(t *testing.T) {
	src := newFakeSource(3)
	clk := &fakeClock{t: at(5, 10)}
	st := &Store{}
	s := NewSyncer(st, src, FilePersister{Dir: t.TempDir()}, SyncOptions{Interval: 30 * time.Millisecond,
		PollInterval: 5 * time.Millisecond, Now: clk.Now, Logger: quietLogger()})
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	waitFor(t, "full load", s.Ready)
	clk.Set(at(6, 10))
	waitFor(t, "a first pull", func() bool { _, since := src.counts(); return len(since) >= 1 })
	clk.Set(at(7, 10))
	waitFor(t, "a second pull", func() bool { _, since := src.counts(); return len(since) >= 2 })
	fulls, since := src.counts()
	if fulls != 1 || !since[0].Equal(at(5, 10)) || !since[1].Equal(at(6, 10)) {
		t.Fatalf("fulls %d, pull dates %v", fulls, since[:2])
	}
}

// Readers keep using the snapshot they hold while pulls merge new ones;
// run with -race to check no served object is written.
func TestReadersDuringPulls(t *testing.T) {
	src := newFakeSource(50)
	clk := &fakeClock{t: at(5, 10)}
	s, st := newTestSyncer(t, src, "", clk)
	ctx := context.Background()
	if err := s.Full(ctx); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				done <- n
				return
			default:
			}
			snap := st.Current()
			page, _, _ := snap.Shows(ShowFilter{VenueID: "1", Text: "show"}, "", 100)
			for _, sh := range page {
				for _, p := range sh.Performances {
					_ = p.StartsAt.Before(p.EndsAt())
				}
			}
			n += len(page)
		}
	}()
	for i := range 20 {
		clk.Set(at(6+i/4, i%4))
		src.set(fakeShow(fmt.Sprintf("s%d", i), fmt.Sprintf("Show v%d", i), 1+i%3), clk.Now())
		if err := s.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	if n := <-done; n == 0 {
		t.Fatal("the reader saw nothing")
	}
	if sh := st.Current().Show("s19"); sh == nil || sh.Title != "Show v19" || len(sh.Performances) != 2 {
		t.Fatalf("s19: %+v", sh)
	}
}

func TestOpenPersister(t *testing.T) {
	dir := t.TempDir()
	p, closeFn, err := OpenPersister(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	if fp, ok := p.(FilePersister); !ok || fp.Dir != dir {
		t.Fatalf("persister %#v", p)
	}
	if _, _, err := OpenPersister(context.Background(), "not a url", dir); !errs.Is(errs.Invalid, err) {
		t.Fatalf("bad URL: %v", err)
	}
}
