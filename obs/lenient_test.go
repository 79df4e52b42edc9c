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
	none.LenientCount("billetterie", func() int64 { return 1 })
}

// Ensure a backend that only counts joins the same family under field "".
func TestLenientCountJoinsTheFamily(t *testing.T) {
	m := NewMetrics()
	m.LenientField("aboweb", "noteNpai")
	n := int64(3)
	m.LenientCount("billetterie", func() int64 { return n })
	out := scrape(t, m)
	if !strings.Contains(out, `guichet_upstream_lenient_fields_total{backend="billetterie",field=""} 3`) ||
		!strings.Contains(out, `guichet_upstream_lenient_fields_total{backend="aboweb",field="noteNpai"} 1`) {
		t.Fatalf("lenient family:\n%s", grep(out, "lenient"))
	}
	n = 5
	if out := scrape(t, m); !strings.Contains(out, `guichet_upstream_lenient_fields_total{backend="billetterie",field=""} 5`) {
		t.Fatalf("not polled at scrape time:\n%s", grep(out, "lenient"))
	}
}
