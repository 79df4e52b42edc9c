// Package load is an open-model, constant-arrival-rate HTTP load generator
// (the wrk2 / k6 constant-arrival-rate model). Requests are scheduled at
// fixed intervals whatever the server does, and each latency is measured
// from the request's intended send time, so a stalled server is charged
// for the queue it causes (no coordinated omission). In-flight requests are
// bounded: a request that finds no free slot at its send time is dropped
// and counted as an error, never delayed.
package load

import (
	"context"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Check inspects one answer; a non-nil error counts the request as failed.
type Check func(status int, body []byte) error

// Target is what to send: Build makes the i-th request (i counts from 0).
type Target struct {
	Build func(i int) (*http.Request, error)
	Check Check
}

// Options of one run.
type Options struct {
	Rate        float64       // requests per second
	Duration    time.Duration // measured time, after Warmup
	Warmup      time.Duration // sent at the same rate, not recorded
	MaxInFlight int           // 0 means 256
	Timeout     time.Duration // per request; 0 means 5 s
	Client      *http.Client  // nil builds one with enough idle connections
	Latencies   bool          // keep every measured latency in Result.Latencies
}

// Result of one run. Latencies are in milliseconds.
type Result struct {
	Rate       float64        `json:"rate"`
	Started    int            `json:"started"` // every request sent, warm-up included
	Sent       int            `json:"sent"`    // requests of the measured window
	OK         int            `json:"ok"`
	Errors     int            `json:"errors"`
	Dropped    int            `json:"dropped"`    // part of Errors: no free in-flight slot at send time
	Throughput float64        `json:"throughput"` // successful answers per second of the run
	P50        float64        `json:"p50_ms"`
	P90        float64        `json:"p90_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	Mean       float64        `json:"mean_ms"`
	FirstError string         `json:"first_error,omitempty"`
	ErrorKinds map[string]int `json:"error_kinds,omitempty"`
	Latencies  []float64      `json:"-"` // with Options.Latencies, sorted
}

// NewClient is an HTTP client sized for n connections to one host.
func NewClient(n int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = n
	tr.MaxIdleConnsPerHost = n
	tr.MaxConnsPerHost = n
	return &http.Client{Transport: tr}
}

// Run drives the target at a constant rate for Warmup+Duration.
func Run(ctx context.Context, t Target, o Options) Result {
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = 256
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Client == nil {
		o.Client = NewClient(o.MaxInFlight)
	}
	interval := time.Duration(float64(time.Second) / o.Rate)
	slots := make(chan struct{}, o.MaxInFlight)
	var (
		mu  sync.Mutex
		lat []float64
		res = Result{Rate: o.Rate, ErrorKinds: map[string]int{}}
		wg  sync.WaitGroup
	)
	fail := func(kind string, err error) {
		mu.Lock()
		res.Errors++
		res.ErrorKinds[kind]++
		if res.FirstError == "" && err != nil {
			res.FirstError = err.Error()
		}
		mu.Unlock()
	}
	start := time.Now()
	measureFrom := start.Add(o.Warmup)
	end := measureFrom.Add(o.Duration)
	for i := 0; ; i++ {
		intended := start.Add(time.Duration(i) * interval)
		if !intended.Before(end) {
			break
		}
		if d := time.Until(intended); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return res
			}
		}
		record := !intended.Before(measureFrom)
		if record {
			mu.Lock()
			res.Sent++
			mu.Unlock()
		}
		select {
		case slots <- struct{}{}:
		default:
			if record {
				mu.Lock()
				res.Dropped++
				mu.Unlock()
				fail("dropped", nil)
			}
			continue
		}
		mu.Lock()
		res.Started++
		mu.Unlock()
		wg.Add(1)
		go func(i int, intended time.Time, record bool) {
			defer wg.Done()
			defer func() { <-slots }()
			err := send(ctx, o, t, i)
			if !record {
				return
			}
			if err != nil {
				fail("failed", err)
				return
			}
			ms := float64(time.Since(intended)) / float64(time.Millisecond)
			mu.Lock()
			res.OK++
			lat = append(lat, ms)
			mu.Unlock()
		}(i, intended, record)
	}
	wg.Wait()
	elapsed := time.Since(measureFrom).Seconds()
	if elapsed > 0 {
		res.Throughput = float64(res.OK) / elapsed
	}
	if len(res.ErrorKinds) == 0 {
		res.ErrorKinds = nil
	}
	summarise(&res, lat)
	if o.Latencies {
		res.Latencies = lat
	}
	return res
}

func send(ctx context.Context, o Options, t Target, i int) error {
	req, err := t.Build(i)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	resp, err := o.Client.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if t.Check != nil {
		return t.Check(resp.StatusCode, body)
	}
	return nil
}

func summarise(r *Result, lat []float64) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	sum := 0.0
	for _, v := range lat {
		sum += v
	}
	r.Mean = round(sum / float64(len(lat)))
	r.P50 = round(Percentile(lat, 50))
	r.P90 = round(Percentile(lat, 90))
	r.P99 = round(Percentile(lat, 99))
	r.Max = round(lat[len(lat)-1])
}

// Percentile of sorted values, nearest rank.
func Percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	k = max(0, min(k, len(sorted)-1))
	return sorted[k]
}

func round(v float64) float64 { return math.Round(v*1000) / 1000 }
