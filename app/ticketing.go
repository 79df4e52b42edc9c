package app

import (
	"log/slog"
	"net/http"

	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/graph/model"
	"github.com/guichet/guichet/internal/memo"
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
	b.links = newSiteLinks(billetterie.Links{Base: c.SiteURL(), Lang: 1})
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
	shows, passes, things memo.Bounded[string, string]
}

// maxCachedLinks bounds the links kept per kind (the catalogue's size).
const maxCachedLinks = 20000

func newSiteLinks(l billetterie.Links) *siteLinks {
	s := &siteLinks{l: l}
	s.shows.Max, s.passes.Max, s.things.Max = maxCachedLinks, maxCachedLinks, maxCachedLinks
	return s
}

func (s *siteLinks) ShowURL(id string) string {
	return s.shows.Get(id, func(id string) string { return s.l.Show(id, "", "") })
}
func (s *siteLinks) PassURL(id string) string {
	return s.passes.Get(id, func(id string) string { return s.l.Pass(id, "") })
}
func (s *siteLinks) ArticleURL(id string) string {
	return s.things.Get(id, func(id string) string { return s.l.Article(id, "") })
}
func (s *siteLinks) AccountURLs(token string) model.AccountLinks {
	return model.AccountLinks{
		Account: s.l.AccountHome(token), Details: s.l.Details(token), Password: s.l.ChangePassword(token),
		Orders: s.l.Orders(token), Tickets: s.l.UpcomingEvents(token), Basket: s.l.Basket(token), Logout: s.l.Home(token),
	}
}
