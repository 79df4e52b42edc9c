package main

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/soap"
)

// direct is the "no gateway" alternative: what a venue's website does when
// it calls the back offices itself on every page view, parsing their
// formats each time, with no cache. It is served in its own process so its
// CPU and memory are measured apart from the load generator's.
type direct struct {
	bil      *billetterie.Client
	crm      *soap.Client
	http     *http.Client
	base     string
	creds    url.Values
	maxShows int
}

func newDirect(env func(string) string) (*direct, error) {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: 90 * time.Second}}
	bil, err := billetterie.New(billetterie.Config{BaseURL: env("BILLETTERIE_URL"), Login: env("BILLETTERIE_LOGIN"),
		Password: env("BILLETTERIE_PASSWORD"), Client: env("BILLETTERIE_CLIENT"), HTTPClient: hc})
	if err != nil {
		return nil, err
	}
	crm, err := soap.New(soap.Config{URL: env("ABOWEB_URL"), Username: env("ABOWEB_USERNAME"), Password: env("ABOWEB_PASSWORD"), HTTPClient: hc})
	if err != nil {
		return nil, err
	}
	creds := url.Values{"x_rsi_ws_login": {env("BILLETTERIE_LOGIN")}, "x_rsi_ws_mdp": {env("BILLETTERIE_PASSWORD")}, "x_rsi_client": {env("BILLETTERIE_CLIENT")}}
	return &direct{bil: bil, crm: crm, http: hc, base: strings.TrimSuffix(env("BILLETTERIE_URL"), "/") + "/", creds: creds, maxShows: 20}, nil
}

func (d *direct) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /listing", d.listing)
	mux.HandleFunc("GET /show/{id}", d.show)
	mux.HandleFunc("GET /account", d.account)
	mux.HandleFunc("GET /paid-by", d.paidBy)
	mux.HandleFunc("GET /subscriber/{code}", d.subscriber)
	return mux
}

type price struct {
	Category string `json:"category"`
	Zone     string `json:"zone,omitempty"`
	Total    int64  `json:"totalCents"`
}

type perfOut struct {
	ID        string  `json:"id"`
	StartsAt  string  `json:"startsAt"`
	Venue     string  `json:"venue"`
	Prices    []price `json:"prices"`
	SeatsLeft *int    `json:"seatsLeft,omitempty"`
	SoldOut   *bool   `json:"soldOut,omitempty"`
}

type showOut struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Subtitle     string    `json:"subtitle,omitempty"`
	Type         string    `json:"type,omitempty"`
	Description  string    `json:"description,omitempty"`
	Venue        string    `json:"venue,omitempty"`
	City         string    `json:"city,omitempty"`
	Performances []perfOut `json:"performances"`
}

// shape turns one parsed flux into the page's data, as a site template
// would: rooms and grids by key, performances in time order.
func shape(fl *billetterie.Flux, sp billetterie.Spectacle, live bool) showOut {
	rooms := map[string]billetterie.Salle{}
	for _, s := range fl.Salles {
		rooms[s.ID] = s
	}
	grids := map[string]billetterie.Grille{}
	for _, g := range fl.Grilles {
		grids[g.Libelle] = g
	}
	out := showOut{ID: sp.Ident, Title: sp.Nom, Subtitle: sp.TitreLibre1, Type: sp.Type, Description: sp.Description}
	reps := slices.SortedFunc(slices.Values(sp.Representations), func(a, b billetterie.Representation) int { return a.Debut.Compare(b.Debut) })
	for i, r := range reps {
		room := rooms[r.Salle]
		if i == 0 {
			out.Venue, out.City = room.Nom, room.Ville
		}
		p := perfOut{ID: r.Ident, StartsAt: r.Debut.Format(time.RFC3339), Venue: room.Nom, Prices: []price{}}
		for _, t := range grids[cmp.Or(r.GrilleWeb, r.Grille)].Tarifs {
			p.Prices = append(p.Prices, price{Category: t.Categorie, Zone: t.Zone, Total: int64(t.Prix + t.Frais)})
		}
		if live {
			n := max(r.Dispo, 0)
			sold := n == 0
			p.SeatsLeft, p.SoldOut = &n, &sold
		}
		out.Performances = append(out.Performances, p)
	}
	return out
}

