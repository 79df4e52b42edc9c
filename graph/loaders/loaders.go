package loaders

import (
	"context"
	"github.com/guichet/guichet/availability"
	"net/http"
	"sync"

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
	Seats *availability.Cache
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

// Loaders are the per-request loaders. Each is built the first time a
// request asks for it: a subscriber lookup uses one of nine, a listing one.
// An accessor returns nil when its back office is not configured.
type Loaders struct {
	src Sources
	n   int

	subscriber        once[int, *crm.Subscriber]
	subscriberByEmail once[string, *crm.Subscriber]

	// Ticketing: keyed by session token, contact id, order id or performance id.
	session    once[string, *boxoffice.Session]
	me         once[string, *boxoffice.Contact]
	tickets    once[string, []boxoffice.Ticket]
	orderLines once[string, []boxoffice.OrderLine]
	contact    once[string, *boxoffice.Contact]
	order      once[string, *boxoffice.Order]
	seatsLeft  once[string, int]
}

// once holds one loader, built on first use.
type once[K comparable, V any] struct {
	sync.Once
	l *dataloader.Loader[K, V]
}

// get builds the loader with build on first use.
func (o *once[K, V]) get(build func() *dataloader.Loader[K, V]) *dataloader.Loader[K, V] {
	o.Do(func() { o.l = build() })
	return o.l
}

// New prepares the loaders of one request; none is built yet.
func New(src Sources) *Loaders {
	n := src.FanOut
	if n <= 0 {
		n = FanOut
	}
	return &Loaders{src: src, n: n}
}

// Subscriber loads AboWeb subscribers by code.
func (l *Loaders) Subscriber() *dataloader.Loader[int, *crm.Subscriber] {
	if l.src.CRM == nil {
		return nil
	}
	return l.subscriber.get(func() *dataloader.Loader[int, *crm.Subscriber] {
		return newLoader(l.n, 100, l.src.CRM.Subscriber, l.src.observe("subscriber"))
	})
}

// SubscriberByEmail loads AboWeb subscribers by email.
func (l *Loaders) SubscriberByEmail() *dataloader.Loader[string, *crm.Subscriber] {
	if l.src.CRM == nil {
		return nil
	}
	return l.subscriberByEmail.get(func() *dataloader.Loader[string, *crm.Subscriber] {
		return newLoader(l.n, 100, l.src.CRM.SubscriberByEmail, l.src.observe("subscriber_by_email"))
	})
}

// boxLoader is a ticketing loader: nil without a box office.
func boxLoader[K comparable, V any](l *Loaders, o *once[K, V], fetch func(boxoffice.Service) func(context.Context, K) (V, error), name string) *dataloader.Loader[K, V] {
	if l.src.BoxOffice == nil {
		return nil
	}
	return o.get(func() *dataloader.Loader[K, V] {
		return newLoader(l.n, 100, fetch(l.src.BoxOffice), l.src.observe(name))
	})
}

// Session loads ticketing sessions by token.
func (l *Loaders) Session() *dataloader.Loader[string, *boxoffice.Session] {
	return boxLoader(l, &l.session, func(b boxoffice.Service) func(context.Context, string) (*boxoffice.Session, error) { return b.Session }, "session")
}

// Me loads the contact signed in on a session, by token.
func (l *Loaders) Me() *dataloader.Loader[string, *boxoffice.Contact] {
	return boxLoader(l, &l.me, func(b boxoffice.Service) func(context.Context, string) (*boxoffice.Contact, error) { return b.Me }, "me")
}

// Tickets loads a session's tickets by token.
func (l *Loaders) Tickets() *dataloader.Loader[string, []boxoffice.Ticket] {
	return boxLoader(l, &l.tickets, func(b boxoffice.Service) func(context.Context, string) ([]boxoffice.Ticket, error) { return b.Tickets }, "tickets")
}

// OrderLines loads an order's lines by order id.
func (l *Loaders) OrderLines() *dataloader.Loader[string, []boxoffice.OrderLine] {
	return boxLoader(l, &l.orderLines, func(b boxoffice.Service) func(context.Context, string) ([]boxoffice.OrderLine, error) {
		return b.OrderLines
	}, "order_lines")
}

// Contact loads contacts by id.
func (l *Loaders) Contact() *dataloader.Loader[string, *boxoffice.Contact] {
	return boxLoader(l, &l.contact, func(b boxoffice.Service) func(context.Context, string) (*boxoffice.Contact, error) { return b.Contact }, "contact")
}

// Order loads orders by id.
func (l *Loaders) Order() *dataloader.Loader[string, *boxoffice.Order] {
	return boxLoader(l, &l.order, func(b boxoffice.Service) func(context.Context, string) (*boxoffice.Order, error) { return b.Order }, "order")
}

// SeatsLeft loads seat counts by performance id: from the process-wide seat
// cache when there is one, else from the ticketing system.
func (l *Loaders) SeatsLeft() *dataloader.Loader[string, int] {
	seats := l.src.Seats
	if seats == nil {
		return boxLoader(l, &l.seatsLeft, func(b boxoffice.Service) func(context.Context, string) (int, error) { return b.SeatsLeft }, "seats_left")
	}
	return l.seatsLeft.get(func() *dataloader.Loader[string, int] {
		return dataloader.NewBatchedLoader(func(ctx context.Context, keys []string) []*dataloader.Result[int] {
			l.src.observe("seats_left")(len(keys))
			return seats.Load(ctx, keys, l.n)
		}, dataloader.WithWait[string, int](Wait), dataloader.WithBatchCapacity[string, int](200),
			dataloader.WithInputCapacity[string, int](200))
	})
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
