package billetterie

import (
	"net/url"
	"strconv"
)

// Links builds deep links into the venue's sales site (spec section 3).
// Every link carries the common options set here; the session token is
// added only when not empty.
type Links struct {
	Base       string // the sales site, with a trailing slash
	Lang       int    // lng: 1 French, 2 English…; 0 leaves it out
	Option     string // x_rsi_option: campaign tag
	Provenance string // x_rsi_provenance
	IFrame     bool   // x_rsi_iframe=1 when the site is framed
}

// LinkFilter narrows a catalogue page; set fields become filtre=1&…
type LinkFilter struct {
	From, To    string // dd/mm/yyyy
	Category    string // categ
	City        string // ville
	Family      string // famille (shop, gift vouchers)
	Regroup     string // code_regroup (passes)
	ForceParams bool   // forcer_param=1: keep the filters on later pages
}

func (l Links) build(page, token string, params url.Values) string {
	if params == nil {
		params = url.Values{}
	}
	if l.Lang > 0 {
		params.Set("lng", strconv.Itoa(l.Lang))
	}
	if l.Option != "" {
		params.Set("x_rsi_option", l.Option)
	}
	if l.Provenance != "" {
		params.Set("x_rsi_provenance", l.Provenance)
	}
	if l.IFrame {
		params.Set("x_rsi_iframe", "1")
	}
	if token != "" {
		params.Set("x_rsi_token", token)
	}
	u := l.Base + page
	if q := params.Encode(); q != "" {
		u += "?" + q
	}
	return u
}

func (f *LinkFilter) values() url.Values {
	v := url.Values{}
	if f == nil {
		return v
	}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("date_debut", f.From)
	set("date_fin", f.To)
	set("categ", f.Category)
	set("ville", f.City)
	set("famille", f.Family)
	set("code_regroup", f.Regroup)
	if len(v) > 0 {
		v.Set("filtre", "1")
	}
	if f.ForceParams {
		v.Set("forcer_param", "1")
	}
	return v
}

// Catalogue pages.
func (l Links) ShowCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_spectacle", token, f.values())
}
func (l Links) FilmCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_films", token, f.values())
}
func (l Links) PassCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_abonnement", token, f.values())
}
func (l Links) ShopCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_boutique", token, f.values())
}
func (l Links) GiftVoucherCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_bc", token, f.values())
}
func (l Links) TicketArticleCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_article_billetterie", token, f.values())
}

// Item pages; performanceID may be empty (id_event picks one date).
func (l Links) Show(showID, performanceID, token string) string {
	v := url.Values{"id_spectacle": {showID}}
	if performanceID != "" {
		v.Set("id_event", performanceID)
	}
	return l.build("spectacle", token, v)
}
func (l Links) Film(filmID, eventID, token string) string {
	v := url.Values{"id_film": {filmID}}
	if eventID != "" {
		v.Set("id_event", eventID)
	}
	return l.build("film", token, v)
}
func (l Links) Pass(passID, token string) string {
	return l.build("abonnement", token, url.Values{"id_abonnement": {passID}})
}
func (l Links) PassGrid(passID, token string) string {
	return l.build("abonnement_grille", token, url.Values{"id_abonnement": {passID}})
}
func (l Links) Article(articleID, token string) string {
	return l.build("article", token, url.Values{"id_article": {articleID}})
}
func (l Links) GiftVoucher(articleID, token string) string {
	return l.build("bons_cadeaux", token, url.Values{"id_article": {articleID}})
}

// Account pages.
func (l Links) Home(token string) string        { return l.build("home", token, nil) }
func (l Links) AccountHome(token string) string { return l.build("account_home", token, nil) }
func (l Links) Details(token string) string     { return l.build("mes_coordonnees", token, nil) }
func (l Links) ChangePassword(token string) string {
	return l.build("modifier_mdp", token, nil)
}
func (l Links) BankDetails(token string) string { return l.build("coordonnees_bancaire", token, nil) }
func (l Links) UpcomingEvents(token string) string {
	return l.build("evenements_a_venir", token, nil)
}
func (l Links) PastEvents(token string) string { return l.build("evenements_passes", token, nil) }
func (l Links) Orders(token string) string     { return l.build("historique_commandes", token, nil) }
func (l Links) Loyalty(token string) string    { return l.build("espace_fidelite", token, nil) }
func (l Links) Proofs(token string) string     { return l.build("mes_justificatifs", token, nil) }
func (l Links) Basket(token string) string     { return l.build("basket", token, nil) }

// Connexion opens the sign-in page, with the login prefilled when given.
func (l Links) Connexion(login, token string) string {
	v := url.Values{}
	if login != "" {
		v.Set("creation_compte_identifiant", login)
	}
	return l.build("connexion", token, v)
}

// PasswordRetrieve opens the forgotten-password page.
func (l Links) PasswordRetrieve(login string) string {
	v := url.Values{}
	if login != "" {
		v.Set("identifiant", login)
	}
	return l.build("password_retrieve", "", v)
}

// Register opens the registration page.
func (l Links) Register(login string) string {
	v := url.Values{}
	if login != "" {
		v.Set("identifiant_creation", login)
	}
	return l.build("user_register", "", v)
}

// Newsletter opens the account creation form (newsletter sign-up).
func (l Links) Newsletter() string {
	return l.build("account_home", "", url.Values{"action_formulaire": {"creation"}})
}
