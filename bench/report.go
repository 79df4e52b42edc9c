package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Machine describes where the figures were measured.
type Machine struct {
	CPU    string `json:"cpu"`
	Cores  int    `json:"cores"`
	Memory string `json:"memory"`
	Kernel string `json:"kernel"`
	Go     string `json:"go"`
	Node   string `json:"node,omitempty"`
}

// Ratio compares Guichet with one alternative on one scenario.
type Ratio struct {
	Scenario    int     `json:"scenario"`
	Guichet     string  `json:"guichet"`
	Versus      string  `json:"versus"`
	Throughput  float64 `json:"throughput_ratio"`               // max sustainable rates
	P99AtRef    float64 `json:"p99_ratio_at_reference_rate"`    // Guichet p99 / other p99, < 1 is better
	CallsPerReq float64 `json:"upstream_calls_ratio,omitempty"` // Guichet / other, one request
	VersusNone  bool    `json:"versus_sustains_none,omitempty"` // the alternative passed no step: the ratio is unbounded
}

// Target is one acceptance target of issues 8 and 9.
type Target struct {
	What   string `json:"what"`
	Met    bool   `json:"met"`
	Detail string `json:"detail"`
}

// Report is results.json.
type Report struct {
	Generated        string          `json:"generated"`
	Mode             string          `json:"mode"`
	StepDuration     string          `json:"step_duration"`
	Warmup           string          `json:"warmup"`
	TicketingLatency string          `json:"ticketing_latency"`
	AbowebLatency    string          `json:"aboweb_latency"`
	Method           string          `json:"method"`
	GuichetEnv       []string        `json:"guichet_env,omitempty"`
	Machine          Machine         `json:"machine"`
	Scenarios        map[int]string  `json:"scenarios"`
	Bounds           map[int]string  `json:"p99_bounds"`
	RefRates         map[int]float64 `json:"reference_rates"`
	Series           []Series        `json:"series"`
	Ratios           []Ratio         `json:"ratios"`
	Targets          []Target        `json:"targets"`
	TotalTime        string          `json:"total_time"`
	Notes            string          `json:"-"` // bench/notes.md, the reading of the figures
}

const method = "Open model: requests sent at a constant rate whatever the server does, latency measured from each request's " +
	"intended send time (no coordinated omission), at most 512 in flight (a request finding no slot is dropped and counted " +
	"as an error). Each server is searched on a ladder of rates 25×2^k req/s from a starting hint: it climbs while a step " +
	"passes and stops at the first failing step (full mode then tries 1.5× the last passing rate). A step passes with zero " +
	"errors and p99 under the scenario's bound (its upstream latency chain + 100 ms). Max sustainable rate = highest passing " +
	"step. Every server also runs at the common reference rate for latency at equal load, in a step of its own long enough for about 1,000 samples (30 s at most) in full mode. Servers are separate processes; " +
	"CPU = utime+stime of the process group over a step (warm-up included) per request sent; peak RSS = VmHWM at the end of " +
	"the series. Upstream calls are the sandboxes' counters."

func machine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				var kb float64
				fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
				m.Memory = fmt.Sprintf("%.1f GiB", kb/(1<<20))
			}
		}
	}
	if out, err := exec.Command("uname", "-srmv").Output(); err == nil {
		m.Kernel = strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		m.Node = strings.TrimSpace(string(out))
	}
	return m
}

func find(all []Series, sc int, server string) *Series {
	for i := range all {
		if all[i].Scenario == sc && all[i].Server == server {
			return &all[i]
		}
	}
	return nil
}

func totalCalls(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(a/b*100) / 100
}