// listing: one ws_programmation per page view, the whole flux parsed.
func (d *direct) listing(w http.ResponseWriter, r *http.Request) {
	fl, err := d.bil.Programmation(r.Context(), billetterie.ProgrammationFilter{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	first := func(s billetterie.Spectacle) time.Time {
		if len(s.Representations) == 0 {
			return time.Time{}
		}
		return slices.MinFunc(s.Representations, func(a, b billetterie.Representation) int { return a.Debut.Compare(b.Debut) }).Debut
	}
	shows := slices.SortedStableFunc(slices.Values(fl.Spectacles), func(a, b billetterie.Spectacle) int { return first(a).Compare(first(b)) })
	out := make([]showOut, 0, d.maxShows)
	for _, sp := range shows[:min(d.maxShows, len(shows))] {
		out = append(out, shape(fl, sp, false))
	}
	writeJSON(w, map[string]any{"shows": out, "count": len(out), "hasNextPage": len(shows) > len(out)})
}

// show: one ws_det_spectacle per page view (its flux carries the rooms,
// grids and live seat counts).
func (d *direct) show(w http.ResponseWriter, r *http.Request) {
	form := url.Values{"id_spectacle": {r.PathValue("id")}}
	for k, v := range d.creds {
		form[k] = v
	}
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, d.base+"ws_det_spectacle", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := d.http.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	fl, err := billetterie.Collect(res.Body)
	if err != nil || len(fl.Spectacles) != 1 {
		http.Error(w, "ws_det_spectacle: no show", http.StatusBadGateway)
		return
	}
	writeJSON(w, map[string]any{"show": shape(fl, fl.Spectacles[0], true)})
}

// account: the contact of the session, then its tickets, cards and order
// lines, the three in parallel (kinder to the direct site than the
// sequential calls of a typical PHP page).
func (d *direct) account(w http.ResponseWriter, r *http.Request) {
	ctx, token := r.Context(), r.Header.Get("X-Session-Token")
	ci, err := d.bil.InfoContactSession(ctx, token)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	var (
		wg      sync.WaitGroup
		tickets *billetterie.Telechargements
		cards   []billetterie.CarteHistorique
		lines   []billetterie.DetailCaddy
		e1, e2  error
		e3      error
	)
	wg.Add(3)
	go func() { defer wg.Done(); tickets, e1 = d.bil.InfoTelechargement(ctx, token) }()
	go func() {
		defer wg.Done()
		cards, e2 = d.bil.HistoriqueContact(ctx, token, billetterie.HistoriqueFilter{})
	}()
	go func() { defer wg.Done(); lines, e3 = d.bil.RecapAchat(ctx, ci.IDContact.String()) }()
	wg.Wait()
	if err := cmp.Or(e1, e2, e3); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, map[string]any{"me": map[string]any{"id": ci.IDContact, "firstName": ci.Surname, "lastName": ci.Name, "email": ci.Mail,
		"tickets": tickets, "cards": cards, "orderLines": lines}})
}

type subOut struct {
	Code      int     `json:"code"`
	Email     string  `json:"email,omitempty"`
	FirstName string  `json:"firstName,omitempty"`
	LastName  string  `json:"lastName,omitempty"`
	Type      int     `json:"type"`
	Payer     *subOut `json:"payer,omitempty"`
}

func sub(s *crm.Subscriber) *subOut {
	return &subOut{Code: s.Code, Email: s.Email, FirstName: s.FirstName, LastName: s.LastName, Type: int(s.Type)}
}

// paidBy: the first page of PAID_BY subscribers, then getClient for each
// one's payer, all in parallel and without de-duplication: the naive fan-out
// of a hand-written back-office page.
func (d *direct) paidBy(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	page, err := d.crm.FindClientsPage(ctx, crm.Filter{Type: crm.TypeOf(crm.TypePaidBy)}, 0)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out := make([]*subOut, len(page))
	errs := make([]error, len(page))
	var wg sync.WaitGroup
	for i, s := range page {
		out[i] = sub(s)
		if s.PayerCode == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := d.crm.GetClient(ctx, s.PayerCode)
			if err != nil {
				errs[i] = err
				return
			}
			out[i].Payer = sub(p)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
	}
	writeJSON(w, map[string]any{"items": out})
}

func (d *direct) subscriber(w http.ResponseWriter, r *http.Request) {
	code, err := strconv.Atoi(r.PathValue("code"))
	if err != nil {
		http.Error(w, "bad code", http.StatusBadRequest)
		return
	}
	s, err := d.crm.GetClient(r.Context(), code)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, map[string]any{"subscriber": sub(s)})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// serveChild runs a server of this benchmark (direct calls or the static
// ceiling) as its own process, on the address in BENCH_ADDR, until killed.
func serveChild(mode string) error {
	var h http.Handler
	switch mode {
	case "direct":
		d, err := newDirect(envOS)
		if err != nil {
			return err
		}
		h = d.routes()
	case "static":
		h = staticHandler(envOS("BENCH_STATIC_FILE"), envOS("BENCH_STATIC_SHORT_FILE"))
	default:
		return errUnknownMode(mode)
	}
	srv := &http.Server{Addr: envOS("BENCH_ADDR"), Handler: h, ReadHeaderTimeout: 5 * time.Second}
	return srv.ListenAndServe()
}
