package billetterie

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recorder is a fake ticketing site that records requests and answers a
// canned body per service.
type recorder struct {
	mu     sync.Mutex
	forms  map[string]url.Values
	method map[string]string
	bodies map[string][]byte
}

func newSite(t *testing.T, bodies map[string][]byte) (*recorder, *Client) {
	rec := &recorder{forms: map[string]url.Values{}, method: map[string]string{}, bodies: bodies}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		svc := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		rec.mu.Lock()
		rec.forms[svc], rec.method[svc] = r.Form, r.Method
		rec.mu.Unlock()
		b, ok := bodies[svc]
		if !ok {
			http.Error(w, "no", 404)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL + "/site", Login: "xrsitest", Password: "s3cret-mdp", Client: "677", PwdKey: "k3y"})
	if err != nil {
		t.Fatal(err)
	}
	return rec, c
}

func TestFluxLatin1DecimalCommasAndParisTime(t *testing.T) {
	f, err := Collect(bytes.NewReader(read(t, "flux_latin1.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Salles) != 1 || f.Salles[0].Nom != "Théâtre" || f.Salles[0].MereID != "3" {
		t.Fatalf("salles %+v", f.Salles)
	}
	g := f.Grilles[0]
	if g.Libelle != "TARIF A" || len(g.Tarifs) != 1 || g.Tarifs[0].Prix != 2200 || g.Tarifs[0].Frais != 150 || g.Tarifs[0].Categorie != "Plein" {
		t.Fatalf("grille %+v", g)
	}
	s := f.Spectacles[0]
	if s.Nom != "Titre été" || s.TitreLibre2 != "Sous-titre" || len(s.Representations) != 1 {
		t.Fatalf("spectacle %+v", s)
	}
	r := s.Representations[0]
	want := time.Date(2026, 6, 21, 21, 30, 0, 0, Paris)
	if !r.Debut.Equal(want) || r.Debut.Format(time.RFC3339) != "2026-06-21T21:30:00+02:00" || r.Duree != 90*time.Minute || r.Dispo != 0 || r.Ident != "9" {
		t.Fatalf("representation %+v", r)
	}
	if len(f.Abonnements) != 1 || f.Abonnements[0].Ident != "7" {
		t.Fatalf("abonnements %+v", f.Abonnements)
	}
}

func TestFluxErrorDocumentWithHTTP200(t *testing.T) {
	_, c := newSite(t, map[string][]byte{"ws_programmation": []byte(`<?xml version="1.0"?><ROOT><ERREUR><MESSAGE>Client inconnu</MESSAGE></ERREUR></ROOT>`)})
	_, err := c.Programmation(context.Background(), ProgrammationFilter{})
	if !errs.Is(errs.Unavailable, err) || !strings.Contains(err.Error(), "Client inconnu") {
		t.Fatalf("got %v", err)
	}
}

func TestFluxBoundedMemoryStreaming(t *testing.T) {
	// 20,000 shows streamed through a pipe: the parser never holds the document.
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, `<?xml version="1.0" encoding="UTF-8"?><ROOT><SPECTACLES>`)
		for i := 0; i < 20000; i++ {
			fmt.Fprintf(pw, `<SPECTACLE IDENT="%d" NOM="Show %d"><REPRESENTATIONS><REPRESENTATION IDENT="%d" REP_DATE="01/12/2026" REP_HEURE="20:30:00"/></REPRESENTATIONS></SPECTACLE>`, i, i, i)
		}
		fmt.Fprint(pw, `</SPECTACLES></ROOT>`)
		pw.Close()
	}()
	n := 0
	if err := ParseFlux(pr, func(it Item) error { n++; return nil }); err != nil || n != 20000 {
		t.Fatalf("n=%d err=%v", n, err)
	}
}

func TestEnvelopeStatusCodes(t *testing.T) {
	cases := []struct {
		code int
		kind errs.Kind
	}{{3, errs.UpstreamAuth}, {4, errs.Invalid}, {504, errs.Unauthenticated}, {518, errs.Conflict}, {523, errs.Invalid},
		{524, errs.Invalid}, {605, errs.Unauthenticated}, {904, errs.NotFound}, {7, errs.Unavailable}, {999, errs.Unavailable}}
	for _, tc := range cases {
		body := fmt.Sprintf(`{"retour":{"statut":{"code":%d,"traitement":"ko","message":"msg %d"},"message":{}}}`, tc.code, tc.code)
		_, err := decodeEnvelope("ws_x", []byte(body), nil)
		e := errs.Find(err)
		if e == nil || e.Kind != tc.kind || e.Code != fmt.Sprint(tc.code) {
			t.Errorf("code %d: %v (kind %v)", tc.code, err, errs.KindOf(err))
		}
	}
	if _, err := decodeEnvelope("ws_x", []byte(`<html>oops`), nil); !errs.Is(errs.Unavailable, err) {
		t.Fatalf("garbage: %v", err)
	}
}

