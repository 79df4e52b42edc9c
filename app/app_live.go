package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/hooks"
	"github.com/guichet/guichet/live"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/redis/go-redis/v9"
)

// livePipeline carries the vendor's pushes to the subscriptions:
// hook endpoint → durable log → applied once → bus (every replica) → hub.
type livePipeline struct {
	hub      *live.Hub
	bus      live.Bus
	receiver *hooks.Receiver // nil: no push endpoint (no secret)
	log      hooks.Log
	rc       *redis.Client
	stop     context.CancelFunc
	wg       sync.WaitGroup
}

// stallHookProcessing, set by the crash test's child process only, keeps
// logged pushes from being applied (as if the process died right after
// acknowledging them).
var stallHookProcessing bool

func (a *app) openLive(ctx context.Context) error {
	p := &livePipeline{}
	p.hub = live.NewHub(a.sources.Seats, live.Options{PerConn: a.cfg.SubscriptionsPerConn, PerIP: a.cfg.SubscriptionsPerIP, ReadRate: a.cfg.WebSocketReadRate, Logger: a.log})
	p.hub.Register(a.metrics.Registry())
	a.sources.Seats.Observe = p.hub.Observed
	a.resolver.Live = p.hub
	if a.cfg.RedisURL != "" {
		opt, err := redis.ParseURL(a.cfg.RedisURL)
		if err != nil {
			return fmt.Errorf("GUICHET_REDIS_URL is not a redis:// URL")
		}
		p.rc = redis.NewClient(opt)
		p.bus = &live.RedisBus{RC: p.rc, Logger: a.log}
	} else {
		p.bus = &live.LocalBus{}
	}
	if a.cfg.HookSecret != "" {
		var err error
		if p.rc != nil {
			p.log, err = hooks.OpenRedisLog(ctx, p.rc)
		} else {
			p.log, err = hooks.OpenFileLog(filepath.Join(a.cfg.DataDir, "hooks"))
		}
		if err != nil {
			p.close()
			return err
		}
		allow, err := hooks.ParseCIDRs(strings.Join(a.cfg.HookAllow, ","))
		if err != nil {
			p.close()
			return err
		}
		p.receiver, err = hooks.NewReceiver(hooks.Options{Secret: a.cfg.HookSecret, Allow: allow, Log: p.log,
			Apply: p.apply, Logger: a.log, Registry: a.metrics.Registry()})
		if err != nil {
			p.close()
			return err
		}
	}
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	p.stop = stop
	p.wg.Add(1)
	go func() { defer p.wg.Done(); p.bus.Listen(runCtx, p.hub.Apply) }()
	if p.receiver != nil && !stallHookProcessing {
		p.wg.Add(1)
		go func() { defer p.wg.Done(); p.receiver.Run(runCtx) }()
	}
	a.live = p
	return nil
}

// apply publishes one push to every replica: the performances an order
// names lose their cached seat counts everywhere, and the subscribers hear
// of the order or the card.
func (p *livePipeline) apply(ctx context.Context, push boxoffice.Push) error {
	var e live.Event
	if push.Order != nil {
		e.Order, e.Seats = push.Order, push.Order.PerformanceIDs()
	}
	e.Card = push.Card
	return p.bus.Publish(ctx, e)
}

func (p *livePipeline) close() {
	if p.stop != nil {
		p.stop()
	}
	p.hub.Drain()
	p.wg.Wait()
	if p.log != nil {
		p.log.Close()
	}
	if p.rc != nil {
		p.rc.Close()
	}
}

// hookURLs are the push URLs of this Guichet at base (http://host:port).
func (a *app) hookURLs(base string) bilsandbox.Callbacks {
	root := strings.TrimSuffix(base, "/") + "/hooks/billetterie/" + a.cfg.HookSecret + "/"
	return bilsandbox.Callbacks{Order: root + "purchase", Card: root + "card"}
}

// wireSandboxPushes points the embedded ticketing sandbox's pushes at this
// Guichet, so a simulated sale reaches the subscriptions out of the box.
func (a *app) wireSandboxPushes(base string) {
	if sb := a.sandboxes.ticketing(); sb != nil && a.cfg.HookSecret != "" {
		sb.SetCallbacks(a.hookURLs(base))
	}
}

// originHosts turns the CORS origins into the host patterns the WebSocket
// origin check takes (https://www.theatre.fr → www.theatre.fr).
func originHosts(origins []string) []string {
	var out []string
	for _, o := range origins {
		if _, host, ok := strings.Cut(o, "://"); ok {
			o = host
		}
		out = append(out, o)
	}
	return out
}

// announceLive wires the sandbox's pushes to this server and, in sandbox
// mode, says how to see a live subscription.
func (a *app) announceLive(base string) {
	a.wireSandboxPushes(base)
	sb := a.sandboxes.ticketing()
	if sb == nil || a.cfg.HookSecret == "" {
		return
	}
	seed := sb.Seed()
	// A performance still to come: the ticketing system sells no past one.
	_, perf, ok := seed.Upcoming()
	if !ok {
		return
	}
	fmt.Printf("\nLive demo: in GraphiQL run\n  subscription { seatsChanged(performanceIds: [%q]) { performanceId availability { seatsLeft } } }\n"+
		"then simulate a sale:\n  curl -X POST %s/_sandbox/purchase -d '{\"id_contact\": %d, \"id_rep\": %q, \"qtte\": 2}'\n",
		perf, a.sandboxes.Ticketing.URL, seed.DemoContactID, perf)
}
