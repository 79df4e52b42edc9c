package catalogue

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	s := testSnapshot()
	st := SyncState{Version: s.Version, LastSync: at(2, 3), LastFull: at(1, 2)}
	var buf bytes.Buffer
	if err := EncodeSnapshot(&buf, s, st); err != nil {
		t.Fatal(err)
	}
	got, gst, err := DecodeSnapshot(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != s.Version || !gst.LastSync.Equal(st.LastSync) || got.Totals() != s.Totals() {
		t.Fatalf("round trip: %s %+v %+v", got.Version, gst, got.Totals())
	}
	if g := got.Grid("A WEB"); g == nil || g.Prices[0].Total() != EUR(2350) {
		t.Fatalf("grid by web label after reload: %+v", g)
	}
	if page, _, _ := got.Shows(ShowFilter{City: "lyon"}, "", 10); !eq(ids(page), []string{"s2", "s3"}) {
		t.Fatalf("indexes after reload: %v", ids(page))
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeSnapshot(&buf, testSnapshot(), SyncState{}); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	otherFormat := bytes.Clone(good)
	binary.BigEndian.PutUint32(otherFormat[len(snapMagic):], snapFormat+1)
	flipped := bytes.Clone(good)
	flipped[len(flipped)-10] ^= 0xff
	cases := map[string][]byte{
		"empty":        nil,
		"not ours":     []byte("{\"shows\":[]}"),
		"truncated":    good[:len(good)/2],
		"header only":  good[:snapHeaderSize],
		"bit flip":     flipped,
		"other format": otherFormat,
	}
	for name, b := range cases {
		if _, _, err := DecodeSnapshot(b); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	if _, _, err := DecodeSnapshot(otherFormat); !errors.Is(err, errFormat) {
		t.Errorf("other format: %v", err)
	}
}

func TestFilePersisterIgnoresDamageAndLeftovers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fp := FilePersister{Dir: dir}
	if _, _, err := fp.Load(ctx); err != ErrNoSnapshot {
		t.Fatalf("empty dir: %v", err)
	}
	s := testSnapshot()
	if err := fp.Save(ctx, s, SyncState{Version: "v1", LastSync: at(1, 1)}); err != nil {
		t.Fatal(err)
	}
	// A later state of the same version wins; one of another version not.
	if err := fp.SaveState(ctx, SyncState{Version: "v1", LastSync: at(2, 1), LastAttempt: at(2, 1)}); err != nil {
		t.Fatal(err)
	}
	_, st, err := fp.Load(ctx)
	if err != nil || !st.LastSync.Equal(at(2, 1)) {
		t.Fatalf("state overlay: %+v %v", st, err)
	}
	fp.SaveState(ctx, SyncState{Version: "other", LastSync: at(3, 1), LastAttempt: at(3, 1)})
	if _, st, _ := fp.Load(ctx); !st.LastSync.Equal(at(1, 1)) {
		t.Fatalf("state of another version applied: %+v", st)
	}
	// A truncated temporary file, as a crash mid-write leaves, is removed
	// and does not hide the good snapshot.
	tmp := filepath.Join(dir, snapFile+tmpInfix+"123")
	os.WriteFile(tmp, []byte(snapMagic+"\x00\x00"), 0o600)
	if got, _, err := fp.Load(ctx); err != nil || got.Version != "v1" {
		t.Fatalf("with a leftover: %v", err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatal("leftover temporary file not removed")
	}
	// A damaged main file is reported as no snapshot (full load), not a crash.
	b, _ := os.ReadFile(filepath.Join(dir, snapFile))
	os.WriteFile(filepath.Join(dir, snapFile), b[:len(b)-1], 0o600)
	if _, _, err := fp.Load(ctx); !errors.Is(err, ErrNoSnapshot) {
		t.Fatalf("truncated file: %v", err)
	}
}

// A syncer starting on a file of a future format ignores it and loads fully.
func TestStartIgnoresForeignFormat(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	EncodeSnapshot(&buf, testSnapshot(), SyncState{Version: "v1", LastSync: at(1, 1)})
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[len(snapMagic):], snapFormat+1)
	os.WriteFile(filepath.Join(dir, snapFile), b, 0o600)
	src := newFakeSource(4)
	s, st := newTestSyncer(t, src, dir, nil)
	s.Start(context.Background())
	defer s.Stop()
	waitFor(t, "full load", s.Ready)
	if fulls, _ := src.counts(); fulls != 1 || st.Current().Totals().Shows != 4 {
		t.Fatalf("fulls %d, shows %d", fulls, st.Current().Totals().Shows)
	}
}

// bigSnapshot is a catalogue large enough that writing it takes a while.
func bigSnapshot(version string, shows, perfsPerShow int) *Snapshot {
	p := Parts{Venues: []*Venue{{ID: "1", Name: "Site", City: "Lyon"}}, Grids: []*PriceGrid{{Label: "A"}}}
	for i := range shows {
		id := "s" + strconv.Itoa(i)
		sh := &Show{ID: id, Title: "Spectacle " + id, Type: "THEATRE", Description: strings.Repeat("Une pièce. ", 20)}
		for j := range perfsPerShow {
			sh.Performances = append(sh.Performances, &Performance{ID: fmt.Sprintf("%s-%d", id, j), ShowID: id,
				StartsAt: at(1, 20).Add(time.Duration(i*perfsPerShow+j) * time.Hour), VenueID: "1", GridLabel: "A"})
		}
		p.Shows = append(p.Shows, sh)
	}
	return New(version, at(1, 0), p)
}

const crashEnv = "GUICHET_CATALOGUE_CRASH_DIR"

// TestCrashWriter is the child of TestCrashDuringWrite: it saves a large
// snapshot in a loop until killed.
func TestCrashWriter(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("child process of TestCrashDuringWrite")
	}
	fp := FilePersister{Dir: dir}
	for i := 0; ; i++ {
		v := "big-" + strconv.Itoa(i)
		if err := fp.Save(context.Background(), bigSnapshot(v, 2000, 10), SyncState{Version: v}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCrashDuringWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	fp := FilePersister{Dir: dir}
	ctx := context.Background()
	if err := fp.Save(ctx, testSnapshot(), SyncState{Version: "v1"}); err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		// After the first round, let a large snapshot land first, so the
		// snapshot to keep is one the child wrote.
		before, _ := os.Stat(filepath.Join(dir, snapFile))
		for round > 0 {
			if fi, err := os.Stat(filepath.Join(dir, snapFile)); err == nil && !os.SameFile(fi, before) {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("child never completed a write")
			}
			time.Sleep(time.Millisecond)
		}
		// Kill it while a temporary file is being written.
		for {
			m, _ := filepath.Glob(filepath.Join(dir, snapFile+tmpInfix+"*"))
			if len(m) > 0 {
				if fi, err := os.Stat(m[0]); err == nil && fi.Size() > 0 {
					break
				}
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("child never wrote")
			}
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		m, _ := filepath.Glob(filepath.Join(dir, snapFile+tmpInfix+"*"))
		if len(m) == 0 {
			t.Logf("round %d: the child finished its write before the kill", round)
		}
		got, _, err := fp.Load(ctx)
		if err != nil {
			t.Fatalf("round %d: last good snapshot lost: %v", round, err)
		}
		// Either the first snapshot or a complete large one, never a mix.
		switch c := got.Totals(); {
		case got.Version == "v1" && c == testSnapshot().Totals():
		case strings.HasPrefix(got.Version, "big-") && c.Shows == 2000 && c.Performances == 20000:
		default:
			t.Fatalf("round %d: loaded %s with %+v", round, got.Version, c)
		}
		t.Logf("round %d: loaded %s", round, got.Version)
	}
}
