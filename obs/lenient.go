package obs

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

const (
	lenientName = "guichet_upstream_lenient_fields_total"
	lenientHelp = "Fields of back-office answers whose value could not be read and was served empty, by backend and vendor field name (\"\" where the reader does not know the field)."
)

// lenientFields is the counter of vendor fields read leniently: a value
// that did not convert and was served empty, the rest of the answer kept.
// field is the vendor's field name (a bounded set: unknown elements are
// ignored, not counted), never its value. A back office whose reader only
// counts (the ticketing JSON's lenient scalars do not know their field)
// adds a polled total under field "": one family, one name for the thing.
type lenientFields struct {
	vec  *prometheus.CounterVec
	desc *prometheus.Desc

	mu     sync.Mutex
	polled map[string]func() int64 // backend → count
}

func newLenientFields() *lenientFields {
	return &lenientFields{
		vec:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: lenientName, Help: lenientHelp}, []string{"backend", "field"}),
		desc:   prometheus.NewDesc(lenientName, lenientHelp, []string{"backend", "field"}, nil),
		polled: map[string]func() int64{},
	}
}

func (l *lenientFields) Describe(ch chan<- *prometheus.Desc) { l.vec.Describe(ch) }

func (l *lenientFields) Collect(ch chan<- prometheus.Metric) {
	l.vec.Collect(ch)
	l.mu.Lock()
	defer l.mu.Unlock()
	for backend, count := range l.polled {
		ch <- prometheus.MustNewConstMetric(l.desc, prometheus.CounterValue, float64(count()), backend, "")
	}
}

// LenientField counts one field of a back-office answer read leniently
// (backend "aboweb" or "billetterie", field the vendor's name for it).
func (m *Metrics) LenientField(backend, field string) {
	if m == nil {
		return
	}
	m.lenient.vec.WithLabelValues(label(backend), label(field)).Inc()
}

// LenientCount exposes a back office's own count of values read leniently
// whose field is not known, polled at scrape time, as
// guichet_upstream_lenient_fields_total{backend,field=""}. Call once per
// backend.
func (m *Metrics) LenientCount(backend string, count func() int64) {
	if m == nil {
		return
	}
	m.lenient.mu.Lock()
	m.lenient.polled[label(backend)] = count
	m.lenient.mu.Unlock()
}
