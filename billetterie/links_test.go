package billetterie

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestDeepLinks(t *testing.T) {
	l := Links{Base: "http://billetterieweb.fr"}
	full := Links{Base: "http://billetterieweb.fr/", Lang: 1, Option: "170515-tito", Provenance: "http://127.0.0.1", IFrame: "unevaleurTexte123"}
	cases := map[string]struct{ got, want string }{
		"show catalogue": {l.ShowCatalogue(&LinkFilter{From: "04/09/2015", To: "04/09/2015", Category: "chanson"}, ""),
			"http://billetterieweb.fr/catalogue_spectacle?categ=chanson&date_debut=04%2F09%2F2015&date_fin=04%2F09%2F2015&filtre=1"},
		"show catalogue forced": {l.ShowCatalogue(&LinkFilter{Room: "salle chaplin", City: "montpellier", Type: "chansons", ForceParams: true}, ""),
			"http://billetterieweb.fr/catalogue_spectacle?filtre=1&forcer_param=1&salle=salle+chaplin&type=chansons&ville=montpellier"},
		"films":         {l.FilmCatalogue(&LinkFilter{City: "paris", Family: "ignored"}, ""), "http://billetterieweb.fr/catalogue_films?filtre=1&ville=paris"},
		"passes":        {l.PassCatalogue(&LinkFilter{Regroup: "Super r", Public: "tout public", SecondaryOne: "abonnement", SecondaryTwo: "jeune public"}, ""), "http://billetterieweb.fr/catalogue_abonnement?categ_sec_deux=jeune+public&categ_sec_un=abonnement&categorie=tout+public&code_regroup=Super+r&filtre=1"},
		"shop":          {l.ShopCatalogue(&LinkFilter{Family: "CD", ShowQuantity: true}, ""), "http://billetterieweb.fr/catalogue_boutique?affiche_selection_quantite=1&famille=CD&filtre=1"},
		"gift vouchers": {l.GiftVoucherCatalogue(nil, ""), "http://billetterieweb.fr/catalogue_bc?famille=Bon+cadeaux&filtre=1"},
		"ticket products": {l.TicketArticleCatalogue(&LinkFilter{Family: "Dons", ShowQuantity: true}, ""),
			"http://billetterieweb.fr/catalogue_article_billetterie?affiche_selection_quantite=1&famille=Dons&filtre=1"},
		"no filter":     {l.ShowCatalogue(nil, ""), "http://billetterieweb.fr/catalogue_spectacle"},
		"show":          {l.Show("577", "", ""), "http://billetterieweb.fr/spectacle?id_spectacle=577"},
		"show event":    {l.Show("577", "6675", ""), "http://billetterieweb.fr/spectacle?id_event=6675&id_spectacle=577"},
		"show filtered": {l.ShowFiltered("577", "", &LinkFilter{Category: "chansons", Type3: "atelier"}, ""), "http://billetterieweb.fr/spectacle?categ=chansons&filtre=1&id_spectacle=577&type3=atelier"},
		"film":          {l.FilmFiltered("577", "", &LinkFilter{City: "montpellier"}, ""), "http://billetterieweb.fr/film?filtre=1&id_film=577&ville=montpellier"},
		"film event":    {l.Film("577", "6675", ""), "http://billetterieweb.fr/film?id_event=6675&id_film=577"},
		"pass":          {l.Pass("421", ""), "http://billetterieweb.fr/abonnement?id_abonnement=421"},
		"pass grid":     {l.PassGrid("421", ""), "http://billetterieweb.fr/abonnement_grille?id_abonnement=421"},
		"article":       {l.Article("39", ""), "http://billetterieweb.fr/article?id_article=39"},
		"gift voucher":  {l.GiftVoucher("39", ""), "http://billetterieweb.fr/bons_cadeaux?id_article=39"},
		"basket token":  {l.Basket("41C9D2F85AF54E618F52E5C43441A967"), "http://billetterieweb.fr/basket?x_rsi_token=41C9D2F85AF54E618F52E5C43441A967"},
		"blank token":   {l.Basket("  "), "http://billetterieweb.fr/basket"},
		"options":       {full.Home(""), "http://billetterieweb.fr/home?lng=1&x_rsi_iframe=unevaleurTexte123&x_rsi_option=170515-tito&x_rsi_provenance=http%3A%2F%2F127.0.0.1"},
		"connexion": {l.Connexion(ConnexionParams{CreationCompteIdentifiant: "assistance@ressources-si.fr", URLPrecedente: "catalogue_spectacle"}, ""),
			"http://billetterieweb.fr/connexion?creation_compte_identifiant=assistance%40ressources-si.fr&url_precedente=catalogue_spectacle"},
		"password retrieve": {l.PasswordRetrieve("assistance@ressources-si.fr"), "http://billetterieweb.fr/password_retrieve?identifiant=assistance%40ressources-si.fr"},
		"register":          {l.Register("assistance@ressources-si.fr"), "http://billetterieweb.fr/user_register?identifiant_creation=assistance%40ressources-si.fr"},
		"register legacy":   {l.RegisterLegacy(), "http://billetterieweb.fr/account_home?action_formulaire=creation"},
		"newsletter":        {l.Newsletter(11783, "assistance@ressources-si.fr"), "http://billetterieweb.fr/3web_mailing_cherche?email=assistance%40ressources-si.fr&template=11783"},
	}
	for name, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", name, tc.got, tc.want)
		}
	}
	pages := map[string]func(string) string{"mes_coordonnees": l.Details, "modifier_mdp": l.ChangePassword, "coordonnees_bancaire": l.BankDetails,
		"evenements_a_venir": l.UpcomingEvents, "historique_commandes": l.Orders, "evenements_passes": l.PastEvents, "espace_fidelite": l.Loyalty,
		"mes_justificatifs": l.Proofs, "basket": l.Basket, "home": l.Home, "account_home": l.AccountHome, "conditions_gene": l.Terms, "gestion_cookies": l.Cookies}
	for page, f := range pages {
		u, _ := url.Parse(f("TOK"))
		if u.Path != "/"+page || u.Query().Get("x_rsi_token") != "TOK" {
			t.Errorf("%s: %s", page, u)
		}
	}
}

