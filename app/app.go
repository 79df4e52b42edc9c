package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/guichet/guichet/availability"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/guichet/guichet/app/route"
	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/graph/generated"
	"github.com/guichet/guichet/graph/loaders"
	"github.com/guichet/guichet/hooks"
	"github.com/guichet/guichet/obs"
	"github.com/guichet/guichet/persisted"
	"github.com/guichet/guichet/playground"
	"github.com/guichet/guichet/respcache"
	"github.com/guichet/guichet/sandbox/fixture"
	"github.com/guichet/guichet/throttle"
	"github.com/guichet/guichet/upstream"
	"github.com/redis/go-redis/v9"
)

// app is one Guichet: its backends (real or sandboxed), its catalogue and
// its HTTP routes. Tests build it the same way main does.
type app struct {
	cfg          config.Config
	log          *slog.Logger
	back         *backends
	store        *catalogue.Store
	resolver     *graph.Resolver
	sync         *catalogue.Syncer
	closePersist func() error
	sandboxes    *Sandboxes // nil or empty: both back offices are real
	sources      loaders.Sources
	responses    *respcache.Cache
	apq          graphql.Cache[string] // nil: in-process LRU
	persisted    *persisted.List       // persisted-only mode when set
	closeRedis   func() error
	metrics      *obs.Metrics
	live         *livePipeline // pushes and subscriptions
	draining     atomic.Bool   // set on SIGTERM: /readyz fails while requests are still served
}

// newApp builds the Guichet of cfg, whose back-office endpoints are final
// (StartSandboxes has filled in the simulated ones); sb, which may be nil,
// is closed with the app.
func newApp(ctx context.Context, cfg config.Config, sb *Sandboxes, logger *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: logger, store: &catalogue.Store{}, metrics: obs.NewMetrics(), sandboxes: sb}
	a.metrics.BuildInfo(BuildVersion())
	if a.cfg.Persisted != "" {
		// Checked before anything starts: a bad list must not cost a
		// season load first.
		var err error
		if a.persisted, err = persisted.Load(a.cfg.Persisted); err != nil {
			return nil, err
		}
		logger.Info("persisted-only mode", "operations", a.persisted.Len())
	}
	back, err := openBackends(a.cfg, logger, a.metrics)
	if err != nil {
		return nil, err
	}
	a.back = back
	a.resolver = &graph.Resolver{Catalogue: a.store, Links: back.links, CRM: back.crm,
		BoxOffice: back.ticketing.boxOffice, Relations: back.ticketing.boxOffice}
	a.sources = loaders.Sources{CRM: back.crm, BoxOffice: back.ticketing.boxOffice,
		Seats: availability.New(back.ticketing.boxOffice, a.showOf, a.cfg.AvailabilityTTL)}
	a.sources.OnBatch = a.metrics.Batch

	// The catalogue is served from memory: restored from disk (or Redis)
	// when a snapshot exists, else loaded once, then pulled incrementally.
	persist, closePersist, err := catalogue.OpenPersister(ctx, a.cfg.RedisURL, a.cfg.DataDir)
	if err != nil {
		back.Close()
		return nil, err
	}
	a.sync = catalogue.NewSyncer(a.store, billetterie.CatalogueSource{C: back.ticketing.client}, persist,
		catalogue.SyncOptions{Interval: a.cfg.SyncInterval, Logger: logger})
	if err := a.sync.Start(context.WithoutCancel(ctx)); err != nil {
		closePersist()
		back.Close()
		return nil, err
	}
	a.resolver.Sync = a.sync
	// Read at scrape time, so the gauge ages between syncs.
	a.metrics.SyncAge(func() time.Time { return a.sync.Status().LastSync })
	a.metrics.SyncErrors(func() int64 { return a.sync.Status().Failures })
	a.metrics.LenientCount(upstream.Billetterie.Name, billetterie.Unreadable)
	a.closePersist = closePersist
	var rc *redis.Client
	if a.cfg.RedisURL != "" {
		// The catalogue has its own client (OpenPersister); persisted
		// queries get theirs, so neither's pool starves the other.
		opt, err := redis.ParseURL(a.cfg.RedisURL)
		if err != nil {
			a.Close()
			return nil, fmt.Errorf("GUICHET_REDIS_URL is not a redis:// URL")
		}
		rc = redis.NewClient(opt)
		a.closeRedis = rc.Close
		a.apq = persisted.NewRedisCache(rc, 24*time.Hour)
	}
	if a.cfg.RateLimits {
		a.resolver.Limits = throttle.New(nil).Observe(a.metrics)
		if rc != nil {
			// Replicas share one budget; a Redis failure falls back to
			// this replica's buckets, counted in /metrics.
			a.resolver.Limits.Share(rc, "guichet:throttle:")
		}
	}
	if err := a.openLive(ctx); err != nil {
		a.Close()
		return nil, err
	}
	// Public catalogue answers are served from memory and made cacheable by
	// CDNs; the policy's lists disagreeing with the schema is a build mistake.
	a.responses, err = respcache.New(generated.NewExecutableSchema(generated.Config{}).Schema(), a.store,
		respcache.Options{MaxBytes: a.cfg.ResponseCacheBytes, MaxAge: a.cfg.PublicMaxAge, Observer: a.metrics,
			MaxBodyBytes: a.maxBodyBytes(), TokenLimit: graph.ParserTokenLimit, LiveGeneration: a.sources.Seats.Generation})
	if err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Handler is the whole HTTP surface of Guichet.
