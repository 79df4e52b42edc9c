package app

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/graph/model"
	"github.com/guichet/guichet/upstream"
)

// ticketing is the L@billetterie side: the client and its box-office view.
type ticketing struct {
	client    *billetterie.Client
	boxOffice billetterie.BoxOffice
}

// openTicketing builds the client over shared, the pool of every back
// office, through the ticketing system's own resilient transport.
func (b *backends) openTicketing(cfg config.Config, shared *http.Client, logger *slog.Logger) error {
	pol := policyFor(cfg)
	httpClient := b.resilient(shared, upstream.Billetterie, pol)
	c, err := billetterie.New(billetterie.Config{
		BaseURL: cfg.BilletterieURL, Login: cfg.BilletterieLogin, Password: cfg.BilletteriePassword, Client: cfg.BilletterieClient,
		APIURL: cfg.BilletterieAPIURL, APILogin: cfg.BilletterieAPILogin, APIKey: cfg.BilletterieAPIKey, PwdKey: cfg.BilletteriePwdKey,
		HTTPClient: httpClient, Timeout: pol.Budget,
	})
	if err != nil {
		return err
	}
	b.ticketing = &ticketing{client: c, boxOffice: billetterie.BoxOffice{C: c}}
	b.links = &siteLinks{l: billetterie.Links{Base: c.SiteURL(), Lang: 1}}
	return nil
}

// siteLinks adapts the deep-link builder to what the resolvers need.
// The catalogue's links depend on the item's id alone, and a listing asks
// for the same show's link once per performance: building one costs a
// url.Values and eight allocations (a fifth of an uncached listing's), so
// they are kept, up to maxCachedLinks per kind (the catalogue's size;
// past it links are built on every call).
type siteLinks struct {
	l                     billetterie.Links
	shows, passes, things linkCache
}

const maxCachedLinks = 20000

// linkCache remembers the link of an id; safe for concurrent use.
type linkCache struct {
	m sync.Map // id → link
	n atomic.Int64
}

func (c *linkCache) get(id string, build func(string) string) string {
	if v, ok := c.m.Load(id); ok {
		return v.(string)
	}
	link := build(id)
	if c.n.Load() < maxCachedLinks {
		if _, loaded := c.m.LoadOrStore(id, link); !loaded {
			c.n.Add(1)
		}
	}
	return link
}

func (s *siteLinks) ShowURL(id string) string {
	return s.shows.get(id, func(id string) string { return s.l.Show(id, "", "") })
}
func (s *siteLinks) PassURL(id string) string {
	return s.passes.get(id, func(id string) string { return s.l.Pass(id, "") })
}
func (s *siteLinks) ArticleURL(id string) string {
	return s.things.get(id, func(id string) string { return s.l.Article(id, "") })
}
func (s *siteLinks) AccountURLs(token string) model.AccountLinks {
	return model.AccountLinks{
		Account: s.l.AccountHome(token), Details: s.l.Details(token), Password: s.l.ChangePassword(token),
		Orders: s.l.Orders(token), Tickets: s.l.UpcomingEvents(token), Basket: s.l.Basket(token), Logout: s.l.Home(token),
	}
}
