// Package throttle slows down credential stuffing and mail bombing: the
// sensitive mutations (login, account creation, password changes, password
// mails) are limited per client IP and per account, with token buckets
// from golang.org/x/time/rate, or shared by every replica through Redis
// (Share, shared.go) so that N replicas still allow one budget.
package throttle

import (
	"fmt"
	"math"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/guichet/guichet/errs"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// Rule is a token bucket: Burst attempts at once, then one per Every.
type Rule struct {
	Burst int
	Every time.Duration
}

// Policy limits one action per client IP and per account.
type Policy struct {
	PerIP, PerAccount Rule
}

// Defaults are the limits of the actions Guichet throttles. An honest
// visitor mistyping a password a few times never meets them; a script
// trying a leaked list against one account or from one address does.
var Defaults = map[string]Policy{
	"login":                  {PerIP: Rule{Burst: 20, Every: 3 * time.Second}, PerAccount: Rule{Burst: 5, Every: time.Minute}},
	"registerContact":        {PerIP: Rule{Burst: 5, Every: time.Minute}, PerAccount: Rule{Burst: 3, Every: 10 * time.Minute}},
	"changePassword":         {PerIP: Rule{Burst: 10, Every: 6 * time.Second}, PerAccount: Rule{Burst: 5, Every: time.Minute}},
	"sendSubscriberPassword": {PerIP: Rule{Burst: 10, Every: 6 * time.Second}, PerAccount: Rule{Burst: 3, Every: 10 * time.Minute}},
}

// Limiter holds the buckets of every (action, IP) and (action, account).
type Limiter struct {
	policies map[string]Policy
	now      func() time.Time

	redis  redis.UniversalClient // shared buckets when set (Share)
	prefix string
	obs    Observer

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	full time.Duration // time for an empty bucket to refill: idle longer and it can go
	seen time.Time
}

// New builds a limiter; nil policies means Defaults.
func New(policies map[string]Policy) *Limiter {
	if policies == nil {
		policies = Defaults
	}
	return &Limiter{policies: policies, now: time.Now, buckets: map[string]*bucket{}}
}

// Denied is the cause of a refusal: when to try again.
type Denied struct {
	Action     string
	RetryAfter time.Duration
}

func (d *Denied) Error() string {
	return fmt.Sprintf("%s: too many attempts, retry in %s", d.Action, d.RetryAfter.Round(time.Second))
}

// RetrySeconds rounds the wait up to whole seconds (at least 1).
func (d *Denied) RetrySeconds() int {
	return max(1, int(math.Ceil(d.RetryAfter.Seconds())))
}

// Allow takes one attempt of action for ip and account (either may be
// empty: not limited on that side). A refusal is an errs.RateLimited error
// wrapping a *Denied; it consumes nothing, so waiting is enough.
func (l *Limiter) Allow(action, ip, account string) error {
	if l == nil {
		return nil
	}
	p, ok := l.policies[action]
	if !ok {
		return nil
	}
	// IPv6 clients by their /64 (one host holds a whole /64); both stores
	// key the same way.
	ip = IPKey(ip)
	account = strings.ToLower(strings.TrimSpace(account))
	if l.redis != nil {
		var sides []side
		for _, s := range []side{{"|ip|", ip, p.PerIP}, {"|acct|", account, p.PerAccount}} {
			if s.who != "" && s.rule.Burst > 0 && s.rule.Every > 0 {
				sides = append(sides, s)
			}
		}
		if wait, ok := l.takeShared(action, sides); ok {
			return l.deny(action, "redis", wait)
		}
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	var rs []*rate.Reservation
	var wait time.Duration
	take := func(side, who string, r Rule) {
		if who == "" || r.Burst <= 0 || r.Every <= 0 {
			return
		}
		key := action + side + who
		b := l.buckets[key]
		if b == nil {
			b = &bucket{lim: rate.NewLimiter(rate.Every(r.Every), r.Burst), full: r.Every * time.Duration(r.Burst)}
			l.buckets[key] = b
		}
		b.seen = now
		res := b.lim.ReserveN(now, 1)
		rs = append(rs, res)
		if d := res.DelayFrom(now); d > wait {
			wait = d
		}
	}
	take("|ip|", ip, p.PerIP)
	take("|acct|", account, p.PerAccount)
	if wait == 0 {
		return nil
	}
	for _, r := range rs {
		r.CancelAt(now)
	}
	return l.deny(action, "local", wait)
}

// side is one bucket of an attempt: the client IP's or the account's.
type side struct {
	name, who string
	rule      Rule
}

// deny is nil for no wait, else the refusal (counted).
func (l *Limiter) deny(action, store string, wait time.Duration) error {
	if wait <= 0 {
		return nil
	}
	if l.obs != nil {
		l.obs.RateLimited(action, store)
	}
	d := &Denied{Action: action, RetryAfter: wait}
	return errs.E(errs.Op("throttle."+action), errs.RateLimited,
		errs.Msg(fmt.Sprintf("too many attempts; try again in %d s", d.RetrySeconds())), d)
}

// IPKey is the bucket of an address: an IPv4 address alone, an IPv6 one
// by its /64, the smallest block a site is given (one host can use every
// address of it, so per-address buckets would be no limit at all). Every
// per-client-address limit keys by it.
func IPKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// sweep forgets buckets idle long enough to be full again, so memory
// follows the live attackers, not every address ever seen.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if now.Sub(b.seen) > b.full {
			delete(l.buckets, k)
		}
	}
}

// Len is the number of live buckets (tests, metrics).
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