func TestGoldenJSONServices(t *testing.T) {
	_, c := newSite(t, map[string][]byte{
		"ws_idsession":           read(t, "idsession.json"),
		"ws_info_telechargement": read(t, "info_telechargement.json"),
		"ws_recap_achat":         read(t, "recap_achat.json"),
		"ws_det_achat":           read(t, "det_achat.xml"),
	})
	ctx := context.Background()
	s, err := c.IDSession(ctx)
	if err != nil || s.Jeton != "A25DD850FF131140BA09A8B9ADFEE79A" || s.TempsRestant != 172800 || s.Duree != "PT48H" {
		t.Fatalf("idsession %+v %v", s, err)
	}
	tl, err := c.InfoTelechargement(ctx, s.Jeton)
	if err != nil || len(tl.Telechargeables) != 1 {
		t.Fatalf("telechargement %+v %v", tl, err)
	}
	tk := tl.Telechargeables[0]
	if tk.CodeRep.String() != "12151" || tk.NumSpectacle.String() != "2185" || tk.Prix != 1800 || tk.DTSTART != "20190709T203000" || tk.Type != 2 {
		t.Fatalf("ticket %+v", tk)
	}
	lines, err := c.RecapAchat(ctx, "24971")
	if err != nil || len(lines) != 2 || lines[0].PrixTotal != 240 || lines[1].RefRep.String() != "8380" || lines[1].ListePlace != "N-14" {
		t.Fatalf("recap %+v %v", lines, err)
	}
	cd, err := c.DetAchat(ctx, "073101758907")
	if err != nil {
		t.Fatal(err)
	}
	sold, _ := ParseISOLocal(cd.Transaction.DateVente)
	if cd.Transaction.Montant != 7540 || sold.Format(time.RFC3339) != "2014-07-31T10:53:52+02:00" || len(cd.Produits.Cartes[0].Billets) != 1 ||
		cd.Produits.Cartes[0].Billets[0].RefRep != "5182" || cd.Produits.Articles[0].Prestations[0].PrixTotal != 100 || cd.Produits.Prestations[0].Type != 3 {
		t.Fatalf("caddy %+v", cd)
	}
}

func TestRequestWire(t *testing.T) {
	rec, c := newSite(t, map[string][]byte{
		"ws_ccontact":             []byte(`{"retour":{"statut":{"code":513,"traitement":"ok","message":"Contact créé"},"message":{"id_contact":42}}}`),
		"ws_modification_contact": []byte(`{"retour":{"statut":{"code":508,"traitement":"ok","message":"ok"},"message":{}}}`),
		"ws_organisme_creation":   []byte(`{"retour":{"statut":{"code":901,"traitement":"ok","message":"ok"},"message":{"organisme":{"id_organisme":5}}}}`),
	})
	ctx := context.Background()
	id, err := c.CContact(ctx, "TOK", ContactFields{Nom: "Durand", Mail: "a@b.fr"}, "Secret2026", "Secret2026", []int{16, 17})
	if err != nil || id != "42" {
		t.Fatalf("ccontact %v %v", id, err)
	}
	f := rec.forms["ws_ccontact"]
	if rec.method["ws_ccontact"] != "POST" || f.Get("x_rsi_ws_login") != "xrsitest" || f.Get("x_rsi_client") != "677" || f.Get("v_nom") != "Durand" ||
		strings.Join(f["liste[]"], ",") != "16,17" || f.Get("creation_compte") != "1" || f.Get("x_rsi_token") != "TOK" {
		t.Fatalf("ccontact form %v", f)
	}
	if err := c.ModificationContact(ctx, "TOK", ContactFields{}, ChoiceUpdate{"145": true}, ChoiceUpdate{"96": false}); err != nil {
		t.Fatal(err)
	}
	if f := rec.forms["ws_modification_contact"]; f.Get("liste_maj_code_envoi[145]") != "2" || f.Get("liste_maj_interet[96]") != "3" {
		t.Fatalf("modification form %v", f)
	}
	if _, err := c.OrganismeCreation(ctx, Organisme{Intitule: "Ministère", Nature: "Administration"}, nil); err != nil {
		t.Fatal(err)
	}
	if o := rec.forms["ws_organisme_creation"].Get("organisme"); o != b64JSON(Organisme{Intitule: "Ministère", Nature: "Administration"}) {
		t.Fatalf("organisme param %q", o)
	}
}

