package live

import (
	"net"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// A WebSocket message costs a parse and a validation of up to 8 KiB; a
// client may send them back to back on one connection for as long as it
// stays open. Its reads are therefore paced: ReadBurst bytes at once (a
// page opening its twenty subscriptions), then ReadRate bytes per second.
// Pacing the socket rather than refusing messages costs the server
// nothing while it waits (TCP pushes back on the sender) and needs no hook
// in gqlgen's transport, which offers none.
const (
	defaultReadRate  = 4 << 10
	defaultReadBurst = 64 << 10
)

// SlowReads wraps the connection of an upgraded WebSocket so that its
// reads follow the hub's read rate.
func (h *Hub) SlowReads(c net.Conn) net.Conn {
	return newPacedConn(c, h.o.ReadRate, h.o.ReadBurst, time.Now, func() { h.paced.Add(1) })
}

type pacedConn struct {
	net.Conn
	lim    *rate.Limiter
	now    func() time.Time
	wait   func(d time.Duration, closed <-chan struct{}) // replaced by tests
	onWait func()

	once   sync.Once
	closed chan struct{}
}

func newPacedConn(c net.Conn, perSecond, burst int, now func() time.Time, onWait func()) *pacedConn {
	return &pacedConn{Conn: c, lim: rate.NewLimiter(rate.Limit(perSecond), burst), now: now,
		wait: sleep, onWait: onWait, closed: make(chan struct{})}
}

func sleep(d time.Duration, closed <-chan struct{}) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-closed:
	}
}

// Read reads at most a burst, then owes the bytes read: when the bucket
// is in debt the reader sleeps before handing them on, so the next read
// of the socket comes only when the rate allows it.
func (c *pacedConn) Read(p []byte) (int, error) {
	if b := c.lim.Burst(); len(p) > b {
		p = p[:b]
	}
	n, err := c.Conn.Read(p)
	if n > 0 {
		if d := c.lim.ReserveN(c.now(), n).DelayFrom(c.now()); d > 0 {
			c.onWait()
			c.wait(d, c.closed)
		}
	}
	return n, err
}

// Close also wakes a reader that is waiting for its turn.
func (c *pacedConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}
