package app

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// Ensure the Grafana dashboard and the Prometheus alert rules query only
// metric names that Guichet's /metrics serves: a renamed series would
// otherwise leave a panel empty and an alert silent without any error.
func TestDashboardsNameServedMetrics(t *testing.T) {
	e := boot(t)
	e.ok(e.do(nil, `{ shows(first: 1) { edges { node { id } } } }`, nil, nil))

	// Every family registered (Describe lists those with no sample yet too).
	served := map[string]string{} // name → "histogram" or ""
	ch := make(chan *prometheus.Desc, 64)
	go func() { e.app.metrics.Registry().Describe(ch); close(ch) }()
	fq := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range ch {
		if m := fq.FindStringSubmatch(d.String()); m != nil {
			served[m[1]] = ""
		}
	}
	// And what the endpoint writes, which also types the histograms.
	res, err := http.Get(e.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, m := range regexp.MustCompile(`(?m)^# TYPE (\S+) (\S+)$`).FindAllStringSubmatch(string(body), -1) {
		if _, ok := served[m[1]]; !ok {
			t.Errorf("/metrics serves %s, which the registry does not describe", m[1])
		}
		if m[2] == "histogram" {
			served[m[1]] = "histogram"
		}
	}
	for _, h := range []string{"guichet_graphql_request_duration_seconds", "guichet_upstream_call_duration_seconds", "guichet_dataloader_batch_size"} {
		if _, ok := served[h]; ok {
			served[h] = "histogram" // a histogram without samples has no TYPE line yet
		}
	}
	known := func(name string) bool {
		if name == "up" { // written by Prometheus itself for every target
			return true
		}
		if _, ok := served[name]; ok {
			return true
		}
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if base, ok := strings.CutSuffix(name, suffix); ok && served[base] == "histogram" {
				return true
			}
		}
		return false
	}

	var exprs []string
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
		Templating struct{ List []struct{ Query any } }
	}
	raw, err := os.ReadFile("../deploy/grafana/guichet.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	for _, v := range dash.Templating.List {
		if q, ok := v.Query.(string); ok && strings.Contains(q, "(") {
			exprs = append(exprs, q)
		}
	}
	rules, err := os.ReadFile("../deploy/prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	// expr: on one line, or a block scalar (|) of indented lines.
	for _, m := range regexp.MustCompile(`(?m)^\s+expr: (?:\|\n((?:\s{10,}.*\n)+)|(.*))`).FindAllStringSubmatch(string(rules), -1) {
		exprs = append(exprs, m[1]+m[2])
	}
	if len(exprs) < 20 {
		t.Fatalf("only %d queries found: the parsing above lost some", len(exprs))
	}

	// Metric names: identifiers followed by { [ or an operator, minus the
	// PromQL functions, keywords and label names used in the files.
	ident := regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	strs := regexp.MustCompile(`"[^"]*"|\{\{[^}]*\}\}|\$\w+|\[[^\]]*\]`)
	notMetric := map[string]bool{"sum": true, "by": true, "rate": true, "increase": true, "max": true, "min": true, "histogram_quantile": true,
		"label_values": true, "and": true, "or": true, "le": true, "backend": true, "outcome": true, "state": true, "action": true,
		"instance": true, "job": true, "loader": true, "store": true, "count": true}
	used := map[string]bool{}
	for _, ex := range exprs {
		clean := strs.ReplaceAllString(ex, " ")
		// Label matchers inside {...}: drop their names.
		clean = regexp.MustCompile(`\{[^}]*\}`).ReplaceAllString(clean, " ")
		clean = regexp.MustCompile(`\((?:[a-z_]+,\s*)*[a-z_]+\)\s*\(`).ReplaceAllString(clean, "((") // by (a, b) (
		for _, id := range ident.FindAllString(clean, -1) {
			if !notMetric[id] && !regexp.MustCompile(`^\d`).MatchString(id) {
				used[id] = true
			}
		}
	}
	var names []string
	for n := range used {
		names = append(names, n)
		if !known(n) {
			t.Errorf("a dashboard or alert queries %s, which /metrics does not serve", n)
		}
	}
	sort.Strings(names)
	for _, want := range []string{"guichet_upstream_breaker_state", "guichet_catalogue_sync_age_seconds", "guichet_upstream_calls_total",
		"guichet_graphql_request_duration_seconds_bucket", "guichet_rate_limit_refusals_total"} {
		if !used[want] {
			t.Errorf("no query uses %s (parsing lost it, or a panel or alert went missing)", want)
		}
	}
	t.Logf("%d queries name %d metrics: %s", len(exprs), len(names), strings.Join(names, " "))
}
