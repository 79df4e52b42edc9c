package obs

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"sync/atomic"

	"github.com/guichet/guichet/upstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const instrumentationName = "github.com/guichet/guichet/obs"

// tracing is set once SetupTracing has installed an exporter. Until then
// the global tracer is the no-op one, and Transport does not build spans,
// names and attributes that nothing would record.
var tracing atomic.Bool

// tracerOr returns t, or the global tracer looked up now (not cached, so a
// provider installed later by SetupTracing is used).
func tracerOr(t trace.Tracer) trace.Tracer {
	if t != nil {
		return t
	}
	return otel.Tracer(instrumentationName)
}

// TracingEnabled reports whether an OTLP endpoint is configured: endpoint
// (GUICHET_OTLP_ENDPOINT) or the standard OTEL_EXPORTER_OTLP_ENDPOINT /
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT that the exporter reads itself.
func TracingEnabled(endpoint string) bool {
	return endpoint != "" || os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// SetupTracing installs an OTLP/HTTP exporter as the global tracer provider
// when TracingEnabled(endpoint); otherwise tracing stays the no-op default
// and costs nothing. endpoint is a base URL like http://collector:4318 (the
// /v1/traces path is added when it has none). The returned shutdown flushes
// pending spans.
func SetupTracing(ctx context.Context, endpoint string) (shutdown func(context.Context) error, err error) {
	noop := func(context.Context) error { return nil }
	if !TracingEnabled(endpoint) {
		return noop, nil
	}
	var opts []otlptracehttp.Option
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return noop, fmt.Errorf("OTLP endpoint: want an http(s) URL such as http://collector:4318")
		}
		if u.Path == "" || u.Path == "/" {
			u.Path = "/v1/traces"
		}
		opts = append(opts, otlptracehttp.WithEndpointURL(u.String()))
	}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return noop, err
	}
	attrs := []attribute.KeyValue{}
	if os.Getenv("OTEL_SERVICE_NAME") == "" {
		attrs = append(attrs, attribute.String("service.name", "guichet"))
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(attrs...))
	if err != nil {
		res = resource.Default()
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	tracing.Store(true)
	// Join the trace of a router or gateway in front of Guichet.
	otel.SetTextMapPropagator(propagation.TraceContext{})
	return tp.Shutdown, nil
}

// StartUpstream starts the span of one logical call to a back office
// (retries included); end it with the call's outcome ("ok" or an error
// kind). Only the backend and operation names are recorded: never
// arguments, URLs with queries or bodies.
func StartUpstream(ctx context.Context, backend, op string) (context.Context, func(outcome string)) {
	ctx, span := tracerOr(nil).Start(ctx, backend+" "+op, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("guichet.backend", backend), attribute.String("guichet.upstream.operation", op)))
	return ctx, func(outcome string) {
		span.SetAttributes(attribute.String("guichet.outcome", outcome))
		if outcome != "ok" {
			span.SetStatus(codes.Error, label(outcome))
		}
		span.End()
	}
}

// Transport traces each HTTP exchange with a back office. It records the
// method, host and path only: the ticketing web services may take their
// credentials in the query string, so neither it nor a transport error's
// text (which quotes the URL) goes into the span.
type Transport struct {
	Base    http.RoundTripper // nil means http.DefaultTransport
	Backend string            // "billetterie", "aboweb"; empty: the host
	Tracer  trace.Tracer      // nil means the global tracer
}

func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if t.Tracer == nil && !tracing.Load() && !trace.SpanFromContext(r.Context()).IsRecording() {
		return base.RoundTrip(r)
	}
	backend := t.Backend
	if backend == "" {
		backend = r.URL.Hostname()
	}
	// The client says which operation this is (upstream.Call); else the
	// last path segment.
	op := path.Base(r.URL.Path)
	if c, ok := upstream.CallFrom(r.Context()); ok {
		op = c.Operation
	}
	ctx, span := tracerOr(t.Tracer).Start(r.Context(), backend+" "+op, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("server.address", r.URL.Hostname()),
			attribute.String("url.path", r.URL.Path), attribute.String("guichet.backend", backend)))
	defer span.End()
	res, err := base.RoundTrip(r.WithContext(ctx))
	if err != nil {
		kind := "error"
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			kind = "timeout"
		} else if errors.Is(err, context.Canceled) {
			kind = "canceled"
		}
		span.SetAttributes(attribute.String("error.type", kind))
		span.SetStatus(codes.Error, kind)
		return res, err
	}
	span.SetAttributes(attribute.Int("http.response.status_code", res.StatusCode))
	if res.StatusCode >= 500 {
		span.SetStatus(codes.Error, http.StatusText(res.StatusCode))
	}
	return res, nil
}