func (e *env) report(scs []scenario, all []Series, took time.Duration) *Report {
	mode := "full"
	if e.o.short {
		mode = "short"
	}
	r := &Report{Generated: time.Now().UTC().Format(time.RFC3339), Mode: mode, StepDuration: e.o.duration.String(),
		Warmup: e.o.warmup.String(), TicketingLatency: e.o.ticketingLatency.String(), AbowebLatency: e.o.abowebLatency.String(),
		Method: method, GuichetEnv: e.o.guichetEnv, Machine: machine(), Scenarios: map[int]string{}, Bounds: map[int]string{}, RefRates: map[int]float64{},
		Series: all, TotalTime: took.Round(time.Second).String()}
	for _, sc := range scs {
		r.Scenarios[sc.ID] = sc.Name
		r.Bounds[sc.ID] = sc.Bound.String()
		r.RefRates[sc.ID] = sc.Ref
	}
	add := func(sc int, g, other string, otherSc int) {
		gs, os := find(all, sc, g), find(all, otherSc, other)
		if gs == nil || os == nil || os.Unavailable != "" || gs.Unavailable != "" {
			return
		}
		x := Ratio{Scenario: sc, Guichet: g, Versus: other, Throughput: ratio(gs.MaxRate, os.MaxRate)}
		x.VersusNone = os.MaxRate == 0
		if gs.AtRef != nil && os.AtRef != nil {
			x.P99AtRef = ratio(gs.AtRef.P99, os.AtRef.P99)
		}
		if c := totalCalls(os.OneRequest); c > 0 && other != "static" {
			x.CallsPerReq = ratio(float64(totalCalls(gs.OneRequest)), float64(c))
		}
		r.Ratios = append(r.Ratios, x)
	}
	for _, g := range []string{"guichet", "guichet (GET)", "guichet (no cache)"} {
		add(1, g, "direct", 1)
		add(1, g, "static", 6)
	}
	for sc := 2; sc <= 5; sc++ {
		add(sc, "guichet", "direct", sc)
		add(sc, "guichet", "mesh", sc)
	}
	add(2, "guichet (no cache)", "direct", 2)
	add(7, "guichet", "static", 7)
	r.Targets = e.targets(all)
	return r
}

func (e *env) targets(all []Series) []Target {
	var out []Target
	rate := func(sc int, s string) float64 { return maxRate(all, sc, s) }
	g1, d1, st := rate(1, "guichet"), rate(1, "direct"), rate(6, "static")
	out = append(out, Target{What: "Scenario 1: Guichet ≥ 50× the throughput of direct calls", Met: g1 >= 50*d1 && d1 > 0,
		Detail: fmt.Sprintf("%.0f vs %.0f req/s: %.1f×", g1, d1, ratio(g1, d1))})
	out = append(out, Target{What: "Scenario 1: Guichet (cached) ≥ 30% of the static ceiling", Met: st > 0 && g1 >= 0.3*st,
		Detail: fmt.Sprintf("%.0f vs %.0f req/s: %.0f%%; GET: %.0f%%; uncached: %.0f req/s = %.0f%%", g1, st, 100*ratio(g1, st),
			100*ratio(rate(1, "guichet (GET)"), st), rate(1, "guichet (no cache)"), 100*ratio(rate(1, "guichet (no cache)"), st))})
	distinct := map[int]int{4: 1 + len(payersOnFirstPage()), 5: 1}
	for _, sc := range []int{3, 4, 5} {
		g := find(all, sc, "guichet")
		if g == nil {
			continue
		}
		if want, ok := distinct[sc]; ok {
			got := totalCalls(g.OneRequest)
			out = append(out, Target{What: fmt.Sprintf("Scenario %d: upstream calls = distinct keys", sc), Met: got == want,
				Detail: fmt.Sprintf("%d calls for one request (%v), distinct keys %d", got, g.OneRequest, want)})
		}
		m := find(all, sc, "mesh")
		if m == nil || m.Unavailable != "" {
			out = append(out, Target{What: fmt.Sprintf("Scenario %d: Guichet ≥ 3× Mesh throughput, p99 lower", sc), Detail: "Mesh not measured: " + e.meshNote})
			continue
		}
		lower := g.AtRef != nil && m.AtRef != nil && g.AtRef.P99 < m.AtRef.P99
		p99 := "n/a"
		if g.AtRef != nil && m.AtRef != nil {
			p99 = fmt.Sprintf("p99 at %.0f req/s: %.1f vs %.1f ms", g.AtRef.Rate, g.AtRef.P99, m.AtRef.P99)
		}
		out = append(out, Target{What: fmt.Sprintf("Scenario %d: Guichet ≥ 3× Mesh throughput, p99 lower", sc),
			Met:    m.MaxRate > 0 && g.MaxRate >= 3*m.MaxRate && lower || m.MaxRate == 0 && g.MaxRate > 0 && lower,
			Detail: meshDetail(g.MaxRate, m.MaxRate, p99)})
	}
	out = append(out, e.speedTargets(all)...)
	// Zero errors: at every rate Guichet is reported at (its max and the
	// reference rate); failing steps above the max are overload by design.
	bad := []string{}
	for _, s := range all {
		if !strings.HasPrefix(s.Server, "guichet") || s.Unavailable != "" {
			continue
		}
		for _, st := range s.Steps {
			if st.Rate <= s.MaxRate && st.Errors > 0 {
				bad = append(bad, fmt.Sprintf("scenario %d %s at %.0f req/s: %d errors (%s)", s.Scenario, s.Server, st.Rate, st.Errors, st.FirstError))
			}
			if st.ErrorKinds["failed"] > 0 && !strings.Contains(st.FirstError, "deadline") && !strings.Contains(st.FirstError, "timeout") {
				bad = append(bad, fmt.Sprintf("scenario %d %s at %.0f req/s: non-overload failure %q", s.Scenario, s.Server, st.Rate, st.FirstError))
			}
		}
	}
	slices.Sort(bad)
	bad = slices.Compact(bad)
	out = append(out, Target{What: "Zero errors in every Guichet run (at its reported rates; no GraphQL or HTTP error at any rate)",
		Met: len(bad) == 0, Detail: cmp.Or(strings.Join(bad, "; "), "none")})
	return out
}

