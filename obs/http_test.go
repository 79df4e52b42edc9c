package obs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// Ensure a plausible caller id is kept and echoed, a missing or dubious
// one replaced, and the handler sees the id in its context.
func TestRequestIDRoundTrip(t *testing.T) {
	var seen string
	h := RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = RequestIDFrom(r.Context()) }))
	for _, c := range []struct{ in, want string }{
		{"lb-4f2a9c1e-77", "lb-4f2a9c1e-77"},
		{"", ""},
		{"Bearer abcdefghijkl", ""}, // free text: replaced
		{"short", ""},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		if c.in != "" {
			req.Header.Set(RequestIDHeader, c.in)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Header().Get(RequestIDHeader)
		if got == "" || got != seen {
			t.Fatalf("in %q: header %q, context %q", c.in, got, seen)
		}
		if c.want != "" && got != c.want {
			t.Fatalf("in %q: got %q", c.in, got)
		}
		if c.want == "" && (got == c.in || len(got) != 24) {
			t.Fatalf("in %q: want a fresh id, got %q", c.in, got)
		}
	}
}

// Ensure a caller that sends a known secret as its request id does not get
// it written to the logs.
func TestRequestIDSecretRedacted(t *testing.T) {
	const secret = "sandbox-0123456789abcdef0123456789abcdef"
	var buf bytes.Buffer
	logger := NewLogger(&buf, slog.LevelInfo, NewSecrets(secret))
	h := RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "handled")
	}))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set(RequestIDHeader, secret)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if !strings.Contains(buf.String(), `"request_id"`) || strings.Contains(buf.String(), secret) {
		t.Fatalf("log: %s", buf.String())
	}
}

