package live

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/throttle"
)

// Conn is one WebSocket connection: its subscriptions are counted against
// the per-connection limit, and it is closed after Idle without any.
type Conn struct {
	mu     sync.Mutex
	active int
	idle   *time.Timer
	close  context.CancelFunc
}

type connKey struct{}

// OpenConn starts the life of a connection: the returned context ends with
// ctx (the client left), after Idle without a subscription, or when the
// hub drains; gqlgen closes the WebSocket when it ends.
func (h *Hub) OpenConn(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(h.ctx, cancel)
	c := &Conn{close: cancel}
	c.mu.Lock()
	c.idle = time.AfterFunc(h.o.Idle, cancel)
	c.mu.Unlock()
	context.AfterFunc(ctx, func() {
		stop()
		c.mu.Lock()
		c.idle.Stop()
		c.mu.Unlock()
	})
	return context.WithValue(ctx, connKey{}, c)
}

// ConnFrom is the connection of an operation (nil over SSE: one request,
// one operation).
func ConnFrom(ctx context.Context) *Conn {
	c, _ := ctx.Value(connKey{}).(*Conn)
	return c
}

// Admit counts a new subscription against its connection and its client
// address (an IPv6 one by its /64, as the login limits do: one host has
// all of it; "" counts against none: the federation router, which carries
// every client's subscriptions); release gives the places back when the
// subscription ends.
func (h *Hub) Admit(ctx context.Context, ip string) (release func(), err error) {
	const op = errs.Op("live.subscribe")
	if ip != "" {
		ip = throttle.IPKey(ip)
	}
	c := ConnFrom(ctx)
	if c != nil {
		c.mu.Lock()
		if c.active >= h.o.PerConn {
			c.mu.Unlock()
			return nil, errs.E(op, errs.RateLimited, errs.Msg("at most "+strconv.Itoa(h.o.PerConn)+" subscriptions per connection"))
		}
		c.active++
		c.idle.Stop()
		c.mu.Unlock()
	}
	h.mu.Lock()
	if ip != "" && h.ips[ip] >= h.o.PerIP {
		h.mu.Unlock()
		if c != nil {
			c.release(h.o.Idle)
		}
		return nil, errs.E(op, errs.RateLimited, errs.Msg("at most "+strconv.Itoa(h.o.PerIP)+" subscriptions per client address"))
	}
	if ip != "" {
		h.ips[ip]++
	}
	h.mu.Unlock()
	h.subs.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			h.subs.Add(-1)
			if ip != "" {
				h.mu.Lock()
				if h.ips[ip]--; h.ips[ip] <= 0 {
					delete(h.ips, ip)
				}
				h.mu.Unlock()
			}
			if c != nil {
				c.release(h.o.Idle)
			}
		})
	}, nil
}

// OpenStream counts a long-lived request (a WebSocket, an event stream)
// against its client address, from before the WebSocket upgrade to its
// end: a connection holds goroutines and buffers even without any
// subscription (for InitTimeout, then Idle, and again after each one
// ends). Every useful one carries a subscription, so PerIP bounds them too.
func (h *Hub) OpenStream(ip string) (release func(), err error) {
	ip = throttle.IPKey(ip)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.streams[ip] >= h.o.PerIP {
		return nil, errs.E(errs.Op("live.connect"), errs.RateLimited,
			errs.Msg("at most "+strconv.Itoa(h.o.PerIP)+" open connections per client address"))
	}
	h.streams[ip]++
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			if h.streams[ip]--; h.streams[ip] <= 0 {
				delete(h.streams, ip)
			}
			h.mu.Unlock()
		})
	}, nil
}

func (c *Conn) release(idle time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.active--; c.active == 0 {
		c.idle.Reset(idle)
	}
}