// speedTargets are those of the executor work (#18): cached answers close
// to a static file at every size, no scenario slower than the direct site,
// and Guichet's own CPU per request (at its highest passing rate).
func (e *env) speedTargets(all []Series) []Target {
	var out []Target
	rate := func(sc int, s string) float64 { return maxRate(all, sc, s) }
	big, short := ratio(rate(1, "guichet"), rate(6, "static")), ratio(rate(7, "guichet"), rate(7, "static"))
	out = append(out, Target{What: "Cached answers ≥ 80% of the static handler at every size",
		Met:    rate(6, "static") > 0 && rate(7, "static") > 0 && big >= 0.8 && short >= 0.8,
		Detail: fmt.Sprintf("%.0f KB: %.0f%%; %.0f KB: %.0f%%", float64(len(e.listing))/1024, 100*big, float64(len(e.short))/1024, 100*short)})
	var slow, unmeasured []string
	for sc := 1; sc <= 5; sc++ {
		if find(all, sc, "guichet") == nil || find(all, sc, "direct") == nil {
			unmeasured = append(unmeasured, strconv.Itoa(sc))
			continue
		}
		if g, d := rate(sc, "guichet"), rate(sc, "direct"); g < d || g == 0 {
			slow = append(slow, fmt.Sprintf("scenario %d: %.0f vs %.0f req/s", sc, g, d))
		}
	}
	if len(unmeasured) > 0 {
		slow = append(slow, "not measured: scenario "+strings.Join(unmeasured, ", "))
	}
	out = append(out, Target{What: "Guichet ≥ 1× the direct site's throughput on every scenario", Met: len(slow) == 0,
		Detail: cmp.Or(strings.Join(slow, "; "), "every scenario")})
	for _, c := range []struct {
		sc     int
		server string
		what   string
		max    float64
	}{
		{1, "guichet (no cache)", "listing, uncached", 3},
		{2, "guichet (no cache)", "show page, uncached", 0.5},
		{3, "guichet", "account page", 1.5},
		{5, "guichet", "one subscriber", 0.33},
	} {
		x := find(all, c.sc, c.server)
		t := Target{What: fmt.Sprintf("Scenario %d (%s): Guichet CPU ≤ %g ms per request", c.sc, c.what, c.max), Detail: "not measured"}
		if x != nil && x.AtMax != nil {
			t.Met = x.AtMax.CPUPerReqMs <= c.max
			t.Detail = fmt.Sprintf("%.2f ms at %.0f req/s", x.AtMax.CPUPerReqMs, x.MaxRate)
			if d := find(all, c.sc, "direct"); d != nil && d.AtMax != nil {
				t.Detail += fmt.Sprintf(" (direct site: %.2f ms)", d.AtMax.CPUPerReqMs)
			}
		}
		out = append(out, t)
	}
	return out
}

