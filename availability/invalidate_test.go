package availability

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
)

// liveSource is one performance whose count the test sets, with a gate
// that can hold a read in flight.
type liveSource struct {
	n     atomic.Int64
	calls atomic.Int64
	gate  chan struct{}
}

func (s *liveSource) SeatsLeft(ctx context.Context, id string) (int, error) {
	s.calls.Add(1)
	n := s.n.Load() // read when the call starts, as the vendor answers
	if s.gate != nil {
		<-s.gate
	}
	if id == "gone" {
		return 0, errs.E(errs.NotFound, errs.Msg("not on sale"))
	}
	return int(n), nil
}

func (s *liveSource) ShowSeats(ctx context.Context, show string) (map[string]int, error) {
	return nil, errs.E(errs.NotFound, errs.Msg("no show"))
}

// Ensure a notified sale's invalidation: the next read asks upstream, a
// read that started before the sale does not put its older count back in
// the cache, and every upstream count is observed.
func TestSeatsInvalidate(t *testing.T) {
	src := &liveSource{}
	src.n.Store(40)
	s := New(src, nil, time.Minute)
	var mu sync.Mutex
	seen := map[string]int{}
	s.Observe = func(id string, n int, notOnSale bool) {
		mu.Lock()
		defer mu.Unlock()
		if notOnSale {
			n = -1
		}
		seen[id] = n
	}
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if n, err := s.Count(ctx, "p"); n != 40 || err != nil {
			t.Fatal(n, err)
		}
	}
	if src.calls.Load() != 1 {
		t.Fatalf("%d calls for two reads within the TTL", src.calls.Load())
	}
	src.n.Store(37)
	s.Invalidate("p")
	if n, _ := s.Count(ctx, "p"); n != 37 || src.calls.Load() != 2 {
		t.Fatalf("after invalidation: %d seats, %d calls", n, src.calls.Load())
	}

	// A read in flight when the sale is notified.
	src.gate = make(chan struct{})
	s.Invalidate("p")
	done := make(chan int)
	go func() { n, _ := s.Count(ctx, "p"); done <- n }()
	for src.calls.Load() != 3 {
		time.Sleep(time.Millisecond)
	}
	src.n.Store(35)
	s.Invalidate("p") // the sale lands while the read is on the wire
	close(src.gate)
	if n := <-done; n != 37 {
		t.Fatalf("in-flight read returned %d, want its own 37", n)
	}
	if n, _ := s.Count(ctx, "p"); n != 35 || src.calls.Load() != 4 {
		t.Fatalf("after a stale read: %d seats, %d calls; want 35 read anew", n, src.calls.Load())
	}
	if _, err := s.Count(ctx, "gone"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("gone: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["p"] != 35 || seen["gone"] != -1 {
		t.Fatalf("observed %v", seen)
	}
}

// showSource answers ws_det_spectacle for one show, with a gate that can
// hold a call in flight.
type showSource struct {
	n     atomic.Int64
	calls atomic.Int64
	gate  chan struct{}
}

func (s *showSource) SeatsLeft(ctx context.Context, id string) (int, error) {
	return 0, errs.E(errs.Internal, errs.Msg("performances of a known show go through their show"))
}

func (s *showSource) ShowSeats(ctx context.Context, show string) (map[string]int, error) {
	s.calls.Add(1)
	n := int(s.n.Load())
	if s.gate != nil {
		<-s.gate
	}
	return map[string]int{"p1": n, "p2": 10}, nil
}

// Ensure a notified sale of a performance of a known show is read anew from
// its show, not taken for a performance the show's cached answer left out
// (not on sale), also when the sale lands while the show's call is on the
// wire.
func TestSeatsInvalidateKnownShow(t *testing.T) {
	src := &showSource{}
	src.n.Store(40)
	s := New(src, func(string) string { return "s" }, time.Minute)
	ctx := context.Background()
	if n, err := s.Count(ctx, "p1"); n != 40 || err != nil {
		t.Fatal(n, err)
	}
	src.n.Store(37)
	s.Invalidate("p1")
	if n, err := s.Count(ctx, "p1"); n != 37 || err != nil || src.calls.Load() != 2 {
		t.Fatalf("after invalidation: %d seats, %v, %d calls", n, err, src.calls.Load())
	}
	if n, err := s.Count(ctx, "p2"); n != 10 || err != nil || src.calls.Load() != 2 {
		t.Fatalf("the show's other performance: %d seats, %v, %d calls", n, err, src.calls.Load())
	}

	src.gate = make(chan struct{})
	s.Invalidate("p1")
	done := make(chan int)
	go func() { n, _ := s.Count(ctx, "p1"); done <- n }()
	for src.calls.Load() != 3 {
		time.Sleep(time.Millisecond)
	}
	src.n.Store(35)
	s.Invalidate("p1") // lands while ws_det_spectacle is on the wire
	close(src.gate)
	<-done
	src.gate = nil
	if n, err := s.Count(ctx, "p1"); n != 35 || err != nil || src.calls.Load() != 4 {
		t.Fatalf("after a stale show read: %d seats, %v, %d calls; want 35 read anew", n, err, src.calls.Load())
	}
}
