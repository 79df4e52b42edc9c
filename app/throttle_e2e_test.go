package app

import (
	"testing"
	"time"

	"github.com/guichet/guichet/sandbox/fixture"
	"github.com/guichet/guichet/throttle"
)

// Ensure credential stuffing meets RATE_LIMITED with a retry delay before
// the ticketing system sees the excess attempts, per account then per IP,
// and that the limits can be turned off.
func TestE2ELoginRateLimit(t *testing.T) {
	e := boot(t)
	// The default budgets (5 per account, 20 per IP at once) with refills
	// too slow to matter on a loaded machine: the counts below stay exact.
	def := throttle.Defaults["login"]
	def.PerIP.Every, def.PerAccount.Every = time.Hour, time.Hour
	e.app.resolver.Limits = throttle.New(map[string]throttle.Policy{"login": def})
	login := func(email, password string) gqlResp {
		return e.do(nil, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
			map[string]any{"e": email, "p": password}, nil)
	}
	for i := range 5 {
		if r := login(fixture.DemoEmail, "Wrong-guess-1"); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("wrong password %d: %q", i, r.Code())
		}
	}
	r := login(fixture.DemoEmail, fixture.DemoPassword)
	if r.Code() != "RATE_LIMITED" || r.Errors[0].Extensions["retryAfter"] == nil {
		t.Fatalf("6th attempt on one account: %+v", r.Errors)
	}
	if n := e.app.back.ticketing.client.Calls()["ws_login"]; n != 5 {
		t.Fatalf("ws_login calls = %d, want 5: a refused attempt must not reach the ticketing system", n)
	}
	// Other accounts from the same address: 15 more attempts, then the
	// address is out of budget too (20 at once).
	for i := range 15 {
		if r := login("someone"+string(rune('a'+i))+"@exemple.fr", "Wrong-guess-1"); r.Code() == "RATE_LIMITED" {
			t.Fatalf("account %d limited before the IP budget is spent", i)
		}
	}
	if r := login("fresh.account@exemple.fr", "Wrong-guess-1"); r.Code() != "RATE_LIMITED" {
		t.Fatalf("21st attempt from one IP: %q", r.Code())
	}
}

func TestE2ERateLimitsOff(t *testing.T) {
	e := bootWith(t, map[string]string{"GUICHET_RATE_LIMITS": "false"})
	for i := range 8 {
		r := e.do(nil, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
			map[string]any{"e": fixture.DemoEmail, "p": "Wrong-guess-1"}, nil)
		if r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("attempt %d with limits off: %q", i, r.Code())
		}
	}
}
