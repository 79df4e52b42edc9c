package persisted

import (
	"context"
	"testing"
	"time"

	"github.com/guichet/guichet/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// Ensure a document registered through one replica is found by another,
// and that a Redis outage is a miss, not an error.
func TestRedisCacheSharedByReplicas(t *testing.T) {
	_, addr := redistest.Start(t)
	ctx := context.Background()
	c1, c2 := redis.NewClient(&redis.Options{Addr: addr}), redis.NewClient(&redis.Options{Addr: addr})
	defer c1.Close()
	defer c2.Close()
	a, b := NewRedisCache(c1, time.Hour), NewRedisCache(c2, time.Hour)
	if _, ok := b.Get(ctx, Hash(listing)); ok {
		t.Fatal("found before registration")
	}
	a.Add(ctx, Hash(listing), listing)
	if q, ok := b.Get(ctx, Hash(listing)); !ok || q != listing {
		t.Fatalf("other replica: %q %v", q, ok)
	}
	if ttl := c1.TTL(ctx, "guichet:apq:"+Hash(listing)).Val(); ttl <= 0 || ttl > time.Hour {
		t.Fatalf("ttl %s", ttl)
	}
	down := NewRedisCache(redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 50 * time.Millisecond}), time.Hour)
	if _, ok := down.Get(ctx, Hash(listing)); ok {
		t.Fatal("a hit from a Redis that is down")
	}
	down.Add(ctx, "h", "{ x }") // must not panic; served from the local LRU
	if q, ok := down.Get(ctx, "h"); !ok || q != "{ x }" {
		t.Fatal("local LRU missed")
	}
}
