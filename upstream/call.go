package upstream

import "context"

// Call is what the client making an upstream call knows of it, put in the
// request's context (WithCall) so that the resilient transport, the spans
// and the metrics read it instead of parsing the request back.
type Call struct {
	Backend   string // Billetterie.Name, AboWeb.Name
	Operation string // the vendor's name: ws_recap_achat, ws_liste_fiches_modifiees, getClient
	Read      bool   // an idempotent read: the only kind ever sent twice
}

type callKey struct{}

// WithCall returns ctx carrying c.
func WithCall(ctx context.Context, c Call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

// CallFrom returns the call ctx describes, if any.
func CallFrom(ctx context.Context) (Call, bool) {
	c, ok := ctx.Value(callKey{}).(Call)
	return c, ok
}
