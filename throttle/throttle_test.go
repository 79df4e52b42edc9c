package throttle

import (
	"errors"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
)

func fixedClock(l *Limiter) *time.Time {
	now := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	return &now
}

func TestPerAccountThenPerIP(t *testing.T) {
	l := New(map[string]Policy{"login": {PerIP: Rule{Burst: 8, Every: time.Second}, PerAccount: Rule{Burst: 3, Every: time.Minute}}})
	now := fixedClock(l)
	for i := range 3 {
		if err := l.Allow("login", "192.0.2.1", "camille@exemple.fr"); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	err := l.Allow("login", "192.0.2.1", "Camille@Exemple.fr ") // same account, other spelling
	var d *Denied
	if errs.KindOf(err) != errs.RateLimited || !errors.As(err, &d) || d.RetrySeconds() != 60 {
		t.Fatalf("4th attempt on one account: %v (%+v), want RATE_LIMITED retry in 60 s", err, d)
	}
	// Other accounts from the same address go on until the IP budget (8)
	// is spent: 3 taken, the refusal took nothing, 5 left.
	for i := range 5 {
		if err := l.Allow("login", "192.0.2.1", "other"+string(rune('a'+i))+"@exemple.fr"); err != nil {
			t.Fatalf("other account %d: %v", i, err)
		}
	}
	if err := l.Allow("login", "192.0.2.1", "fresh@exemple.fr"); errs.KindOf(err) != errs.RateLimited {
		t.Fatalf("9th attempt from one IP: %v", err)
	}
	// Another address is not affected, and time refills the buckets.
	if err := l.Allow("login", "198.51.100.7", "fresh@exemple.fr"); err != nil {
		t.Fatalf("other IP: %v", err)
	}
	*now = now.Add(60 * time.Second)
	if err := l.Allow("login", "192.0.2.1", "camille@exemple.fr"); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	// Unthrottled actions and a nil limiter allow everything.
	if err := l.Allow("logout", "192.0.2.1", "x"); err != nil {
		t.Fatal(err)
	}
	var none *Limiter
	if err := none.Allow("login", "192.0.2.1", "x"); err != nil {
		t.Fatal(err)
	}
}

func TestIdleBucketsAreForgotten(t *testing.T) {
	l := New(nil)
	now := fixedClock(l)
	for i := range 100 {
		l.Allow("login", "10.0.0."+string(rune('0'+i%10)), "u"+string(rune('a'+i%26)))
	}
	if l.Len() == 0 {
		t.Fatal("no bucket kept")
	}
	*now = now.Add(time.Hour)
	l.Allow("login", "10.9.9.9", "")
	if l.Len() != 1 {
		t.Fatalf("%d buckets after an idle hour, want 1", l.Len())
	}
}

func TestDefaultsCoverTheSensitiveMutations(t *testing.T) {
	for _, a := range []string{"login", "registerContact", "changePassword", "sendSubscriberPassword"} {
		p, ok := Defaults[a]
		if !ok || p.PerIP.Burst <= 0 || p.PerAccount.Burst <= 0 {
			t.Errorf("%s: %+v", a, p)
		}
	}
}

// Ensure IPv6 clients share one bucket per /64 (a host can rotate through
// its whole block), while IPv4 addresses and other /64s stay apart.
func TestIPv6KeyedByPrefix(t *testing.T) {
	l := New(map[string]Policy{"login": {PerIP: Rule{Burst: 3, Every: time.Minute}}})
	fixedClock(l)
	for i, ip := range []string{"2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:2:aaaa:bbbb:cccc:dddd"} {
		if err := l.Allow("login", ip, ""); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if err := l.Allow("login", "2001:db8:1:2::abcd", ""); errs.KindOf(err) != errs.RateLimited {
		t.Fatalf("4th address of one /64: %v", err)
	}
	if err := l.Allow("login", "2001:db8:1:3::1", ""); err != nil {
		t.Fatalf("next /64: %v", err)
	}
	for _, c := range []struct{ in, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"not-an-ip", "not-an-ip"},
	} {
		if got := IPKey(c.in); got != c.want {
			t.Errorf("IPKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
