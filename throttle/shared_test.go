package throttle

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/internal/redistest"
	"github.com/redis/go-redis/v9"
)

type counts struct{ redis, local, storeErrors atomic.Int64 }

func (c *counts) RateLimited(action, store string) {
	if store == "redis" {
		c.redis.Add(1)
	} else {
		c.local.Add(1)
	}
}
func (c *counts) RateLimitStoreError() { c.storeErrors.Add(1) }

// Ensure two replicas sharing Redis allow one budget between them, not
// two: per account, then per IP, with a refusal consuming nothing on
// either side, and no address or e-mail in Redis keys.
func TestSharedBudgetAcrossReplicas(t *testing.T) {
	url, _ := redistest.Start(t)
	opt, _ := redis.ParseURL(url)
	rc := redis.NewClient(opt)
	defer rc.Close()
	policy := map[string]Policy{"login": {PerIP: Rule{Burst: 8, Every: time.Hour}, PerAccount: Rule{Burst: 3, Every: time.Hour}}}
	var seen counts
	a := New(policy).Share(rc, "t:").Observe(&seen)
	b := New(policy).Share(rc, "t:").Observe(&seen)
	replicas := []*Limiter{a, b}
	for i := range 3 {
		if err := replicas[i%2].Allow("login", "192.0.2.1", "camille@exemple.fr"); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	for i, l := range replicas {
		err := l.Allow("login", "192.0.2.1", " Camille@Exemple.fr")
		var d *Denied
		if errs.KindOf(err) != errs.RateLimited || !errors.As(err, &d) || d.RetrySeconds() < 3599 || d.RetrySeconds() > 3600 {
			t.Fatalf("replica %d, 4th attempt on one account: %v", i, err)
		}
	}
	// The two refusals took nothing from the IP bucket: 5 of its 8 remain.
	for i := range 5 {
		if err := replicas[i%2].Allow("login", "192.0.2.1", "other"+string(rune('a'+i))+"@exemple.fr"); err != nil {
			t.Fatalf("other account %d: %v", i, err)
		}
	}
	if err := b.Allow("login", "192.0.2.1", "fresh@exemple.fr"); errs.KindOf(err) != errs.RateLimited {
		t.Fatalf("9th attempt from one IP across replicas: %v", err)
	}
	if err := a.Allow("login", "198.51.100.7", "fresh@exemple.fr"); err != nil {
		t.Fatalf("other IP: %v", err)
	}
	if seen.redis.Load() != 3 || seen.local.Load() != 0 || seen.storeErrors.Load() != 0 {
		t.Fatalf("refusals redis=%d local=%d, store errors %d; want 3, 0, 0", seen.redis.Load(), seen.local.Load(), seen.storeErrors.Load())
	}
	keys, err := rc.Keys(context.Background(), "t:*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys: %v %v", keys, err)
	}
	for _, k := range keys {
		if strings.Contains(k, "exemple") || strings.Contains(k, "192.0.2") {
			t.Fatalf("personal data in key %q", k)
		}
		if ttl := rc.PTTL(context.Background(), k).Val(); ttl <= 0 || ttl > 9*time.Hour {
			t.Fatalf("key %s expires in %v", k, ttl)
		}
	}
}

// Ensure the shared buckets refill at the policy's rate (GCRA on Redis's
// clock): one attempt per Every after the burst.
func TestSharedBucketRefills(t *testing.T) {
	url, _ := redistest.Start(t)
	opt, _ := redis.ParseURL(url)
	rc := redis.NewClient(opt)
	defer rc.Close()
	l := New(map[string]Policy{"login": {PerAccount: Rule{Burst: 2, Every: 300 * time.Millisecond}}}).Share(rc, "t:")
	for i := range 2 {
		if err := l.Allow("login", "", "a@exemple.fr"); err != nil {
			t.Fatal(i, err)
		}
	}
	err := l.Allow("login", "", "a@exemple.fr")
	var d *Denied
	if !errors.As(err, &d) || d.RetryAfter <= 0 || d.RetryAfter > 300*time.Millisecond {
		t.Fatalf("3rd at once: %v", err)
	}
	time.Sleep(d.RetryAfter + 20*time.Millisecond)
	if err := l.Allow("login", "", "a@exemple.fr"); err != nil {
		t.Fatalf("after %v: %v", d.RetryAfter, err)
	}
}

// Ensure an unreachable Redis neither opens the gate nor closes it: each
// attempt is counted as a store error and judged by local buckets.
func TestRedisDownFallsBackToLocal(t *testing.T) {
	rc := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rc.Close()
	var seen counts
	l := New(map[string]Policy{"login": {PerAccount: Rule{Burst: 2, Every: time.Hour}}}).Share(rc, "t:").Observe(&seen)
	for i := range 2 {
		if err := l.Allow("login", "192.0.2.1", "a@exemple.fr"); err != nil {
			t.Fatalf("attempt %d refused with Redis down: %v", i, err)
		}
	}
	if err := l.Allow("login", "192.0.2.1", "a@exemple.fr"); errs.KindOf(err) != errs.RateLimited {
		t.Fatalf("3rd attempt with Redis down: %v, want the local bucket's refusal", err)
	}
	if seen.storeErrors.Load() != 3 || seen.local.Load() != 1 {
		t.Fatalf("store errors %d, local refusals %d; want 3 and 1", seen.storeErrors.Load(), seen.local.Load())
	}
}
