// Package route assembles the /graphql route of Guichet, in one place: the
// app serves it, and the tests of graph/ and respcache/ build the same
// route over fake domain services (this package imports no adapter).
package route

import (
	"net/http"

	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/graph/loaders"
	"github.com/guichet/guichet/live"
	"github.com/guichet/guichet/respcache"
)

// GraphQL is what the route is made of.
type GraphQL struct {
	Executor     http.Handler     // graph.NewHandler
	Keys         *graph.Keys      // who is calling (API keys, router secret, session token)
	Sources      loaders.Sources  // per-request loaders
	Hub          *live.Hub        // nil: no event streams
	Cache        *respcache.Cache // nil: every request runs
	MaxBodyBytes int64            // 0: graph.DefaultMaxBodyBytes
}

// Handler is the route, outermost first: the body limit answers 413 from
// the declared length before the response cache (or anything) reads the
// body; the cache answers public requests from memory; then the caller is
// identified, loaders are attached, and streams or the executor answer.
func (g GraphQL) Handler() http.Handler {
	max := g.MaxBodyBytes
	if max <= 0 {
		max = graph.DefaultMaxBodyBytes
	}
	keys := g.Keys
	if keys == nil {
		keys = graph.NewKeys(nil)
	}
	h := keys.Authenticate(loaders.Middleware(g.Sources, graph.Streams(g.Hub, g.Executor)))
	if g.Cache != nil {
		h = g.Cache.Wrap(h)
	}
	return graph.LimitBody(h, max, keys.LaneKey)
}
