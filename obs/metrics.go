package obs

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are Guichet's Prometheus series, in a registry of their own (not
// the global one, so tests and several apps in one process do not clash).
// Every method is safe on a nil *Metrics, so parts can be wired without it.
type Metrics struct {
	reg *prometheus.Registry

	gqlRequests *prometheus.CounterVec
	gqlDuration *prometheus.HistogramVec
	upCalls     *prometheus.CounterVec
	upDuration  *prometheus.HistogramVec
	breaker     *prometheus.GaugeVec
	batch       *prometheus.HistogramVec
	cache       *prometheus.CounterVec
	lenient     *lenientFields // vendor fields read leniently (lenient.go)
	limited     *prometheus.CounterVec
	limitStore  prometheus.Counter

	mu      sync.Mutex
	opNames map[string]bool
}

// maxOperationNames bounds the operation label: names come from clients,
// and an unbounded label is a memory leak in Prometheus and here.
const maxOperationNames = 200

// Latency buckets from a cached catalogue read (sub-millisecond) to a slow
// back office (the upstream timeout is 10 s by default).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// NewMetrics builds the registry with Go runtime and process series.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		gqlRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_graphql_requests_total",
			Help: "GraphQL operations by operation name and outcome (ok or the first error code).",
		}, []string{"operation", "outcome"}),
		gqlDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "guichet_graphql_request_duration_seconds", Buckets: latencyBuckets,
			Help: "GraphQL operation latency, from the request's arrival to the response.",
		}, []string{"operation"}),
		upCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_upstream_calls_total",
			Help: "Calls to the back offices by backend, operation and outcome.",
		}, []string{"backend", "operation", "outcome"}),
		upDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "guichet_upstream_call_duration_seconds", Buckets: latencyBuckets,
			Help: "Latency of calls to the back offices.",
		}, []string{"backend", "operation"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "guichet_upstream_breaker_state",
			Help: "Circuit breaker state per backend: 1 for the current state, 0 for the others.",
		}, []string{"backend", "state"}),
		batch: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "guichet_dataloader_batch_size", Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200},
			Help: "Keys per dataloader batch.",
		}, []string{"loader"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_response_cache_requests_total",
			Help: "Response cache lookups by outcome: hit, miss or bypass.",
		}, []string{"outcome"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_rate_limit_refusals_total",
			Help: "Throttled attempts refused, by action and by the buckets that refused (redis: shared by replicas, local: this replica's).",
		}, []string{"action", "store"}),
		limitStore: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "guichet_rate_limit_redis_errors_total",
			Help: "Throttled attempts judged by this replica's own buckets because Redis did not answer.",
		}),
		opNames: map[string]bool{},
		lenient: newLenientFields(),
	}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.gqlRequests, m.gqlDuration, m.upCalls, m.upDuration, m.breaker, m.batch, m.cache, m.lenient, m.limited, m.limitStore)
	return m
}

// Handler serves the registry in the Prometheus text format (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry lets other parts register series of their own.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

var operationName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

// OperationLabel is the operation name as metrics and logs show it: the
// GraphQL name when it is a valid name among the first maxOperationNames
// seen, "anonymous" without a name, "other" beyond the cap.
func (m *Metrics) OperationLabel(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case !operationName.MatchString(name):
		return "invalid"
	case m == nil:
		return name
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.opNames[name] {
		return name
	}
	if len(m.opNames) >= maxOperationNames {
		return "other"
	}
	m.opNames[name] = true
	return name
}

// label keeps values set by code (backends, outcomes) to a safe shape.
func label(s string) string {
	if len(s) == 0 || len(s) > 48 {
		return "other"
	}
	// A byte loop, not the regexp: this runs several times per upstream call.
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == ':' || c == '-') {
			return "other"
		}
	}
	return s
}

// Operation records one GraphQL operation (op already an OperationLabel).
func (m *Metrics) Operation(op, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.gqlRequests.WithLabelValues(op, label(outcome)).Inc()
	m.gqlDuration.WithLabelValues(op).Observe(d.Seconds())
}

// UpstreamCall records one call to a back office: backend "billetterie" or
// "aboweb", op the web service or SOAP operation, outcome "ok" or an error
// kind ("timeout", "unavailable", "breaker_open"…).
func (m *Metrics) UpstreamCall(backend, op, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.upCalls.WithLabelValues(label(backend), label(op), label(outcome)).Inc()
	m.upDuration.WithLabelValues(label(backend), label(op)).Observe(d.Seconds())
}

// Breaker records a breaker's new state ("closed", "half-open", "open").
func (m *Metrics) Breaker(backend, state string) {
	if m == nil {
		return
	}
	backend, state = label(backend), strings.ReplaceAll(strings.ToLower(state), "-", "_")
	// One series per state of the three, 1 for the current one.
	for _, s := range breakerStates {
		v := 0.0
		if s == state {
			v = 1
		}
		m.breaker.WithLabelValues(backend, s).Set(v)
	}
}

var breakerStates = []string{"closed", "half_open", "open"}

// Batch records the number of keys of one dataloader batch.
func (m *Metrics) Batch(loader string, n int) {
	if m == nil {
		return
	}
	m.batch.WithLabelValues(label(loader)).Observe(float64(n))
}

// Cache records one response-cache lookup: "hit", "miss" or "bypass".
func (m *Metrics) Cache(outcome string) {
	if m == nil {
		return
	}
	m.cache.WithLabelValues(label(outcome)).Inc()
}

// SyncAge exposes the catalogue's age, polled at scrape time from last (the
// time of the last successful sync; zero before the first one gives -1).
// Call once.
func (m *Metrics) SyncAge(last func() time.Time) {
	if m == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "guichet_catalogue_sync_age_seconds",
		Help: "Seconds since the last successful catalogue sync (-1 before the first).",
	}, func() float64 {
		t := last()
		if t.IsZero() {
			return -1
		}
		return time.Since(t).Seconds()
	}))
}

// SyncErrors exposes the count of failed catalogue syncs, polled at scrape
// time from failures (a monotonic count kept by the syncer). Call once.
func (m *Metrics) SyncErrors(failures func() int64) {
	if m == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "guichet_catalogue_sync_errors_total",
		Help: "Failed catalogue syncs (upstream calls or saves) in this process.",
	}, func() float64 { return float64(failures()) }))
}

// BuildInfo exposes the constant guichet_build_info{version,revision,goversion} 1,
// so dashboards can tell which build each replica runs. Call once.
func (m *Metrics) BuildInfo(version, revision, goVersion string) {
	if m == nil {
		return
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "guichet_build_info",
		Help:        "Always 1; the labels name the running build.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": goVersion},
	})
	g.Set(1)
	m.reg.MustRegister(g)
}

// RateLimited counts one refusal of a throttled action (throttle.Observer).
func (m *Metrics) RateLimited(action, store string) {
	if m == nil {
		return
	}
	m.limited.WithLabelValues(label(action), label(store)).Inc()
}

// RateLimitStoreError counts an attempt judged locally because Redis failed
// (throttle.Observer).
func (m *Metrics) RateLimitStoreError() {
	if m == nil {
		return
	}
	m.limitStore.Inc()
}
