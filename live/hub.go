package live

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/errs"
	"github.com/prometheus/client_golang/prometheus"
)

// SeatCount is the availability of one performance at a moment.
type SeatCount struct {
	PerformanceID string
	SeatsLeft     int
	NotOnSale     bool // the ticketing system does not sell it (any more)
	At            time.Time
}

// Seats is the shared availability cache as the hub needs it.
type Seats interface {
	// Invalidate drops the cached counts of these performances.
	Invalidate(ids ...string)
	// Count reads one count through the cache (errs.NotFound: not on sale).
	Count(ctx context.Context, id string) (int, error)
}

// Options bound the hub.
type Options struct {
	// Interval is the shortest time between two seat events of one
	// performance (default 1 s): an on-sale rush becomes one event per
	// interval carrying the latest count.
	Interval time.Duration
	PerConn  int           // subscriptions per connection (default 20)
	PerIP    int           // subscriptions per client address (default 200)
	Idle     time.Duration // a connection without subscription is closed after (default 60 s)
	// ReadRate and ReadBurst pace what one WebSocket may send, in bytes
	// per second and bytes at once (defaults 4 KiB/s, 64 KiB).
	ReadRate  int
	ReadBurst int
	Logger    *slog.Logger
}

// Hub fans the bus's events out to this replica's subscriptions.
type Hub struct {
	o     Options
	seats Seats

	ctx   context.Context // cancelled by Drain
	drain context.CancelFunc

	mu      sync.Mutex
	perf    map[string]*perfTopic
	orders  map[chan *boxoffice.Order]struct{}
	cards   map[chan *boxoffice.PrintedCard]struct{}
	ips     map[string]int // subscriptions per client address
	streams map[string]int // open connections per client address

	subs      atomic.Int64
	sent      atomic.Int64 // seat events queued to subscriptions
	dropped   atomic.Int64 // order or card events a slow subscriber missed
	refreshes atomic.Int64 // seat counts read for subscribers
	paced     atomic.Int64 // WebSocket reads held back by the read rate
}

type perfTopic struct {
	subs    map[*seatSub]struct{}
	last    time.Time   // when the last refresh started
	timer   *time.Timer // a refresh is scheduled
	emitted bool
	current SeatCount
}

// NewHub builds a hub over the shared seat cache.
func NewHub(seats Seats, o Options) *Hub {
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.PerConn <= 0 {
		o.PerConn = 20
	}
	if o.PerIP <= 0 {
		o.PerIP = 200
	}
	if o.Idle <= 0 {
		o.Idle = 60 * time.Second
	}
	if o.ReadRate <= 0 {
		o.ReadRate = defaultReadRate
	}
	if o.ReadBurst <= 0 {
		o.ReadBurst = defaultReadBurst
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Hub{o: o, seats: seats, perf: map[string]*perfTopic{}, ips: map[string]int{}, streams: map[string]int{},
		orders: map[chan *boxoffice.Order]struct{}{}, cards: map[chan *boxoffice.PrintedCard]struct{}{}}
	h.ctx, h.drain = context.WithCancel(context.Background())
	return h
}

// Register exports the hub's gauges and counters.
func (h *Hub) Register(r prometheus.Registerer) {
	r.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "guichet_live_subscriptions", Help: "Open GraphQL subscriptions on this replica."},
			func() float64 { return float64(h.subs.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "guichet_live_seat_events_total", Help: "seatsChanged events queued to subscriptions."},
			func() float64 { return float64(h.sent.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "guichet_live_dropped_events_total", Help: "orderNotified and cardPrinted events a slow subscriber missed."},
			func() float64 { return float64(h.dropped.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "guichet_live_seat_refreshes_total", Help: "Seat counts read to feed seatsChanged (throttled per performance)."},
			func() float64 { return float64(h.refreshes.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "guichet_live_paced_reads_total", Help: "WebSocket reads held back because the connection sent faster than GUICHET_WEBSOCKET_READ_RATE."},
			func() float64 { return float64(h.paced.Load()) }),
	)
}

// PacedReads counts the WebSocket reads held back by the read rate.
func (h *Hub) PacedReads() int64 { return h.paced.Load() }

// Stats are the hub's counters, for tests and the load report.
func (h *Hub) Stats() (subs, sent, dropped, refreshes int64) {
	return h.subs.Load(), h.sent.Load(), h.dropped.Load(), h.refreshes.Load()
}

// Context ends when the hub drains (shutdown).
func (h *Hub) Context() context.Context { return h.ctx }

// Drain ends every subscription and closes every live connection: called
// when the server shuts down, since hijacked WebSockets and open event
// streams would otherwise hold the shutdown until its deadline.
func (h *Hub) Drain() { h.drain() }

// Apply handles one event of the bus.
func (h *Hub) Apply(e Event) {
	if len(e.Seats) > 0 {
		h.seats.Invalidate(e.Seats...)
		for _, id := range e.Seats {
			h.trigger(id)
		}
	}
	if e.Order != nil {
		fanOut(h, h.orders, e.Order)
	}
	if e.Card != nil {
		fanOut(h, h.cards, e.Card)
	}
}

// fanOut queues v to every watcher of set; a watcher whose buffer is full
// misses it (counted) rather than slowing the hub down.
func fanOut[T any](h *Hub, set map[chan T]struct{}, v T) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range set {
		select {
		case ch <- v:
		default:
			h.dropped.Add(1)
		}
	}
}

// Observed is told of a seat count read for any reason (a page view): a
// count that differs from the last one sent is sent too.
func (h *Hub) Observed(id string, n int, notOnSale bool) {
	h.mu.Lock()
	t := h.perf[id]
	changed := t != nil && t.emitted && (t.current.SeatsLeft != n || t.current.NotOnSale != notOnSale)
	h.mu.Unlock()
	if changed {
		h.trigger(id)
	}
}

// trigger schedules a refresh of a watched performance: now when the last
// one is older than the interval, else at the end of it (one pending at a
// time, so any number of triggers within an interval cost one read).
func (h *Hub) trigger(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.perf[id]
	if t == nil || t.timer != nil {
		return
	}
	wait := time.Until(t.last.Add(h.o.Interval))
	if wait < 0 {
		wait = 0
	}
	t.timer = time.AfterFunc(wait, func() { h.refresh(id) })
}

func (h *Hub) refresh(id string) {
	h.mu.Lock()
	t := h.perf[id]
	if t == nil {
		h.mu.Unlock()
		return
	}
	t.timer, t.last = nil, time.Now()
	h.mu.Unlock()
	h.refreshes.Add(1)
	ctx, cancel := context.WithTimeout(h.ctx, 30*time.Second)
	n, err := h.seats.Count(ctx, id)
	cancel()
	c := SeatCount{PerformanceID: id, SeatsLeft: n, At: time.Now().UTC()}
	switch {
	case errs.Is(errs.NotFound, err):
		c.SeatsLeft, c.NotOnSale = 0, true
	case err != nil:
		h.o.Logger.Warn("live seat count", "performance", id, "err", err)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if t = h.perf[id]; t == nil {
		return
	}
	if t.emitted && t.current.SeatsLeft == c.SeatsLeft && t.current.NotOnSale == c.NotOnSale {
		return
	}
	if !t.emitted {
		// The first count is not a change: the first sale after it is
		// sent at once, not an interval later.
		t.last = time.Time{}
	}
	t.emitted, t.current = true, c
	for s := range t.subs {
		s.put(c)
		h.sent.Add(1)
	}
}

// seatSub is one seatsChanged subscription: the latest count of each of
// its performances waits here until the client takes it, so a slow client
// skips stale counts instead of slowing the hub down.
type seatSub struct {
	mu      sync.Mutex
	pending map[string]SeatCount
	order   []string
	wake    chan struct{}
}

func (s *seatSub) put(c SeatCount) {
	s.mu.Lock()
	if _, ok := s.pending[c.PerformanceID]; !ok {
		s.order = append(s.order, c.PerformanceID)
	}
	s.pending[c.PerformanceID] = c
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *seatSub) take() []SeatCount {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SeatCount, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.pending[id])
	}
	clear(s.pending)
	s.order = s.order[:0]
	return out
}

