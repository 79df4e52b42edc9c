package loaders

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkLoaderBatch is the back-office fan-out as the resolvers make it:
// a loader built for one request, 50 sibling fields each loading their key
// at once, with 3 distinct keys (50 PAID_BY subscribers, 3 payers) or 50.
// The fetch answers at once, so ns/op is the loader's own cost: the batch
// window (Wait, 1 ms) plus scheduling and de-duplication. calls/op shows
// the upstream calls a request would make.
//
//	go test ./graph/loaders -run '^$' -bench LoaderBatch -benchmem
func BenchmarkLoaderBatch(b *testing.B) {
	for _, distinct := range []int{3, 50} {
		b.Run(fmt.Sprintf("50-loads-%d-keys", distinct), func(b *testing.B) {
			var calls atomic.Int64
			fetch := func(_ context.Context, k int) (string, error) {
				calls.Add(1)
				return "payer", nil
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				l := newLoader(FanOut, 100, fetch)
				var wg sync.WaitGroup
				for i := range 50 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if v, err := l.Load(ctx, i%distinct)(); err != nil || v != "payer" {
							b.Error(v, err)
						}
					}()
				}
				wg.Wait()
			}
			b.ReportMetric(float64(calls.Load())/float64(b.N), "calls/op")
		})
	}
}
