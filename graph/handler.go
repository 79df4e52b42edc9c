package graph

import (
	"fmt"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/guichet/guichet/graph/generated"
	"github.com/guichet/guichet/graph/model"
	"github.com/guichet/guichet/persisted"
	"github.com/vektah/gqlparser/v2/ast"
)

// Bounds of the request decoding, shared with the response cache (which
// decodes requests before this handler and must agree with it).
const (
	ParserTokenLimit    = 15000
	DefaultMaxBodyBytes = 1 << 20
)

// Options tune the GraphQL endpoint.
type Options struct {
	Introspection bool
	Limits        Limits // zero fields: DefaultLimits
	// RouterOnly keeps _entities and _service for callers that present the
	// federation router's secret (Caller.Router).
	RouterOnly    bool
	MaxComplexity int   // 0: 5000
	MaxBodyBytes  int64 // request body cap; 0 means 1 MiB
	// Extensions are used before the built-in ones (observability first, so
	// it sees every outcome, guard refusals included).
	Extensions []graphql.HandlerExtension
	// APQ stores automatic persisted queries; nil keeps 1,000 in process.
	// Redis shares them between replicas.
	APQ graphql.Cache[string]
	// Persisted, when set, is the persisted-only mode: only these
	// operations run, and new ones cannot be registered.
	Persisted *persisted.List
	// Live, when set, serves subscriptions (WebSocket and SSE).
	Live *LiveOptions
}

// NewHandler builds the /graphql endpoint: POST and GET (queries only on GET),
// a parsed-query cache, automatic persisted queries, and the error
// presenter. gqlgen's handler.New starts bare, so each piece is explicit.
func NewHandler(r *Resolver, o Options) http.Handler {
	cfg := generated.Config{Resolvers: r}
	weighLists(&cfg.Complexity)
	es := weighEntities{generated.NewExecutableSchema(cfg)}
	srv := handler.New(es)
	addLive(srv, o.Live)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(HTTPTransport{}) // POST and GET (transport.go)
	for _, x := range o.Extensions {
		if _, ok := x.(graphql.FieldInterceptor); ok {
			// go generate marshals plain scalar fields without the field
			// middleware (graph/internal/gqlgenfix): it would miss them.
			panic(fmt.Sprintf("graph: %T is a field interceptor; plain scalar fields bypass field middleware", x))
		}
		srv.Use(x)
	}
	docs := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(docs)
	srv.SetParserTokenLimit(ParserTokenLimit)
	switch {
	case o.Persisted != nil:
		srv.Use(persisted.Only{List: o.Persisted})
	case o.APQ != nil:
		srv.Use(extension.AutomaticPersistedQuery{Cache: o.APQ})
	default:
		srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	}
	limits := o.Limits.withDefaults()
	// After the persisted-query extensions, which fill in the document.
	srv.Use(shapeCheck{limits: limits, tokens: ParserTokenLimit, cache: docs})
	srv.Use(Guard{Limits: limits, schema: es.Schema(), routerOnly: o.RouterOnly})
	srv.Use(errorCap{max: limits.MaxErrors})
	maxCost := o.MaxComplexity
	if maxCost <= 0 {
		maxCost = 5000
	}
	srv.Use(extension.FixedComplexityLimit(maxCost))
	if o.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(noIntrospection{})
		// "Did you mean" would spell out the schema introspection hides.
		srv.SetDisableSuggestion(true)
	}
	srv.SetErrorPresenter(PresentError)
	srv.SetRecoverFunc(Recover)
	max := o.MaxBodyBytes
	if max <= 0 {
		max = DefaultMaxBodyBytes
	}
	return codedErrors(limitBody(srv, max))
}

// weighLists makes a list field cost its expected length times its
// children, so nested lists (a cost bomb) are refused before execution.
func weighLists(c *generated.ComplexityRoot) {
	times := func(n int) func(int) int { return func(child int) int { return 1 + n*child } }
	c.Query.Shows = func(child int, _ *model.ShowFilter, first *int, _ *string) int {
		n := 20
		if first != nil && *first > 0 {
			n = *first
		}
		return 1 + n*child
	}
	c.Query.Subscribers = func(child int, _ *model.SubscriberFilter, _ *int) int { return 1 + 50*child }
	c.Subscriber.Beneficiaries = func(child int, _ *int) int { return 1 + 50*child }
	c.Query.Orders = func(child int, _, _ *time.Time, _ *model.OrderState) int { return 1 + 50*child }
	c.Query.Venues = times(10)
	c.Query.Passes = times(10)
	c.Query.Articles = func(child int, _ *string) int { return 1 + 20*child }
	c.Show.Performances = times(8)
	c.Performance.Prices = times(6)
	c.Contact.Tickets = times(20)
	c.Contact.OrderLines = times(20)
	c.Contact.Cards = times(5)
	c.Card.Tickets = times(10)
	c.Order.Lines = times(10)
	c.OrderLine.Children = times(5)
	c.MailingList.Members = times(100)
	c.Query.MailingLists = times(10)
	c.Organisation.Contacts = times(20)
}