func TestValidationMakesNoCall(t *testing.T) {
	rec, c := newSite(t, map[string][]byte{})
	ctx := context.Background()
	for _, pw := range []string{"court1A", "sansmajuscule1", "SANSMINUSCULE1", "SansChiffre", "Avec@rob1"} {
		if _, err := c.CContact(ctx, "TOK", ContactFields{Nom: "X", Mail: "x@y.fr"}, pw, pw, nil); !errs.Is(errs.Invalid, err) {
			t.Fatalf("%q: %v", pw, err)
		}
	}
	if _, err := c.CContact(ctx, "TOK", ContactFields{Nom: strings.Repeat("x", 51), Mail: "x@y.fr"}, "Secret2026", "Secret2026", nil); errs.Find(err) == nil || errs.Find(err).Field != "v_nom" {
		t.Fatalf("long name: %v", err)
	}
	if _, err := c.StatusSession(ctx, ""); !errs.Is(errs.Unauthenticated, err) {
		t.Fatalf("no token: %v", err)
	}
	if len(rec.forms) != 0 || len(c.Calls()) != 0 {
		t.Fatalf("calls made: %v", rec.forms)
	}
}

func TestSecretsNeverInErrorsOrStrings(t *testing.T) {
	c, _ := New(Config{BaseURL: "http://127.0.0.1:1/", Login: "l", Password: "s3cret-mdp", Client: "1", APIKey: "s3cret-api", UseGET: true, Timeout: time.Second})
	_, err := c.IDSession(context.Background())
	for _, s := range []string{fmt.Sprint(err), fmt.Sprintf("%v %+v %#v", c.cfg, c.cfg, c.cfg)} {
		if strings.Contains(s, "s3cret") {
			t.Fatalf("secret leaked: %s", s)
		}
	}
	if !errs.Is(errs.Unavailable, err) {
		t.Fatalf("unreachable: %v", err)
	}
}

func TestMoneyParsing(t *testing.T) {
	for in, want := range map[string]Cents{"22,00": 2200, "2.4": 240, "000": 0, "18": 1800, "0,1": 10, "5,5": 550, "-3,25": -325, "1,005": 101} {
		if got, err := ParseEuros(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
}

func TestDeepLinks(t *testing.T) {
	l := Links{Base: "https://billetterie.example.fr/", Lang: 1, Option: "newsletter-dec"}
	if got := l.Show("577", "6675", ""); got != "https://billetterie.example.fr/spectacle?id_event=6675&id_spectacle=577&lng=1&x_rsi_option=newsletter-dec" {
		t.Fatalf("show: %s", got)
	}
	if got := l.Basket("TOK"); !strings.Contains(got, "x_rsi_token=TOK") {
		t.Fatalf("basket: %s", got)
	}
	if got := l.ShowCatalogue(&LinkFilter{Category: "chanson", From: "04/09/2015"}, ""); !strings.Contains(got, "filtre=1") || !strings.Contains(got, "categ=chanson") || strings.Contains(got, "x_rsi_token") {
		t.Fatalf("catalogue: %s", got)
	}
}

func FuzzFlux(f *testing.F) {
	f.Add(read(f, "flux_latin1.xml"))
	f.Add([]byte(`<ROOT><ERREUR><MESSAGE>x</MESSAGE></ERREUR></ROOT>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseFlux(bytes.NewReader(b), func(Item) error { return nil })
	})
}

func FuzzEnvelope(f *testing.F) {
	f.Add(read(f, "idsession.json"))
	f.Add(read(f, "info_telechargement.json"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s SessionInfo
		decodeEnvelope("ws_fuzz", b, &s)
	})
}

func FuzzCaddy(f *testing.F) {
	f.Add(read(f, "det_achat.xml"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ParseCaddy(b)
	})
}
