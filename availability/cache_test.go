package availability

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/internal/livewindow"
)

// fakeSeats is a ticketing system of 3 shows × 7 performances; p-2-6 is
// past (ws_det_spectacle leaves it out) and "gone" is not sold at all.
type fakeSeats struct {
	showCalls, perfCalls atomic.Int64
	fail                 atomic.Bool
	gate                 chan struct{} // when set, calls wait on it
}

func (f *fakeSeats) wait() {
	if f.gate != nil {
		<-f.gate
	}
}

func (f *fakeSeats) ShowSeats(ctx context.Context, show string) (map[string]int, error) {
	f.showCalls.Add(1)
	f.wait()
	if f.fail.Load() {
		return nil, errs.E(errs.Unavailable, errs.Msg("down"))
	}
	m := map[string]int{}
	for j := 0; j < 7; j++ {
		id := fmt.Sprintf("p-%s-%d", show, j)
		if id != "p-2-6" {
			m[id] = 10 * j
		}
	}
	return m, nil
}

func (f *fakeSeats) SeatsLeft(ctx context.Context, id string) (int, error) {
	f.perfCalls.Add(1)
	f.wait()
	if f.fail.Load() {
		return 0, errs.E(errs.Timeout, errs.Msg("slow"))
	}
	if id == "gone" {
		return 0, errs.E(errs.NotFound, errs.Code("204"))
	}
	return 99, nil
}

func showOf(id string) string {
	var show string
	var j int
	if _, err := fmt.Sscanf(id, "p-%1s-%d", &show, &j); err != nil {
		return ""
	}
	return show
}

func listing() []string {
	var ids []string
	for _, s := range []string{"0", "1", "2"} {
		for j := 0; j < 7; j++ {
			ids = append(ids, fmt.Sprintf("p-%s-%d", s, j))
		}
	}
	return append(ids, "gone")
}

func TestSeatsOneCallPerShowPerTTL(t *testing.T) {
	f := &fakeSeats{}
	s := New(f, showOf, 30*time.Second)
	now := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }

	ids := listing()
	check := func(round string) {
		t.Helper()
		res := s.Load(context.Background(), ids, 4)
		for i, id := range ids {
			switch {
			case id == "gone":
				if errs.KindOf(res[i].Error) != errs.NotFound {
					t.Fatalf("%s: gone: %v", round, res[i].Error)
				}
			case id == "p-2-6":
				if errs.KindOf(res[i].Error) != errs.NotFound {
					t.Fatalf("%s: a performance ws_det_spectacle leaves out is not on sale: %+v", round, res[i])
				}
			default:
				var j int
				fmt.Sscanf(id[len(id)-1:], "%d", &j)
				if res[i].Error != nil || res[i].Data != 10*j {
					t.Fatalf("%s: %s = %+v", round, id, res[i])
				}
			}
		}
	}
	check("first")
	if got := f.showCalls.Load(); got != 3 {
		t.Fatalf("ws_det_spectacle calls = %d, want 3 (one per show)", got)
	}
	if got := f.perfCalls.Load(); got != 1 {
		t.Fatalf("ws_det_representation calls = %d, want 1 (the performance of no known show)", got)
	}
	// Another request within the TTL: nothing upstream, not even the
	// unsold performance (not-found is cached too).
	now = now.Add(29 * time.Second)
	check("within TTL")
	if f.showCalls.Load() != 3 || f.perfCalls.Load() != 1 {
		t.Fatalf("calls within TTL: shows %d perfs %d", f.showCalls.Load(), f.perfCalls.Load())
	}
	now = now.Add(2 * time.Second)
	check("after TTL")
	if f.showCalls.Load() != 6 || f.perfCalls.Load() != 2 {
		t.Fatalf("calls after TTL: shows %d perfs %d, want 6 and 2", f.showCalls.Load(), f.perfCalls.Load())
	}
}

func TestSeatsConcurrentRequestsShareOneCall(t *testing.T) {
	f := &fakeSeats{gate: make(chan struct{})}
	s := New(f, showOf, time.Minute)
	ids := []string{"p-0-1", "p-0-2", "p-0-3"}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, r := range s.Load(context.Background(), ids, 2) {
				if r.Error != nil || r.Data != 10*(i+1) {
					t.Errorf("result %d: %+v", i, r)
				}
			}
		}()
	}
	// Let the goroutines pile up on the one call in flight.
	for f.showCalls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(f.gate)
	wg.Wait()
	if got := f.showCalls.Load(); got != 1 {
		t.Fatalf("20 concurrent requests made %d ws_det_spectacle calls, want 1", got)
	}
}

