package loaders

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/guichet/guichet/errs"
)

// Ensure a loader calls the back office once per distinct key, never more
// than the fan-out at once, and hands each caller its own key's result.
func TestLoaderDeduplicatesAndBoundsFanOut(t *testing.T) {
	var calls, inFlight, peak atomic.Int32
	perKey := sync.Map{}
	fetch := func(ctx context.Context, k int) (string, error) {
		calls.Add(1)
		n, _ := perKey.LoadOrStore(k, new(atomic.Int32))
		n.(*atomic.Int32).Add(1)
		cur := inFlight.Add(1)
		for {
			p := peak.Load()
			if cur <= p || peak.CompareAndSwap(p, cur) {
				break
			}
		}
		defer inFlight.Add(-1)
		if k == 13 {
			return "", errs.E(errs.NotFound, errs.Msg("no such key"))
		}
		return fmt.Sprintf("v%d", k), nil
	}
	l := newLoader(3, 100, fetch)
	var wg sync.WaitGroup
	keys := []int{}
	for i := 0; i < 50; i++ {
		keys = append(keys, i%20) // 20 distinct keys, each asked 2 or 3 times
	}
	got := make([]string, len(keys))
	gotErr := make([]error, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], gotErr[i] = l.Load(context.Background(), k)()
		}()
	}
	wg.Wait()
	if c := calls.Load(); c != 20 {
		t.Fatalf("calls = %d, want 20 (one per distinct key)", c)
	}
	if p := peak.Load(); p > 3 {
		t.Fatalf("peak concurrency %d exceeds fan-out 3", p)
	}
	for i, k := range keys {
		if k == 13 {
			if !errs.Is(errs.NotFound, gotErr[i]) {
				t.Fatalf("key 13: err %v, want not found", gotErr[i])
			}
			continue
		}
		if gotErr[i] != nil || got[i] != fmt.Sprintf("v%d", k) {
			t.Fatalf("key %d: got %q, %v", k, got[i], gotErr[i])
		}
	}
}

// Ensure a transient failure is retried by a later Load in the same request
// while a definitive one is remembered.
func TestTransientErrorsAreNotCached(t *testing.T) {
	var calls atomic.Int32
	fail := true
	l := newLoader(2, 10, func(ctx context.Context, k string) (int, error) {
		calls.Add(1)
		if k == "flaky" && fail {
			return 0, errs.E(errs.Unavailable, errors.New("connection refused"))
		}
		if k == "gone" {
			return 0, errs.E(errs.NotFound)
		}
		return 1, nil
	})
	ctx := context.Background()
	if _, err := l.Load(ctx, "flaky")(); !errs.Is(errs.Unavailable, err) {
		t.Fatalf("first load: %v", err)
	}
	fail = false
	if v, err := l.Load(ctx, "flaky")(); err != nil || v != 1 {
		t.Fatalf("second load after recovery: %v %v", v, err)
	}
	l.Load(ctx, "gone")()
	l.Load(ctx, "gone")()
	if c := calls.Load(); c != 3 {
		t.Fatalf("calls = %d, want 3 (flaky twice, gone once)", c)
	}
}
