package catalogue

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// startRedis runs a throwaway redis-server and returns a client to it.
func startRedis(t *testing.T) *redis.Client {
	t.Helper()
	_, addr := redistest.Start(t)
	c := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { c.Close() })
	return c
}

type replica struct {
	s     *Syncer
	store *Store
	r     *Redis
}

func newReplica(t *testing.T, c *redis.Client, src Source) replica {
	r := NewRedis(c, "test:"+t.Name(), time.Second)
	st := &Store{}
	s := NewSyncer(st, src, r, SyncOptions{Interval: time.Hour, PollInterval: 20 * time.Millisecond, Logger: quietLogger()})
	return replica{s: s, store: st, r: r}
}

func TestRedisReplicasShareOneSync(t *testing.T) {
	c := startRedis(t)
	ctx := context.Background()
	src := newFakeSource(20)
	a, b := newReplica(t, c, src), newReplica(t, c, src)
	if err := a.s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer a.s.Stop()
	if err := b.s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer b.s.Stop()
	waitFor(t, "both replicas ready on one version", func() bool {
		return a.s.Ready() && b.s.Ready() && a.store.Current().Version == b.store.Current().Version
	})
	time.Sleep(100 * time.Millisecond) // several loop turns of both
	if fulls, since := src.counts(); fulls != 1 || len(since) != 0 {
		t.Fatalf("upstream saw %d full loads and %d pulls, want exactly 1 full load", fulls, len(since))
	}
	leader, follower := a, b
	if b.s.Status().Leader {
		leader, follower = b, a
	}
	if !leader.s.Status().Leader || follower.s.Status().Leader {
		t.Fatalf("want exactly one leader: a %v, b %v", a.s.Status().Leader, b.s.Status().Leader)
	}
	if follower.s.Status().FullLoads != 0 {
		t.Fatal("the follower called upstream")
	}

	// A change pulled by the leader reaches the follower.
	src.set(fakeShow("s5", "Modifié", 1), time.Now())
	if err := leader.s.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the follower to reload", func() bool {
		sh := follower.store.Current().Show("s5")
		return sh != nil && sh.Title == "Modifié"
	})
	if err := follower.s.Pull(ctx); err == nil {
		t.Fatal("the follower pulled while the leader holds the lease")
	}

	// A forced full load asked on the follower is done by the leader.
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := follower.s.Full(fctx); err != nil {
		t.Fatal(err)
	}
	if fulls, _ := src.counts(); fulls != 2 || leader.s.Status().FullLoads != 2 || follower.s.Status().FullLoads != 0 {
		t.Fatalf("forced full load: upstream %d, leader %d, follower %d", fulls, leader.s.Status().FullLoads, follower.s.Status().FullLoads)
	}
	if follower.store.Current().Version != leader.store.Current().Version {
		t.Fatal("the follower does not serve the forced full load")
	}

	// A replica without the lease cannot overwrite the shared snapshot.
	if err := follower.r.Save(ctx, testSnapshot(), SyncState{Version: "v1"}); !errors.Is(err, errLeaseLost) {
		t.Fatalf("save without the lease: %v", err)
	}

	// The leader stops and releases the lease: the other takes over, with
	// the shared state, and no full load.
	served := follower.store.Current().Version
	leader.s.Stop()
	waitFor(t, "the follower to take the lease", func() bool { return follower.s.Status().Leader })
	if err := follower.s.Pull(ctx); err != nil {
		t.Fatal(err)
	}
	fulls, since := src.counts()
	if fulls != 2 || len(since) != 2 {
		t.Fatalf("after takeover: %d full loads, %d pulls; want 2 and 2", fulls, len(since))
	}
	if follower.store.Current().Version != served {
		t.Fatal("a pull with no change after takeover minted a new version")
	}
}

func TestRedisLeaseExpiresWithoutRelease(t *testing.T) {
	c := startRedis(t)
	ctx := context.Background()
	x := NewRedis(c, "test:"+t.Name(), 200*time.Millisecond)
	y := NewRedis(c, "test:"+t.Name(), 200*time.Millisecond)
	if ok, err := x.Hold(ctx); !ok || err != nil {
		t.Fatalf("x: %v %v", ok, err)
	}
	if ok, _ := y.Hold(ctx); ok {
		t.Fatal("two holders")
	}
	if ok, _ := x.Hold(ctx); !ok {
		t.Fatal("renewal refused")
	}
	// x dies without releasing: y gets the lease once it expires.
	deadline := time.Now().Add(5 * time.Second)
	for {
		if ok, _ := y.Hold(ctx); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("lease never expired")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if ok, _ := x.Hold(ctx); ok {
		t.Fatal("the old holder renewed a lease it lost")
	}
	if err := x.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, _ := y.Hold(ctx); !ok {
		t.Fatal("a stale holder's release freed the new holder's lease")
	}
}

func TestOpenRedisHidesPassword(t *testing.T) {
	_, err := OpenRedis(context.Background(), "http://user:s3cret@host/0")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("bad URL: %v", err)
	}
}
