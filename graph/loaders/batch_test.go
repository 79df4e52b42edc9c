package loaders

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/graph-gophers/dataloader/v7"
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

// A batch of one key is fetched on the batch's own goroutine: no goroutine
// is started for it (runtime/metrics counts those created), while a batch
// of several keys still fans out.
func TestSingleKeyBatchStartsNoGoroutine(t *testing.T) {
	sample := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	created := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	fetch := func(_ context.Context, k string) (string, error) { return "v" + k, nil }
	before := created()
	res := fanOut(context.Background(), []string{"a"}, 4, fetch)
	if n := created() - before; n != 0 {
		t.Errorf("%d goroutines started for one key", n)
	}
	if len(res) != 1 || res[0].Data != "va" || res[0].Error != nil {
		t.Fatalf("got %+v", res[0])
	}
	before = created()
	res = fanOut(context.Background(), []string{"a", "b", "c"}, 4, fetch)
	if n := created() - before; n != 3 {
		t.Errorf("%d goroutines started for three keys, want 3", n)
	}
	if res[2].Data != "vc" {
		t.Fatalf("got %+v", res[2])
	}
	// A transient failure of the single key is still not cached.
	res = fanOut(context.Background(), []string{"x"}, 4, func(context.Context, string) (string, error) {
		return "", errs.E(errs.Unavailable, errs.Msg("down"))
	})
	var skip *dataloader.SkipCacheError
	if !errors.As(res[0].Error, &skip) {
		t.Errorf("transient error %v would be cached", res[0].Error)
	}
}
