// Command bench measures Guichet against the alternatives a venue has, side
// by side in one run on one machine: the website calling the back offices
// directly, GraphQL Mesh generated from the same WSDL, and a static handler
// writing Guichet's listing bytes (the ceiling). It starts the two
// sandboxes with upstream latency, every server as its own OS process, and
// drives each with an open-model constant-arrival-rate load (bench/load).
//
//	go run ./bench -short            # < 2 minutes, for regression checks
//	go run ./bench                   # the published table (bench/results)
//	go run ./bench -abuse            # a normal query under the abuse corpus
//
// Mesh is measured when bench/install-mesh.sh has installed it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

type options struct {
	short            bool
	duration, warmup time.Duration
	rates            string // fixed ladder override, comma-separated
	ticketingLatency time.Duration
	abowebLatency    time.Duration
	out              string
	mesh             bool
	refRate          float64
	maxSteps         int
	guichetEnv       []string
	only             map[int]bool // scenarios to run; empty: all
}

func envOS(k string) string { return os.Getenv(k) }

type errUnknownMode string

func (e errUnknownMode) Error() string { return "unknown -serve mode " + string(e) }

func main() {
	var o options
	serve := flag.String("serve", "", "internal: run one benchmark server (direct, static) in this process")
	flag.BoolVar(&o.short, "short", false, "short mode (under 2 minutes): fewer, shorter steps")
	flag.DurationVar(&o.duration, "duration", 0, "measured time of one load step (default 5s, 1s with -short)")
	flag.StringVar(&o.rates, "rate", "", "comma-separated request rates to run for every server instead of the search")
	flag.DurationVar(&o.ticketingLatency, "ticketing-latency", 20*time.Millisecond, "latency added to every ticketing call")
	flag.DurationVar(&o.abowebLatency, "aboweb-latency", 50*time.Millisecond, "latency added to every AboWeb call")
	flag.StringVar(&o.out, "out", "bench/results", "directory of results.json, README.md and latency.svg")
	flag.BoolVar(&o.mesh, "mesh", true, "measure GraphQL Mesh when bench/mesh/node_modules exists")
	flag.Float64Var(&o.refRate, "ref-rate", 50, "common rate at which every server's latency is compared")
	render := flag.String("render", "", "internal: rewrite README.md and latency.svg of -out from this results.json")
	only := flag.String("scenarios", "", "comma-separated scenario numbers to run (default: all)")
	abuse := flag.Bool("abuse", false, "instead of the scenarios: measure a normal query quiet and while 4 workers send the abuse corpus (app/testdata/abuse); writes abuse.md to -out")
	genv := flag.String("guichet-env", "", "extra NAME=value settings of the Guichet processes, comma-separated (e.g. GUICHET_UPSTREAM_CONCURRENCY=128)")
	flag.Parse()
	o.only = map[int]bool{}
	for _, v := range splitRates(*only) {
		o.only[int(v)] = true
	}
	for _, kv := range strings.Split(*genv, ",") {
		if kv = strings.TrimSpace(kv); strings.Contains(kv, "=") {
			o.guichetEnv = append(o.guichetEnv, kv)
		}
	}
	if *serve != "" {
		log.Fatal(serveChild(*serve))
	}
	if *render != "" {
		if err := rerender(*render, o.out); err != nil {
			log.Fatal(err)
		}
		return
	}
	if o.duration == 0 {
		o.duration = 5 * time.Second
		if o.short {
			o.duration = time.Second
		}
	}
	o.warmup = max(o.duration/5, 300*time.Millisecond)
	o.maxSteps = 8
	if o.short {
		o.maxSteps = 4
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	runner := run
	if *abuse {
		runner = runAbuse
	}
	if err := runner(ctx, o); err != nil {
		if !errors.Is(err, context.Canceled) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func splitRates(s string) []float64 {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		var v float64
		if _, err := fmt.Sscan(strings.TrimSpace(f), &v); err == nil && v > 0 {
			out = append(out, v)
		}
	}
	return out
}
