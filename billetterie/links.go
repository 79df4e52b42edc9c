package billetterie

import (
	"net/url"
	"strconv"
	"strings"
)

// Links builds deep links into the venue's sales site (spec section 3).
// Every link carries the common options set here; x_rsi_token is added only
// when not empty (3.15.2: it must never be sent empty).
type Links struct {
	Base       string // the sales site; a trailing slash is added if missing
	Lang       int    // lng (4.8): 1 French, 2 English…; 0 leaves it out
	Option     string // x_rsi_option: statistics tag (3.15.3)
	Provenance string // x_rsi_provenance: the framing page's origin (2.7.1.3)
	IFrame     string // x_rsi_iframe: a value echoed to the parent page (2.7.1.3)
}

// LinkFilter narrows a catalogue or a show page; any set filter adds
// filtre=1. Each page reads the parameters the spec lists for it.
type LinkFilter struct {
	From, To     string // date_debut, date_fin: dd/mm/yyyy, together (shows)
	Category     string // categ (shows, show page)
	Type         string // type (shows, show page)
	Type3, Type4 string // type3, type4 (show page)
	Room         string // salle (shows)
	City         string // ville (shows, films, film page)
	Family       string // famille (shop, gift vouchers, ticketing products)
	Public       string // categorie: CATEGORIE_WEB (passes)
	SecondaryOne string // categ_sec_un (passes)
	SecondaryTwo string // categ_sec_deux (passes)
	Regroup      string // code_regroup (passes)
	ShowQuantity bool   // affiche_selection_quantite=1 (shop, gift vouchers, ticketing products)
	ForceParams  bool   // forcer_param=1: keep the filters while browsing
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
	if l.IFrame != "" {
		params.Set("x_rsi_iframe", l.IFrame)
	}
	if strings.TrimSpace(token) != "" {
		params.Set("x_rsi_token", token)
	}
	base := l.Base
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	u := base + page
	if q := params.Encode(); q != "" {
		u += "?" + q
	}
	return u
}

// values keeps the filter parameters a page accepts.
func (f *LinkFilter) values(accepted ...string) url.Values {
	v := url.Values{}
	if f == nil {
		return v
	}
	all := map[string]string{"date_debut": f.From, "date_fin": f.To, "categ": f.Category, "type": f.Type, "type3": f.Type3,
		"type4": f.Type4, "salle": f.Room, "ville": f.City, "famille": f.Family, "categorie": f.Public,
		"categ_sec_un": f.SecondaryOne, "categ_sec_deux": f.SecondaryTwo, "code_regroup": f.Regroup}
	for _, k := range accepted {
		if k == "affiche_selection_quantite" {
			if f.ShowQuantity {
				v.Set(k, "1")
			}
			continue
		}
		if s := all[k]; s != "" {
			v.Set(k, s)
		}
	}
	if len(v) > 0 {
		v.Set("filtre", "1")
	}
	if f.ForceParams && len(v) > 0 {
		v.Set("forcer_param", "1")
	}
	return v
}

// ShowCatalogue is catalogue_spectacle (3.1).
func (l Links) ShowCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_spectacle", token, f.values("date_debut", "date_fin", "categ", "type", "salle", "ville"))
}

// FilmCatalogue is catalogue_films (3.2).
func (l Links) FilmCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_films", token, f.values("ville"))
}

// PassCatalogue is catalogue_abonnement (3.3).
func (l Links) PassCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_abonnement", token, f.values("categorie", "categ_sec_un", "categ_sec_deux", "code_regroup"))
}

// ShopCatalogue is catalogue_boutique (3.4).
func (l Links) ShopCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_boutique", token, f.values("famille", "affiche_selection_quantite"))
}

// GiftVoucherCatalogue is catalogue_bc (3.5); famille defaults to the
// spec's "Bon cadeaux" since the page requires it.
func (l Links) GiftVoucherCatalogue(f *LinkFilter, token string) string {
	g := LinkFilter{Family: "Bon cadeaux"}
	if f != nil {
		g = *f
		if g.Family == "" {
			g.Family = "Bon cadeaux"
		}
	}
	return l.build("catalogue_bc", token, g.values("famille", "affiche_selection_quantite"))
}

// TicketArticleCatalogue is catalogue_article_billetterie (3.6).
func (l Links) TicketArticleCatalogue(f *LinkFilter, token string) string {
	return l.build("catalogue_article_billetterie", token, f.values("famille", "affiche_selection_quantite"))
}

// Show is the show page (3.7); performanceID (id_event) opens one date.
func (l Links) Show(showID, performanceID, token string) string {
	return l.ShowFiltered(showID, performanceID, nil, token)
}

