package graph

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/graph/loaders"
	"github.com/guichet/guichet/live"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// LiveOptions turn on subscriptions over WebSocket and SSE.
type LiveOptions struct {
	Hub  *live.Hub
	Keys *Keys
	// Sources give each event of a subscription fresh loaders: a
	// connection lives for hours, its request's loaders would cache for as
	// long.
	Sources loaders.Sources
	// Origins are the browser origins allowed to open a WebSocket besides
	// the same origin (host patterns, e.g. www.theatre.fr or *.theatre.fr).
	Origins []string
	// KeepAlive is the interval of pings (WebSocket) and comments (SSE)
	// that keep proxies from closing a quiet connection; 0: 20 s.
	KeepAlive time.Duration
}

// wsMessageLimit bounds one WebSocket message (connection_init, subscribe):
// operations on a WebSocket never pass the heavy lane (body.go), so none
// may be heavy. gqlgen's default would be 1 MB per message.
var wsMessageLimit int64 = HeavyRequestBytes

// maxSeatIDs bounds the performances of one seatsChanged subscription.
const maxSeatIDs = 50

// addLive adds the streaming transports. They go before POST and GET:
// gqlgen takes the first transport that supports a request, and an SSE
// request is a POST too.
func addLive(srv *handler.Server, o *LiveOptions) {
	if o == nil || o.Hub == nil {
		return
	}
	every := o.KeepAlive
	if every <= 0 {
		every = 20 * time.Second
	}
	srv.AddTransport(transport.Websocket{
		Implementation:   transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{OriginPatterns: o.Origins}},
		InitFunc:         o.initConnection,
		InitTimeout:      10 * time.Second,
		PayloadReadLimit: &wsMessageLimit,
		// graphql-ws (legacy) gets "ka" messages; graphql-transport-ws
		// gets pings, and a client that stops answering is dropped.
		KeepAlivePingInterval: every,
		PingPongInterval:      every,
	})
	sse := transport.SSE{KeepAlivePingInterval: every}
	srv.AddTransport(sse)
	srv.AddTransport(sseGET{sse})
	srv.Use(freshLoaders{o.Sources})
}

// sseGET is GraphQL over SSE with GET (graphql-sse's distinct connections
// mode, what Hive Gateway sends its subgraphs): the query string becomes
// the JSON body gqlgen's SSE transport reads.
type sseGET struct{ sse transport.SSE }

func (t sseGET) Supports(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

func (t sseGET) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	q := r.URL.Query()
	body := map[string]any{"query": q.Get("query")}
	if v := q.Get("operationName"); v != "" {
		body["operationName"] = v
	}
	for _, k := range []string{"variables", "extensions"} {
		if v := q.Get(k); v != "" {
			if !json.Valid([]byte(v)) {
				writeError(w, http.StatusBadRequest, CodeBadRequest, k+" is not JSON", 0)
				return
			}
			body[k] = json.RawMessage(v)
		}
	}
	raw, _ := json.Marshal(body)
	post := r.Clone(r.Context())
	post.Method = http.MethodPost
	post.Header.Set("Content-Type", "application/json")
	post.Body, post.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw))
	t.sse.Do(w, post, noMutations{exec})
}

// noMutations refuses mutations, as gqlgen's GET transport does: any web
// page can open an EventSource on this URL without a CORS preflight, so a
// mutation over GET would run from every visitor's browser.
type noMutations struct{ graphql.GraphExecutor }

func (n noMutations) CreateOperationContext(ctx context.Context, p *graphql.RawParams) (*graphql.OperationContext, gqlerror.List) {
	oc, errs := n.GraphExecutor.CreateOperationContext(ctx, p)
	if errs == nil && oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
		return oc, gqlerror.List{{Message: "GET requests do not allow mutations",
			Extensions: map[string]any{"code": CodeMethodNotAllowed}}}
	}
	return oc, errs
}

var errBadKey = errors.New("the back-office key is not valid")

