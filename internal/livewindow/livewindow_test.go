package livewindow

import (
	"context"
	"testing"
	"time"
)

func TestWindowNarrowsToTheEarliest(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ctx, w := Open(context.Background())
	if _, ok := w.End(); ok {
		t.Fatal("an empty window must not allow reuse")
	}
	From(ctx).Until(t0.Add(30 * time.Second))
	From(ctx).Until(t0.Add(10 * time.Second))
	From(ctx).Until(t0.Add(20 * time.Second))
	if until, ok := w.End(); !ok || !until.Equal(t0.Add(10*time.Second)) {
		t.Fatalf("until %v %t", until, ok)
	}
	From(ctx).Deny()
	if _, ok := w.End(); ok {
		t.Fatal("denied window allows reuse")
	}
	// No window: the calls are no-ops.
	From(context.Background()).Until(t0)
	From(context.Background()).Deny()
}
