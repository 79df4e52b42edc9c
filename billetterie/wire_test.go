package billetterie

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"
)

const okJSON = `{"retour":{"statut":{"code":2,"traitement":"ok","message":"Traitement effectué"},"message":{}}}`

func okSite(t *testing.T, services ...string) *site {
	b := map[string][]byte{}
	for _, s := range services {
		b[s] = []byte(okJSON)
	}
	return newSite(t, b)
}

// Exact bodies: url.Values.Encode sorts keys, so the wire is deterministic.
func TestWireExactBodies(t *testing.T) {
	s := okSite(t, "ws_ccontact", "ws_modification_contact", "ws_organisme_contacts", "ws_modification_pwd", "ws_login", "ws_historique_contact")
	s.bodies["ws_organisme_creation"] = read(t, "spec/organisme_creation.json")
	c := s.client(t, nil)
	ctx := context.Background()
	cases := []struct {
		name string
		call func() error
		path string
		body string
	}{
		{"ws_login", func() error { _, err := c.Login(ctx, "TOK", "a+b@ex.fr", "P&ss=1 x"); return err },
			"/site/ws_login", "web_ident=a%2Bb%40ex.fr&web_passe=P%26ss%3D1+x&x_rsi_token=TOK"},
		{"ws_ccontact", func() error {
			_, err := c.CreateContact(ctx, NewContact{Token: "TOK", Fields: ContactFields{Nom: "Durand", Prenom: "Éva", Mail: "eva@ex.fr",
				NiveauxDeRelations: []NiveauRelation{{NiveauRelation: "Fournisseur", Checked: true}, {NiveauRelation: "Relais"}}},
				Password: "Secret2026", Confirmation: "Secret2026", Lists: []int{16, 17}})
			return err
		}, "/site/ws_ccontact",
			"Niveau_de_relations=W3siTml2ZWF1X3JlbGF0aW9uIjoiRm91cm5pc3NldXIiLCJjaGVja2VkIjp0cnVlfSx7Ik5pdmVhdV9yZWxhdGlvbiI6IlJlbGFpcyIsImNoZWNrZWQiOmZhbHNlfV0%3D" +
				"&account_home=1&creation_compte=1&id_formulaire=1&liste%5B%5D=16&liste%5B%5D=17&v_mail=eva%40ex.fr&v_nom=Durand&v_passe=Secret2026&v_passec=Secret2026" +
				"&v_prenom=%C3%89va&w_identifiant=eva%40ex.fr&x_rsi_token=TOK"},
		{"ws_modification_contact", func() error {
			_, err := c.UpdateContact(ctx, "TOK", 1, ContactFields{Ville: "Lyon"}, ChoiceUpdate{"145": true, "152": false}, ChoiceUpdate{"96": false})
			return err
		}, "/site/ws_modification_contact",
			"id_formulaire=1&liste_maj_code_envoi%5B145%5D=2&liste_maj_code_envoi%5B152%5D=3&liste_maj_interet%5B96%5D=3&maj_code_envoi=1&maj_interet=1&v_ville=Lyon&x_rsi_token=TOK"},
		{"ws_modification_contact back office", func() error {
			_, err := c.UpdateContactBackOffice(ctx, "1010", ContactFields{TelPort: "0601020304"}, nil, nil)
			return err
		}, "/site/ws_modification_contact",
			"id_contact=1010&v_tel_port=0601020304&x_rsi_client=677&x_rsi_ws_login=xrsitest&x_rsi_ws_mdp=s3cret-mdp"},
		{"ws_organisme_creation", func() error {
			_, err := c.CreateOrganisme(ctx, Organisme{Intitule: "Ministère", Nature: "Administration",
				CriteresInput: &CriteresInput{IDFormulaire: 6869, ListeChamps: []CritereInput{{"champ_1", 603}, {"champ_2", []int{608, 607}}}}},
				[]Attachement{{IDContact: "36", ActionAttachement: "attacher"}})
			return err
		}, "/site/ws_organisme_creation",
			"contacts=W3siaWRfY29udGFjdCI6MzYsImFjdGlvbl9hdHRhY2hlbWVudCI6ImF0dGFjaGVyIn1d" +
				"&criteres=%7B%22id_formulaire%22%3A6869%2C%22liste_champs%22%3A%5B%7B%22nom%22%3A%22champ_1%22%2C%22valeur%22%3A603%7D%2C%7B%22nom%22%3A%22champ_2%22%2C%22valeur%22%3A%5B608%2C607%5D%7D%5D%7D" +
				"&organisme=eyJpbnRpdHVsZSI6Ik1pbmlzdMOocmUiLCJuYXR1cmUiOiJBZG1pbmlzdHJhdGlvbiJ9&x_rsi_client=677&x_rsi_ws_login=xrsitest&x_rsi_ws_mdp=s3cret-mdp"},
		{"ws_modification_pwd", func() error {
			return c.ChangePassword(ctx, PasswordChange{Login: "a@ex.fr", New: "Nouveau2026", Current: "Ancien2025"})
		}, "/site/ws_modification_pwd", "v_ancien_passe=Ancien2025&v_passe=Nouveau2026&w_identifiant=a%40ex.fr&x_rsi_pwd_key=k3y-pwd"},
		{"ws_historique_contact", func() error {
			_, err := c.HistoriqueContact(ctx, "TOK", HistoriqueFilter{Categorie: "tout public", CategSecDeux: "jeune public"})
			return err
		}, "/site/ws_historique_contact", "categ_sec_deux=jeune+public&categorie=tout+public&filtre=1&x_rsi_token=TOK"},
	}
	for _, tc := range cases {
		if err := tc.call(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		r := s.last(t)
		if r.Method != "POST" || r.Path != tc.path || r.ContentType != "application/x-www-form-urlencoded" || r.Body != tc.body || r.RawQuery != "" {
			t.Errorf("%s: %s %s %q\n got body %s\nwant body %s", tc.name, r.Method, r.Path, r.ContentType, r.Body, tc.body)
		}
	}
}

func TestWireGETAndTrailingSlash(t *testing.T) {
	s := newSite(t, map[string][]byte{"ws_cat_listes": read(t, "spec/cat_listes.json")})
	for _, base := range []string{s.srv.URL + "/site", s.srv.URL + "/site/", s.srv.URL + "/site//"} {
		for _, get := range []bool{false, true} {
			c := s.client(t, func(c *Config) { c.BaseURL, c.UseGET = base, get })
			if _, err := c.CatListes(context.Background()); err != nil {
				t.Fatal(err)
			}
			r := s.last(t)
			want := "x_rsi_client=677&x_rsi_ws_login=xrsitest&x_rsi_ws_mdp=s3cret-mdp"
			if r.Path != "/site/ws_cat_listes" {
				t.Errorf("%s: path %s", base, r.Path)
			}
			if get && (r.Method != "GET" || r.RawQuery != want || r.Body != "") || !get && (r.Method != "POST" || r.Body != want || r.RawQuery != "") {
				t.Errorf("get=%v: %+v", get, r)
			}
		}
	}
}

func TestWireAPIHost(t *testing.T) {
	s := newSite(t, map[string][]byte{"ws_execute_programme": read(t, "spec/fiches_modifiees_ids.json")})
	c := s.client(t, nil)
	yes := true
	f, err := c.FichesModifieesSince(context.Background(), FichesQuery{Since: time.Date(2020, 12, 22, 9, 0, 0, 0, time.UTC), Export: ExportContacts, FiltreClient: &yes})
	if err != nil || len(f.Contacts) != 2 {
		t.Fatalf("%+v %v", f, err)
	}
	r := s.last(t)
	// ts is Paris wall time (UTC+1 in December).
	want := "Filtre_client=1&ts=2020-12-22T10%3A00%3A00&type_export=liste_contact&x_rsi_api_key=s3cret-api&x_rsi_client=677&x_rsi_login=WSCE&x_rsi_modele=ws_liste_fiches_modifiees"
	if r.Method != "GET" || r.Path != "/api/ws_execute_programme" || r.RawQuery != want {
		t.Fatalf("%s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	if got := c.Calls()["ws_execute_programme"]; got != 1 {
		t.Fatalf("calls %v", c.Calls())
	}
}

func TestWireCatalogueFilters(t *testing.T) {
	s := newSite(t, map[string][]byte{"ws_programmation": read(t, "flux_latin1.xml"), "ws_cat_spectacle": read(t, "flux_latin1.xml"), "ws_cat_histo_achat": read(t, "spec/cat_histo_achat.xml")})
	c := s.client(t, nil)
	ctx := context.Background()
	if _, err := c.Programmation(ctx, ProgrammationFilter{ModifiedSince: time.Date(2019, 6, 30, 23, 30, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if b := s.last(t).Body; b != "date_modif=20190701&filtre=1&x_rsi_client=677&x_rsi_ws_login=xrsitest&x_rsi_ws_mdp=s3cret-mdp" {
		t.Fatalf("programmation: %s", b)
	}
	if _, err := c.CatSpectacle(ctx, ProgrammationFilter{From: paris(2019, 1, 1, 0, 0, 0), To: paris(2019, 12, 1, 0, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	if f := s.last(t).Form; f.Get("date_debut") != "20190101" || f.Get("date_fin") != "20191201" || f.Get("filtre") != "1" {
		t.Fatalf("cat_spectacle: %v", f)
	}
	if _, err := c.CatHistoAchat(ctx, HistoFilter{Invalid: true, From: paris(2019, 7, 1, 0, 0, 0), To: paris(2019, 7, 31, 0, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	if f := s.last(t).Form; f.Get("etat_caddy") != "A" || f.Get("date_debut") != "01/07/2019" || f.Get("date_fin") != "31/07/2019" {
		t.Fatalf("histo: %v", f)
	}
	if got := c.Calls(); got["ws_programmation"] != 1 || got["ws_cat_spectacle"] != 1 || got["ws_cat_histo_achat"] != 1 {
		t.Fatalf("calls %v", got)
	}
}

func TestWireSpecialCharactersRoundTrip(t *testing.T) {
	s := okSite(t, "ws_login")
	c := s.client(t, nil)
	pw := "É&=+%#?/ \"'<>été"
	if _, err := c.Login(context.Background(), "T", "x@y.fr", pw); err != nil {
		t.Fatal(err)
	}
	got, _ := url.ParseQuery(s.last(t).Body)
	if got.Get("web_passe") != pw || strings.Contains(s.last(t).Body, " ") {
		t.Fatalf("round trip %q", got.Get("web_passe"))
	}
}
