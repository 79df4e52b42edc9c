// Package livewindow lets one request learn how long the live values it
// used stay the same for everyone: values served from a process-wide cache
// with a TTL (the seat counts) are shared by every visitor until the oldest
// of them expires, so an answer made only of catalogue data and such values
// can be reused until then (respcache). The response cache opens a window
// in the request's context; the shared caches narrow it.
package livewindow

import (
	"context"
	"sync"
	"time"
)

// Window is the validity of the shared live values one request used.
type Window struct {
	mu     sync.Mutex
	until  time.Time
	used   bool
	denied bool
}

type key struct{}

// Open returns ctx carrying a new window.
func Open(ctx context.Context) (context.Context, *Window) {
	w := &Window{}
	return context.WithValue(ctx, key{}, w), w
}

// From returns the window of ctx, or nil (nobody will reuse the answer).
func From(ctx context.Context) *Window {
	w, _ := ctx.Value(key{}).(*Window)
	return w
}

// Until records a value valid until t. Safe on a nil window.
func (w *Window) Until(t time.Time) {
	if w == nil {
		return
	}
	w.mu.Lock()
	if !w.used || t.Before(w.until) {
		w.until = t
	}
	w.used = true
	w.mu.Unlock()
}

// Deny records a live value that is not shared (e.g. the cache is off):
// the answer must not be reused. Safe on a nil window.
func (w *Window) Deny() {
	if w == nil {
		return
	}
	w.mu.Lock()
	w.denied = true
	w.mu.Unlock()
}

// End tells until when the answer may be reused: ok is false when a value
// denied it or when no shared value said how long it lasts.
func (w *Window) End() (until time.Time, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.until, w.used && !w.denied
}
