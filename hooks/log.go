// Package hooks receives the ticketing system's pushes (an order paid, a
// card printed): it authenticates them, keeps each in a durable log before
// acknowledging it to the vendor, and applies each once.
package hooks

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Entry is one accepted push as the log keeps it.
type Entry struct {
	ID       string    `json:"id"`
	Path     string    `json:"path"` // the endpoint it came to: purchase or card
	Received time.Time `json:"received"`
	Body     []byte    `json:"body"`
}

// Log is the durable record of accepted pushes. Append returns once the
// push survives a crash; Run hands each entry to a function until it
// accepts it, so an entry acknowledged to the vendor but not yet applied
// when the process died is applied after the restart.
type Log interface {
	// Append stores e durably and sets its ID.
	Append(ctx context.Context, e *Entry) error
	// Run hands every entry not yet acknowledged to fn, older ones first
	// (those left by a previous run included), until ctx ends. An entry is
	// acknowledged when fn returns nil, retried later otherwise.
	Run(ctx context.Context, fn func(context.Context, Entry) error) error
	// Claim records that the push identified by key is applied by entry
	// id. It is false when another entry applied it already (the vendor
	// sent it twice); true again for the same id (a retry after a crash).
	Claim(ctx context.Context, key, id string) (bool, error)
	// Reject keeps a push that could not be read, for inspection.
	Reject(ctx context.Context, e Entry, reason string) error
	Close() error
}

// FileLog is the log of a single Guichet: append-only files in a
// directory, each write synced before it is reported done.
//
//	pushes.log    one JSON Entry per line
//	done.log      {"id"} when an entry is acknowledged, {"key","id"} when claimed
//	rejected.log  unreadable pushes with the reason (rotated to rejected.log.1)
//
// Both logs are compacted at start and again every compactEvery
// acknowledgements, so neither the files nor the keys in memory grow with
// every push a long-running process receives.
type FileLog struct {
	dir string

	mu       sync.Mutex
	pushes   *os.File
	done     *os.File
	pending  []Entry
	keys     map[string]string // key → entry id that applied it
	wake     chan struct{}
	seq      uint64
	lastNano int64
	acks     int // acknowledgements since the last compaction
}

// compactEvery is how many acknowledgements trigger a compaction.
var compactEvery = 1000

// maxRejectedBytes bounds rejected.log: past it the file becomes
// rejected.log.1 (replacing the previous one), as the Redis log keeps the
// last thousand. A vendor retrying a malformed push must not fill the disk.
var maxRejectedBytes int64 = 8 << 20

type doneLine struct {
	ID  string `json:"id"`
	Key string `json:"key,omitempty"`
}

// OpenFileLog opens (or creates) the log in dir and loads what a previous
// run left unacknowledged.
func OpenFileLog(dir string) (*FileLog, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("hooks: %w", err)
	}
	l := &FileLog{dir: dir, keys: map[string]string{}, wake: make(chan struct{}, 1)}
	acked := map[string]bool{}
	var all []Entry
	if err := readLines(filepath.Join(dir, "pushes.log"), func(b []byte) {
		var e Entry
		if json.Unmarshal(b, &e) == nil && e.ID != "" {
			all = append(all, e)
		}
	}); err != nil {
		return nil, err
	}
	if err := readLines(filepath.Join(dir, "done.log"), func(b []byte) {
		var d doneLine
		if json.Unmarshal(b, &d) != nil || d.ID == "" {
			return
		}
		if d.Key != "" {
			if _, ok := l.keys[d.Key]; !ok {
				l.keys[d.Key] = d.ID
			}
		} else {
			acked[d.ID] = true
		}
	}); err != nil {
		return nil, err
	}
	for _, e := range all {
		if !acked[e.ID] {
			l.pending = append(l.pending, e)
		}
	}
	if err := l.compact(time.Now()); err != nil {
		return nil, err
	}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *FileLog) open() error {
	var err error
	if l.pushes, err = openAppend(filepath.Join(l.dir, "pushes.log")); err != nil {
		return err
	}
	if l.done, err = openAppend(filepath.Join(l.dir, "done.log")); err != nil {
		l.pushes.Close()
		return err
	}
	return nil
}

// recompact compacts a running log (l.mu held): the files are closed,
// rewritten and opened again. A failure leaves the old files in use.
func (l *FileLog) recompact(now time.Time) error {
	l.acks = 0
	l.pushes.Close()
	l.done.Close()
	err := l.compact(now)
	if oerr := l.open(); err == nil {
		err = oerr
	}
	return err
}

