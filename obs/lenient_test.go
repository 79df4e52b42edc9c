package obs

import (
	"strings"
	"testing"
)

func TestLenientFieldSeries(t *testing.T) {
	m := NewMetrics()
	m.LenientField("aboweb", "noteNpai")
	m.LenientField("aboweb", "noteNpai")
	m.LenientField("aboweb", "typeClient")
	m.LenientField("aboweb", "bad field\n")
	out := scrape(t, m)
	for _, want := range []string{
		`guichet_upstream_lenient_fields_total{backend="aboweb",field="noteNpai"} 2`,
		`guichet_upstream_lenient_fields_total{backend="aboweb",field="typeClient"} 1`,
		`guichet_upstream_lenient_fields_total{backend="aboweb",field="other"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %s in\n%s", want, grep(out, "lenient"))
		}
	}
	var none *Metrics
	none.LenientField("aboweb", "x")
}
