package billetterie

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
)

func TestValidationBeforeAnyCall(t *testing.T) {
	s := okSite(t)
	c := s.client(t, nil)
	ctx := context.Background()
	good := ContactFields{Nom: "Durand", Mail: "eva@ex.fr"}
	long := func(n int) string { return strings.Repeat("é", n) }
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"password too short", func() error { _, err := c.CContact(ctx, "T", good, "Abc1234", "Abc1234", nil); return err }, "v_passe"},
		{"password no upper", func() error { _, err := c.CContact(ctx, "T", good, "abcdefg1", "abcdefg1", nil); return err }, "v_passe"},
		{"password no lower", func() error { _, err := c.CContact(ctx, "T", good, "ABCDEFG1", "ABCDEFG1", nil); return err }, "v_passe"},
		{"password no digit", func() error { _, err := c.CContact(ctx, "T", good, "Abcdefgh", "Abcdefgh", nil); return err }, "v_passe"},
		{"password with @", func() error { _, err := c.CContact(ctx, "T", good, "Abcd@fg1", "Abcd@fg1", nil); return err }, "v_passe"},
		{"confirmation differs", func() error { _, err := c.CContact(ctx, "T", good, "Abcdefg1", "Abcdefg2", nil); return err }, "v_passec"},
		{"nom required", func() error {
			_, err := c.CContact(ctx, "T", ContactFields{Mail: "a@b.fr"}, "Abcdefg1", "Abcdefg1", nil)
			return err
		}, "v_nom"},
		{"v_nom 38", func() error {
			_, err := c.CContact(ctx, "T", ContactFields{Nom: long(39), Mail: "a@b.fr"}, "Abcdefg1", "Abcdefg1", nil)
			return err
		}, "v_nom"},
		{"v_mail 80", func() error {
			_, err := c.CContact(ctx, "T", ContactFields{Nom: "X", Mail: long(76) + "@b.fr"}, "Abcdefg1", "Abcdefg1", nil)
			return err
		}, "v_mail"},
		{"v_mail format", func() error {
			_, err := c.CContact(ctx, "T", ContactFields{Nom: "X", Mail: "pas-un-mail"}, "Abcdefg1", "Abcdefg1", nil)
			return err
		}, "v_mail"},
		{"v_cp 10", func() error {
			_, err := c.UpdateContact(ctx, "T", 1, ContactFields{CodePostal: "12345678901"}, nil, nil)
			return err
		}, "v_cp"},
		{"v_tel_port 20", func() error {
			_, err := c.UpdateContact(ctx, "T", 1, ContactFields{TelPort: long(21)}, nil, nil)
			return err
		}, "v_tel_port"},
		{"web_civil 40", func() error {
			_, err := c.UpdateContact(ctx, "T", 1, ContactFields{Civilite: long(41)}, nil, nil)
			return err
		}, "web_civil"},
		{"v_naissance date", func() error {
			_, err := c.UpdateContact(ctx, "T", 1, ContactFields{Naissance: "12/03/1990"}, nil, nil)
			return err
		}, "v_naissance"},
		{"champ libre 6 numeric", func() error {
			_, err := c.UpdateContact(ctx, "T", 1, ContactFields{ChampsLibres: map[int]string{6: "abc"}}, nil, nil)
			return err
		}, "vW_Commentaire14"},
		{"choice id", func() error {
			_, err := c.UpdateContact(ctx, "T", 1, ContactFields{}, ChoiceUpdate{"abc": true}, nil)
			return err
		}, "liste_maj_code_envoi[]"},
		{"adresse ville 38", func() error {
			_, err := c.UpdateContact(ctx, "T", 1, ContactFields{Adresses: []Adresse{{TypeAdresse: "Principale", Ville: Text(long(39))}}}, nil, nil)
			return err
		}, "adresses.ville"},
		{"adresse type required", func() error {
			_, err := c.UpdateContact(ctx, "T", 1, ContactFields{Adresses: []Adresse{{Ville: "Lyon"}}}, nil, nil)
			return err
		}, "adresses.type_adresse"},
		{"niveau 40", func() error {
			_, err := c.UpdateContact(ctx, "T", 1, ContactFields{NiveauxDeRelations: []NiveauRelation{{NiveauRelation: Text(long(41))}}}, nil, nil)
			return err
		}, "Niveau_de_relations.Niveau_relation"},
		{"id_contact", func() error { _, err := c.InfoContact(ctx, "12a"); return err }, "id_contact"},
		{"recap id_contact", func() error { _, err := c.RecapAchat(ctx, ""); return err }, "id_contact"},
		{"id_caddy", func() error { _, err := c.DetAchat(ctx, " "); return err }, "id_caddy"},
		{"id_spectacle", func() error { _, err := c.DetSpectacle(ctx, ""); return err }, "id_spectacle"},
		{"id_representation", func() error { _, err := c.DetRepresentation(ctx, "-3"); return err }, "id_representation"},
		{"id_abonnement", func() error { _, err := c.DetAbonnement(ctx, "x"); return err }, "id_abonnement"},
		{"id_article", func() error { _, err := c.DetArticle(ctx, ""); return err }, "id_article"},
		{"id_liste", func() error { _, err := c.CatContactsListe(ctx, ""); return err }, "id_liste"},
		{"login", func() error { _, err := c.Login(ctx, "T", "", "x"); return err }, "web_ident"},
		{"pwd login", func() error { return c.ChangePassword(ctx, PasswordChange{New: "Abcdefg1"}) }, "w_identifiant"},
		{"pwd rules", func() error { return c.ChangePassword(ctx, PasswordChange{Login: "a@b.fr", New: "abc"}) }, "v_passe"},
		{"pwd same", func() error {
			return c.ChangePassword(ctx, PasswordChange{Login: "a@b.fr", New: "Abcdefg1", Current: "Abcdefg1"})
		}, "v_passe"},
		{"organisme intitule", func() error { _, err := c.CreateOrganisme(ctx, Organisme{Nature: "X"}, nil); return err }, "intitule"},
		{"organisme nature", func() error { _, err := c.CreateOrganisme(ctx, Organisme{Intitule: "X"}, nil); return err }, "nature"},
		{"organisme intitule 38", func() error {
			_, err := c.CreateOrganisme(ctx, Organisme{Intitule: Text(long(39)), Nature: "X"}, nil)
			return err
		}, "organisme.intitule"},
		{"organisme id", func() error { _, err := c.UpdateOrganisme(ctx, Organisme{Intitule: "X", Nature: "Y"}, nil); return err }, "id_organisme"},
		{"criteres valeur", func() error {
			_, err := c.CreateOrganisme(ctx, Organisme{Intitule: "X", Nature: "Y", CriteresInput: &CriteresInput{IDFormulaire: 1, ListeChamps: []CritereInput{{"c", 1.5}}}}, nil)
			return err
		}, "criteres.liste_champs.valeur"},
		{"attach action", func() error { _, err := c.AttachContacts(ctx, "9505", []Attachement{{IDContact: "36"}}); return err }, "contacts.action_attachement"},
		{"attach value", func() error {
			_, err := c.AttachContacts(ctx, "9505", []Attachement{{IDContact: "36", ActionAttachement: "attach"}})
			return err
		}, "contacts.action_attachement"},
		{"attach fonction", func() error {
			_, err := c.AttachContacts(ctx, "9505", []Attachement{{IDContact: "36", ActionFonction: "attacher"}})
			return err
		}, "contacts.fonction"},
		{"attach contact", func() error {
			_, err := c.AttachContacts(ctx, "9505", []Attachement{{ActionAttachement: "attacher"}})
			return err
		}, "contacts.id_contact"},
		{"attach organisme", func() error {
			_, err := c.AttachContacts(ctx, "", []Attachement{{IDContact: "1", ActionAttachement: "attacher"}})
			return err
		}, "id_organisme"},
		{"programmation range", func() error {
			_, err := c.Programmation(ctx, ProgrammationFilter{From: time.Now()})
			return err
		}, "date_fin"},
		{"histo range", func() error { _, err := c.CatHistoAchat(ctx, HistoFilter{To: time.Now()}); return err }, "date_fin"},
		{"fiches ts", func() error { _, err := c.FichesModifieesSince(ctx, FichesQuery{}); return err }, "ts"},
		{"fiches export", func() error {
			_, err := c.FichesModifieesSince(ctx, FichesQuery{Since: time.Now(), Export: "tout"})
			return err
		}, "type_export"},
	}
	for _, tc := range cases {
		err := tc.call()
		e := errs.Find(err)
		if e == nil || e.Kind != errs.Invalid || e.Field != tc.field || !strings.Contains(e.Message, tc.field) {
			t.Errorf("%s: %v (field %q)", tc.name, err, func() string {
				if e != nil {
					return e.Field
				}
				return ""
			}())
		}
	}
	for _, call := range []func() error{
		func() error { _, err := c.SessionStatus(ctx, " "); return err },
		func() error { _, err := c.InfoTelechargement(ctx, ""); return err },
		func() error { return c.ModificationPwd(ctx, "", "a", "Abcdefg1") },
	} {
		if err := call(); !errs.Is(errs.Unauthenticated, err) {
			t.Errorf("no token: %v", err)
		}
	}
	if s.count() != 0 || len(c.Calls()) != 0 {
		t.Fatalf("%d requests made, calls %v", s.count(), c.Calls())
	}
}