// Ensure the access log has the id, status and path, never the query string.
func TestAccessLog(t *testing.T) {
	var buf bytes.Buffer
	l := NewLogger(&buf, slog.LevelInfo, nil)
	h := RequestID(AccessLog(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "short and stout")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/graphql?query=%7Bme%7D&variables=%7B%22p%22%3A%22x%22%7D", nil))
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(buf.String(), err)
	}
	if m["request_id"] != rec.Header().Get(RequestIDHeader) || m["status"] != 418.0 || m["path"] != "/graphql" || m["bytes"] != 15.0 {
		t.Fatalf("line %s", buf.String())
	}
	if strings.Contains(buf.String(), "query") || strings.Contains(buf.String(), "variables") {
		t.Fatalf("query string logged: %s", buf.String())
	}
	// Probes are debug-only.
	buf.Reset()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	if buf.Len() != 0 {
		t.Fatalf("probe logged at info: %s", buf.String())
	}
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

// Ensure each recorder method produces its series with the right labels.
func TestMetricsSeries(t *testing.T) {
	m := NewMetrics()
	m.Operation(m.OperationLabel("Me"), "ok", 20*time.Millisecond)
	m.Operation(m.OperationLabel(""), "UNAUTHENTICATED", time.Millisecond)
	m.UpstreamCall("aboweb", "getClient", "ok", 30*time.Millisecond)
	m.Breaker("billetterie", "half-open")
	m.Batch("subscriber", 7)
	m.Cache("hit")
	m.Cache("miss")
	m.Cache("hit")
	last := time.Now().Add(-90 * time.Second)
	m.SyncAge(func() time.Time { return last })
	m.SyncErrors(func() int64 { return 3 })
	out := scrape(t, m)
	for _, want := range []string{
		`guichet_graphql_requests_total{operation="Me",outcome="ok"} 1`,
		`guichet_graphql_requests_total{operation="anonymous",outcome="UNAUTHENTICATED"} 1`,
		`guichet_graphql_request_duration_seconds_bucket{operation="Me",le="0.025"} 1`,
		`guichet_upstream_calls_total{backend="aboweb",operation="getClient",outcome="ok"} 1`,
		`guichet_upstream_call_duration_seconds_count{backend="aboweb",operation="getClient"} 1`,
		`guichet_upstream_breaker_state{backend="billetterie",state="half_open"} 1`,
		`guichet_upstream_breaker_state{backend="billetterie",state="open"} 0`,
		`guichet_dataloader_batch_size_sum{loader="subscriber"} 7`,
		`guichet_response_cache_requests_total{outcome="hit"} 2`,
		`guichet_response_cache_requests_total{outcome="miss"} 1`,
		`guichet_catalogue_sync_errors_total 3`,
		`go_goroutines`,
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %s in\n%s", want, out)
		}
	}
	if !strings.Contains(out, "guichet_catalogue_sync_age_seconds 9") { // 90.x seconds
		t.Fatalf("sync age: %s", grep(out, "sync_age"))
	}
	m.Breaker("billetterie", "closed")
	if out := scrape(t, m); !strings.Contains(out, `guichet_upstream_breaker_state{backend="billetterie",state="closed"} 1`) ||
		!strings.Contains(out, `guichet_upstream_breaker_state{backend="billetterie",state="half_open"} 0`) {
		t.Fatalf("breaker after close: %s", grep(out, "breaker_state{"))
	}
	// A nil *Metrics is a valid no-op recorder.
	var none *Metrics
	none.UpstreamCall("a", "b", "ok", 0)
	none.Breaker("a", "open")
	none.Batch("a", 1)
	none.Cache("hit")
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Ensure client-chosen operation names cannot grow the label set without
// bound, and odd names and label values are folded.
func TestOperationLabelCap(t *testing.T) {
	m := NewMetrics()
	for i := range maxOperationNames {
		if got := m.OperationLabel(fmt.Sprintf("Op%d", i)); got != fmt.Sprintf("Op%d", i) {
			t.Fatalf("op %d: %q", i, got)
		}
	}
	if got := m.OperationLabel("OneTooMany"); got != "other" {
		t.Fatalf("beyond the cap: %q", got)
	}
	if got := m.OperationLabel("Op3"); got != "Op3" {
		t.Fatalf("known name after the cap: %q", got)
	}
	if got := m.OperationLabel(`x"} 1`); got != "invalid" {
		t.Fatalf("bad name: %q", got)
	}
	if label("weird value with spaces") != "other" || label("UPSTREAM_TIMEOUT") != "UPSTREAM_TIMEOUT" {
		t.Fatal("label folding")
	}
}

// Ensure the upstream transport makes one client span per exchange with
// the path only (no query string, no error text) and error status on 5xx.
func TestTransportSpans(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "ws_fail") {
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer up.Close()
	c := &http.Client{Transport: &Transport{Backend: "billetterie", Tracer: tp.Tracer("test")}}
	for _, p := range []string{"/ws_login?x_rsi_ws_mdp=qs-secret-1", "/ws_fail"} {
		res, err := c.Get(up.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	spans := rec.Ended()
	if len(spans) != 2 || spans[0].Name() != "billetterie ws_login" || spans[1].Status().Code != codes.Error || spans[0].Status().Code == codes.Error {
		t.Fatalf("spans: %v", spans)
	}
	for _, s := range spans {
		for _, a := range s.Attributes() {
			if strings.Contains(a.Value.Emit(), "qs-secret-1") {
				t.Fatalf("query string in span attribute %s", a.Key)
			}
		}
	}
}

// Ensure SetupTracing exports spans to the configured OTLP/HTTP endpoint
// and is a no-op without one.
func TestSetupTracingExports(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	if TracingEnabled("") {
		t.Fatal("enabled without an endpoint")
	}
	got := make(chan string, 10)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r.URL.Path + " " + r.Header.Get("Content-Type") + " " + fmt.Sprint(bytes.Contains(b, []byte("graphql TestOp")))
	}))
	defer collector.Close()
	prev := otel.GetTracerProvider()
	defer otel.SetTracerProvider(prev)
	shutdown, err := SetupTracing(context.Background(), collector.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, span := tracerOr(nil).Start(context.Background(), "graphql TestOp")
	span.End()
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != "/v1/traces application/x-protobuf true" {
			t.Fatalf("collector got %q", s)
		}
	default:
		t.Fatal("nothing exported")
	}
	if _, err := SetupTracing(context.Background(), "collector:4318"); err == nil {
		t.Fatal("endpoint without a scheme accepted")
	}
}

// roundTripFunc is an http.RoundTripper from a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Ensure the upstream transport costs nothing while tracing is off (no
// exporter set up, no recording span in the caller's context): the
// request goes to the base transport as it came, without a span, its name
// or its attributes being built.
func TestTransportWithoutTracingAddsNothing(t *testing.T) {
	// An earlier test may have set tracing up (and restored the no-op
	// provider since).
	defer tracing.Store(tracing.Swap(false))
	ok := &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}
	var seen *http.Request
	tr := &Transport{Backend: "billetterie", Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = r
		return ok, nil
	})}
	req := httptest.NewRequest(http.MethodPost, "http://billetterie.test/ws_recap_achat", nil)
	allocs := testing.AllocsPerRun(100, func() {
		if res, err := tr.RoundTrip(req); err != nil || res != ok {
			t.Fatal(res, err)
		}
	})
	if allocs != 0 || seen != req {
		t.Errorf("%.0f allocations per call, request passed on as is: %t", allocs, seen == req)
	}
	// A caller's recording span still gets its child span.
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	ctx, parent := tp.Tracer("test").Start(context.Background(), "graphql Me")
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	defer otel.SetTracerProvider(prev)
	if _, err := tr.RoundTrip(req.WithContext(ctx)); err != nil {
		t.Fatal(err)
	}
	parent.End()
	if spans := rec.Ended(); len(spans) != 2 || spans[0].Name() != "billetterie ws_recap_achat" {
		t.Fatalf("spans: %v", spans)
	}
}
