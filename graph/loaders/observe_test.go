package loaders

import (
	"context"
	"sync"
	"testing"
)

// Ensure the batch hook hears each batch once with its number of distinct
// keys, under the loader's name.
func TestBatchHookReportsSizes(t *testing.T) {
	var mu sync.Mutex
	sizes := map[string][]int{}
	src := Sources{OnBatch: func(loader string, n int) {
		mu.Lock()
		defer mu.Unlock()
		sizes[loader] = append(sizes[loader], n)
	}}
	l := newLoader(2, 100, func(_ context.Context, k int) (int, error) { return k * 2, nil }, src.observe("doubles"))
	vals, errs := l.LoadMany(context.Background(), []int{1, 2, 3, 2})()
	if len(errs) > 0 && errs[0] != nil || len(vals) != 4 || vals[3] != 4 {
		t.Fatalf("vals %v errs %v", vals, errs)
	}
	if got := sizes["doubles"]; len(got) != 1 || got[0] != 3 {
		t.Fatalf("batches %v, want one of 3 distinct keys", sizes)
	}
	// Without a hook nothing is called and nothing breaks.
	Sources{}.observe("x")(5)
}
