package hooks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// collect runs l until n entries were handed over, failing those fail says.
func collect(t *testing.T, l Log, n int, fail func(Entry) bool) []Entry {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var got []Entry
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Run(ctx, func(_ context.Context, e Entry) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, e)
			if len(got) >= n {
				cancel()
			}
			if fail != nil && fail(e) {
				return errors.New("not now")
			}
			return nil
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cancel()
		<-done
		t.Fatalf("got %d entries, want %d", len(got), n)
	}
	return got
}

// Ensure the file log survives a restart: what was appended and not
// acknowledged is handed over again, what was acknowledged is not, a torn
// last line is skipped, and claims persist.
func TestFileLogRestart(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenFileLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, b := &Entry{Path: "purchase", Body: []byte("<caddy>a</caddy>")}, &Entry{Path: "card", Body: []byte("<NOTIFY/>")}
	if err := l.Append(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(ctx, b); err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.ID == b.ID {
		t.Fatalf("ids %q %q", a.ID, b.ID)
	}
	// a is applied; b fails (the process "dies" before applying it).
	got := collect(t, l, 2, func(e Entry) bool { return e.ID == b.ID })
	if got[0].ID != a.ID || string(got[0].Body) != "<caddy>a</caddy>" || got[1].ID != b.ID {
		t.Fatalf("order %+v", got)
	}
	if ok, err := l.Claim(ctx, "order:1:paid", a.ID); !ok || err != nil {
		t.Fatal("first claim refused", err)
	}
	l.Close()
	// A crash in the middle of a write leaves half a line.
	f, _ := os.OpenFile(filepath.Join(dir, "pushes.log"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":"99-9","path":"purch`)
	f.Close()

	l2, err := OpenFileLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if n := l2.Pending(); n != 1 {
		t.Fatalf("%d pending after restart, want 1 (b)", n)
	}
	got = collect(t, l2, 1, nil)
	if got[0].ID != b.ID || got[0].Path != "card" {
		t.Fatalf("after restart got %+v, want b", got[0])
	}
	if ok, _ := l2.Claim(ctx, "order:1:paid", b.ID); ok {
		t.Fatal("a key claimed before the restart was claimed again by another entry")
	}
	if ok, _ := l2.Claim(ctx, "order:1:paid", a.ID); !ok {
		t.Fatal("the entry that claimed a key could not claim it again (retry after a crash)")
	}
	if l2.Pending() != 0 {
		t.Fatal("b still pending after it was applied")
	}
	// A key claimed long ago (its entry id carries its time) is forgotten
	// at the next start; recent ones are kept; applied entries are gone.
	old := strconv.FormatInt(time.Now().Add(-40*24*time.Hour).UnixNano(), 10) + "-1"
	if ok, _ := l2.Claim(ctx, "card:/CA-old", old); !ok {
		t.Fatal("claim refused")
	}
	l2.Close()
	l3, err := OpenFileLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l3.Close()
	if raw, _ := os.ReadFile(filepath.Join(dir, "pushes.log")); len(raw) != 0 || l3.Pending() != 0 {
		t.Fatalf("applied entries kept: %q", raw)
	}
	if ok, _ := l3.Claim(ctx, "order:1:paid", "new-entry"); ok {
		t.Fatal("a recent key was forgotten by the compaction")
	}
	if ok, _ := l3.Claim(ctx, "card:/CA-old", "new-entry"); !ok {
		t.Fatal("a 40-day-old key was kept")
	}
}

// Ensure the Redis log: an entry taken by a consumer that dies before
// acknowledging it is reclaimed by another; claims are shared.
func TestRedisLogReclaim(t *testing.T) {
	url, _ := redistest.Start(t)
	opt, _ := redis.ParseURL(url)
	rc := redis.NewClient(opt)
	defer rc.Close()
	ctx := context.Background()
	dead, err := OpenRedisLog(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	e := &Entry{Path: "purchase", Body: []byte("<caddy><id>7</id></caddy>")}
	if err := dead.Append(ctx, e); err != nil {
		t.Fatal(err)
	}
	// The first consumer takes it and never acknowledges it.
	got := collect(t, dead, 1, func(Entry) bool { return true })
	if got[0].ID != e.ID || string(got[0].Body) != string(e.Body) || got[0].Path != "purchase" {
		t.Fatalf("got %+v", got[0])
	}
	other, err := OpenRedisLog(ctx, rc)
	if err != nil {
		t.Fatal(err)
	}
	other.ReclaimAfter = 200 * time.Millisecond
	time.Sleep(300 * time.Millisecond)
	got = collect(t, other, 1, nil)
	if got[0].ID != e.ID {
		t.Fatalf("reclaimed %+v", got[0])
	}
	if n, _ := rc.XPending(ctx, other.stream, other.group).Result(); n.Count != 0 {
		t.Fatalf("%d entries still pending after the reclaim", n.Count)
	}
	if n, _ := rc.XLen(ctx, other.stream).Result(); n != 0 {
		t.Fatalf("the stream keeps %d applied entries", n)
	}
	if ok, _ := dead.Claim(ctx, "card:/CA1", e.ID); !ok {
		t.Fatal("first claim refused")
	}
	if ok, _ := other.Claim(ctx, "card:/CA1", "other-entry"); ok {
		t.Fatal("a duplicate was claimed on another replica")
	}
}

// Ensure a long-running file log stays bounded: acknowledged entries and
// expired keys leave the files while it runs (not only at the next start),
// and kept rejections rotate instead of growing.
func TestFileLogBounded(t *testing.T) {
	defer func(n int, b int64) { compactEvery, maxRejectedBytes = n, b }(compactEvery, maxRejectedBytes)
	compactEvery, maxRejectedBytes = 10, 1<<10
	dir := t.TempDir()
	l, err := OpenFileLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	old := strconv.FormatInt(time.Now().Add(-40*24*time.Hour).UnixNano(), 10) + "-1"
	if ok, _ := l.Claim(ctx, "card:/CA-old", old); !ok {
		t.Fatal("claim refused")
	}
	for i := range 25 {
		if err := l.Append(ctx, &Entry{Path: "purchase", Body: []byte("<caddy>" + strconv.Itoa(i) + "</caddy>")}); err != nil {
			t.Fatal(err)
		}
	}
	collect(t, l, 25, nil)
	lines := func(name string) int {
		n := 0
		readLines(filepath.Join(dir, name), func([]byte) { n++ })
		return n
	}
	if n := lines("pushes.log"); n > 10 {
		t.Fatalf("pushes.log keeps %d lines after 25 acknowledgements, want at most 10", n)
	}
	if n := lines("done.log"); n > 10 {
		t.Fatalf("done.log keeps %d lines after 25 acknowledgements, want at most 10", n)
	}
	if ok, _ := l.Claim(ctx, "card:/CA-old", "new-entry"); !ok {
		t.Fatal("a 40-day-old key was kept by a running log")
	}
	body := []byte(strings.Repeat("x", 200))
	for range 50 {
		if err := l.Reject(ctx, Entry{Path: "card", Body: body}, "unreadable"); err != nil {
			t.Fatal(err)
		}
	}
	var total int64
	for _, name := range []string{"rejected.log", "rejected.log.1"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil {
			total += st.Size()
		}
	}
	if total > 3<<10 {
		t.Fatalf("kept rejections take %d bytes for a 1 KiB cap", total)
	}
	// A pending entry survives a compaction of the running log.
	e := &Entry{Path: "card", Body: []byte("<NOTIFY/>")}
	l.Append(ctx, e)
	l.mu.Lock()
	err = l.recompact(time.Now())
	l.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(t, l, 1, nil); got[0].ID != e.ID {
		t.Fatalf("after a compaction got %+v, want the pending entry", got[0])
	}
}
