package config

import (
	"strings"
	"testing"
	"time"
)

// Ensure the upstream resilience settings default as documented, read
// their variables, and name the variable of a bad value.
func TestUpstreamResilience(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.UpstreamRetries != 2 || c.UpstreamConcurrency != 32 || c.BreakerFailures != 5 || c.BreakerCooldown != 10*time.Second {
		t.Fatalf("defaults: retries %d concurrency %d failures %d cooldown %s", c.UpstreamRetries, c.UpstreamConcurrency, c.BreakerFailures, c.BreakerCooldown)
	}
	c, err = Load(env(map[string]string{"GUICHET_UPSTREAM_RETRIES": "0", "GUICHET_UPSTREAM_CONCURRENCY": "4",
		"GUICHET_BREAKER_FAILURES": "1", "GUICHET_BREAKER_COOLDOWN": "250ms"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.UpstreamRetries != 0 || c.UpstreamConcurrency != 4 || c.BreakerFailures != 1 || c.BreakerCooldown != 250*time.Millisecond {
		t.Fatalf("set: %d %d %d %s", c.UpstreamRetries, c.UpstreamConcurrency, c.BreakerFailures, c.BreakerCooldown)
	}
	bad := map[string]string{"GUICHET_UPSTREAM_RETRIES": "-1", "GUICHET_UPSTREAM_CONCURRENCY": "0",
		"GUICHET_BREAKER_FAILURES": "many", "GUICHET_BREAKER_COOLDOWN": "0s"}
	_, err = Load(env(bad))
	for name := range bad {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Fatalf("error %v does not name %s", err, name)
		}
	}
}
