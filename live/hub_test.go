package live

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/errs"
)

// fakeSeats is a seat cache over a map, counting reads and invalidations.
type fakeSeats struct {
	mu          sync.Mutex
	n           map[string]int
	reads       int
	invalidated []string
}

func (f *fakeSeats) Invalidate(ids ...string) {
	f.mu.Lock()
	f.invalidated = append(f.invalidated, ids...)
	f.mu.Unlock()
}

func (f *fakeSeats) Count(_ context.Context, id string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	n, ok := f.n[id]
	if !ok {
		return 0, errs.E(errs.NotFound, errs.Msg("not on sale"))
	}
	return n, nil
}

func (f *fakeSeats) set(id string, n int) { f.mu.Lock(); f.n[id] = n; f.mu.Unlock() }

func recv(t *testing.T, ch <-chan *SeatCount, within time.Duration) *SeatCount {
	t.Helper()
	select {
	case c, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed")
		}
		return c
	case <-time.After(within):
		t.Fatalf("no event within %s", within)
	}
	return nil
}

// Ensure a rush of sales becomes at most one event per interval carrying
// the latest count, read once per interval, and that an unchanged count
// is not sent again.
func TestHubThrottle(t *testing.T) {
	seats := &fakeSeats{n: map[string]int{"p1": 100}}
	h := NewHub(seats, Options{Interval: 200 * time.Millisecond})
	defer h.Drain()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := h.WatchSeats(ctx, []string{"p1"})
	if c := recv(t, ch, time.Second); c.SeatsLeft != 100 || c.PerformanceID != "p1" {
		t.Fatalf("first %+v", c)
	}
	start := time.Now()
	for i := 1; i <= 20; i++ {
		seats.set("p1", 100-i)
		h.Apply(Event{Seats: []string{"p1"}})
		time.Sleep(10 * time.Millisecond)
	}
	var got []*SeatCount
	var at []time.Time
	for deadline := time.After(time.Second); len(got) == 0 || got[len(got)-1].SeatsLeft != 80; {
		select {
		case c := <-ch:
			got, at = append(got, c), append(at, c.At) // when the count was read
		case <-deadline:
			t.Fatalf("events %v, want the last one at 80", got)
		}
	}
	// 20 sales in ~200 ms: the first at once, then one per interval.
	if len(got) > 3 || got[0].SeatsLeft != 99 {
		t.Fatalf("%d events for a 200 ms rush with a 200 ms interval, first %d", len(got), got[0].SeatsLeft)
	}
	if at[0].Sub(start) > 100*time.Millisecond {
		t.Fatalf("the first sale after the first count was sent after %s", at[0].Sub(start))
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < 180*time.Millisecond {
			t.Fatalf("two events %s apart with a 200 ms interval", gap)
		}
	}
	if el := time.Since(start); el > 700*time.Millisecond {
		t.Fatalf("latest count after %s", el)
	}
	seats.mu.Lock()
	reads, inv := seats.reads, len(seats.invalidated)
	seats.mu.Unlock()
	if inv != 20 || reads > 4 {
		t.Fatalf("%d invalidations and %d reads, want 20 and a few", inv, reads)
	}
	// Same count again: nothing sent.
	h.Apply(Event{Seats: []string{"p1"}})
	select {
	case c := <-ch:
		t.Fatalf("unchanged count sent: %+v", c)
	case <-time.After(500 * time.Millisecond):
	}
	// A count read by someone else (a page view) that differs is sent.
	seats.set("p1", 79)
	h.Observed("p1", 79, false)
	if c := recv(t, ch, time.Second); c.SeatsLeft != 79 {
		t.Fatalf("observed change %+v", c)
	}
	// A performance taken off sale reads as not on sale.
	seats.mu.Lock()
	delete(seats.n, "p1")
	seats.mu.Unlock()
	h.Apply(Event{Seats: []string{"p1"}})
	if c := recv(t, ch, time.Second); !c.NotOnSale || c.SeatsLeft != 0 {
		t.Fatalf("off sale %+v", c)
	}
}

