// Package graph holds Guichet's GraphQL resolvers (one file per schema file)
// on top of the code gqlgen generates into graph/generated. Resolvers ask
// domain questions of the catalogue store, the loaders and the clients; they
// never build wire requests themselves.
package graph

import (
	"context"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/graph/model"
	"github.com/guichet/guichet/live"
	"github.com/guichet/guichet/throttle"
)

// Links builds the sales site's public pages for catalogue items.
type Links interface {
	// AccountURLs are the sales site pages of a signed-in visitor.
	AccountURLs(token string) model.AccountLinks
	ShowURL(showID string) string
	PassURL(passID string) string
	ArticleURL(articleID string) string
}

// Resolver is the root of dependency injection: one per server.
type Resolver struct {
	CRM       crm.Service         // subscribers (AboWeb)
	BoxOffice boxoffice.Service   // L@billetterie: people and sales
	Relations boxoffice.Relations // L@billetterie: organisations and lists
	Catalogue *catalogue.Store
	Sync      CatalogueSync // nil: catalogueStatus reports the store only
	Links     Links
	Limits    *throttle.Limiter // nil: nothing throttled
	Live      *live.Hub         // nil: subscriptions are off
}

// throttle takes one attempt of a sensitive action for the caller's IP and
// the account it targets.
func (r *Resolver) throttle(ctx context.Context, action, account string) error {
	return r.Limits.Allow(action, CallerFrom(ctx).IP, account)
}

// CatalogueSync is the catalogue syncer as the back office sees it.
type CatalogueSync interface {
	Status() catalogue.SyncStatus
	Full(ctx context.Context) error
	Pull(ctx context.Context) error
}

// snapshot returns the catalogue being served, or an Unavailable error
// before the first load completed.
func (r *Resolver) snapshot() (*catalogue.Snapshot, error) {
	if s := r.Catalogue.Current(); s != nil {
		return s, nil
	}
	return nil, errs.E(errs.Op("catalogue"), errs.Unavailable, errs.Msg("the catalogue is not loaded yet"))
}
