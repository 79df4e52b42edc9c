package app

import (
	"log/slog"
	"net/http"

	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/graph/model"
	"github.com/guichet/guichet/sandbox"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/upstream"
)

// ticketing is the L@billetterie side: the client and its box-office view.
type ticketing struct {
	client *billetterie.Client
	box    boxoffice.Billetterie
}

// openTicketing builds the client over shared, the pool of every back
// office, through the ticketing system's own resilient transport.
func (b *backends) openTicketing(cfg *config.Config, shared *http.Client, logger *slog.Logger) error {
	if cfg.BilletterieSandbox() {
		sc := bilsandbox.DefaultConfig()
		sc.Quirks = cfg.SandboxQuirks
		sb := bilsandbox.New(sc)
		run, err := sandbox.Serve("127.0.0.1:0", sb)
		if err != nil {
			return err
		}
		b.closers = append(b.closers, run.Close)
		b.billetterieSandbox, b.billetterieSandboxURL = sb, run.URL+"/"
		b.sandboxes = append(b.sandboxes, "billetterie")
		cfg.BilletterieURL, cfg.BilletterieLogin, cfg.BilletteriePassword, cfg.BilletterieClient = run.URL+"/", sc.Login, sc.Password, sc.Client
		cfg.BilletterieAPIURL, cfg.BilletterieAPILogin, cfg.BilletterieAPIKey, cfg.BilletteriePwdKey = run.URL+"/", sc.APILogin, sc.APIKey, sc.PwdKey
	}
	httpClient, guard := b.guard(shared, upstream.Billetterie)
	b.billetterieUpstream = guard
	c, err := billetterie.New(billetterie.Config{
		BaseURL: cfg.BilletterieURL, Login: cfg.BilletterieLogin, Password: cfg.BilletteriePassword, Client: cfg.BilletterieClient,
		APIURL: cfg.BilletterieAPIURL, APILogin: cfg.BilletterieAPILogin, APIKey: cfg.BilletterieAPIKey, PwdKey: cfg.BilletteriePwdKey,
		HTTPClient: httpClient, Timeout: cfg.UpstreamTimeout,
	})
	if err != nil {
		return err
	}
	b.tickets = &ticketing{client: c, box: boxoffice.Billetterie{C: c}}
	b.links = &siteLinks{l: billetterie.Links{Base: c.SiteURL(), Lang: 1}}
	return nil
}

// siteLinks adapts the deep-link builder to what the resolvers need.
type siteLinks struct{ l billetterie.Links }

func (s *siteLinks) ShowURL(id string) string    { return s.l.Show(id, "", "") }
func (s *siteLinks) PassURL(id string) string    { return s.l.Pass(id, "") }
func (s *siteLinks) ArticleURL(id string) string { return s.l.Article(id, "") }
func (s *siteLinks) AccountURLs(token string) model.AccountLinks {
	return model.AccountLinks{
		Account: s.l.AccountHome(token), Details: s.l.Details(token), Password: s.l.ChangePassword(token),
		Orders: s.l.Orders(token), Tickets: s.l.UpcomingEvents(token), Basket: s.l.Basket(token), Logout: s.l.Home(token),
	}
}
