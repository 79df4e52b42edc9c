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
