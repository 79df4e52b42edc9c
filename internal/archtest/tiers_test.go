package archtest

import (
	"sort"
	"strings"
	"testing"
)

// tiers are the layers of the README's Layout picture, top first: a package
// may depend on its own tier and the ones below, never on one above. Which
// packages of a tier may use each other is the business of the rules of
// imports_test.go (graph/ and the adapters share a tier, yet graph/ must
// not import an adapter).
var tiers = [][]string{
	{""}, // package main (server.go)
	{"app", "cmd"},
	{"app/route"},
	{"graph", "respcache", "persisted", "throttle", "live", "hooks", "obs", "playground", sandbox, "soap", "billetterie"},
	{"crm", "boxoffice", "catalogue", "availability"},
	{"upstream", "config"},
	{"errs", "internal"},
}

// tiersTodo are the dependencies that still run up the tiers, with why
// (none since the ticketing mapping moved into billetterie/).
var tiersTodo = map[string]string{}

// tierOf is the index in tiers of the package at module-relative path rel;
// -1 for packages outside the picture (bench, deploy tools, generators).
func tierOf(rel string) int {
	best, bestLen := -1, -1
	for i, tier := range tiers {
		for _, p := range tier {
			if p == "" {
				if rel == "" {
					return i
				}
				continue
			}
			if (rel == p || strings.HasPrefix(rel, p+"/")) && len(p) > bestLen {
				best, bestLen = i, len(p)
			}
		}
	}
	return best
}

// Ensure no dependency runs up the tiers of the README's picture, and that
// every package of the module is placed in it (bench and deploy aside).
func TestTiers(t *testing.T) {
	pkgs := listPackages(t)
	var up, unplaced []string
	todo := map[string]bool{}
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if under(p.ImportPath, "bench") || under(p.ImportPath, "deploy") || strings.Contains(rel, "/internal/") && !under(p.ImportPath, "internal") {
			continue // tools, benchmarks and generators are outside the picture
		}
		from := tierOf(rel)
		if from < 0 {
			unplaced = append(unplaced, rel)
			continue
		}
		for _, d := range p.Deps {
			if d != module && !strings.HasPrefix(d, module+"/") {
				continue
			}
			drel := strings.TrimPrefix(strings.TrimPrefix(d, module), "/")
			if to := tierOf(drel); to >= 0 && to < from {
				edge := rel + " -> " + drel
				top := strings.SplitN(rel, "/", 2)[0] + " -> " + strings.SplitN(drel, "/", 2)[0]
				if _, ok := tiersTodo[top]; ok {
					todo[top] = true
					continue
				}
				up = append(up, edge)
			}
		}
	}
	sort.Strings(up)
	if len(unplaced) > 0 {
		t.Errorf("packages missing from the tiers (and the README's picture): %s", strings.Join(unplaced, ", "))
	}
	if len(up) > 0 {
		t.Errorf("dependencies running up the tiers: %s", strings.Join(up, ", "))
	}
	for edge, why := range tiersTodo {
		if !todo[edge] {
			t.Errorf("%s no longer runs up the tiers: drop its TODO (%s)", edge, why)
		} else {
			t.Logf("TODO: %s (%s)", edge, why)
		}
	}
}
