package obs

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func operationContext(name string) context.Context {
	oc := &graphql.OperationContext{OperationName: name, Operation: &ast.OperationDefinition{Operation: ast.Query, Name: name}}
	ctx := graphql.StartOperationTrace(context.Background())
	return graphql.WithOperationContext(ctx, oc)
}

// Ensure an operation gets its server span, with its error codes, when
// tracing is on, and none (the caller's context passed on as it is) when
// it is off and nothing upstream records.
func TestGraphQLOperationSpan(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	failing := func(ctx context.Context) *graphql.Response {
		if !trace.SpanFromContext(ctx).IsRecording() {
			t.Error("the resolvers do not run under the operation's span")
		}
		return &graphql.Response{Errors: gqlerror.List{{Message: "x", Extensions: map[string]any{"code": "NOT_FOUND"}}}}
	}
	GraphQL{Tracer: tp.Tracer("test")}.InterceptResponse(operationContext("Me"), failing)
	spans := rec.Ended()
	if len(spans) != 1 || spans[0].Name() != "graphql Me" || spans[0].Status().Description != "NOT_FOUND" {
		t.Fatalf("spans: %v", spans)
	}

	defer tracing.Store(tracing.Swap(false))
	ctx := operationContext("Me")
	GraphQL{}.InterceptResponse(ctx, func(got context.Context) *graphql.Response {
		if trace.SpanFromContext(got) != trace.SpanFromContext(ctx) {
			t.Error("a span was started while tracing is off")
		}
		return &graphql.Response{}
	})
}
