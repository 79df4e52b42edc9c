package hooks

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisLog is the log shared by replicas: a Redis Stream read through one
// consumer group, so each push is applied by one replica. An entry is
// acknowledged (XACK) after it is applied; one left pending by a replica
// that died is claimed by another once it has been idle for ReclaimAfter.
type RedisLog struct {
	rc       *redis.Client
	stream   string
	group    string
	consumer string
	// ReclaimAfter is how long an entry may stay pending with its consumer
	// before another takes it over (a crashed replica).
	ReclaimAfter time.Duration
	// KeyTTL is how long a push's key is remembered against duplicates.
	KeyTTL time.Duration
}

const redisPrefix = "guichet:hooks:"

// OpenRedisLog creates the stream and its consumer group when missing.
func OpenRedisLog(ctx context.Context, rc *redis.Client) (*RedisLog, error) {
	l := &RedisLog{rc: rc, stream: redisPrefix + "pushes", group: "guichet", consumer: consumerName(),
		ReclaimAfter: 30 * time.Second, KeyTTL: 30 * 24 * time.Hour}
	err := rc.XGroupCreateMkStream(ctx, l.stream, l.group, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return nil, err
	}
	return l, nil
}

func consumerName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}

func (l *RedisLog) Append(ctx context.Context, e *Entry) error {
	if e.Received.IsZero() {
		e.Received = time.Now().UTC()
	}
	id, err := l.rc.XAdd(ctx, &redis.XAddArgs{Stream: l.stream, MaxLen: 100000, Approx: true,
		Values: map[string]any{"path": e.Path, "received": e.Received.Format(time.RFC3339Nano), "body": e.Body}}).Result()
	if err != nil {
		return err
	}
	e.ID = id
	return nil
}

func entryOf(m redis.XMessage) Entry {
	e := Entry{ID: m.ID}
	e.Path, _ = m.Values["path"].(string)
	if s, ok := m.Values["received"].(string); ok {
		e.Received, _ = time.Parse(time.RFC3339Nano, s)
	}
	if s, ok := m.Values["body"].(string); ok {
		e.Body = []byte(s)
	}
	return e
}

func (l *RedisLog) Run(ctx context.Context, fn func(context.Context, Entry) error) error {
	apply := func(msgs []redis.XMessage) {
		for _, m := range msgs {
			if ctx.Err() != nil {
				return
			}
			if fn(ctx, entryOf(m)) == nil {
				// Applied: acknowledged even when we are stopping meanwhile,
				// and deleted: the stream holds what is still to apply, not
				// every push ever received (its MAXLEN is only a backstop).
				actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
				l.rc.TxPipelined(actx, func(p redis.Pipeliner) error {
					p.XAck(actx, l.stream, l.group, m.ID)
					p.XDel(actx, l.stream, m.ID)
					return nil
				})
				cancel()
			}
			// Not applied: it stays pending and comes back through XAUTOCLAIM.
		}
	}
	lastClaim := time.Time{}
	for ctx.Err() == nil {
		if time.Since(lastClaim) >= l.ReclaimAfter/2 {
			lastClaim = time.Now()
			start := "0-0"
			for ctx.Err() == nil {
				msgs, next, err := l.rc.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: l.stream, Group: l.group,
					Consumer: l.consumer, MinIdle: l.ReclaimAfter, Start: start, Count: 64}).Result()
				if err != nil {
					break
				}
				apply(msgs)
				if next == "0-0" || len(msgs) == 0 {
					break
				}
				start = next
			}
		}
		block := l.ReclaimAfter / 2
		if block > 2*time.Second { // a blocked read does not watch ctx: bounds the stop
			block = 2 * time.Second
		}
		res, err := l.rc.XReadGroup(ctx, &redis.XReadGroupArgs{Group: l.group, Consumer: l.consumer,
			Streams: []string{l.stream, ">"}, Count: 64, Block: block}).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if strings.Contains(err.Error(), "NOGROUP") {
				l.rc.XGroupCreateMkStream(ctx, l.stream, l.group, "0")
			}
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			continue
		}
		for _, s := range res {
			apply(s.Messages)
		}
	}
	return ctx.Err()
}

func (l *RedisLog) Claim(ctx context.Context, key, id string) (bool, error) {
	k := redisPrefix + "key:" + key
	ok, err := l.rc.SetNX(ctx, k, id, l.KeyTTL).Result()
	if err != nil || ok {
		return ok, err
	}
	by, err := l.rc.Get(ctx, k).Result()
	if errors.Is(err, redis.Nil) { // expired in between
		return l.rc.SetNX(ctx, k, id, l.KeyTTL).Result()
	}
	return by == id, err
}

func (l *RedisLog) Reject(ctx context.Context, e Entry, reason string) error {
	return l.rc.XAdd(ctx, &redis.XAddArgs{Stream: redisPrefix + "rejected", MaxLen: 1000, Approx: true,
		Values: map[string]any{"path": e.Path, "received": e.Received.Format(time.RFC3339Nano), "reason": reason, "body": e.Body}}).Err()
}

// Close leaves the client to its owner.
func (l *RedisLog) Close() error { return nil }
