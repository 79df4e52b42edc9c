// Package live carries what happens at the box office to the clients that
// watch it: an event bus shared by every replica (Redis pub/sub, or in
// process for a single one) and a hub that fans events out to
// subscriptions, throttled per performance and bounded per connection and
// per client address.
package live

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/guichet/guichet/boxoffice"
	"github.com/redis/go-redis/v9"
)

// Event is one thing every replica must hear: performances whose seat
// counts a sale changed, a notified order, a printed card.
type Event struct {
	Seats []string               `json:"seats,omitempty"`
	Order *boxoffice.Order       `json:"order,omitempty"`
	Card  *boxoffice.PrintedCard `json:"card,omitempty"`
}

// Bus delivers published events to every replica, the publisher included.
type Bus interface {
	Publish(ctx context.Context, e Event) error
	// Listen calls fn for every event until ctx ends.
	Listen(ctx context.Context, fn func(Event))
}

// LocalBus is the bus of a single replica.
type LocalBus struct {
	mu        sync.Mutex
	listeners map[int]chan Event
	next      int
}

func (b *LocalBus) Publish(ctx context.Context, e Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.listeners {
		select {
		case ch <- e:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (b *LocalBus) Listen(ctx context.Context, fn func(Event)) {
	ch := make(chan Event, 256)
	b.mu.Lock()
	if b.listeners == nil {
		b.listeners = map[int]chan Event{}
	}
	id := b.next
	b.next++
	b.listeners[id] = ch
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.listeners, id)
		b.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-ch:
			fn(e)
		}
	}
}

// RedisBus is the bus of several replicas: one Redis pub/sub channel.
// Pub/sub keeps nothing: a replica cut off from Redis misses events, and its
// seat counts then age out with the availability TTL as before.
type RedisBus struct {
	RC      *redis.Client
	Channel string // "" : guichet:live
	Logger  *slog.Logger
}

func (b *RedisBus) channel() string {
	if b.Channel == "" {
		return "guichet:live"
	}
	return b.Channel
}

func (b *RedisBus) Publish(ctx context.Context, e Event) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.RC.Publish(ctx, b.channel(), raw).Err()
}

// Listen subscribes once and re-subscribes after a lost connection (go-redis
// reconnects the PubSub by itself; Receive errors are transient).
func (b *RedisBus) Listen(ctx context.Context, fn func(Event)) {
	ps := b.RC.Subscribe(ctx, b.channel())
	defer ps.Close()
	// A blocked receive does not watch ctx: closing the subscription ends it.
	context.AfterFunc(ctx, func() { ps.Close() })
	for {
		msg, err := ps.ReceiveMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if b.Logger != nil {
				b.Logger.Warn("live bus", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(500 * time.Millisecond):
			}
			continue
		}
		var e Event
		if json.Unmarshal([]byte(msg.Payload), &e) == nil {
			fn(e)
		}
	}
}
