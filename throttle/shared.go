package throttle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Replicas behind one load balancer must share their buckets, or N
// replicas allow N times the budget. The shared buckets are GCRA cells in
// Redis (one timestamp per bucket: the theoretical arrival time). A Lua
// script of our own rather than github.com/go-redis/redis_rate: an attempt
// takes from the IP bucket and the account bucket together or from
// neither, atomically, as the local buckets do (a refusal consumes
// nothing); redis_rate takes one key per call, so an attempt refused by
// the account bucket would still drain the IP bucket.
//
// KEYS: the buckets. ARGV: per bucket, its emission interval and its burst
// (microseconds, count). Returns 0 when taken, else the wait in µs. The
// clock is Redis's own, so replicas with skewed clocks agree.
var gcra = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = 0
local tats = {}
for i, key in ipairs(KEYS) do
  local every = tonumber(ARGV[2*i-1])
  local burst = tonumber(ARGV[2*i])
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  tats[i] = tat + every
  local allowAt = tats[i] - every * burst
  if allowAt - now > wait then wait = allowAt - now end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, string.format('%d', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000))
end
return 0
`)

// Observer counts what the limiter does (obs.Metrics implements it).
type Observer interface {
	RateLimited(action, store string) // a refusal; store is "redis" or "local"
	RateLimitStoreError()             // Redis failed: this attempt used the local buckets
}

// SharedTimeout bounds one Redis round trip of a login: past it, the
// attempt is judged by the local buckets instead of waiting.
const SharedTimeout = 250 * time.Millisecond

// Share makes l keep its buckets in Redis (prefix names its keys). When
// Redis fails, attempts fall back to the per-replica buckets, each such
// attempt counted by the Observer: never open without limits, never
// closed to all.
func (l *Limiter) Share(rc redis.UniversalClient, prefix string) *Limiter {
	l.redis, l.prefix = rc, prefix
	return l
}

// Observe reports refusals and Redis failures to o.
func (l *Limiter) Observe(o Observer) *Limiter {
	l.obs = o
	return l
}

// takeShared asks Redis for both buckets at once; ok is false when Redis
// could not answer.
func (l *Limiter) takeShared(action string, sides []side) (wait time.Duration, ok bool) {
	if len(sides) == 0 {
		return 0, true
	}
	keys := make([]string, 0, len(sides))
	args := make([]any, 0, 2*len(sides))
	for _, s := range sides {
		// Hashed: no e-mail address or IP in Redis. The {action} hash tag
		// keeps one attempt's keys in one slot of a Redis Cluster.
		h := sha256.Sum256([]byte(s.who))
		keys = append(keys, l.prefix+"{"+action+"}"+s.name+hex.EncodeToString(h[:16]))
		args = append(args, strconv.FormatInt(s.rule.Every.Microseconds(), 10), s.rule.Burst)
	}
	ctx, cancel := context.WithTimeout(context.Background(), SharedTimeout)
	defer cancel()
	n, err := gcra.Run(ctx, l.redis, keys, args...).Int64()
	if err != nil {
		if l.obs != nil {
			l.obs.RateLimitStoreError()
		}
		return 0, false
	}
	return time.Duration(n) * time.Microsecond, true
}