// initConnection authenticates a WebSocket at connection_init: browsers
// cannot set headers on a WebSocket, so the key may come in the payload
// ({"Authorization": "Bearer <key>"}) as well as in the upgrade request's
// headers. A key that is sent and wrong refuses the connection; none keeps
// it public (seatsChanged only). Each operation is checked again by its
// resolver.
func (o *LiveOptions) initConnection(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	c := CallerFrom(ctx)
	if auth := p.Authorization(); auth != "" {
		key, isBearer := strings.CutPrefix(auth, "Bearer ")
		if !isBearer || !o.Keys.valid(strings.TrimSpace(key)) {
			return ctx, nil, errBadKey
		}
		c.BackOffice, c.BadKey = true, false
	}
	if tok := p.GetString("X-Session-Token"); tok != "" {
		c.SessionToken = strings.TrimSpace(tok)
	}
	if c.BadKey {
		return ctx, nil, errBadKey
	}
	return o.Hub.OpenConn(WithCaller(ctx, c)), nil, nil
}

// freshLoaders gives each response of a subscription its own loaders.
type freshLoaders struct{ src loaders.Sources }

func (freshLoaders) ExtensionName() string                   { return "FreshLoaders" }
func (freshLoaders) Validate(graphql.ExecutableSchema) error { return nil }
func (f freshLoaders) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) { // a request refused before parsing
		return next(ctx)
	}
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Subscription {
		ctx = loaders.With(ctx, loaders.New(f.src))
	}
	return next(ctx)
}

// Streams prepares the long-lived requests (WebSocket upgrades and event
// streams) before the GraphQL handler: each is counted against its client
// address, the server's write timeout is for ordinary answers, and a drain
// at shutdown must end them.
func Streams(hub *live.Hub, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hub == nil || !(strings.Contains(r.Header.Get("Accept"), "text/event-stream") || r.Header.Get("Upgrade") != "") {
			next.ServeHTTP(w, r)
			return
		}
		// The server's timeouts are for ordinary answers: its write
		// deadline would cut an event stream after WriteTimeout.
		if c := CallerFrom(r.Context()); !c.Router {
			release, err := hub.OpenStream(c.IP)
			if err != nil {
				w.Header().Set("Retry-After", "60")
				writeError(w, http.StatusTooManyRequests, CodeRateLimited, "too many open connections from this address", 0)
				return
			}
			defer release()
		}
		if r.Header.Get("Upgrade") != "" && !CallerFrom(r.Context()).Router {
			w = pacedUpgrade{w, hub}
		}
		rc := http.NewResponseController(w)
		rc.SetWriteDeadline(time.Time{})
		rc.SetReadDeadline(time.Time{})
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		stop := context.AfterFunc(hub.Context(), cancel)
		defer stop()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// pacedUpgrade hands the WebSocket implementation a connection whose reads
// follow the hub's read rate. The federation router is not paced: it
// carries many clients' subscriptions on few connections.
type pacedUpgrade struct {
	http.ResponseWriter
	hub *live.Hub
}

func (p pacedUpgrade) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(p.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	return p.hub.SlowReads(c), rw, nil
}

func (p pacedUpgrade) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// admit counts a new subscription against the connection's and the client
// address's limits, and gives the places back when it ends.
func (r *Resolver) admit(ctx context.Context, op string) error {
	if r.Live == nil {
		return errs.E(errs.Op(op), errs.Unavailable, errs.Msg("subscriptions are not enabled"))
	}
	// The federation router carries every client's subscriptions from one
	// address: it is not held to the per-address limit (its own limits
	// apply to its clients), only to the per-connection one.
	ip := CallerFrom(ctx).IP
	if CallerFrom(ctx).Router {
		ip = ""
	}
	release, err := r.Live.Admit(ctx, ip)
	if err != nil {
		return err
	}
	context.AfterFunc(ctx, release)
	return nil
}

// watchedPerformances checks a seatsChanged argument: known performances,
// each once, not too many.
func (r *Resolver) watchedPerformances(op string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, errs.E(errs.Op(op), errs.Invalid, errs.Field("performanceIds"), errs.Msg("name at least one performance"))
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if seen[id] {
			continue
		}
		seen[id] = true
		if r.performanceOf(id) == nil {
			return nil, errs.E(errs.Op(op), errs.NotFound, errs.Field("performanceIds"), errs.Msg("no performance "+strconv.Quote(id)+" in the catalogue"))
		}
		out = append(out, id)
	}
	if len(out) > maxSeatIDs {
		return nil, errs.E(errs.Op(op), errs.Invalid, errs.Field("performanceIds"), errs.Msg("at most 50 performances per subscription"))
	}
	return out, nil
}