// Ensure a slow subscriber gets the latest count, not a backlog, and that
// orders reach every subscriber while they end with their context.
func TestHubFanOut(t *testing.T) {
	seats := &fakeSeats{n: map[string]int{"a": 5, "b": 7}}
	h := NewHub(seats, Options{Interval: time.Millisecond})
	defer h.Drain()
	ctx, cancel := context.WithCancel(context.Background())
	ch := h.WatchSeats(ctx, []string{"a", "b"})
	time.Sleep(50 * time.Millisecond) // both first counts are waiting
	for i := 0; i < 5; i++ {
		seats.set("a", 4-i)
		h.Apply(Event{Seats: []string{"a"}})
		time.Sleep(10 * time.Millisecond)
	}
	latest := map[string]int{}
	for len(latest) < 2 || latest["a"] != 0 {
		c := recv(t, ch, time.Second)
		latest[c.PerformanceID] = c.SeatsLeft
	}
	if latest["b"] != 7 {
		t.Fatalf("b = %d", latest["b"])
	}
	o1, o2 := h.WatchOrders(ctx), h.WatchOrders(context.Background())
	h.Apply(Event{Order: &boxoffice.Order{ID: "42"}})
	for _, o := range []<-chan *boxoffice.Order{o1, o2} {
		select {
		case got := <-o:
			if got.ID != "42" {
				t.Fatal(got)
			}
		case <-time.After(time.Second):
			t.Fatal("order not delivered")
		}
	}
	cancel()
	for _, c := range []any{ch, o1} {
		deadline := time.After(time.Second)
		switch c := c.(type) {
		case <-chan *SeatCount:
			for open := true; open; {
				select {
				case _, open = <-c:
				case <-deadline:
					t.Fatal("seat subscription not closed")
				}
			}
		case <-chan *boxoffice.Order:
			select {
			case _, open := <-c:
				if open {
					t.Fatal("order after cancel")
				}
			case <-deadline:
				t.Fatal("order subscription not closed")
			}
		}
	}
	h.Drain()
	select {
	case _, open := <-o2:
		if open {
			t.Fatal("order after drain")
		}
	case <-time.After(time.Second):
		t.Fatal("drain did not close the subscription")
	}
}

// Ensure the limits: subscriptions per connection and per address, the
// places given back on release, an idle connection closed.
func TestHubLimits(t *testing.T) {
	h := NewHub(&fakeSeats{n: map[string]int{}}, Options{PerConn: 2, PerIP: 3, Idle: 100 * time.Millisecond})
	defer h.Drain()
	conn := h.OpenConn(context.Background())
	r1, err := h.Admit(conn, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Admit(conn, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Admit(conn, "10.0.0.1"); !errs.Is(errs.RateLimited, err) {
		t.Fatalf("third on one connection: %v", err)
	}
	if _, err := h.Admit(context.Background(), "10.0.0.1"); err != nil { // SSE: no connection
		t.Fatal(err)
	}
	if _, err := h.Admit(context.Background(), "10.0.0.1"); !errs.Is(errs.RateLimited, err) {
		t.Fatalf("fourth from one address: %v", err)
	}
	if _, err := h.Admit(context.Background(), "10.0.0.2"); err != nil {
		t.Fatal("another address was refused", err)
	}
	// An IPv6 host has its whole /64: the addresses in it share one count.
	for i := 1; i <= 3; i++ {
		if _, err := h.Admit(context.Background(), fmt.Sprintf("2001:db8:1:2::%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Admit(context.Background(), "2001:db8:1:2:ffff::9"); !errs.Is(errs.RateLimited, err) {
		t.Fatalf("fourth from one /64: %v", err)
	}
	if _, err := h.Admit(context.Background(), "2001:db8:1:3::1"); err != nil {
		t.Fatal("another /64 was refused", err)
	}
	r1()
	r1() // twice is once
	if _, err := h.Admit(context.Background(), "10.0.0.1"); err != nil {
		t.Fatal("a released place was not given back", err)
	}
	// Open connections are counted per address (a /64 for IPv6) as well.
	var streams []func()
	for i := 1; i <= 3; i++ {
		release, err := h.OpenStream(fmt.Sprintf("2001:db8:9::%d", i))
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, release)
	}
	if _, err := h.OpenStream("2001:db8:9::ffff"); !errs.Is(errs.RateLimited, err) {
		t.Fatalf("fourth connection from one /64: %v", err)
	}
	streams[0]()
	streams[0]()
	if _, err := h.OpenStream("2001:db8:9::ffff"); err != nil {
		t.Fatal("a closed connection's place was not given back", err)
	}
	// Busy connections stay open past the idle time; an idle one closes.
	time.Sleep(200 * time.Millisecond)
	if conn.Err() != nil {
		t.Fatal("a connection with a subscription was closed as idle")
	}
	idle := h.OpenConn(context.Background())
	select {
	case <-idle.Done():
	case <-time.After(time.Second):
		t.Fatal("an idle connection stayed open")
	}
	h.Drain()
	select {
	case <-conn.Done():
	case <-time.After(time.Second):
		t.Fatal("drain left a connection open")
	}
}
