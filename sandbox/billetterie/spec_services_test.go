package billetterie

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/sandbox/fault"

	"golang.org/x/text/encoding/charmap"
)

type productsDoc struct {
	Passes []struct {
		ID   string `xml:"IDENT,attr"`
		Nom  string `xml:"NOM,attr"`
		Type string `xml:"TYPE,attr"`
		Prix string `xml:"PRIX,attr"`
	} `xml:"ABONNEMENTS>ABONNEMENT"`
	Items []struct {
		ID     string `xml:"IDENT,attr"`
		Nom    string `xml:"NOM,attr"`
		Cadeau string `xml:"BON_CADEAU,attr"`
	} `xml:"ARTICLES>ARTICLE"`
	Shows []struct {
		ID    string `xml:"IDENT,attr"`
		Perfs []struct {
			Date string `xml:"REP_DATE,attr"`
		} `xml:"REPRESENTATIONS>REPRESENTATION"`
	} `xml:"SPECTACLES>SPECTACLE"`
	Salles []struct {
		ID string `xml:"SALLE_ID,attr"`
	} `xml:"SALLES>SALLE"`
	Erreur string `xml:"ERREUR>MESSAGE"`
}

// products posts a catalogue service and decodes its ISO-8859-1 answer.
func (e *env) products(service string, kv ...string) productsDoc {
	e.t.Helper()
	code, body := e.post(service, e.creds(kv...))
	if code != 200 || !bytes.HasPrefix(body, []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>`)) {
		e.t.Fatalf("%s: %d %.100s", service, code, body)
	}
	var doc productsDoc
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return charmap.ISO8859_1.NewDecoder().Reader(in), nil }
	if err := d.Decode(&doc); err != nil {
		e.t.Fatalf("%s: %v in %.200s", service, err, body)
	}
	return doc
}

func TestCatSpectacle(t *testing.T) {
	e := newEnv(t)
	all := e.products("ws_cat_spectacle")
	if len(all.Shows) != len(e.srv.ShowIDs()) || len(all.Salles) != 15 {
		t.Fatalf("shows %d salles %d", len(all.Shows), len(all.Salles))
	}
	if len(all.Passes) != 0 || len(all.Items) != 0 {
		t.Fatal("ws_cat_spectacle must not carry passes or articles")
	}
	id := all.Shows[3].ID
	e.srv.TouchShow(id)
	since := e.products("ws_cat_spectacle", "filtre", "1", "date_modif", testNow.In(paris).Format("20060102"))
	found := false
	for _, sh := range since.Shows {
		found = found || sh.ID == id
	}
	if !found || len(since.Shows) >= len(all.Shows)/2 {
		t.Fatalf("date_modif today: %d shows, touched %s found=%v", len(since.Shows), id, found)
	}
	ranged := e.products("ws_cat_spectacle", "filtre", "1", "date_debut", "20261201", "date_fin", "20261231")
	if len(ranged.Shows) == 0 || len(ranged.Shows) >= len(all.Shows) {
		t.Fatalf("December: %d of %d shows", len(ranged.Shows), len(all.Shows))
	}
	for _, sh := range ranged.Shows {
		for _, p := range sh.Perfs {
			if len(p.Date) != 10 || p.Date[3:] != "12/2026" {
				t.Fatalf("show %s: performance %s outside December", sh.ID, p.Date)
			}
		}
	}
	if bad := e.products("ws_cat_spectacle", "filtre", "1"); bad.Erreur == "" {
		t.Fatal("filtre without a date must answer ERREUR")
	}
	if bad := e.products("ws_cat_spectacle", "filtre", "1", "date_debut", "20261231", "date_fin", "20261201"); bad.Erreur == "" {
		t.Fatal("date_fin before date_debut must answer ERREUR")
	}
}

func TestPassesAndArticles(t *testing.T) {
	e := newEnv(t)
	passes := e.products("ws_cat_abonnement")
	types := map[string]int{}
	for _, p := range passes.Passes {
		types[p.Type]++
	}
	if len(passes.Passes) != len(passSeeds) || types["ABONNEMENT"] == 0 || types["ADHESION"] == 0 || len(passes.Shows) != 0 {
		t.Fatalf("ws_cat_abonnement: %+v", passes)
	}
	one := e.products("ws_det_abonnement", "id_abonnement", passSeeds[2].id)
	if len(one.Passes) != 1 || one.Passes[0].Nom != passSeeds[2].name || one.Passes[0].Prix != decimalComma(passSeeds[2].price) {
		t.Fatalf("ws_det_abonnement: %+v", one.Passes)
	}
	if d := e.products("ws_det_abonnement", "id_abonnement", "999"); d.Erreur != "Abonnement non trouvé" {
		t.Fatalf("unknown pass: %q", d.Erreur)
	}
	if d := e.products("ws_det_abonnement"); d.Erreur == "" {
		t.Fatal("missing id_abonnement must answer ERREUR")
	}

	items := e.products("ws_cat_article")
	gifts := 0
	for _, it := range items.Items {
		if it.Cadeau == "1" {
			gifts++
		}
	}
	if len(items.Items) != len(itemSeeds) || gifts == 0 || len(items.Passes) != 0 {
		t.Fatalf("ws_cat_article: %+v", items)
	}
	art := e.products("ws_det_article", "id_article", itemSeeds[1].id)
	if len(art.Items) != 1 || art.Items[0].Nom != itemSeeds[1].name {
		t.Fatalf("ws_det_article: %+v (want %q)", art.Items, itemSeeds[1].name)
	}
	if d := e.products("ws_det_article", "id_article", "4242"); d.Erreur != "Article non trouvé" {
		t.Fatalf("unknown article: %q", d.Erreur)
	}
	// Wrong credentials: the flux services answer an ERREUR document too.
	f := e.creds()
	f.Set("x_rsi_ws_mdp", "wrong")
	code, body := e.post("ws_cat_article", f)
	if code != 200 || !bytes.Contains(body, []byte("<ERREUR><MESSAGE>")) {
		t.Fatalf("wrong credentials: %d %s", code, body)
	}
}

func TestInfoFormulaire(t *testing.T) {
	e := newEnv(t)
	code, body := e.post("ws_info_formulaire", map[string][]string{"id_formulaire": {"1"}})
	if code != 200 {
		t.Fatal(code)
	}
	var env struct {
		Retour struct {
			Message struct {
				ID         int `json:"id_formulaire"`
				Formulaire []struct {
					Name       string   `json:"name"`
					Required   bool     `json:"required"`
					Index      int      `json:"index"`
					OptionCode []string `json:"option_code"`
				} `json:"formulaire"`
				Libelles map[string]string `json:"libelles"`
			} `json:"message"`
			Statut struct {
				Code int `json:"code"`
			} `json:"statut"`
		} `json:"retour"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	m := env.Retour.Message
	if env.Retour.Statut.Code != 2 || m.ID != 1 || m.Libelles["libelle_regle_mdp"] == "" {
		t.Fatalf("%s", body)
	}
	byName := map[string]int{}
	for i, f := range m.Formulaire {
		byName[f.Name] = i
		if f.Index != i+1 {
			t.Fatalf("field %s index %d", f.Name, f.Index)
		}
	}
	for _, n := range []string{"v_nom", "v_mail", "v_passe", "v_passec"} {
		i, okn := byName[n]
		if !okn || !m.Formulaire[i].Required {
			t.Fatalf("field %s missing or optional", n)
		}
	}
	if i, okn := byName["code_envoi[]"]; !okn || len(m.Formulaire[i].OptionCode) != len(codesEnvoi) {
		t.Fatal("code_envoi options missing")
	}
	e.expect("ws_info_formulaire", map[string][]string{}, 4, "ko")
	e.expect("ws_info_formulaire", map[string][]string{"id_formulaire": {"7"}}, 4, "ko")
}

type historique struct {
	Retour struct {
		Statut     *json.RawMessage `json:"statut"`
		Traitement string           `json:"traitement"`
		Historique []struct {
			Active       bool   `json:"active"`
			Consommation int    `json:"consommation"`
			Credit       int    `json:"credit"`
			Solde        int    `json:"solde"`
			ID           int    `json:"id"`
			DateAchat    string `json:"date_achat"`
			Start        string `json:"start"`
			End          string `json:"end"`
			Libelle      string `json:"libelle"`
			Billets      []struct {
				Dateheure string      `json:"dateheure"`
				IDCarte   int         `json:"id_carte"`
				IDRep     json.Number `json:"Id_rep"`
				Spectacle string      `json:"spectacle"`
			} `json:"liste_billets"`
		} `json:"historique"`
	} `json:"retour"`
}

func (e *env) historique(kv ...string) historique {
	e.t.Helper()
	f := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = append(f[kv[i]], kv[i+1])
	}
	code, body := e.post("ws_historique_contact", f)
	var h historique
	if err := json.Unmarshal(body, &h); code != 200 || err != nil {
		e.t.Fatalf("%d %v %s", code, err, body)
	}
	return h
}

