// Package loaders batches and de-duplicates the upstream calls of one
// GraphQL request. Loaders are built per request (their memo cache must not
// outlive a caller's permissions) and wait at most a millisecond to gather
// the keys of sibling fields.
package loaders

import (
	"context"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"
	"github.com/guichet/guichet/errs"
)

// Wait is how long a loader gathers keys before calling the back office.
// graph-gophers' default of 16 ms would be paid on every level of a query.
const Wait = time.Millisecond

// FanOut is the default number of concurrent calls to a back office that
// has no multi-get (AboWeb): enough to hide latency, few enough not to
// hammer it.
const FanOut = 8

// newLoader builds a loader whose batch function answers key by key with at
// most parallel calls in flight. Results are indexed by key, never by
// arrival order; transient failures are not cached so a later field of the
// same request may try again.
// onBatch, when given, is told each batch's size (metrics).
func newLoader[K comparable, V any](parallel, batchCap int, fetch func(context.Context, K) (V, error), onBatch ...func(int)) *dataloader.Loader[K, V] {
	batch := func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		for _, f := range onBatch {
			f(len(keys))
		}
		return fanOut(ctx, keys, parallel, fetch)
	}
	// The input channel need hold no more than one batch: the library's
	// default (1,000 requests, 8 KB) was allocated for every batch.
	return dataloader.NewBatchedLoader(batch,
		dataloader.WithWait[K, V](Wait),
		dataloader.WithBatchCapacity[K, V](batchCap),
		dataloader.WithInputCapacity[K, V](batchCap))
}

func fanOut[K comparable, V any](ctx context.Context, keys []K, parallel int, fetch func(context.Context, K) (V, error)) []*dataloader.Result[V] {
	if parallel < 1 {
		parallel = 1
	}
	// The batch runs on the context of whichever caller opened the window;
	// keep its values (caller identity is the same within one request) but
	// not its cancellation, so one field giving up does not fail its siblings.
	ctx = context.WithoutCancel(ctx)
	results := make([]*dataloader.Result[V], len(keys))
	if len(keys) == 1 {
		// One key (a visitor's session, tickets, order lines…): the batch
		// already has a goroutine of its own; a second one buys nothing.
		results[0] = result(fetch(ctx, keys[0]))
		return results
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = result(fetch(ctx, k))
		}()
	}
	wg.Wait()
	return results
}

// result is one key's answer; a transient failure is not cached.
func result[V any](v V, err error) *dataloader.Result[V] {
	if err != nil && transient(err) {
		err = dataloader.NewSkipCacheError(err)
	}
	return &dataloader.Result[V]{Data: v, Error: err}
}

func transient(err error) bool {
	switch errs.KindOf(err) {
	case errs.Unavailable, errs.Timeout:
		return true
	}
	return false
}
