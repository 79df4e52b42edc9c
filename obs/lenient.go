package obs

import "github.com/prometheus/client_golang/prometheus"

// newLenientFields is the counter of vendor fields read leniently: a value
// that did not convert and was served empty, the rest of the answer kept.
// field is the vendor's field name (a bounded set: unknown elements are
// ignored, not counted), never its value.
func newLenientFields() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "guichet_upstream_lenient_fields_total",
		Help: "Fields of back-office answers whose value could not be read and was served empty, by backend and vendor field name.",
	}, []string{"backend", "field"})
}

// LenientField counts one field of a back-office answer read leniently
// (backend "aboweb" or "billetterie", field the vendor's name for it).
func (m *Metrics) LenientField(backend, field string) {
	if m == nil {
		return
	}
	m.lenient.WithLabelValues(label(backend), label(field)).Inc()
}