func TestSecretsNeverShown(t *testing.T) {
	cfg := Config{BaseURL: "http://127.0.0.1:1/", Login: "l", Password: "s3cret-mdp", Client: "1", APIURL: "http://127.0.0.1:1/",
		APILogin: "W", APIKey: "s3cret-api", PwdKey: "s3cret-pwd", UseGET: true, Timeout: time.Second}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := c.CreateSession(context.Background())
	_, err2 := c.ListeFichesModifiees(context.Background(), time.Now())
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("cfg", "cfg", cfg, "client", c)
	for _, s := range []string{fmt.Sprint(err1), fmt.Sprint(err2), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg), fmt.Sprint(c), logs.String()} {
		if strings.Contains(s, "s3cret") {
			t.Fatalf("secret leaked: %s", s)
		}
	}
	if !errs.Is(errs.Unavailable, err1) || !strings.Contains(fmt.Sprint(cfg), "(masked)") {
		t.Fatalf("unreachable: %v / %v", err1, cfg)
	}
}

func TestTransportFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("http 500", func(t *testing.T) {
		s := okSite(t, "ws_idsession")
		s.status = 500
		_, err := s.client(t, nil).CreateSession(ctx)
		if e := errs.Find(err); e == nil || e.Kind != errs.Unavailable || e.Code != "HTTP 500" {
			t.Fatalf("%v", err)
		}
	})
	t.Run("http 429", func(t *testing.T) {
		s := okSite(t, "ws_idsession")
		s.status = 429
		if _, err := s.client(t, nil).CreateSession(ctx); !errs.Is(errs.RateLimited, err) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		s := newSite(t, map[string][]byte{"ws_idsession": []byte("\x00\xffgarbage"), "ws_programmation": []byte("<ROOT><SPECTACLE IDENT='1'><oops></ROOT>")})
		c := s.client(t, nil)
		if _, err := c.CreateSession(ctx); !errs.Is(errs.Unavailable, err) {
			t.Fatalf("json: %v", err)
		}
		if _, err := c.Programmation(ctx, ProgrammationFilter{}); !errs.Is(errs.Unavailable, err) {
			t.Fatalf("xml: %v", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		c, _ := New(Config{BaseURL: srv.URL, Timeout: 50 * time.Millisecond})
		if _, err := c.CreateSession(ctx); !errs.Is(errs.Timeout, err) {
			t.Fatalf("%v", err)
		}
		if err := c.StreamProgrammation(ctx, ProgrammationFilter{}, func(Item) error { return nil }); !errs.Is(errs.Timeout, err) {
			t.Fatalf("flux: %v", err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		u := srv.URL
		srv.Close()
		c, _ := New(Config{BaseURL: u})
		if _, err := c.CreateSession(ctx); !errs.Is(errs.Unavailable, err) {
			t.Fatalf("%v", err)
		}
	})
	t.Run("bad config", func(t *testing.T) {
		for _, u := range []string{"", "ftp://x", "billetterie.fr", "http://"} {
			if _, err := New(Config{BaseURL: u}); !errs.Is(errs.Invalid, err) {
				t.Errorf("%q: %v", u, err)
			}
		}
		c, _ := New(Config{BaseURL: "http://x"})
		if err := c.ChangePassword(ctx, PasswordChange{Login: "a@b.fr", New: "Abcdefg1"}); !errs.Is(errs.Internal, err) {
			t.Errorf("no pwd key: %v", err)
		}
		if _, err := c.ListeFichesModifiees(ctx, time.Now()); !errs.Is(errs.Internal, err) {
			t.Errorf("no api: %v", err)
		}
	})
}

func TestMoney(t *testing.T) {
	for in, want := range map[string]Cents{"22,00": 2200, "2.4": 240, "000": 0, "18": 1800, "0,1": 10, "5,5": 550, "-3,25": -325,
		"1,005": 101, "1,004": 100, "2.4e1": 2400, "1E-2": 1, "0.015": 2, "-0.015": -2, "19.99": 1999, "0.1": 10, "1234567.89": 123456789, "": 0} {
		if got, err := ParseEuros(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"abc", "1,2,3", "1.2.3", "--1", "1e", "e5", ".", "1e999"} {
		if _, err := ParseEuros(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	var c Cents
	for in, want := range map[string]Cents{`2.4`: 240, `"18,00 €"`: 1800, `null`: 0, `0.29`: 29, `1.005`: 101, `""`: 0, `"gratuit"`: 0, `{}`: 0} {
		if err := c.UnmarshalJSON([]byte(in)); err != nil || c != want {
			t.Errorf("json %s: %d %v", in, c, err)
		}
	}
	if b, _ := Cents(240).MarshalJSON(); string(b) != "2.4" || Cents(-5).String() != "-0,05" || Cents(2200).String() != "22,00" {
		t.Errorf("render %s %s", b, Cents(-5))
	}
}

func TestCallsCountedConcurrently(t *testing.T) {
	s := newSite(t, map[string][]byte{"ws_idsession": read(t, "spec/idsession.json"), "ws_cat_listes": read(t, "spec/cat_listes.json")})
	c := s.client(t, nil)
	done := make(chan error)
	for i := 0; i < 40; i++ {
		go func() {
			_, err := c.CreateSession(context.Background())
			if err == nil {
				_, err = c.CatListes(context.Background())
			}
			done <- err
		}()
	}
	for i := 0; i < 40; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	got := c.Calls()
	if got["ws_idsession"] != 40 || got["ws_cat_listes"] != 40 || s.count() != 80 {
		t.Fatalf("calls %v, requests %d", got, s.count())
	}
	got["ws_idsession"] = 0 // a copy: the client's count stays
	if c.Calls()["ws_idsession"] != 40 {
		t.Fatal("Calls returned the live map")
	}
}

func TestCallerDeadlineAndCancel(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, _ := New(Config{BaseURL: srv.URL, Timeout: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.CreateSession(ctx); !errs.Is(errs.Timeout, err) {
		t.Fatalf("caller deadline: %v", err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel2() }()
	if _, err := c.CreateSession(ctx2); !errs.Is(errs.Unavailable, err) || !strings.Contains(err.Error(), "cancel") {
		t.Fatalf("cancelled: %v", err)
	}
}