// WatchSeats subscribes to the counts of performances: the current count
// of each first, then each change, until ctx ends or the hub drains.
func (h *Hub) WatchSeats(ctx context.Context, ids []string) <-chan *SeatCount {
	s := &seatSub{pending: map[string]SeatCount{}, wake: make(chan struct{}, 1)}
	h.mu.Lock()
	for _, id := range ids {
		t := h.perf[id]
		if t == nil {
			t = &perfTopic{subs: map[*seatSub]struct{}{}}
			h.perf[id] = t
		}
		t.subs[s] = struct{}{}
		if t.emitted {
			s.put(t.current)
		}
	}
	h.mu.Unlock()
	for _, id := range ids {
		h.trigger(id) // the first count of a new topic; a no-op when one is due
	}
	out := make(chan *SeatCount)
	go func() {
		defer close(out)
		defer func() {
			h.mu.Lock()
			for _, id := range ids {
				if t := h.perf[id]; t != nil {
					delete(t.subs, s)
					if len(t.subs) == 0 {
						if t.timer != nil {
							t.timer.Stop()
						}
						delete(h.perf, id)
					}
				}
			}
			h.mu.Unlock()
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case <-h.ctx.Done():
				return
			case <-s.wake:
			}
			for _, c := range s.take() {
				select {
				case out <- &c:
				case <-ctx.Done():
					return
				case <-h.ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// WatchOrders subscribes to notified orders.
func (h *Hub) WatchOrders(ctx context.Context) <-chan *boxoffice.Order {
	return watch(ctx, h, h.orders)
}

// WatchCards subscribes to printed cards.
func (h *Hub) WatchCards(ctx context.Context) <-chan *boxoffice.PrintedCard {
	return watch(ctx, h, h.cards)
}

// watch adds a buffered channel to set until ctx ends or the hub drains.
func watch[T any](ctx context.Context, h *Hub, set map[chan T]struct{}) <-chan T {
	ch := make(chan T, 32)
	h.mu.Lock()
	set[ch] = struct{}{}
	h.mu.Unlock()
	go func() {
		select {
		case <-ctx.Done():
		case <-h.ctx.Done():
		}
		h.mu.Lock()
		delete(set, ch)
		close(ch)
		h.mu.Unlock()
	}()
	return ch
}
