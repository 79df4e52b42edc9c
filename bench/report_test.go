package main

import (
	"strings"
	"testing"
)

func series(sc int, server string, rate, cpuMs float64) Series {
	return Series{Scenario: sc, Server: server, MaxRate: rate, AtMax: &Step{CPUPerReqMs: cpuMs}}
}

// Ensure the issue-18 targets are judged from the right series: cached
// against static at both sizes, Guichet against direct everywhere, and the
// CPU bounds; a scenario that did not run is a miss, said as such.
func TestSpeedTargets(t *testing.T) {
	e := &env{listing: make([]byte, 90<<10), short: make([]byte, 8<<10)}
	all := []Series{
		series(1, "guichet", 2400, 0.2), series(1, "guichet (no cache)", 800, 1.3), series(1, "direct", 200, 5),
		series(2, "guichet", 6400, 0.1), series(2, "guichet (no cache)", 1600, 0.6), series(2, "direct", 1200, 0.8),
		series(3, "guichet", 600, 1.2), series(3, "direct", 800, 1),
		series(4, "guichet", 200, 3.5), series(4, "direct", 50, 12),
		series(5, "guichet", 2400, 0.3), series(5, "direct", 1200, 0.4),
		series(6, "static", 3200, 0.15),
		series(7, "guichet", 6400, 0.1), series(7, "static", 6400, 0.1),
	}
	got := map[string]Target{}
	for _, tg := range e.speedTargets(all) {
		got[tg.What] = tg
	}
	check := func(prefix string, met bool, detail string) {
		t.Helper()
		for what, tg := range got {
			if strings.HasPrefix(what, prefix) {
				if tg.Met != met || !strings.Contains(tg.Detail, detail) {
					t.Errorf("%s: met %v (%s), want %v with %q", what, tg.Met, tg.Detail, met, detail)
				}
				return
			}
		}
		t.Errorf("no target %q", prefix)
	}
	check("Cached answers ≥ 80%", false, "90 KB: 75%; 8 KB: 100%")
	check("Guichet ≥ 1× the direct", false, "scenario 3: 600 vs 800 req/s")
	check("Scenario 1 (listing, uncached)", true, "1.30 ms at 800 req/s (direct site: 5.00 ms)")
	check("Scenario 2 (show page, uncached)", false, "0.60 ms")
	check("Scenario 3 (account page)", true, "1.20 ms")
	check("Scenario 5 (one subscriber)", true, "0.30 ms")

	// A partial run (-scenarios 2): the others are not measured, not met.
	got = map[string]Target{}
	for _, tg := range e.speedTargets(all[3:6]) {
		got[tg.What] = tg
	}
	check("Guichet ≥ 1× the direct", false, "not measured: scenario 1, 3, 4, 5")
	check("Scenario 3 (account page)", false, "not measured")
}
