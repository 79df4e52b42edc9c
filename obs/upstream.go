package obs

import (
	"time"

	"github.com/guichet/guichet/upstream"
	"github.com/prometheus/client_golang/prometheus"
)

// upstreamObserver feeds the resilient transports' events to the metrics.
type upstreamObserver struct {
	m     *Metrics
	also  []upstream.Observer
	retry *prometheus.CounterVec
	busy  *prometheus.GaugeVec
}

// UpstreamObserver is the upstream.Observer of the metrics: calls by
// backend/operation/outcome with latency, breaker state, retries and calls
// in flight. Events are passed on to also (e.g. a logging observer) as well.
// Build one per Metrics.
func (m *Metrics) UpstreamObserver(also ...upstream.Observer) upstream.Observer {
	o := &upstreamObserver{m: m, also: also,
		retry: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_upstream_retries_total",
			Help: "Retries of idempotent reads by backend, operation and the outcome that caused them.",
		}, []string{"backend", "operation", "reason"}),
		busy: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "guichet_upstream_in_flight",
			Help: "Calls holding a concurrency slot of the backend.",
		}, []string{"backend"}),
	}
	if m != nil {
		m.reg.MustRegister(o.retry, o.busy)
	}
	return o
}

func (o *upstreamObserver) Call(backend, op string, outcome upstream.Outcome, d time.Duration) {
	o.m.UpstreamCall(backend, op, string(outcome), d)
	for _, x := range o.also {
		x.Call(backend, op, outcome, d)
	}
}

func (o *upstreamObserver) Retry(backend, op string, attempt int, reason upstream.Outcome) {
	if o.m != nil {
		o.retry.WithLabelValues(label(backend), label(op), label(string(reason))).Inc()
	}
	for _, x := range o.also {
		x.Retry(backend, op, attempt, reason)
	}
}

func (o *upstreamObserver) BreakerState(backend string, from, to upstream.State) {
	o.m.Breaker(backend, string(to))
	for _, x := range o.also {
		x.BreakerState(backend, from, to)
	}
}

func (o *upstreamObserver) InFlight(backend string, n int) {
	if o.m != nil {
		o.busy.WithLabelValues(label(backend)).Set(float64(n))
	}
	for _, x := range o.also {
		x.InFlight(backend, n)
	}
}
