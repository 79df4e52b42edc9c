package graph

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/guichet/guichet/graph/generated"
	"github.com/vektah/gqlparser/v2/ast"
)

// Options tune the GraphQL endpoint.
type Options struct {
	Introspection bool
	MaxBodyBytes  int64 // request body cap; 0 means 1 MiB
}

// NewHandler builds the /graphql endpoint: POST and GET (queries only on GET),
// a parsed-query cache, automatic persisted queries, and the error
// presenter. gqlgen's handler.New starts bare, so each piece is explicit.
func NewHandler(r *Resolver, o Options) http.Handler {
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: r}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(15000)
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	if o.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.SetErrorPresenter(PresentError)
	srv.SetRecoverFunc(Recover)
	max := o.MaxBodyBytes
	if max <= 0 {
		max = 1 << 20
	}
	return http.MaxBytesHandler(srv, max)
}
