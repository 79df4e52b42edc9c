package obs

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// GraphQL is a gqlgen extension that observes every operation: a span
// around its execution, the operation name in the request's log context,
// one metric sample and one log line with its id, name, duration and error
// codes. Variables and the query text are never recorded.
type GraphQL struct {
	Metrics *Metrics     // nil: no metrics
	Logger  *slog.Logger // nil: no operation log line
	Tracer  trace.Tracer // nil: the global tracer
}

var (
	_ graphql.HandlerExtension    = GraphQL{}
	_ graphql.ResponseInterceptor = GraphQL{}
)

func (GraphQL) ExtensionName() string                          { return "Observability" }
func (GraphQL) Validate(schema graphql.ExecutableSchema) error { return nil }

// InterceptResponse wraps the execution itself: gqlgen runs queries and
// mutations lazily inside the response chain, and parse or validation
// failures come through it too, so every outcome is seen here.
func (g GraphQL) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	name, kind := "", ""
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		name = oc.OperationName
		if oc.Operation != nil {
			kind = string(oc.Operation.Operation)
			if name == "" {
				name = oc.Operation.Name
			}
		}
		// A subscription's responses all come through here: the first
		// (its refusal, or its first event) is the operation; the others
		// are events, which a log line, a span and a latency sample each
		// would multiply by every subscriber.
		if kind == "subscription" {
			if oc.Stats.GetExtension(subscriptionSeen) != nil {
				return next(ctx)
			}
			oc.Stats.SetExtension(subscriptionSeen, true)
		}
	}
	op := g.Metrics.OperationLabel(name)
	if name == "" && kind == "" {
		// Not parsed or not valid: no operation to name.
		op = "invalid"
	}
	setOperation(ctx, op)
	start := graphql.GetStartTime(ctx)
	if start.IsZero() {
		start = time.Now()
	}
	// While tracing is off and no caller's span records, a span would be
	// a no-op that still costs its name, attributes and context.
	var span trace.Span
	if g.Tracer != nil || tracing.Load() || trace.SpanFromContext(ctx).IsRecording() {
		ctx, span = tracerOr(g.Tracer).Start(ctx, "graphql "+op, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("graphql.operation.name", op), attribute.String("graphql.operation.type", kind)))
		if id := RequestIDFrom(ctx); id != "" {
			span.SetAttributes(attribute.String("guichet.request_id", id))
		}
	}

	resp := next(ctx)

	d := time.Since(start)
	codeList := errorCodes(resp)
	outcome := "ok"
	switch {
	case resp == nil:
		outcome = "CANCELLED"
	case len(codeList) > 0:
		outcome = codeList[0]
	}
	if span != nil {
		if outcome != "ok" {
			span.SetAttributes(attribute.StringSlice("graphql.error.codes", codeList))
			span.SetStatus(codes.Error, label(outcome))
		}
		span.End()
	}
	g.Metrics.Operation(op, outcome, d)
	if g.Logger != nil {
		level := slog.LevelInfo
		if slices.Contains(codeList, "INTERNAL") {
			level = slog.LevelError
		}
		attrs := []slog.Attr{slog.String("type", kind), slog.String("outcome", outcome),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000)}
		if len(codeList) > 0 {
			attrs = append(attrs, slog.Any("error_codes", codeList))
		}
		// The operation name comes from the context, as on every line of the request.
		if RequestIDFrom(ctx) == "" {
			attrs = append(attrs, slog.String("operation", op))
		}
		g.Logger.LogAttrs(ctx, level, "graphql operation", attrs...)
	}
	return resp
}

// subscriptionSeen marks, in a subscription's stats, that its operation
// was observed.
const subscriptionSeen = "guichet.observed"

// errorCodes lists the distinct extensions.code of a response's errors, in
// order ("ERROR" for an error without one).
func errorCodes(resp *graphql.Response) []string {
	if resp == nil {
		return nil
	}
	var out []string
	for _, e := range resp.Errors {
		c := "ERROR"
		if e != nil && e.Extensions != nil {
			if s, ok := e.Extensions["code"].(string); ok && s != "" {
				c = label(s)
			}
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
