package obs

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/upstream"
	"go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

type countingObserver struct {
	upstream.Nop
	calls, breaks int
}

func (c *countingObserver) Call(string, string, upstream.Outcome, time.Duration) { c.calls++ }
func (c *countingObserver) BreakerState(string, upstream.State, upstream.State)  { c.breaks++ }

// Ensure the metrics observe a real resilient transport: calls by
// operation and outcome, the retry of a failed read, the breaker opening,
// events passed on to another observer, and one span per logical call
// named after the vendor operation.
func TestUpstreamObserverWithTransport(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "ws_det_spectacle") {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"statut":0}`))
	}))
	defer up.Close()
	m := NewMetrics()
	also := &countingObserver{}
	tr := upstream.New(upstream.Billetterie, http.DefaultTransport,
		upstream.Policy{Budget: 5 * time.Second, Retries: 1, BreakerFailures: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		m.UpstreamObserver(also))
	rec := tracetest.NewSpanRecorder()
	tp := trace.NewTracerProvider(trace.WithSpanProcessor(rec))
	c := &http.Client{Transport: &Transport{Base: tr, Backend: "billetterie", Tracer: tp.Tracer("test")}}
	for _, p := range []string{"/ws_programmation", "/ws_det_spectacle"} {
		// As the ticketing client describes its calls.
		ctx := upstream.WithCall(context.Background(), upstream.Call{Backend: "billetterie", Operation: p[1:], Read: true})
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, up.URL+p, nil)
		if res, err := c.Do(req); err == nil {
			res.Body.Close()
		}
	}
	out := scrape(t, m)
	for _, want := range []string{
		`guichet_upstream_calls_total{backend="billetterie",operation="ws_programmation",outcome="ok"} 1`,
		`guichet_upstream_calls_total{backend="billetterie",operation="ws_det_spectacle",outcome="server_error"} 1`,
		`guichet_upstream_retries_total{backend="billetterie",operation="ws_det_spectacle",reason="server_error"} 1`,
		`guichet_upstream_breaker_state{backend="billetterie",state="open"} 1`,
		`guichet_upstream_call_duration_seconds_count{backend="billetterie",operation="ws_programmation"} 1`,
		`guichet_upstream_in_flight{backend="billetterie"} 0`,
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %s in\n%s", want, grep(out, "guichet_upstream"))
		}
	}
	if also.calls != 2 || also.breaks != 1 {
		t.Fatalf("passed on: %+v", also)
	}
	spans := rec.Ended()
	if len(spans) != 2 || spans[0].Name() != "billetterie ws_programmation" || spans[1].Name() != "billetterie ws_det_spectacle" {
		t.Fatalf("spans %v", spans)
	}
}
