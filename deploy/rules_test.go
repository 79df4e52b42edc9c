package deploy

import (
	"strings"
	"testing"
)

// Ensure Prometheus accepts the alert rules and the stack's config, and
// that the rules fire (and stay quiet) on the series Guichet writes
// (promtool test rules, deploy/prometheus/alerts_test.yml).
func TestAlertRules(t *testing.T) {
	requireDeploy(t, "promtool")
	for _, args := range [][]string{
		{"check", "rules", "deploy/prometheus/alerts.yml"},
		{"check", "config", "deploy/prometheus/prometheus.yml"},
		{"test", "rules", "deploy/prometheus/alerts_test.yml"},
	} {
		if out := command(t, "promtool", args...); !strings.Contains(out, "SUCCESS") {
			t.Fatalf("promtool %v: %s", args, out)
		}
	}
}
