// Package memo keeps values that are costly to build and depend on their
// key alone (a formatted amount, a deep link), with a bound on how many:
// the first Max keys are kept for the life of the process, later ones are
// built on every call. Keys come from the catalogue, not from callers, so
// the bound is a safeguard rather than an eviction policy.
package memo

import (
	"sync"
	"sync/atomic"
)

// Bounded is safe for concurrent use; its zero value keeps nothing until
// Max is set. Reads take no lock (sync.Map), which matters on paths that
// ask the same keys a thousand times per request.
type Bounded[K comparable, V any] struct {
	Max int64

	m sync.Map // K → V
	n atomic.Int64
}

// Get returns the value of k, built by build the first time.
func (b *Bounded[K, V]) Get(k K, build func(K) V) V {
	if v, ok := b.m.Load(k); ok {
		return v.(V)
	}
	v := build(k)
	if b.n.Load() < b.Max {
		if _, loaded := b.m.LoadOrStore(k, v); !loaded {
			b.n.Add(1)
		}
	}
	return v
}

// Len is how many values are kept.
func (b *Bounded[K, V]) Len() int64 { return b.n.Load() }
