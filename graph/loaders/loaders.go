package loaders

import (
	"context"
	"net/http"

	"github.com/graph-gophers/dataloader/v7"
	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/crm"
)

// Sources are the back offices behind the loaders.
type Sources struct {
	// CRM has no multi-get, so a batch becomes a bounded parallel fan-out
	// of single lookups.
	CRM       crm.Service
	BoxOffice boxoffice.Service
	// Seats, when set, answers availability from the process-wide TTL
	// cache instead of asking the ticketing system on every request.
	Seats *Seats
	// FanOut bounds concurrent AboWeb calls per batch (default FanOut).
	FanOut int
	// OnBatch, when set, is told the size of every batch (obs.Metrics.Batch).
	OnBatch func(loader string, keys int)
}

// observe is the batch hook of one loader.
func (s Sources) observe(loader string) func(int) {
	if s.OnBatch == nil {
		return func(int) {}
	}
	return func(n int) { s.OnBatch(loader, n) }
}

// Loaders are the per-request loaders.
type Loaders struct {
	Subscriber        *dataloader.Loader[int, *crm.Subscriber]
	SubscriberByEmail *dataloader.Loader[string, *crm.Subscriber]

	// Ticketing: keyed by session token, contact id, order id or performance id.
	Session    *dataloader.Loader[string, *boxoffice.Session]
	Me         *dataloader.Loader[string, *boxoffice.Contact]
	Tickets    *dataloader.Loader[string, []boxoffice.Ticket]
	OrderLines *dataloader.Loader[string, []boxoffice.OrderLine]
	Contact    *dataloader.Loader[string, *boxoffice.Contact]
	Order      *dataloader.Loader[string, *boxoffice.Order]
	SeatsLeft  *dataloader.Loader[string, int]
}

// New builds a fresh set of loaders for one request.
func New(src Sources) *Loaders {
	n := src.FanOut
	if n <= 0 {
		n = FanOut
	}
	l := &Loaders{}
	if src.CRM != nil {
		l.Subscriber = newLoader(n, 100, src.CRM.Subscriber, src.observe("subscriber"))
		l.SubscriberByEmail = newLoader(n, 100, src.CRM.SubscriberByEmail, src.observe("subscriber_by_email"))
	}
	if b := src.BoxOffice; b != nil {
		l.Session = newLoader(n, 100, b.Session, src.observe("session"))
		l.Me = newLoader(n, 100, b.Me, src.observe("me"))
		l.Tickets = newLoader(n, 100, b.Tickets, src.observe("tickets"))
		l.OrderLines = newLoader(n, 100, b.OrderLines, src.observe("order_lines"))
		l.Contact = newLoader(n, 100, b.Contact, src.observe("contact"))
		l.Order = newLoader(n, 100, b.Order, src.observe("order"))
		l.SeatsLeft = newLoader(n, 100, b.SeatsLeft, src.observe("seats_left"))
	}
	if seats := src.Seats; seats != nil {
		l.SeatsLeft = dataloader.NewBatchedLoader(func(ctx context.Context, keys []string) []*dataloader.Result[int] {
			src.observe("seats_left")(len(keys))
			return seats.Load(ctx, keys, n)
		}, dataloader.WithWait[string, int](Wait), dataloader.WithBatchCapacity[string, int](200))
	}
	return l
}

type ctxKey struct{}

// Middleware attaches fresh loaders to every request.
func Middleware(src Sources, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(With(r.Context(), New(src))))
	})
}

// With attaches loaders to a context (tests and non-HTTP callers).
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the request's loaders. Without the middleware it returns nil,
// and callers report an internal error rather than panic.
func For(ctx context.Context) *Loaders {
	l, _ := ctx.Value(ctxKey{}).(*Loaders)
	return l
}
