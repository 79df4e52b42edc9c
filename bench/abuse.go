package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/guichet/guichet/bench/load"
)

// The abuse run (-abuse): one production-like Guichet (introspection off,
// response cache off so every normal request executes), a normal query at
// a fixed rate measured quiet, then again while 4 workers send the abuse
// corpus (app/testdata/abuse) in a loop as fast as they are answered.

// abuseRequest is one corpus file, as the table test reads it.
type abuseRequest struct {
	name           string
	body           []byte
	header         map[string]string
	declaredLength int64
	status         int
}

func loadCorpus(root string) ([]abuseRequest, error) {
	files, err := filepath.Glob(filepath.Join(root, "app", "testdata", "abuse", "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no abuse corpus under %s/app/testdata/abuse", root)
	}
	sort.Strings(files)
	var out []abuseRequest
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var c struct {
			Status         int               `json:"status"`
			Header         map[string]string `json:"header"`
			DeclaredLength int64             `json:"declaredLength"`
			Request        json.RawMessage   `json:"request"`
			RawBody        string            `json:"rawBody"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		body := []byte(c.RawBody)
		if c.RawBody == "" {
			body = c.Request
		}
		out = append(out, abuseRequest{name: strings.TrimSuffix(filepath.Base(f), ".json"), body: body,
			header: c.Header, declaredLength: c.DeclaredLength, status: c.Status})
	}
	return out, nil
}

func (a abuseRequest) send(client *http.Client, base string) error {
	if a.declaredLength > 0 {
		return a.sendDeclared(base)
	}
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(a.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range a.header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != a.status {
		return fmt.Errorf("%s: HTTP %d, want %d", a.name, resp.StatusCode, a.status)
	}
	return nil
}

// sendDeclared declares a large body and sends none (net/http's client
// refuses to): the server must answer from the header alone.
func (a abuseRequest) sendDeclared(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", u.Host, a.declaredLength)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return fmt.Errorf("%s: %w", a.name, err)
	}
	resp.Body.Close()
	if resp.StatusCode != a.status {
		return fmt.Errorf("%s: HTTP %d, want %d", a.name, resp.StatusCode, a.status)
	}
	return nil
}

// summary is the percentiles of pooled latencies (milliseconds).
func summary(lat []float64, errors int) load.Result {
	sort.Float64s(lat)
	r := load.Result{Errors: errors}
	if len(lat) > 0 {
		r.P50, r.P90, r.P99 = load.Percentile(lat, 50), load.Percentile(lat, 90), load.Percentile(lat, 99)
		r.Max = lat[len(lat)-1]
	}
	return r
}

func runAbuse(ctx context.Context, o options) error {
	e, close, err := openEnv(o, "guichet-abuse-")
	if err != nil {
		return err
	}
	defer close()
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	corpus, err := loadCorpus(root)
	if err != nil {
		return err
	}
	bin := filepath.Join(e.tmp, "guichet")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	g, err := e.startGuichet(bin, "guichet", "GUICHET_INTROSPECTION=false", "GUICHET_RESPONSE_CACHE_BYTES=0")
	if err != nil {
		return err
	}
	q := `query Show($id: ID!) { show(id: $id) { id title subtitle type venue { name city } performances { id startsAt prices { category total { cents } } } } }`
	shows := e.showIDs
	normal := load.Target{
		Build: func(i int) (*http.Request, error) {
			// A distinct variable per request: nothing is shared between them.
			return gqlRequest(g.url, q, map[string]any{"id": shows[i%len(shows)], "nonce": i}, nil)
		},
		Check: okGraphQL(0),
	}
	if req, _ := normal.Build(0); req != nil {
		body, status, err := fetch(req)
		if err == nil {
			err = normal.Check(status, body)
		}
		if err != nil {
			return fmt.Errorf("normal query: %v", err)
		}
	}
	rate := o.refRate
	logf("abuse run: %d corpus requests, normal query at %.0f req/s for %s per phase", len(corpus), rate, o.duration)

	// Quiet and attacked phases alternate, three rounds each, so that
	// whatever else the machine runs weighs on both alike.
	var quietLat, attackLat []float64
	var quietCPU, attackCPU time.Duration
	var quietErr, attackErr int
	var sentTotal, failedTotal int64
	var firstFail string
	const rounds = 3
	phase := func(attack bool) error {
		actx, stop := context.WithCancel(ctx)
		defer stop()
		var sent, failed atomic.Int64
		var first atomic.Value
		var wg sync.WaitGroup
		if attack {
			// Four attackers, each its own connection, looping over the corpus.
			for w := 0; w < 4; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					client := load.NewClient(1)
					for i := w; actx.Err() == nil; i++ {
						if err := corpus[i%len(corpus)].send(client, g.url); err != nil && actx.Err() == nil {
							failed.Add(1)
							first.CompareAndSwap(nil, err.Error())
						}
						sent.Add(1)
					}
				}(w)
			}
			time.Sleep(o.warmup)
		}
		s0, u0 := sent.Load(), g.usage()
		r := load.Run(ctx, normal, load.Options{Rate: rate, Duration: o.duration, Warmup: o.warmup, Latencies: true})
		s1, u1 := sent.Load(), g.usage()
		stop()
		wg.Wait()
		if attack {
			attackLat = append(attackLat, r.Latencies...)
			attackCPU += u1.CPU - u0.CPU
			attackErr += r.Errors
			sentTotal += s1 - s0
			failedTotal += failed.Load()
			if f, _ := first.Load().(string); f != "" && firstFail == "" {
				firstFail = f
			}
		} else {
			quietLat = append(quietLat, r.Latencies...)
			quietCPU += u1.CPU - u0.CPU
			quietErr += r.Errors
		}
		logf("%-6s p50 %6.2f ms  p99 %6.2f ms  errors %d", map[bool]string{false: "quiet", true: "attack"}[attack], r.P50, r.P99, r.Errors)
		return ctx.Err()
	}
	for i := 0; i < rounds; i++ {
		if err := phase(false); err != nil {
			return err
		}
		if err := phase(true); err != nil {
			return err
		}
	}
	window := rounds * (o.duration + o.warmup).Seconds()
	quiet, attacked := summary(quietLat, quietErr), summary(attackLat, attackErr)
	attackRate := float64(sentTotal) / window
	failed := failedTotal
	if firstFail != "" {
		logf("first unexpected answer: %s", firstFail)
	}
	ratio := attacked.P99 / quiet.P99
	var b strings.Builder
	fmt.Fprintf(&b, "# Abuse run\n\n`go run ./bench -abuse` (%s): one Guichet with introspection and the response cache off; "+
		"the normal query (a show page from the catalogue copy, no upstream call) at %.0f req/s for %s, quiet then while 4 workers "+
		"send the %d requests of `app/testdata/abuse` in a loop, each as soon as the last is answered; three rounds of each, alternating, latencies pooled.\n\n", time.Now().UTC().Format("2006-01-02"), rate, o.duration, len(corpus))
	fmt.Fprintf(&b, "| Phase | p50 | p90 | p99 | max | errors | server CPU |\n|---|---|---|---|---|---|---|\n")
	row := func(name string, r load.Result, cpu time.Duration) {
		fmt.Fprintf(&b, "| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %d | %.0f%% of a core |\n", name, r.P50, r.P90, r.P99, r.Max, r.Errors,
			100*cpu.Seconds()/window)
	}
	row("quiet", quiet, quietCPU)
	row("under attack", attacked, attackCPU)
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(la))
		if len(f) >= 3 {
			fmt.Fprintf(&b, "\nLoad average of the machine at the end (1, 5, 15 min): %s %s %s, on %d CPUs shared with whatever else runs: "+
				"the quiet p99 moves with it from run to run.\n", f[0], f[1], f[2], runtime.NumCPU())
		}
	}
	fmt.Fprintf(&b, "\nThe attackers got %.0f refusals per second (%d answers other than the expected refusal). "+
		"p99 under attack is %.2f× the quiet p99 (target: under 2×).\n", attackRate, failed, ratio)
	fmt.Println(b.String())
	if o.out != "" {
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(o.out, "abuse.md"), []byte(b.String()), 0o644)
	}
	return nil
}
