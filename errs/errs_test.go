package errs

import (
	"context"
	"fmt"
	"testing"
)

func TestKindPropagatesThroughWrapping(t *testing.T) {
	inner := E(Op("billetterie.ws_login"), Unauthenticated, Code("512"), Msg("wrong password"))
	outer := E(Op("graph.login"), fmt.Errorf("wrap: %w", inner))
	if got := KindOf(outer); got != Unauthenticated {
		t.Fatalf("KindOf = %v, want unauthenticated", got)
	}
	if f := Find(outer); f.Op != "graph.login" {
		t.Fatalf("outermost op = %q", f.Op)
	}
}

func TestTransportClassifiesDeadlines(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	<-ctx.Done()
	if k := KindOf(Transport("x", ctx.Err())); k != Timeout {
		t.Fatalf("deadline: kind %v", k)
	}
	if k := KindOf(Transport("x", fmt.Errorf("connection refused"))); k != Unavailable {
		t.Fatalf("refused: kind %v", k)
	}
}

func TestErrorStringNamesOpCodeAndField(t *testing.T) {
	err := E(Op("billetterie.ws_ccontact"), Invalid, Code("523"), Field("password"), Msg("too short"))
	want := "billetterie.ws_ccontact: code 523: field password: too short"
	if err.Error() != want {
		t.Fatalf("got %q, want %q", err.Error(), want)
	}
}