func TestNotificationHandler(t *testing.T) {
	var got []Notification
	fail := false
	h := NotificationHandler(func(ctx context.Context, n Notification) error {
		if fail {
			return errors.New("store down")
		}
		got = append(got, n)
		return nil
	})
	notify := string(read(t, "spec/notify.xml"))
	caddy := string(read(t, "spec/det_achat.xml"))
	do := func(r *http.Request) int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	if c := do(httptest.NewRequest("POST", "/ws_creation_carte", strings.NewReader(notify))); c != 200 || len(got) != 1 || got[0].Card.IDContact != 72050 {
		t.Fatalf("NOTIFY: %d %+v", c, got)
	}
	form := httptest.NewRequest("POST", "/notify", strings.NewReader(url.Values{"xml": {caddy}}.Encode()))
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c := do(form); c != 200 || got[1].Order == nil || got[1].Order.Transaction.Montant != 7540 {
		t.Fatalf("form-encoded caddy: %d", c)
	}
	if c := do(httptest.NewRequest("GET", "/notify?caddy="+url.QueryEscape(caddy), nil)); c != 200 || got[2].Order.ID != "073101758907" {
		t.Fatalf("GET caddy: %d", c)
	}
	for _, bad := range []string{"", "<NOTIFY><nom>x</nom></NOTIFY>", "<html/>", "<NOTIFY>"} {
		if c := do(httptest.NewRequest("POST", "/n", strings.NewReader(bad))); c != 400 {
			t.Errorf("%q: %d", bad, c)
		}
	}
	if c := do(httptest.NewRequest("PUT", "/n", strings.NewReader(notify))); c != 405 {
		t.Errorf("PUT: %d", c)
	}
	fail = true
	if c := do(httptest.NewRequest("POST", "/n", strings.NewReader(notify))); c != 500 {
		t.Errorf("callback failure: %d", c)
	}
	fail = false
	only := CardPrintHandler(func(context.Context, CardPrint) error { return nil })
	w := httptest.NewRecorder()
	only.ServeHTTP(w, httptest.NewRequest("POST", "/n", strings.NewReader(caddy)))
	if w.Code != 400 {
		t.Errorf("card handler given a caddy: %d", w.Code)
	}
}