// maxRate is a series' highest passing rate, 0 when it did not run.
func maxRate(all []Series, sc int, server string) float64 {
	if x := find(all, sc, server); x != nil {
		return x.MaxRate
	}
	return 0
}

func meshDetail(g, m float64, p99 string) string {
	if m == 0 {
		return fmt.Sprintf("%.0f req/s vs none: Mesh sustains no step of the ladder (down to %g req/s) within the p99 bound; %s", g, grid(minK), p99)
	}
	return fmt.Sprintf("%.0f vs %.0f req/s: %.1f×; %s", g, m, ratio(g, m), p99)
}

// payersOnFirstPage are the distinct payers of the first 50 PAID_BY
// subscribers: the sandbox seeds three.
func payersOnFirstPage() []int { return []int{0, 1, 2} }

func (r *Report) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "latency.svg"), []byte(r.svg()), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte(r.markdown()), 0o644); err != nil {
		return err
	}
	logf("wrote %s/{results.json,README.md,latency.svg}", dir)
	return nil
}

func ms(v float64) string {
	switch {
	case v == 0:
		return "–"
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func callsString(m map[string]int) string {
	if len(m) == 0 {
		return "0"
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", m[k], k[strings.IndexByte(k, ':')+1:]))
	}
	return strings.Join(parts, " + ")
}

func (r *Report) markdown() string {
	var b strings.Builder
	w := func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }
	w("# Guichet performance, measured against the alternatives\n\n")
	w("Generated by `go run ./bench` (%s mode) on %s. Upstream latency injected by the sandboxes: ticketing %s, AboWeb %s per call. ",
		r.Mode, r.Generated, r.TicketingLatency, r.AbowebLatency)
	w("Every figure below comes from the same run on the same machine; the machine has %d cores shared by the load generator, "+
		"the sandboxes and the server under test, so read the **ratios**, not the absolute rates.\n\n", r.Machine.Cores)
	w("Machine: %s, %d cores, %s RAM; %s; %s", r.Machine.CPU, r.Machine.Cores, r.Machine.Memory, r.Machine.Kernel, r.Machine.Go)
	if r.Machine.Node != "" {
		w("; Node %s (GraphQL Mesh)", r.Machine.Node)
	}
	w(".\n\n")
	w("## Targets\n\n| Target | Met | Measured |\n|---|---|---|\n")
	for _, t := range r.Targets {
		met := "**missed**"
		if t.Met {
			met = "yes"
		}
		w("| %s | %s | %s |\n", t.What, met, strings.ReplaceAll(t.Detail, "|", "/"))
	}
	w("\n## Ratios (Guichet ÷ alternative, same run)\n\n| Scenario | Guichet | vs | Throughput | p99 at the reference rate | Upstream calls per request |\n|---|---|---|---|---|---|\n")
	for _, x := range r.Ratios {
		calls := "–"
		if x.CallsPerReq > 0 || x.Versus != "static" {
			calls = fmt.Sprintf("%.2f×", x.CallsPerReq)
		}
		p99 := "–"
		if x.P99AtRef > 0 {
			p99 = fmt.Sprintf("%.2f×", x.P99AtRef)
		}
		thr := fmt.Sprintf("**%.2f×**", x.Throughput)
		if o := find(r.Series, x.Scenario, x.Versus); o != nil && o.MaxRate == 0 {
			thr = fmt.Sprintf("**∞** (%s sustains no step of the ladder, down to %g req/s)", x.Versus, grid(minK))
		}
		w("| %d | %s | %s | %s | %s | %s |\n", x.Scenario, x.Guichet, x.Versus, thr, p99, calls)
	}
	w("\nThroughput > 1 and p99 < 1 favour Guichet. Rates come from a ladder of doubling steps, so a throughput ratio is exact only to the ladder's resolution (×2, ×1.5 in full mode).\n\n")
	w("## All figures\n\n")
	w("| # | Server | Max sustainable req/s | p50 / p90 / p99 at max (ms) | p99 at the reference rate (ms) | CPU ms per request | Peak RSS (MiB) | Upstream calls, one request | Upstream calls per request at max |\n|---|---|---|---|---|---|---|---|---|\n")
	ids := slices.Sorted(func(yield func(int) bool) {
		for k := range r.Scenarios {
			if !yield(k) {
				return
			}
		}
	})
	for _, id := range ids {
		for _, s := range r.Series {
			if s.Scenario != id {
				continue
			}
			if s.Unavailable != "" {
				w("| %d | %s | not measured: %s | | | | | | |\n", id, s.Server, s.Unavailable)
				continue
			}
			at, ref := "no passing step", "–"
			cpu, calls := "–", "–"
			if s.AtMax != nil {
				at = fmt.Sprintf("%s / %s / %s", ms(s.AtMax.P50), ms(s.AtMax.P90), ms(s.AtMax.P99))
				cpu = fmt.Sprintf("%.2f", s.AtMax.CPUPerReqMs)
				calls = fmt.Sprintf("%.2f", s.AtMax.CallsPerReq)
			}
			if s.AtRef != nil {
				ref = ms(s.AtRef.P99)
				if s.AtRef.Errors > 0 {
					ref += fmt.Sprintf(" (%d errors)", s.AtRef.Errors)
				}
			}
			w("| %d | %s | %.0f | %s | %s | %s | %.0f | %s | %s |\n", id, s.Server, s.MaxRate, at, ref, cpu,
				float64(s.PeakRSS)/(1<<20), callsString(s.OneRequest), calls)
		}
	}
	w("\nScenarios:\n\n")
	for _, id := range ids {
		w("%d. %s (p99 bound %s, reference rate %g req/s)\n", id, r.Scenarios[id], r.Bounds[id], r.RefRates[id])
	}
	w("\n![Latency percentiles per scenario at the reference rate](latency.svg)\n\n")
	if r.Notes != "" {
		w("%s\n\n", strings.TrimSpace(r.Notes))
	}
	w("## Method\n\n%s\n\n", r.Method)
	w("Alternatives: **direct** is a Go server (`bench/direct.go`) doing what a venue's website does without a gateway: per page view it calls ws_programmation and parses the whole XML flux (listing), ws_det_spectacle (show page), ws_info_contact then ws_info_telechargement, ws_historique_contact and ws_recap_achat in parallel (account page), getClientsByType then one getClient per subscriber's payer in parallel, without de-duplication (fan-out), getClient (lookup); no cache. **mesh** is GraphQL Mesh (`@graphql-mesh/cli` 0.103.2, `@graphql-mesh/soap` 0.17.20) generated from `soap/ClientService.wsdl`, with `bench/mesh/soap-fetch.js` turning its SOAP 1.2 calls into AboWeb's SOAP 1.1 + WS-Security and an additional resolver for the payer, and (account page) `@graphql-mesh/json-schema` 0.109.39 on ws_info_contact, ws_info_telechargement, ws_historique_contact and ws_recap_achat (form POSTs, types from `bench/mesh/schemas/` derived from captured sandbox answers, ws_recap_achat as an additional resolver on the contact: two round trips, one Mesh request per page view); `mesh start` forks one worker per core. **static** writes the bytes of Guichet's scenario-1 answer (and, for scenario 7, those of its short listing). Guichet runs with its defaults (response cache 64 MiB, availability TTL 30 s) except `GUICHET_RATE_LIMITS=false` and `GUICHET_UPSTREAM_CONCURRENCY=256` (the default cap of 32 calls in flight per back office protects it in production, and would otherwise bound scenario 5 at 32 ÷ 50 ms = 640 req/s while the alternatives have no cap); \"no cache\" (scenarios 1 and 2) is a second Guichet with `GUICHET_RESPONSE_CACHE_BYTES=0`, sent a variable the operation ignores (`nonce`, different on every request) so that concurrent identical requests are not answered by one execution (the cache's singleflight works at size 0 too).\n\n")
	w("Reproduce: `bench/install-mesh.sh` once (npm, pinned versions), then `go run ./bench` (full, about 10–15 minutes) or `go run ./bench -short` (under 2 minutes, regression check). Flags: `-duration`, `-rate 100,200` (fixed rates instead of the search), `-scenarios 4,5`, `-ticketing-latency`, `-aboweb-latency`, `-ref-rate`, `-guichet-env NAME=value,…`, `-mesh=false`, `-out`; `-render results.json` rewrites README.md and latency.svg from saved figures.\n\nTotal run time: %s.\n", r.TotalTime)
	return b.String()
}

// svg draws, per scenario, the p50/p90/p99 of every server at the
// reference rate as horizontal bars on a log scale.
func (r *Report) svg() string {
	type row struct {
		label         string
		p50, p90, p99 float64
	}
	type panel struct {
		title string
		rows  []row
	}
	var panels []panel
	ids := slices.Sorted(func(yield func(int) bool) {
		for k := range r.Scenarios {
			if !yield(k) {
				return
			}
		}
	})
	for _, id := range ids {
		p := panel{title: fmt.Sprintf("%d. %s — at %g req/s", id, r.Scenarios[id], r.RefRates[id])}
		for _, s := range r.Series {
			if s.Scenario == id && s.AtRef != nil && s.AtRef.OK > 0 {
				p.rows = append(p.rows, row{s.Server, s.AtRef.P50, s.AtRef.P90, s.AtRef.P99})
			}
		}
		if len(p.rows) > 0 {
			panels = append(panels, p)
		}
	}
	const (
		width, left, right = 900, 170, 30
		rowH, titleH, gap  = 22, 22, 14
		lo, hi             = 0.1, 10000.0 // ms, log axis
	)
	x := func(v float64) float64 {
		v = math.Max(lo, math.Min(hi, v))
		return left + (width-left-right)*math.Log10(v/lo)/math.Log10(hi/lo)
	}
	height := 60
	for _, p := range panels {
		height += titleH + rowH*len(p.rows) + gap
	}
	var b strings.Builder
	w := func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }
	w(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height+30)
	w(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	w(`<text x="%d" y="18" font-size="14" font-weight="bold">Latency at each scenario's reference rate (ms, log scale): p50 dark, p90 mid, p99 light</text>`+"\n", left)
	y := 40
	for _, tick := range []float64{0.1, 1, 10, 100, 1000, 10000} {
		w(`<line x1="%.1f" y1="30" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x(tick), x(tick), height)
		w(`<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%g</text>`+"\n", x(tick), height+15, tick)
	}
	for _, p := range panels {
		w(`<text x="4" y="%d" font-weight="bold">%s</text>`+"\n", y+14, escapeXML(p.title))
		y += titleH
		for _, rw := range p.rows {
			w(`<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-6, y+15, escapeXML(rw.label))
			for _, bar := range []struct {
				v    float64
				fill string
			}{{rw.p99, "#9ecae1"}, {rw.p90, "#4292c6"}, {rw.p50, "#08519c"}} {
				w(`<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", left, y+3, math.Max(1, x(bar.v)-left), rowH-6, bar.fill)
			}
			w(`<text x="%.1f" y="%d" fill="#333">%s / %s / %s</text>`+"\n", math.Min(x(rw.p99)+4, width-150), y+15, ms(rw.p50), ms(rw.p90), ms(rw.p99))
			y += rowH
		}
		y += gap
	}
	w("</svg>\n")
	return b.String()
}

func escapeXML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// readNotes is the hand-written reading of the published figures
// (bench/notes.md), placed in the generated README.
func readNotes() string {
	root, err := moduleRoot()
	if err != nil {
		return ""
	}
	b, _ := os.ReadFile(filepath.Join(root, "bench", "notes.md"))
	return string(b)
}

// rerender rebuilds README.md and latency.svg from a results.json.
func rerender(file, dir string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	r.Notes = readNotes()
	return r.write(dir)
}