func (a *app) Handler() http.Handler {
	mux := http.NewServeMux()
	keys := graph.NewKeys(a.cfg.APIKeys)
	keys.ProxyHops = a.cfg.ProxyHops
	keys.SetRouterSecret(a.cfg.RouterSecret)
	maxBody := a.maxBodyBytes()
	gql := graph.NewHandler(a.resolver, graph.Options{Introspection: a.cfg.Introspection, APQ: a.apq, Persisted: a.persisted,
		Limits: a.requestLimits(), MaxComplexity: a.cfg.MaxComplexity, MaxBodyBytes: maxBody, RouterOnly: a.cfg.RouterSecret != "",
		Extensions: []graphql.HandlerExtension{obs.GraphQL{Metrics: a.metrics, Logger: a.log}},
		Live:       &graph.LiveOptions{Hub: a.live.hub, Keys: keys, Sources: a.sources, Origins: originHosts(a.cfg.CORSOrigins)}})
	mux.Handle("/graphql", route.GraphQL{Executor: gql, Keys: keys, Sources: a.sources, Hub: a.live.hub,
		Cache: a.responses, MaxBodyBytes: maxBody}.Handler())
	if a.live.receiver != nil {
		mux.Handle(hooks.Prefix, a.live.receiver)
	}
	if a.cfg.AdminAddr == "" {
		mux.Handle("GET /metrics", a.metrics.Handler())
	}
	a.health(mux)
	if a.cfg.Playground {
		pg := playground.Handler("/graphql")
		mux.Handle("GET /{$}", pg)
		mux.Handle("GET /playground/", pg)
	}
	// Outermost first: the request id exists before CORS answers a
	// preflight and before the access log writes its line.
	return obs.RequestID(route.CORS(a.cfg.CORSOrigins, obs.AccessLog(a.log, mux)))
}

// announce logs where to reach the server and, in sandbox mode only, the
// demo credentials.
func (a *app) announce(addr net.Addr) {
	host := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = fmt.Sprintf("localhost:%d", tcp.Port)
	}
	attrs := []any{"addr", addr.String(), "config", a.cfg.String(), "sandboxes", a.sandboxes.names()}
	if a.cfg.Playground {
		attrs = append(attrs, "graphiql", "http://"+host+"/")
	}
	a.log.Info("guichet listening", attrs...)
	if sb := a.sandboxes; sb != nil && (sb.Ticketing != nil || sb.CRM != nil) {
		var attrs []any
		if sb.Ticketing != nil {
			attrs = append(attrs, "billetterie", sb.Ticketing.BaseURL)
		}
		if sb.CRM != nil {
			attrs = append(attrs, "aboweb", sb.CRM.Endpoint)
		}
		a.log.Info("sandbox backends", attrs...)
	}
	a.announceLive("http://" + host)
	if key := a.sandboxes.demoKey(); key != "" {
		fmt.Printf("\nSandbox mode. Demo back-office key: Authorization: Bearer %s\n", key)
	}
	if a.sandboxes.ticketing() != nil {
		fmt.Printf("Demo website account: %s / %s\n", fixture.DemoEmail, fixture.DemoPassword)
	}
	if a.cfg.Playground {
		fmt.Printf("GraphiQL: http://%s/\n\n", host)
	}
}

// Close stops background work and the sandboxes.
func (a *app) Close() {
	if a.live != nil {
		a.live.close()
	}
	a.sync.Stop()
	a.closePersist()
	if a.closeRedis != nil {
		a.closeRedis()
	}
	a.back.Close()
	a.sandboxes.Close()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// showOf finds a performance's show in the served catalogue, so live seat
// counts of one show can be fetched in one call.
func (a *app) showOf(performanceID string) string {
	if snap := a.store.Current(); snap != nil {
		if p := snap.Performance(performanceID); p != nil {
			return p.ShowID
		}
	}
	return ""
}

// health adds the probes, served on the API port and the admin port alike.
func (a *app) health(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		switch {
		case a.draining.Load():
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "draining")
		case !a.sync.Ready():
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "catalogue not loaded yet")
		default:
			fmt.Fprintln(w, "ready")
		}
	})
}

// AdminHandler is the platform's side (GUICHET_ADMIN_ADDR): metrics, probes
// and, when asked for, pprof; none of it reachable from the API port.
func (a *app) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.Handler())
	a.health(mux)
	if a.cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	return mux
}