// ShowFiltered is Show with a filter of its performances (3.7.1.2).
func (l Links) ShowFiltered(showID, performanceID string, f *LinkFilter, token string) string {
	v := f.values("categ", "type", "type3", "type4")
	v.Set("id_spectacle", showID)
	if performanceID != "" {
		v.Set("id_event", performanceID)
	}
	return l.build("spectacle", token, v)
}

// Film is the film page (3.8); eventID (id_event) opens one screening.
func (l Links) Film(filmID, eventID, token string) string {
	return l.FilmFiltered(filmID, eventID, nil, token)
}

// FilmFiltered is Film with a city filter (3.8.1.2).
func (l Links) FilmFiltered(filmID, eventID string, f *LinkFilter, token string) string {
	v := f.values("ville")
	v.Set("id_film", filmID)
	if eventID != "" {
		v.Set("id_event", eventID)
	}
	return l.build("film", token, v)
}

// Pass is the pass page (3.9).
func (l Links) Pass(passID, token string) string {
	return l.build("abonnement", token, url.Values{"id_abonnement": {passID}})
}

// PassGrid is the pass page with seat choice (3.9.1.2).
func (l Links) PassGrid(passID, token string) string {
	return l.build("abonnement_grille", token, url.Values{"id_abonnement": {passID}})
}

// Article is the article page (3.10), also for ticketing products (3.12).
func (l Links) Article(articleID, token string) string {
	return l.build("article", token, url.Values{"id_article": {articleID}})
}

// GiftVoucher is the gift voucher page (3.11).
func (l Links) GiftVoucher(articleID, token string) string {
	return l.build("bons_cadeaux", token, url.Values{"id_article": {articleID}})
}

// Account pages (3.13) and other pages (3.14).
func (l Links) Home(token string) string           { return l.build("home", token, nil) }
func (l Links) AccountHome(token string) string    { return l.build("account_home", token, nil) }
func (l Links) Details(token string) string        { return l.build("mes_coordonnees", token, nil) }
func (l Links) ChangePassword(token string) string { return l.build("modifier_mdp", token, nil) }
func (l Links) BankDetails(token string) string    { return l.build("coordonnees_bancaire", token, nil) }
func (l Links) UpcomingEvents(token string) string { return l.build("evenements_a_venir", token, nil) }
func (l Links) PastEvents(token string) string     { return l.build("evenements_passes", token, nil) }
func (l Links) Orders(token string) string         { return l.build("historique_commandes", token, nil) }
func (l Links) Loyalty(token string) string        { return l.build("espace_fidelite", token, nil) }
func (l Links) Proofs(token string) string         { return l.build("mes_justificatifs", token, nil) }
func (l Links) Basket(token string) string         { return l.build("basket", token, nil) }
func (l Links) Terms(token string) string          { return l.build("conditions_gene", token, nil) }
func (l Links) Cookies(token string) string        { return l.build("gestion_cookies", token, nil) }

// ConnexionParams are the optional parameters of the sign-in page (3.14.1).
type ConnexionParams struct {
	Identifiant               string // identifiant: the account to sign in
	CreationCompteIdentifiant string // creation_compte_identifiant: the account to create
	URLPrecedente             string // url_precedente: a path of the sales site to return to
}

// Connexion opens the sign-in/registration page (3.14.1).
func (l Links) Connexion(p ConnexionParams, token string) string {
	v := url.Values{}
	for k, s := range map[string]string{"identifiant": p.Identifiant, "creation_compte_identifiant": p.CreationCompteIdentifiant, "url_precedente": p.URLPrecedente} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return l.build("connexion", token, v)
}

// PasswordRetrieve opens the forgotten-password page (3.14.2).
func (l Links) PasswordRetrieve(login string) string {
	v := url.Values{}
	if login != "" {
		v.Set("identifiant", login)
	}
	return l.build("password_retrieve", "", v)
}

// Register opens the registration page of the new forms (3.14.3,
// user_register, identifiant_creation required).
func (l Links) Register(login string) string {
	return l.build("user_register", "", url.Values{"identifiant_creation": {login}})
}

// RegisterLegacy opens the registration page of the old forms
// (account_home?action_formulaire=creation).
func (l Links) RegisterLegacy() string {
	return l.build("account_home", "", url.Values{"action_formulaire": {"creation"}})
}

// Newsletter opens the newsletter sign-up form (3.14.8,
// 3web_mailing_cherche): template is the form number, email pre-fills it.
func (l Links) Newsletter(template int, email string) string {
	v := url.Values{"template": {strconv.Itoa(template)}}
	if email != "" {
		v.Set("email", email)
	}
	return l.build("3web_mailing_cherche", "", v)
}