// keyTTL is how long a push's key is remembered against duplicates.
const keyTTL = 30 * 24 * time.Hour

// compact rewrites both files: only the pending entries, and only
// the keys younger than keyTTL (an entry id starts with its time), so the
// log does not grow with every push ever received.
func (l *FileLog) compact(now time.Time) error {
	var pushes, done []any
	for _, e := range l.pending {
		pushes = append(pushes, e)
	}
	for k, id := range l.keys {
		nanos, _, _ := strings.Cut(id, "-")
		if n, err := strconv.ParseInt(nanos, 10, 64); err == nil && now.Sub(time.Unix(0, n)) > keyTTL {
			delete(l.keys, k)
			continue
		}
		done = append(done, doneLine{ID: id, Key: k})
	}
	if err := rewrite(filepath.Join(l.dir, "pushes.log"), pushes); err != nil {
		return err
	}
	return rewrite(filepath.Join(l.dir, "done.log"), done)
}

// rewrite replaces a file with lines, atomically (temporary file, sync,
// rename).
func rewrite(path string, lines []any) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("hooks: %w", err)
	}
	w := bufio.NewWriter(tmp)
	for _, v := range lines {
		b, err := json.Marshal(v)
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return err
		}
		w.Write(append(b, '\n'))
	}
	err = w.Flush()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("hooks: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("hooks: %w", err)
	}
	return nil
}

func openAppend(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("hooks: %w", err)
	}
	return f, nil
}

// readLines calls fn for each line of a file; a missing file is empty and a
// torn last line (a crash in the middle of a write) is skipped by fn.
func readLines(path string, fn func([]byte)) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("hooks: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	for sc.Scan() {
		fn(sc.Bytes())
	}
	return sc.Err()
}

// writeSynced appends one JSON line and syncs it to disk.
func writeSynced(f *os.File, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("hooks: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("hooks: %w", err)
	}
	return nil
}

func (l *FileLog) nextID(now time.Time) string {
	n := now.UnixNano()
	if n <= l.lastNano {
		n = l.lastNano + 1
	}
	l.lastNano = n
	l.seq++
	return strconv.FormatInt(n, 10) + "-" + strconv.FormatUint(l.seq, 10)
}

func (l *FileLog) Append(_ context.Context, e *Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.Received.IsZero() {
		e.Received = time.Now().UTC()
	}
	e.ID = l.nextID(e.Received)
	if err := writeSynced(l.pushes, e); err != nil {
		return err
	}
	l.pending = append(l.pending, *e)
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return nil
}

func (l *FileLog) Run(ctx context.Context, fn func(context.Context, Entry) error) error {
	retry := time.Duration(0)
	for {
		l.mu.Lock()
		var next *Entry
		if len(l.pending) > 0 {
			e := l.pending[0]
			next = &e
		}
		l.mu.Unlock()
		if next == nil || retry > 0 {
			wait := retry
			if wait == 0 {
				wait = time.Hour
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-l.wake:
			case <-t.C:
			}
			t.Stop()
			retry = 0
			continue
		}
		if err := fn(ctx, *next); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			retry = time.Second // the entry stays first: pushes apply in order
			continue
		}
		l.mu.Lock()
		err := writeSynced(l.done, doneLine{ID: next.ID})
		if err == nil {
			l.pending = l.pending[1:]
			if l.acks++; l.acks >= compactEvery {
				if cerr := l.recompact(time.Now()); cerr != nil {
					err = cerr
				}
			}
		}
		l.mu.Unlock()
		if err != nil {
			retry = time.Second
		}
	}
}

func (l *FileLog) Claim(_ context.Context, key, id string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if by, ok := l.keys[key]; ok {
		return by == id, nil
	}
	if err := writeSynced(l.done, doneLine{ID: id, Key: key}); err != nil {
		return false, err
	}
	l.keys[key] = id
	return true, nil
}

func (l *FileLog) Reject(_ context.Context, e Entry, reason string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	path := filepath.Join(l.dir, "rejected.log")
	if st, err := os.Stat(path); err == nil && st.Size() >= maxRejectedBytes {
		if err := os.Rename(path, path+".1"); err != nil {
			return fmt.Errorf("hooks: %w", err)
		}
	}
	f, err := openAppend(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeSynced(f, struct {
		Entry
		Reason string `json:"reason"`
	}{e, reason})
}

// Pending is how many entries wait to be applied.
func (l *FileLog) Pending() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.pending)
}

func (l *FileLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pushes.Close()
	return l.done.Close()
}
