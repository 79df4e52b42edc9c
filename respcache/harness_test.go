package respcache_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/guichet/guichet/app/route"
	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/graph/generated"
	"github.com/guichet/guichet/graph/loaders"
	"github.com/guichet/guichet/graph/model"
	"github.com/guichet/guichet/internal/apitest"
	"github.com/guichet/guichet/respcache"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

const backOfficeKey = "test-key-0123456789abcdef"

// fakeBox is the ticketing back office as the loaders see it, counting the
// calls that must not be skipped by the cache. Methods a test does not
// expect panic through the nil embedded interface (and gqlgen recovers).
type fakeBox struct {
	boxoffice.Service
	seats, me, contact atomic.Int64
}

func (f *fakeBox) SeatsLeft(_ context.Context, id string) (int, error) {
	f.seats.Add(1)
	return 42, nil
}

func (f *fakeBox) CreateSession(context.Context) (*boxoffice.Session, error) {
	return &boxoffice.Session{Token: "fresh", Active: true}, nil
}

func (f *fakeBox) Session(_ context.Context, token string) (*boxoffice.Session, error) {
	return &boxoffice.Session{Token: token, Active: true, LoggedIn: true, ContactID: "c-" + token, Remaining: time.Hour}, nil
}

func (f *fakeBox) Me(_ context.Context, token string) (*boxoffice.Contact, error) {
	f.me.Add(1)
	return &boxoffice.Contact{ID: "c-" + token, Email: token + "@exemple.fr"}, nil
}

func (f *fakeBox) Contact(_ context.Context, id string) (*boxoffice.Contact, error) {
	f.contact.Add(1)
	return &boxoffice.Contact{ID: id, Email: "fiche-" + id + "@exemple.fr"}, nil
}

type links struct{}

func (links) AccountURLs(string) model.AccountLinks { return model.AccountLinks{} }
func (links) ShowURL(id string) string              { return "https://billetterie.example.fr/spectacle?id=" + id }
func (links) PassURL(id string) string              { return "https://billetterie.example.fr/abonnement?id=" + id }
func (links) ArticleURL(id string) string           { return "https://billetterie.example.fr/boutique?id=" + id }

// season is a catalogue of n shows with six performances each, two venues
// and one price grid; title tells two snapshots apart.
func season(version, title string, n int) *catalogue.Snapshot {
	paris, _ := time.LoadLocation("Europe/Paris")
	start := time.Date(2026, 10, 1, 20, 30, 0, 0, paris)
	p := catalogue.Parts{
		Venues: []*catalogue.Venue{
			{ID: "SITE", Name: "Théâtre de la Croix-Rousse", Address: "Place Joannès Ambre", City: "Lyon"},
			{ID: "SALLE", Name: "Grande salle", ParentID: "SITE"},
		},
		Grids: []*catalogue.PriceGrid{{Label: "G1", Prices: []catalogue.Price{
			{Category: "Plein tarif", Zone: "Parterre", Amount: catalogue.EUR(2800), Fee: catalogue.EUR(150)},
			{Category: "Tarif réduit", Zone: "Parterre", Amount: catalogue.EUR(1800), Fee: catalogue.EUR(150)},
		}}},
		Passes:   []*catalogue.Pass{{ID: "AB1", Name: "Abonnement 4 spectacles", Kind: catalogue.Subscription, Prices: []catalogue.Price{{Category: "Plein", Amount: catalogue.EUR(8000)}}}},
		Articles: []*catalogue.Article{{ID: "CAD", Name: "Carte cadeau", Price: catalogue.EUR(3000), GiftVoucher: true}},
	}
	for i := range n {
		sh := &catalogue.Show{ID: fmt.Sprintf("S%02d", i+1), Title: fmt.Sprintf("%s %d", title, i+1), Subtitle: "Compagnie du Rhône",
			Type: "THEATRE", Description: "Une pièce en un acte, jouée six soirs."}
		for j := range 6 {
			sh.Performances = append(sh.Performances, &catalogue.Performance{ID: fmt.Sprintf("P%02d-%d", i+1, j+1), ShowID: sh.ID,
				StartsAt: start.AddDate(0, 0, 7*i+j), Duration: 95 * time.Minute, VenueID: "SALLE", GridLabel: "G1"})
		}
		p.Shows = append(p.Shows, sh)
	}
	return catalogue.New(version, time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC), p)
}

// harness is the /graphql route of the app (app/route) over a fake back
// office, with a counter of the requests that reached the executor.
type harness struct {
	t        testing.TB
	store    *catalogue.Store
	box      *fakeBox
	cache    *respcache.Cache
	h        http.Handler // with the cache
	plain    http.Handler // the same route without it
	executed atomic.Int64
	during   func() // runs inside the executor's turn, e.g. to swap a snapshot mid-request
}

func newHarness(t testing.TB, o respcache.Options) *harness {
	t.Helper()
	hs := &harness{t: t, store: &catalogue.Store{}, box: &fakeBox{}}
	hs.store.Swap(season("v1", "Spectacle", 20))
	r := &graph.Resolver{Catalogue: hs.store, BoxOffice: hs.box, Links: links{}}
	gql := graph.NewHandler(r, graph.Options{Introspection: true, Extensions: []graphql.HandlerExtension{executions{hs}}})
	c, err := respcache.New(generated.NewExecutableSchema(generated.Config{}).Schema(), hs.store, o)
	if err != nil {
		t.Fatal(err)
	}
	hs.cache = c
	gr := route.GraphQL{Executor: gql, Keys: graph.NewKeys([]string{backOfficeKey}), Sources: loaders.Sources{BoxOffice: hs.box}}
	hs.plain = gr.Handler()
	gr.Cache = c
	hs.h = gr.Handler()
	return hs
}

// executions counts the requests the executor takes up (before parsing,
// so refused ones count too).
type executions struct{ hs *harness }

func (executions) ExtensionName() string                   { return "test executions" }
func (executions) Validate(graphql.ExecutableSchema) error { return nil }
func (e executions) MutateOperationParameters(context.Context, *graphql.RawParams) *gqlerror.Error {
	e.hs.executed.Add(1)
	if e.hs.during != nil {
		e.hs.during()
	}
	return nil
}

func defaultOptions() respcache.Options {
	return respcache.Options{MaxBytes: 64 << 20, MaxAge: 60}
}

// req is one GraphQL request.
type req = apitest.Request

func (hs *harness) do(q req) *httptest.ResponseRecorder {
	hs.t.Helper()
	w := httptest.NewRecorder()
	hs.h.ServeHTTP(w, q.HTTP(hs.t, ""))
	return w
}

// direct runs q through the route without the cache.
func (hs *harness) direct(q req) *httptest.ResponseRecorder {
	hs.t.Helper()
	w := httptest.NewRecorder()
	hs.plain.ServeHTTP(w, q.HTTP(hs.t, ""))
	return w
}