func TestSeatsTransientErrorsAreNotCached(t *testing.T) {
	f := &fakeSeats{}
	s := New(f, showOf, time.Minute)
	f.fail.Store(true)
	res := s.Load(context.Background(), []string{"p-1-1", "p-1-2", "x"}, 2)
	for i, r := range res {
		if k := errs.KindOf(r.Error); k != errs.Unavailable && k != errs.Timeout {
			t.Fatalf("result %d: %v, want the upstream fault", i, r.Error)
		}
	}
	f.fail.Store(false)
	res = s.Load(context.Background(), []string{"p-1-1", "p-1-2", "x"}, 2)
	if res[0].Data != 10 || res[1].Data != 20 || res[2].Data != 99 {
		t.Fatalf("after recovery: %+v %+v %+v", res[0], res[1], res[2])
	}
	if f.showCalls.Load() != 2 || f.perfCalls.Load() != 2 {
		t.Fatalf("calls: shows %d perfs %d, want 2 and 2", f.showCalls.Load(), f.perfCalls.Load())
	}
}

func TestSeatsZeroTTLAlwaysAsks(t *testing.T) {
	f := &fakeSeats{}
	s := New(f, showOf, 0)
	for range 3 {
		s.Load(context.Background(), []string{"p-0-1"}, 1)
	}
	if f.showCalls.Load() != 3 || f.perfCalls.Load() != 0 {
		t.Fatalf("show calls = %d, perf calls = %d, want 3 ws_det_spectacle with the cache off", f.showCalls.Load(), f.perfCalls.Load())
	}
}

// Ensure a performance gets the same answer whatever it is batched with:
// the past p-2-6 (left out by ws_det_spectacle, still counted by
// ws_det_representation in this fake as in the sandbox) is not on sale
// alone, with its show's other performances, and with another show's; an
// on-sale one has its ws_det_spectacle count alone too.
func TestSeatsSameAnswerWhateverTheBatch(t *testing.T) {
	for _, batch := range [][]string{{"p-2-6"}, {"p-2-6", "p-2-1"}, {"p-0-3", "p-2-6"}, listing()} {
		f := &fakeSeats{}
		s := New(f, showOf, time.Minute)
		res := s.Load(context.Background(), batch, 2)
		for i, id := range batch {
			switch id {
			case "p-2-6", "gone":
				if errs.KindOf(res[i].Error) != errs.NotFound {
					t.Fatalf("batch %v: %s = %+v, want not on sale", batch, id, res[i])
				}
			default:
				var j int
				fmt.Sscanf(id[len(id)-1:], "%d", &j)
				if res[i].Error != nil || res[i].Data != 10*j {
					t.Fatalf("batch %v: %s = %+v, want %d", batch, id, res[i], 10*j)
				}
			}
		}
		if f.perfCalls.Load() != 0 && !slices.Contains(batch, "gone") {
			t.Fatalf("batch %v: %d ws_det_representation calls for performances of known shows", batch, f.perfCalls.Load())
		}
	}
}

// Ensure a show the ticketing system does not sell any more (ws_det_spectacle
// 202) makes its performances not on sale, cached, without a call each.
func TestSeatsShowNotOnSale(t *testing.T) {
	f := &notOnSale{}
	s := New(f, showOf, time.Minute)
	for range 2 {
		for i, r := range s.Load(context.Background(), []string{"p-1-1", "p-1-2"}, 2) {
			if errs.KindOf(r.Error) != errs.NotFound {
				t.Fatalf("result %d: %+v, want not on sale", i, r)
			}
		}
	}
	if f.showCalls.Load() != 1 || f.perfCalls.Load() != 0 {
		t.Fatalf("calls: shows %d perfs %d, want 1 and 0", f.showCalls.Load(), f.perfCalls.Load())
	}
}

type notOnSale struct{ fakeSeats }

func (f *notOnSale) ShowSeats(ctx context.Context, show string) (map[string]int, error) {
	f.showCalls.Add(1)
	return nil, errs.E(errs.NotFound, errs.Code("202"))
}

// Ensure each answer tells the request's live window until when everyone
// gets the same value: the oldest seat count used plus the TTL; with the
// cache off, never.
func TestSeatsReportTheirWindow(t *testing.T) {
	f := &fakeSeats{}
	s := New(f, showOf, 30*time.Second)
	t0 := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	now := t0
	s.now = func() time.Time { return now }
	s.Load(context.Background(), []string{"p-0-1"}, 1) // show 0 counted at t0
	now = t0.Add(10 * time.Second)
	ctx, w := livewindow.Open(context.Background())
	s.Load(ctx, []string{"p-0-2", "p-1-1", "p-2-6"}, 2) // show 0 cached, show 1 and 2 fetched now
	if until, ok := w.End(); !ok || !until.Equal(t0.Add(30*time.Second)) {
		t.Fatalf("window until %v (%t), want t0+30s (the oldest count)", until, ok)
	}
	off := New(f, showOf, 0)
	ctx, w = livewindow.Open(context.Background())
	off.Load(ctx, []string{"p-0-2"}, 1)
	if _, ok := w.End(); ok {
		t.Fatal("with the cache off an answer must not be reused")
	}
}