func TestHistoriqueContact(t *testing.T) {
	e := newEnv(t)
	tok := e.loginDemo()
	h := e.historique("x_rsi_token", tok)
	if h.Retour.Statut != nil || h.Retour.Traitement != "ok" || len(h.Retour.Historique) == 0 {
		t.Fatalf("%+v", h.Retour)
	}
	iso := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$`)
	for _, c := range h.Retour.Historique {
		if c.Credit != cardCredit || c.Solde != c.Credit-c.Consommation || len(c.Billets) == 0 {
			t.Fatalf("card %+v", c)
		}
		for _, d := range []string{c.DateAchat, c.Start, c.End} {
			if !iso.MatchString(d) {
				t.Fatalf("card date %q", d)
			}
		}
		for _, b := range c.Billets {
			if b.IDCarte != c.ID || b.Spectacle == "" || len(b.Dateheure) != 15 {
				t.Fatalf("card ticket %+v", b)
			}
		}
	}
	if n := len(e.historique("x_rsi_token", tok, "filtre", "1", "code_regroup", "abo").Retour.Historique); n != len(h.Retour.Historique) {
		t.Fatalf("code_regroup=abo keeps %d of %d", n, len(h.Retour.Historique))
	}
	if n := len(e.historique("x_rsi_token", tok, "filtre", "1", "categ_sec_un", "Adhésion").Retour.Historique); n != 0 {
		t.Fatalf("categ_sec_un=Adhésion keeps %d", n)
	}
	e.expect("ws_historique_contact", map[string][]string{"x_rsi_token": {e.token()}}, 602, "ko")
	e.expect("ws_historique_contact", map[string][]string{"x_rsi_token": {"00000000000000000000000000000000"}}, 605, "ko")
}

func TestSpecParameterNames(t *testing.T) {
	e := newEnv(t)
	tok := e.token()
	// ws_login and ws_ccontact take no web-service credentials (§2.3.1.2, §2.3.2.2).
	e.expect("ws_login", url.Values{"x_rsi_token": {tok}, "web_ident": {"camille.martin@exemple.fr"}, "web_passe": {"wrong"}}, 504, "ko")
	e.expect("ws_login", url.Values{"x_rsi_token": {tok}, "web_ident": {"camille.martin@exemple.fr"}, "web_passe": {"Guichet2026"}}, 514, "ok")

	tok = e.token()
	form := e.creds("x_rsi_token", tok, "v_nom", "Ébrard", "v_prenom", "Zoé", "v_mail", "zoe.ebrard@exemple.fr",
		"web_civil", "Mme", "v_adr1", "3 rue Mercière", "v_cp", "69002", "v_ville", "Lyon",
		"v_passe", "Spectacle2026", "v_passec", "Spectacle2026", "creation_compte", "1", "id_formulaire", "1")
	for _, k := range []string{"x_rsi_ws_login", "x_rsi_ws_mdp", "x_rsi_client"} {
		form.Del(k)
	}
	env := e.expect("ws_ccontact", form, 513, "ok")
	var created struct {
		ID int `json:"id_contact"`
	}
	json.Unmarshal(env.Retour.Message, &created)
	info := e.expect("ws_info_contact", e.creds("id_contact", strconv.Itoa(created.ID)), 2, "ok")
	var m struct {
		Contact map[string]any `json:"contact"`
	}
	json.Unmarshal(info.Retour.Message, &m)
	if m.Contact["civilite"] != "Mme" || m.Contact["adress1"] != "3 rue Mercière" || m.Contact["code_postal"] != "69002" || m.Contact["name"] != "Ébrard" {
		t.Fatalf("annex 4.1 names not applied: %+v", m.Contact)
	}
}

func TestModificationPwdSpecFlow(t *testing.T) {
	e := newEnv(t)
	form := func(key, ident, old, np string) url.Values {
		return url.Values{"x_rsi_pwd_key": {key}, "w_identifiant": {ident}, "v_ancien_passe": {old}, "v_passe": {np}}
	}
	k, demo := e.cfg.PwdKey, "camille.martin@exemple.fr"
	e.expect("ws_modification_pwd", form("B470CF16245D405986E5A546A1429B86", demo, "Guichet2026", "Nouveau2027"), 3, "ko")
	e.expect("ws_modification_pwd", form(k, "personne@exemple.fr", "Guichet2026", "Nouveau2027"), 503, "ko")
	e.expect("ws_modification_pwd", form(k, demo, "Mauvais2026", "Nouveau2027"), 528, "ko")
	e.expect("ws_modification_pwd", form(k, demo, "Guichet2026", "Guichet2026"), 529, "ko")
	for _, weak := range []string{"Court1", "minuscule2026", "MAJUSCULE2026", "SansChiffre", "Arobase@2026"} {
		e.expect("ws_modification_pwd", form(k, demo, "Guichet2026", weak), 523, "ko")
	}
	_, body := e.post("ws_modification_pwd", form(k, demo, "Guichet2026", "Nouveau2027"))
	var res struct {
		Retour struct {
			Message    string `json:"message"`
			Traitement string `json:"traitement"`
			Statut     struct {
				Code       int    `json:"code"`
				Traitement string `json:"traitement"`
			} `json:"statut"`
		} `json:"retour"`
	}
	if err := json.Unmarshal(body, &res); err != nil || res.Retour.Message != "mot de passe mis a jour" ||
		res.Retour.Traitement != "ok" || res.Retour.Statut.Code != 2 || res.Retour.Statut.Traitement != "ok" {
		t.Fatalf("%v %s", err, body)
	}
	tok := e.token()
	e.expect("ws_login", e.creds("x_rsi_token", tok, "web_ident", demo, "web_passe", "Guichet2026"), 504, "ko")
	e.expect("ws_login", e.creds("x_rsi_token", tok, "web_ident", demo, "web_passe", "Nouveau2027"), 514, "ok")
}

// TestStatutMessagesOfTable42 checks the statut wording against the spec's
// examples and table 4.2, not only the codes.
func TestStatutMessagesOfTable42(t *testing.T) {
	e := newEnv(t)
	want := func(env envelope, code int, msg string) {
		t.Helper()
		if st := env.Retour.Statut; st.Code != code || st.Message != msg {
			t.Fatalf("statut %+v, want %d %q", st, code, msg)
		}
	}
	tok := e.token()
	want(e.call("ws_idsession", e.creds()), 603, "Session initialisée")
	want(e.call("ws_ccontact", e.creds("x_rsi_token", tok, "v_nom", "", "v_mail", "x@exemple.fr")), 505, "Champs non renseignés")
	want(e.call("ws_ccontact", e.creds("x_rsi_token", tok, "v_nom", "Roux", "v_mail", "camille.martin@exemple.fr")), 518, "Adresse mail existe déjà")
	want(e.call("ws_ccontact", e.creds("x_rsi_token", tok, "v_nom", "Roux", "v_mail", "pas-une-adresse")), 527, "Adresse mail incorrecte")
	want(e.call("ws_ccontact", e.creds("x_rsi_token", tok, "v_nom", "Roux", "v_mail", "roux@exemple.fr", "creation_compte", "1", "v_passe", "Abcdefg1", "v_passec", "Abcdefg2")), 524, "Mot de passe et confirmation différents")
	want(e.call("ws_ccontact", e.creds("x_rsi_token", tok, "v_nom", "Roux", "v_mail", "roux@exemple.fr", "creation_compte", "1", "v_passe", "abcdefg1", "v_passec", "abcdefg1")), 523, "Mot de passe ne respecte pas les règles")
	demo := e.loginDemo()
	want(e.call("ws_deconnexion_session", e.creds("x_rsi_token", demo)), 611, "Session déconnectée")
	e.expect("ws_login", e.creds("x_rsi_token", demo, "web_ident", "camille.martin@exemple.fr", "web_passe", "Guichet2026"), 514, "ok")
	want(e.call("ws_suppression_compte", url.Values{"x_rsi_token": {demo}}), 534, "Compte supprimé avec succès")
	want(e.call("ws_info_organisme", e.creds("id_organisme", "1")), 904, "La fiche organisme n’a pas été trouvée")
}

func TestSeedAccessors(t *testing.T) {
	e := newEnv(t)
	d := e.srv.Seed()
	if d.DemoContactID != 20001 || e.srv.DemoContactID() != "20001" || d.Contacts != 200 || len(d.Shows) < 40 || d.Performances < 300 {
		t.Fatalf("seed %+v", d)
	}
	sites, rooms := 0, 0
	for _, v := range d.Venues {
		if v.ParentID == "" {
			sites++
		} else {
			rooms++
		}
	}
	if sites != 5 || rooms == 0 || len(d.GiftVoucherIDs) == 0 || len(d.PassIDs) < 2 {
		t.Fatalf("venues %d/%d, vouchers %v, passes %v", sites, rooms, d.GiftVoucherIDs, d.PassIDs)
	}
	if len(d.DemoOrderIDs) < 3 || len(d.DemoListIDs) == 0 || len(d.OrganisationIDs) == 0 {
		t.Fatalf("demo orders %v lists %v orgs %v", d.DemoOrderIDs, d.DemoListIDs, d.OrganisationIDs)
	}
	// The ids are the wire's: the first order is known to ws_det_achat.
	_, body := e.post("ws_det_achat", e.creds("id_caddy", d.DemoOrderIDs[0]))
	if !bytes.Contains(body, []byte("<id>"+d.DemoOrderIDs[0]+"</id>")) {
		t.Fatalf("ws_det_achat %s: %.200s", d.DemoOrderIDs[0], body)
	}
	// SetAvailability shows in REP_DISPO.
	show := d.Shows[len(d.Shows)-1]
	perf := show.PerformanceIDs[len(show.PerformanceIDs)-1]
	if !e.srv.SetAvailability(perf, 3) || e.srv.SetAvailability("0", 3) {
		t.Fatal("SetAvailability result")
	}
	_, body = e.post("ws_det_representation", e.creds("id_representation", perf))
	if !bytes.Contains(body, []byte(`IDENT="`+perf+`"`)) || !bytes.Contains(body, []byte(`REP_DISPO="3"`)) {
		t.Fatalf("REP_DISPO not 3: %.300s", body)
	}
}

func TestSpecFieldsOfLoginAndDownloads(t *testing.T) {
	e := newEnv(t)
	tok := e.token()
	env := e.expect("ws_login", e.creds("x_rsi_token", tok, "web_ident", "camille.martin@exemple.fr", "web_passe", "Guichet2026"), 514, "ok")
	var lg struct {
		Contact struct {
			Name, Surname string
			IDContact     int `json:"id_contact"`
			IDClistru     int `json:"id_clistru"`
		} `json:"contact"`
	}
	json.Unmarshal(env.Retour.Message, &lg)
	if lg.Contact.Surname != "Camille" || lg.Contact.IDContact != 20001 || lg.Contact.IDClistru == 0 {
		t.Fatalf("ws_login contact %+v", lg.Contact)
	}
	_, body := e.post("ws_info_telechargement", url.Values{"x_rsi_token": {tok}})
	var dl struct {
		Retour struct {
			Down []map[string]any `json:"liste_telechargement"`
			Not  []map[string]any `json:"liste_non_telechargeable"`
		} `json:"retour"`
	}
	if err := json.Unmarshal(body, &dl); err != nil {
		t.Fatal(err)
	}
	tickets := 0
	for _, d := range append(dl.Retour.Down, dl.Retour.Not...) {
		if d["str_qrcode"] != d["qrcode"] {
			t.Fatalf("str_qrcode %v != qrcode %v", d["str_qrcode"], d["qrcode"])
		}
		if d["type"] == float64(1) { // the card itself
			continue
		}
		tickets++
		start, end, texte := d["DTSTART"].(string), d["DTEND"].(string), d["texte"].(string)
		if end <= start || d["nature"] != "Représentation" || d["representation"] != d["spectacle"] ||
			!bytes.HasPrefix([]byte(texte), []byte(d["spectacle"].(string)+" ")) || !bytes.HasSuffix([]byte(texte), []byte(" €")) {
			t.Fatalf("ticket %v", d)
		}
	}
	if tickets == 0 {
		t.Fatal("demo contact has no upcoming ticket")
	}
}

func TestRecapAchatSpecValues(t *testing.T) {
	e := newEnv(t)
	e.expect("ws_recap_achat", e.creds("id_contact", "20001"), 4, "ko")
	e.expect("ws_recap_achat", e.creds("id_contact", "20001", "format", "json"), 4, "ko")
	env := e.expect("ws_recap_achat", e.creds("id_contact", "20001", "format", "tableau"), 2, "ok")
	var lines []map[string]any
	if err := json.Unmarshal(env.Retour.Message, &lines); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, l := range lines {
		switch {
		case l["carte"] == true:
			kinds["card"]++
			if l["type_produit"] != float64(6) || l["ref_spect"] != float64(-2) {
				t.Fatalf("card line %v", l)
			}
		case l["ref_prest"] != float64(0):
			kinds["prestation"]++
			if l["type_produit"] != float64(5) || l["libelle"] != "FRAIS DOSSIER WEB" {
				t.Fatalf("prestation line %v", l)
			}
		default:
			kinds["ticket"]++
			want := "Retrait au guichet"
			if l["eticket"] == true {
				want = "E-ticket"
			}
			full := l["spectacle"].(string) + " le "
			if l["type_produit"] != float64(6) || l["mode_retrait"] != want || len(l["libelle_complet"].(string)) <= len(full) ||
				l["libelle_complet"].(string)[:len(full)] != full {
				t.Fatalf("ticket line %v", l)
			}
		}
	}
	if kinds["card"] != 1 || kinds["prestation"] < 3 || kinds["ticket"] < 3 {
		t.Fatalf("demo lines %v", kinds)
	}
}

func TestCatHistoAchatDateRules(t *testing.T) {
	e := newEnv(t)
	// date_debut alone: that day only.
	day := e.histo("date_debut", "20/11/2026")
	for _, c := range day.Caddies {
		if c.Transaction.DateVente[:8] != "20261120" {
			t.Fatalf("date_debut alone returned %s", c.Transaction.DateVente)
		}
	}
	wide := e.histo("date_debut", "20/11/2026", "date_fin", "22/11/2026")
	if len(day.Caddies) == 0 || len(wide.Caddies) <= len(day.Caddies) {
		t.Fatalf("one day %d, three days %d", len(day.Caddies), len(wide.Caddies))
	}
	for _, kv := range [][]string{{"date_fin", "22/11/2026"}, {"date_debut", "22/11/2026", "date_fin", "20/11/2026"}, {"date_debut", "2026-11-20"}} {
		_, body := e.post("ws_cat_histo_achat", e.creds(kv...))
		if !bytes.HasPrefix(body, []byte(`<?xml version="1.0" encoding="UTF-8"?><ERREUR><MESSAGE>`)) {
			t.Fatalf("%v: %s", kv, body)
		}
	}
}

func TestListeFichesModifieesExports(t *testing.T) {
	e := newEnv(t)
	get := func(kv ...string) map[string]any {
		t.Helper()
		q := url.Values{"x_rsi_modele": {"ws_liste_fiches_modifiees"}, "x_rsi_client": {e.cfg.Client}, "x_rsi_login": {e.cfg.APILogin},
			"x_rsi_api_key": {e.cfg.APIKey}, "ts": {testNow.In(paris).AddDate(0, 0, -7).Format("2006-01-02T15:04:05")}}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		resp, err := http.Get(e.url + "/ws_execute_programme?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	data := func(m map[string]any) map[string]any {
		t.Helper()
		st, _ := m["statut"].(map[string]any)
		if st["code"] != float64(2) {
			t.Fatalf("statut %v", m["statut"])
		}
		return m["data"].(map[string]any)
	}
	fiches := data(get("type_export", "liste_fiches"))
	if len(fiches) != 7 || len(fiches["liste_contacts_id"].([]any)) == 0 {
		t.Fatalf("liste_fiches %v", fiches)
	}
	only := data(get("type_export", "liste_contact"))
	if len(only) != 1 || len(only["liste_contacts_id"].([]any)) != len(fiches["liste_contacts_id"].([]any)) {
		t.Fatalf("liste_contact %v", only)
	}
	if d := data(get("type_export", "liste_organisme")); len(d) != 1 || d["liste_organismes_id"] == nil {
		t.Fatalf("liste_organisme %v", d)
	}
	full := data(get())
	contacts := full["liste_contacts"].([]any)
	if len(contacts) != len(fiches["liste_contacts_id"].([]any)) || full["liste_liens"] == nil {
		t.Fatalf("full export %v", full)
	}
	first := contacts[0].(map[string]any)
	if first["id_contact"] != fiches["liste_contacts_id"].([]any)[0] || first["mail"] == "" || first["date_modif"] == "" {
		t.Fatalf("contact record %v", first)
	}
	if st := get("type_export", "tout")["statut"].(map[string]any); st["code"] != float64(4) || st["traitement"] != "ko" {
		t.Fatalf("unknown type_export: %v", st)
	}
	if st := get("x_rsi_api_key", "b1829f60af03c1e69a13ed44405ec898f912b63a")["statut"].(map[string]any); st["code"] != float64(3) {
		t.Fatalf("wrong key: %v", st)
	}
}

func TestFaultModesPerShape(t *testing.T) {
	e := newEnv(t)
	f := e.srv.Faults()
	f.Set("ws_cat_listes", fault.Rule{Mode: fault.Garbage})
	code, body := e.post("ws_cat_listes", e.creds())
	if code != 200 || json.Valid(body) {
		t.Fatalf("garbage: %d %s", code, body)
	}
	// The vendor's own error, in each service's shape.
	f.Set("*", fault.Rule{Mode: fault.VendorErr})
	if _, body = e.post("ws_det_achat", e.creds("id_caddy", "1")); !bytes.Contains(body, []byte("<ERREUR><MESSAGE>Pas de communication avec le serveur</MESSAGE></ERREUR>")) {
		t.Fatalf("det_achat: %s", body)
	}
	if d := e.products("ws_cat_article"); d.Erreur != "Pas de communication avec le serveur" {
		t.Fatalf("cat_article: %+v", d)
	}
	e.expect("ws_info_telechargement", url.Values{"x_rsi_token": {"x"}}, 5, "ko")
	resp, err := http.Get(e.url + "/ws_execute_programme")
	if err != nil {
		t.Fatal(err)
	}
	var api struct{ Statut statut }
	json.NewDecoder(resp.Body).Decode(&api)
	resp.Body.Close()
	if api.Statut.Code != 5 || api.Statut.Traitement != "ko" {
		t.Fatalf("execute_programme: %+v", api)
	}
	// Hang and latency: the caller's deadline ends the call.
	for _, r := range []fault.Rule{{Mode: fault.Hang}, {Latency: time.Minute}} {
		f.Set("*", r)
		c := &http.Client{Timeout: 50 * time.Millisecond}
		if resp, err := c.PostForm(e.url+"/ws_idsession", e.creds()); err == nil {
			resp.Body.Close()
			t.Fatalf("%+v: answered %d", r, resp.StatusCode)
		}
	}
	// A rate applies the mode to a share of calls.
	f.Set("*", fault.Rule{Mode: fault.HTTP500, Rate: 0.5})
	fails := 0
	for i := 0; i < 200; i++ {
		if code, _ := e.post("ws_info_formulaire", url.Values{"id_formulaire": {"1"}}); code == 500 {
			fails++
		}
	}
	if fails == 0 || fails == 200 {
		t.Fatalf("rate 0.5: %d of 200 failed", fails)
	}
	f.Reset()
	e.expect("ws_idsession", e.creds(), 603, "ok")
}

func TestModificationContactChoices(t *testing.T) {
	e := newEnv(t)
	tok := e.loginDemo()
	choices := func(env envelope) (envoi, interet map[int]bool) {
		t.Helper()
		var m struct {
			Contact struct {
				IDContact int `json:"id_contact"`
				CodeEnvoi []struct {
					ID      int  `json:"id"`
					Checked bool `json:"checked"`
				} `json:"code_envoi"`
				Interet []struct {
					ID      int  `json:"id"`
					Checked bool `json:"checked"`
				} `json:"interet"`
			} `json:"contact"`
		}
		if err := json.Unmarshal(env.Retour.Message, &m); err != nil || m.Contact.IDContact != 20001 {
			t.Fatalf("%v %s", err, env.Retour.Message)
		}
		envoi, interet = map[int]bool{}, map[int]bool{}
		for _, c := range m.Contact.CodeEnvoi {
			envoi[c.ID] = c.Checked
		}
		for _, c := range m.Contact.Interet {
			interet[c.ID] = c.Checked
		}
		return envoi, interet
	}
	// The whole selection: code_envoi[] lists the checked ones.
	envoi, _ := choices(e.expect("ws_modification_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}, "code_envoi[]": {"97"}}, 508, "ok"))
	if envoi[96] || !envoi[97] {
		t.Fatalf("code_envoi[]=97: %v", envoi)
	}
	// maj_interet=1: only the listed entries change.
	_, before := choices(e.expect("ws_modification_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}}, 508, "ok"))
	_, after := choices(e.expect("ws_modification_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"},
		"maj_interet": {"1"}, "liste_maj_interet[302]": {"2"}, "liste_maj_interet[301]": {"1"}}, 508, "ok"))
	if !after[302] || after[301] != before[301] {
		t.Fatalf("maj_interet: before %v after %v", before, after)
	}
	// ws_modification_pwd with the back-office key alone (no v_ancien_passe).
	e.expect("ws_modification_pwd", url.Values{"x_rsi_pwd_key": {e.cfg.PwdKey}, "w_identifiant": {"camille.martin@exemple.fr"}, "v_passe": {"Reinit2027"}}, 2, "ok")
	e.expect("ws_login", url.Values{"x_rsi_token": {e.token()}, "web_ident": {"camille.martin@exemple.fr"}, "web_passe": {"Reinit2027"}}, 514, "ok")
}

func TestSeasonBoundsFollowTheClock(t *testing.T) {
	for _, now := range []time.Time{testNow, time.Date(2027, time.March, 3, 9, 0, 0, 0, time.UTC), time.Date(2026, time.August, 31, 12, 0, 0, 0, time.UTC)} {
		cfg := DefaultConfig()
		cfg.Now = func() time.Time { return now }
		s := New(cfg)
		start := seasonStart(now.In(paris))
		end := time.Date(start.Year()+1, time.July, 1, 0, 0, 0, 0, paris)
		past := 0
		for _, p := range s.perfs {
			if p.at.Before(start) || !p.at.Before(end) {
				t.Fatalf("now %s: performance %s on %s outside %s–%s", now, p.id, p.at, start, end)
			}
			if p.at.Before(now) {
				past++
			}
		}
		if start.Month() != time.September || start.Day() != 1 || (now.Month() >= time.September) != (start.Year() == now.Year()) {
			t.Fatalf("now %s: season starts %s", now, start)
		}
		if now == testNow && (past == 0 || past >= len(s.perfs)/2) {
			t.Fatalf("now %s: %d of %d performances past", now, past, len(s.perfs))
		}
	}
}

func TestGETAndTrailingSlash(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Get(e.url + "/ws_det_spectacle/?" + e.creds("id_spectacle", e.srv.ShowIDs()[0]).Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`<SPECTACLE IDENT="`+e.srv.ShowIDs()[0]+`"`)) {
		t.Fatalf("GET with trailing slash: %d %.200s", resp.StatusCode, body)
	}
	if resp, err := http.Get(e.url + "/ws_inexistant"); err != nil || resp.StatusCode != 404 {
		t.Fatalf("unknown service: %v %v", err, resp.StatusCode)
	}
}

func TestPassCategoriesInFlux(t *testing.T) {
	e := newEnv(t)
	_, body := e.post("ws_det_abonnement", e.creds("id_abonnement", "10"))
	s := string(latin1Decode(t, body))
	for _, want := range []string{`CATEGORIE_WEB="Tout public"`, `CATEGORIE_SECONDAIRE_UN="Abonnement"`, `CATEGORIE_SECONDAIRE_DEUX="Jeune public"`, `CODE_REGROUP="ABO"`} {
		if !strings.Contains(s, want) {
			t.Fatalf("%s missing in %s", want, s)
		}
	}
}

func latin1Decode(t *testing.T, b []byte) []byte {
	t.Helper()
	d, err := charmap.ISO8859_1.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestInfoContactFormAndDeletionShape(t *testing.T) {
	e := newEnv(t)
	tok := e.loginDemo()
	e.expect("ws_info_contact", url.Values{"x_rsi_token": {tok}}, 4, "ko")
	e.expect("ws_info_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"2"}}, 4, "ko")
	e.expect("ws_info_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}}, 2, "ok")
	_, body := e.post("ws_suppression_compte", url.Values{"x_rsi_token": {tok}})
	if want := `{"retour":{"statut":{"code":534,"traitement":"ok","message":"Compte supprimé avec succès"},"erreur":{"détail":""}}}`; string(body) != want {
		t.Fatalf("got %s\nwant %s", body, want)
	}
	e.expect("ws_info_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}}, 602, "ko")
	e.expect("ws_info_contact", e.creds("id_contact", "20001"), 503, "ko")
}

func TestOrganismeDateFormats(t *testing.T) {
	e := newEnv(t)
	var m struct {
		Organisme struct {
			Creation string `json:"date_creation"`
			Modif    string `json:"date_modif"`
		} `json:"organisme"`
	}
	env := e.expect("ws_info_organisme", e.creds("id_organisme", "5001"), 2, "ok")
	json.Unmarshal(env.Retour.Message, &m)
	if _, err := time.Parse("2006-01-02", m.Organisme.Creation); err != nil {
		t.Fatalf("date_creation %q", m.Organisme.Creation)
	}
	if _, err := time.Parse("2006-01-02T15:04:05", m.Organisme.Modif); err != nil {
		t.Fatalf("date_modif %q", m.Organisme.Modif)
	}
}
