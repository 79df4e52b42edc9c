package billetterie

import (
	"context"
	"encoding/json"
	"flag"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
	sb "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/sandbox/fault"
	"github.com/guichet/guichet/sandbox/fixture"
)

// Contract tests: this client against the simulator, over HTTP.

// The contract tests run with the sandbox's vendor quirks on (-quirks=false
// turns them off): every answer arrives in the loose shapes real sites send.
var quirks = flag.Bool("quirks", true, "contract tests against the sandbox in vendor-quirks mode")

func sandbox(t *testing.T, mod func(*Config)) (*sb.Server, *Client) {
	t.Helper()
	sc := sb.DefaultConfig()
	sc.Quirks = *quirks
	srv := sb.New(sc)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	cfg := Config{BaseURL: hs.URL, Login: sc.Login, Password: sc.Password, Client: sc.Client,
		APIURL: hs.URL + "/", APILogin: sc.APILogin, APIKey: sc.APIKey, PwdKey: sc.PwdKey, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// signedIn opens a session and signs the demo visitor in.
func signedIn(t *testing.T, c *Client) string {
	t.Helper()
	ctx := context.Background()
	s, err := c.CreateSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, s.Jeton, fixture.DemoEmail, fixture.DemoPassword); err != nil {
		t.Fatal(err)
	}
	return s.Jeton
}

func TestContractCatalogue(t *testing.T) {
	for _, get := range []bool{false, true} {
		srv, c := sandbox(t, func(cfg *Config) { cfg.UseGET = get })
		seed := srv.Seed()
		ctx := context.Background()
		f, err := c.Programmation(ctx, ProgrammationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Spectacles) != len(seed.Shows) || len(f.Salles) != len(seed.Venues) || len(f.Abonnements) != len(seed.PassIDs) || len(f.Articles) != len(seed.ArticleIDs) || len(f.Grilles) == 0 {
			t.Fatalf("ws_programmation: %d shows (seed %d), %d venues (%d), %d passes (%d), %d articles (%d)", len(f.Spectacles), len(seed.Shows),
				len(f.Salles), len(seed.Venues), len(f.Abonnements), len(seed.PassIDs), len(f.Articles), len(seed.ArticleIDs))
		}
		first := seed.Shows[0]
		var show *Spectacle
		perfs := 0
		for i := range f.Spectacles {
			perfs += len(f.Spectacles[i].Representations)
			if f.Spectacles[i].Ident == first.ID {
				show = &f.Spectacles[i]
			}
		}
		if show == nil || show.Nom != first.Title || len(show.Representations) != len(first.PerformanceIDs) || show.Representations[0].Ident != first.PerformanceIDs[0] ||
			show.Representations[0].Debut.Location() != Paris || show.Representations[0].Debut.IsZero() || perfs != seed.Performances {
			t.Fatalf("show %+v (seed %+v), %d performances (seed %d)", show, first, perfs, seed.Performances)
		}
		gifts := 0
		for _, a := range f.Articles {
			if a.BonCadeau {
				gifts++
			}
			if a.Prix <= 0 {
				t.Errorf("article %+v without a price", a)
			}
		}
		if gifts != len(seed.GiftVoucherIDs) {
			t.Errorf("gift vouchers %d, seed %d", gifts, len(seed.GiftVoucherIDs))
		}
		// Incremental pull: a touched show comes back, the untouched ones do not.
		srv.TouchShow(first.ID)
		d, err := c.Programmation(ctx, ProgrammationFilter{ModifiedSince: time.Now()})
		if err != nil || len(d.Spectacles) == 0 || len(d.Spectacles) >= len(f.Spectacles) {
			t.Fatalf("date_modif: %d shows %v", len(d.Spectacles), err)
		}
		cs, err := c.CatSpectacle(ctx, ProgrammationFilter{})
		if err != nil || len(cs.Spectacles) != len(seed.Shows) {
			t.Fatalf("ws_cat_spectacle: %v", err)
		}
		ca, err := c.CatAbonnement(ctx)
		if err != nil || len(ca.Abonnements) != len(seed.PassIDs) {
			t.Fatalf("ws_cat_abonnement: %+v %v", ca, err)
		}
		cart, err := c.CatArticle(ctx)
		if err != nil || len(cart.Articles) != len(seed.ArticleIDs) {
			t.Fatalf("ws_cat_article: %v", err)
		}
		// ws_det_spectacle returns the performances still on sale: take a show playing later.
		var future *Spectacle
		for i := range f.Spectacles {
			if r := f.Spectacles[i].Representations; len(r) > 0 && r[len(r)-1].Debut.After(time.Now().Add(24*time.Hour)) {
				future = &f.Spectacles[i]
				break
			}
		}
		if future == nil {
			t.Fatal("no show plays in the future")
		}
		ds, err := c.DetSpectacle(ctx, future.Ident)
		if err != nil || ds.Ident != future.Ident || len(ds.Representations) == 0 || ds.Representations[0].Dispo < 0 ||
			!ds.Representations[len(ds.Representations)-1].Debut.Equal(future.Representations[len(future.Representations)-1].Debut) {
			t.Fatalf("ws_det_spectacle: %+v %v", ds, err)
		}
		pid := future.Representations[len(future.Representations)-1].Ident
		srv.SetSeatsLeft(pid, 17)
		dr, err := c.DetRepresentation(ctx, pid)
		if err != nil || dr.Ident != pid || dr.Dispo != 17 {
			t.Fatalf("ws_det_representation: %+v %v", dr, err)
		}
		da, err := c.DetAbonnement(ctx, seed.PassIDs[0])
		if err != nil || da.Ident != seed.PassIDs[0] || da.Prix <= 0 {
			t.Fatalf("ws_det_abonnement: %+v %v", da, err)
		}
		dart, err := c.DetArticle(ctx, seed.ArticleIDs[0])
		if err != nil || dart.Ident != seed.ArticleIDs[0] {
			t.Fatalf("ws_det_article: %+v %v", dart, err)
		}
		for name, call := range map[string]func() error{
			"ws_det_spectacle":      func() error { _, err := c.DetSpectacle(ctx, "999999999"); return err },
			"ws_det_representation": func() error { _, err := c.DetRepresentation(ctx, "999999999"); return err },
			"ws_det_abonnement":     func() error { _, err := c.DetAbonnement(ctx, "999999999"); return err },
			"ws_det_article":        func() error { _, err := c.DetArticle(ctx, "999999999"); return err },
		} {
			if err := call(); err == nil || (!errs.Is(errs.NotFound, err) && !errs.Is(errs.Unavailable, err)) {
				t.Errorf("%s unknown id: %v", name, err)
			}
		}
		calls := c.Calls()
		for _, svc := range []string{"ws_programmation", "ws_cat_spectacle", "ws_cat_abonnement", "ws_cat_article", "ws_det_spectacle",
			"ws_det_representation", "ws_det_abonnement", "ws_det_article"} {
			if calls[svc] == 0 || srv.Calls().Snapshot()[svc] != calls[svc] {
				t.Errorf("%s: client counted %d, sandbox %d", svc, calls[svc], srv.Calls().Snapshot()[svc])
			}
		}
	}
}

func TestContractSessionsAndContacts(t *testing.T) {
	srv, c := sandbox(t, nil)
	ctx := context.Background()
	s, err := c.CreateSession(ctx)
	if err != nil || len(s.Jeton) != 32 {
		t.Fatalf("ws_idsession: %+v %v", s, err)
	}
	st, err := c.SessionStatus(ctx, s.Jeton)
	if err != nil || st.Status != 1 || st.Login || st.TempsRestant <= 0 {
		t.Fatalf("ws_status_session anonymous: %+v %v", st, err)
	}
	if _, err := c.Login(ctx, s.Jeton, fixture.DemoEmail, "Wrong-pass1"); !errs.Is(errs.Unauthenticated, err) || errs.Find(err).Code != "504" {
		t.Fatalf("ws_login wrong password: %v", err)
	}
	lr, err := c.Login(ctx, s.Jeton, fixture.DemoEmail, fixture.DemoPassword)
	if err != nil || lr.Contact.IDContact.String() != srv.DemoContactID() || lr.Contact.IDClistru == "" {
		t.Fatalf("ws_login: %+v %v", lr, err)
	}
	st, err = c.SessionStatus(ctx, s.Jeton)
	if err != nil || !st.Login || st.Contact == nil || st.Contact.IDContact.String() != srv.DemoContactID() {
		t.Fatalf("ws_status_session signed in: %+v %v", st, err)
	}
	me, err := c.InfoContactSession(ctx, s.Jeton)
	if err != nil || !strings.EqualFold(string(me.Mail), fixture.DemoEmail) || me.Name == "" {
		t.Fatalf("ws_info_contact (session): %+v %v", me, err)
	}
	bo, err := c.InfoContact(ctx, srv.DemoContactID())
	if err != nil || bo.Mail != me.Mail {
		t.Fatalf("ws_info_contact (back office): %+v %v", bo, err)
	}
	if _, err := c.InfoContact(ctx, "99999999"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("ws_info_contact unknown: %v", err)
	}
	form, err := c.InfoFormulaire(ctx, 1)
	if err != nil || len(form.Formulaire) == 0 {
		t.Fatalf("ws_info_formulaire: %+v %v", form, err)
	}
	// Changes with a session: a field and a mailing preference.
	var codeID string
	if len(me.CodeEnvoi) > 0 {
		codeID = me.CodeEnvoi[0].ID.String()
	}
	upd := ChoiceUpdate{}
	if codeID != "" {
		upd[codeID] = !bool(me.CodeEnvoi[0].Checked)
	}
	if _, err := c.UpdateContact(ctx, s.Jeton, 1, ContactFields{Ville: "Villeurbanne"}, upd, nil); err != nil {
		t.Fatalf("ws_modification_contact (session): %v", err)
	}
	me2, err := c.InfoContactSession(ctx, s.Jeton)
	if err != nil || me2.Ville != "Villeurbanne" || (codeID != "" && me2.CodeEnvoi[0].Checked == me.CodeEnvoi[0].Checked) {
		t.Fatalf("after modification: ville %q codes %+v %v", me2.Ville, me2.CodeEnvoi, err)
	}
	if _, err := c.UpdateContactBackOffice(ctx, srv.DemoContactID(), ContactFields{TelPort: "0611223344"}, nil, nil); err != nil {
		t.Fatalf("ws_modification_contact (back office): %v", err)
	}
	if bo, _ := c.InfoContact(ctx, srv.DemoContactID()); bo == nil || bo.TelPort != "0611223344" {
		t.Fatalf("back-office change not visible: %+v", bo)
	}
	// Password: wrong current one, then a real change, then login with it.
	if err := c.ChangePassword(ctx, PasswordChange{Login: fixture.DemoEmail, New: "Nouveau2026x", Current: "Pas-le-bon1"}); !errs.Is(errs.Unauthenticated, err) {
		t.Fatalf("ws_modification_pwd wrong current: %v", err)
	}
	if err := c.ModificationPwd(ctx, s.Jeton, fixture.DemoPassword, "Nouveau2026x"); err != nil {
		t.Fatalf("ws_modification_pwd: %v", err)
	}
	s2, _ := c.CreateSession(ctx)
	if _, err := c.Login(ctx, s2.Jeton, fixture.DemoEmail, "Nouveau2026x"); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	if err := c.Logout(ctx, s.Jeton); err != nil {
		t.Fatalf("ws_deconnexion_session: %v", err)
	}
	if st, err := c.SessionStatus(ctx, s.Jeton); err == nil && st.Login {
		t.Fatalf("still signed in after logout: %+v", st)
	}
	// An unknown token is either refused (605) or reported expired (status 0).
	if st, err := c.SessionStatus(ctx, "00000000000000000000000000000000"); err == nil && (st.Status != 0 || bool(st.Login)) ||
		err != nil && (!errs.Is(errs.Unauthenticated, err) || errs.Find(err).Code != "605") {
		t.Fatalf("unknown token: %+v %v", st, err)
	}
	// A new account, signed in on its session, then deleted.
	s3, _ := c.CreateSession(ctx)
	lists, err := c.CatListes(ctx)
	if err != nil || len(lists) == 0 {
		t.Fatalf("ws_cat_listes: %v", err)
	}
	lid, _ := strconv.Atoi(lists[0].ID.String())
	cc, err := c.CreateContact(ctx, NewContact{Token: s3.Jeton, Fields: ContactFields{Civilite: "Mme", Nom: "Nouvelle", Prenom: "Éva", Mail: "eva.nouvelle@example.org"},
		Password: "Premier2026", Confirmation: "Premier2026", Lists: []int{lid}})
	if err != nil {
		t.Fatalf("ws_ccontact: %v", err)
	}
	if _, err := c.CreateContact(ctx, NewContact{Token: s3.Jeton, Fields: ContactFields{Nom: "Double", Mail: "eva.nouvelle@example.org"},
		Password: "Premier2026", Confirmation: "Premier2026"}); !errs.Is(errs.Conflict, err) {
		t.Fatalf("ws_ccontact existing email: %v", err)
	}
	st3, err := c.SessionStatus(ctx, s3.Jeton)
	if err != nil || !st3.Login {
		t.Fatalf("new account not signed in: %+v %v (created %+v)", st3, err, cc)
	}
	if err := c.DeleteAccount(ctx, s3.Jeton); err != nil {
		t.Fatalf("ws_suppression_compte: %v", err)
	}
	s4, _ := c.CreateSession(ctx)
	if _, err := c.Login(ctx, s4.Jeton, "eva.nouvelle@example.org", "Premier2026"); !errs.Is(errs.Unauthenticated, err) {
		t.Fatalf("deleted account still logs in: %v", err)
	}
}

func TestContractPurchasesAndHistory(t *testing.T) {
	srv, c := sandbox(t, nil)
	seed := srv.Seed()
	ctx := context.Background()
	tok := signedIn(t, c)
	tl, err := c.InfoTelechargement(ctx, tok)
	if err != nil || len(tl.Telechargeables)+len(tl.NonTelechargeables) == 0 {
		t.Fatalf("ws_info_telechargement: %+v %v", tl, err)
	}
	for _, tk := range tl.Telechargeables {
		if tk.Type == 1 { // a card: no performance
			continue
		}
		if start, err := tk.Start(); err != nil || start.IsZero() || tk.CodeRep == "0" || tk.Lien == "" || tk.StrQRCode == "" {
			t.Fatalf("ticket %+v", tk)
		}
	}
	cards, err := c.HistoriqueContact(ctx, tok, HistoriqueFilter{})
	if err != nil || len(cards) == 0 {
		t.Fatalf("ws_historique_contact: %+v %v", cards, err)
	}
	// filtre=1 with the card's public categories keeps it (case aside); another category drops it.
	if kept, err := c.HistoriqueContact(ctx, tok, HistoriqueFilter{Categorie: "tout public", CategSecUn: "Abonnement", CodeRegroup: "ABO"}); err != nil || len(kept) != len(cards) {
		t.Fatalf("matching filter: %d of %d, %v", len(kept), len(cards), err)
	}
	if none, err := c.HistoriqueContact(ctx, tok, HistoriqueFilter{CodeRegroup: "ADH"}); err != nil || len(none) != 0 {
		t.Fatalf("other category: %+v %v", none, err)
	}
	lines, err := c.RecapAchat(ctx, srv.DemoContactID())
	if err != nil || len(lines) == 0 {
		t.Fatalf("ws_recap_achat: %v", err)
	}
	orders := map[string]bool{}
	for _, l := range lines {
		orders[l.IDCaddy.String()] = true
		if l.Qtte > 0 && l.PrixTotal < 0 {
			t.Errorf("line %+v", l)
		}
	}
	if len(seed.DemoOrderIDs) == 0 {
		t.Fatal("no seeded order")
	}
	cd, err := c.DetAchat(ctx, seed.DemoOrderIDs[0])
	if err != nil || cd.ID != seed.DemoOrderIDs[0] || !orders[cd.ID] {
		t.Fatalf("ws_det_achat: %+v %v", cd, err)
	}
	sum := XInt(0)
	for _, b := range cd.Produits.Billets {
		sum += b.PrixTotal
	}
	for _, a := range cd.Produits.Articles {
		sum += a.PrixTotal
		for _, p := range a.Prestations {
			sum += p.PrixTotal
		}
	}
	for _, k := range cd.Produits.Cartes {
		sum += k.PrixTotal
		for _, b := range k.Billets {
			sum += b.PrixTotal
		}
		for _, p := range k.Prestations {
			sum += p.PrixTotal
		}
	}
	for _, p := range cd.Produits.Prestations {
		sum += p.PrixTotal
	}
	sold, _ := cd.SoldAt()
	if sum != cd.Transaction.Montant || sold.IsZero() {
		t.Errorf("order %s: lines sum to %d cents, montant %d; sold %v", cd.ID, sum, cd.Transaction.Montant, sold)
	}
	if _, err := c.DetAchat(ctx, "000000000000"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("ws_det_achat unknown: %v", err)
	}
	list, err := c.CatHistoAchat(ctx, HistoFilter{From: sold.AddDate(0, 0, -1), To: sold.AddDate(0, 0, 1)})
	if err != nil {
		t.Fatalf("ws_cat_histo_achat: %v", err)
	}
	found := false
	for _, o := range list {
		found = found || o.ID == cd.ID
	}
	if !found {
		t.Fatalf("ws_cat_histo_achat around %v misses %s (%d orders)", sold, cd.ID, len(list))
	}
}

func TestContractListsOrganisationsAPI(t *testing.T) {
	srv, c := sandbox(t, nil)
	seed := srv.Seed()
	ctx := context.Background()
	lists, err := c.CatListes(ctx)
	if err != nil || len(lists) != len(seed.ListIDs) {
		t.Fatalf("ws_cat_listes: %v", err)
	}
	if len(seed.DemoListIDs) > 0 {
		members, err := c.CatContactsListe(ctx, strconv.Itoa(seed.DemoListIDs[0]))
		demo := false
		for _, m := range members {
			demo = demo || (m.Contact != nil && m.Contact.ID.String() == srv.DemoContactID())
		}
		if err != nil || !demo {
			t.Fatalf("ws_cat_contacts_liste: %d members %v", len(members), err)
		}
	}
	if len(seed.OrganisationIDs) == 0 {
		t.Fatal("no seeded organisation")
	}
	o, err := c.InfoOrganisme(ctx, strconv.Itoa(seed.OrganisationIDs[0]))
	if err != nil || o.Intitule == "" || o.IDOrganisme.String() != strconv.Itoa(seed.OrganisationIDs[0]) {
		t.Fatalf("ws_info_organisme: %+v %v", o, err)
	}
	if _, err := c.InfoOrganisme(ctx, "99999999"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("unknown organisation: %v", err)
	}
	cr, err := c.CreateOrganisme(ctx, Organisme{Intitule: "Théâtre du Contrat", Nature: "Association",
		Adresses:          []Adresse{{TypeAdresse: "Principale", Adress1: "2 rue Hélène Boucher", CodePostal: "78280", Ville: "GUYANCOURT", Pays: "FRANCE", Prioritaire: true}},
		NiveauDeRelations: []NiveauRelation{{NiveauRelation: "Fournisseur", Checked: true}}},
		[]Attachement{{IDContact: json.Number(srv.DemoContactID()), ActionAttachement: "attacher", Service: "Direction"}})
	if err != nil || cr.Organisme.IDOrganisme == "" {
		t.Fatalf("ws_organisme_creation: %+v %v", cr, err)
	}
	id := cr.Organisme.IDOrganisme.String()
	if _, err := c.UpdateOrganisme(ctx, Organisme{IDOrganisme: cr.Organisme.IDOrganisme, Intitule: "Théâtre du Contrat 2", Nature: "Association"}, nil); err != nil {
		t.Fatalf("ws_organisme_modification: %v", err)
	}
	got, err := c.InfoOrganisme(ctx, id)
	if err != nil || got.Intitule != "Théâtre du Contrat 2" || len(got.Adresses) != 1 || got.Adresses[0].Ville != "GUYANCOURT" {
		t.Fatalf("after modification: %+v %v", got, err)
	}
	attached := false
	for _, ct := range got.Contacts {
		attached = attached || ct.IDContact.String() == srv.DemoContactID()
	}
	if !attached {
		t.Fatalf("creation's contact not attached: %+v", got.Contacts)
	}
	if _, err := c.UpdateOrganisme(ctx, Organisme{IDOrganisme: "99999999", Intitule: "X", Nature: "Y"}, nil); !errs.Is(errs.NotFound, err) {
		t.Fatalf("modification of an unknown organisation: %v", err)
	}
	rep, err := c.AttachContacts(ctx, id, []Attachement{{IDContact: json.Number(srv.DemoContactID()), ActionFonction: "attacher", Fonction: "Administrateur"},
		{IDContact: "99999999", ActionAttachement: "attacher"}})
	if e := errs.Find(err); e == nil || e.Code != "1111" || rep == nil || len(rep.Contacts) != 2 || len(rep.Contacts[1].Errors) == 0 || rep.Contacts[1].Errors[0].Code != 503 {
		t.Fatalf("ws_organisme_contacts with an unknown contact: %+v %v", rep, err)
	}
	if _, err := c.AttachContacts(ctx, id, []Attachement{{IDContact: json.Number(srv.DemoContactID()), ActionAttachement: "detacher"}}); err != nil {
		t.Fatalf("ws_organisme_contacts detach: %v", err)
	}
	f, err := c.ListeFichesModifiees(ctx, time.Now().Add(-time.Hour))
	if err != nil || len(f.Organismes) == 0 {
		t.Fatalf("ws_liste_fiches_modifiees ids: %+v %v", f, err)
	}
	full, err := c.FichesModifieesSince(ctx, FichesQuery{Since: time.Now().Add(-time.Hour)})
	if err != nil || len(full.ListeOrganismes) == 0 {
		t.Fatalf("ws_liste_fiches_modifiees full: %+v %v", full, err)
	}
	_, bad := sandbox(t, func(cfg *Config) { cfg.APIKey = "wrong" })
	if _, err := bad.ListeFichesModifiees(ctx, time.Now()); !errs.Is(errs.UpstreamAuth, err) {
		t.Fatalf("wrong API key: %v", err)
	}
}

func TestContractFaults(t *testing.T) {
	srv, c := sandbox(t, nil)
	ctx := context.Background()
	cases := []struct {
		mode fault.Mode
		kind errs.Kind
	}{{fault.HTTP500, errs.Unavailable}, {fault.Garbage, errs.Unavailable}, {fault.Reset, errs.Unavailable}, {fault.VendorErr, errs.Unavailable}, {fault.AuthError, errs.UpstreamAuth}}
	for _, tc := range cases {
		for _, svc := range []string{"ws_idsession", "ws_programmation", "ws_det_achat"} {
			srv.Faults().Set(svc, fault.Rule{Mode: tc.mode})
		}
		if _, err := c.CreateSession(ctx); !errs.Is(tc.kind, err) {
			t.Errorf("%v ws_idsession: %v", tc.mode, err)
		}
		if _, err := c.Programmation(ctx, ProgrammationFilter{}); !errs.Is(tc.kind, err) {
			t.Errorf("%v ws_programmation: %v", tc.mode, err)
		}
		if _, err := c.DetAchat(ctx, "1"); !errs.Is(tc.kind, err) && !(tc.mode == fault.VendorErr && errs.Is(errs.NotFound, err)) {
			t.Errorf("%v ws_det_achat: %v", tc.mode, err)
		}
	}
	srv.Faults().Reset()
	_, wrong := sandbox(t, func(cfg *Config) { cfg.Password = "not-the-password" })
	if _, err := wrong.CreateSession(ctx); !errs.Is(errs.UpstreamAuth, err) || errs.Find(err).Code != "3" {
		t.Fatalf("wrong credentials: %v", err)
	}
	if _, err := wrong.Programmation(ctx, ProgrammationFilter{}); !errs.Is(errs.UpstreamAuth, err) {
		t.Fatalf("wrong credentials, flux: %v", err)
	}
	srv.Faults().Set("ws_idsession", fault.Rule{Mode: fault.Hang})
	c2, _ := New(Config{BaseURL: c.SiteURL(), Login: c.cfg.Login, Password: c.cfg.Password, Client: c.cfg.Client, Timeout: 100 * time.Millisecond})
	if _, err := c2.CreateSession(ctx); !errs.Is(errs.Timeout, err) {
		t.Fatalf("hang: %v", err)
	}
}

var strictSandbox = flag.Bool("strict-sandbox", true, "run the contract checks of the optional object parameters (adresses, Niveau_de_relations, criteres); -strict-sandbox=false skips them")

// The optional object parameters, end to end: the client encodes them, the
// sandbox decodes, checks and applies them, and the reads show the result.
func TestContractSpecOnly(t *testing.T) {
	if !*strictSandbox {
		t.Skip("-strict-sandbox=false")
	}
	srv, c := sandbox(t, nil)
	ctx := context.Background()
	cr, err := c.CreateOrganisme(ctx, Organisme{Intitule: "P", Nature: "N", NiveauDeRelations: []NiveauRelation{{NiveauRelation: "Fournisseur", Checked: true}},
		Adresses:      []Adresse{{TypeAdresse: "Principale", Adress1: "2 rue helene boucher", Ville: "GUYANCOURT", Prioritaire: true}},
		CriteresInput: &CriteresInput{IDFormulaire: 6869, ListeChamps: []CritereInput{{"champ_1", 603}, {"champ_2", []int64{608, 607}}, {"champ_3", "Commentaire"}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := cr.Organisme.IDOrganisme.String()
	o, err := c.InfoOrganisme(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.NiveauDeRelations) != 1 || o.NiveauDeRelations[0].NiveauRelation != "Fournisseur" || !o.NiveauDeRelations[0].Checked ||
		o.NiveauDeRelations[0].NumOrganisme.String() != id || o.NiveauDeRelations[0].NumIDUnique == "" {
		t.Errorf("Niveau_de_relations parameter: %+v", o.NiveauDeRelations)
	}
	if o.Criteres == nil || o.Criteres.IDFormulaire != 6869 || len(o.Criteres.ListeChamps) != 3 {
		t.Fatalf("criteres parameter / get_criteres=1: %+v", o.Criteres)
	}
	ch := o.Criteres.ListeChamps
	if v := ch[0].Values(); len(v) != 1 || v[0].ID != "603" || v[0].Libelle != "Danse" || ch[0].MultiValeur {
		t.Errorf("champ_1: %+v", ch[0])
	}
	if v := ch[1].Values(); len(v) != 2 || v[0].ID != "608" || v[1].ID != "607" || !ch[1].MultiValeur {
		t.Errorf("champ_2: %+v", ch[1])
	}
	if ch[2].Text() != "Commentaire" || ch[2].Type != "texte" {
		t.Errorf("champ_3: %+v", ch[2])
	}
	if len(o.Adresses) != 1 || o.Adresses[0].IDAdresse == "" || o.Adresses[0].IDOrganisme.String() != id {
		t.Fatalf("adresses: %+v", o.Adresses)
	}
	// Same type_adresse updates (annex 4.3.1), a new one adds; "relais"
	// removes nothing it does not hold, "FOURNISSEUR" matches regardless of case.
	_, err = c.UpdateOrganisme(ctx, Organisme{IDOrganisme: cr.Organisme.IDOrganisme, Intitule: "P", Nature: "N",
		Adresses: []Adresse{{TypeAdresse: "principale", Adress1: "3 rue helene boucher", Ville: "GUYANCOURT", IDAdresse: o.Adresses[0].IDAdresse},
			{TypeAdresse: "Facturation", Ville: "Paris"}},
		NiveauDeRelations: []NiveauRelation{{NiveauRelation: "FOURNISSEUR", Checked: false}, {NiveauRelation: "Relais", Checked: true}},
		CriteresInput:     &CriteresInput{IDFormulaire: 6869, ListeChamps: []CritereInput{{"champ_1", 605}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	o, err = c.InfoOrganisme(ctx, id)
	if err != nil || len(o.Adresses) != 2 || o.Adresses[0].Adress1 != "3 rue helene boucher" || o.Adresses[1].Ville != "Paris" ||
		len(o.NiveauDeRelations) != 1 || o.NiveauDeRelations[0].NiveauRelation != "Relais" || o.Criteres.ListeChamps[0].Values()[0].ID != "605" ||
		len(o.Criteres.ListeChamps[1].Values()) != 2 {
		t.Fatalf("after modification: %+v %v", o, err)
	}
	// An update whose id_adresse contradicts the record: 1000, nothing changes.
	_, err = c.UpdateOrganisme(ctx, Organisme{IDOrganisme: cr.Organisme.IDOrganisme, Intitule: "Autre", Nature: "N",
		Adresses: []Adresse{{TypeAdresse: "Principale", IDAdresse: o.Adresses[0].IDAdresse + "1"}}}, nil)
	if e := errs.Find(err); e == nil || e.Code != "1000" || !errs.Is(errs.Invalid, err) {
		t.Fatalf("contradicting id_adresse: %v", err)
	}
	if again, _ := c.InfoOrganisme(ctx, id); again.Intitule != "P" {
		t.Fatalf("refused modification applied: %q", again.Intitule)
	}
	// Criteria the venue's form does not have: 908, before any change.
	_, err = c.UpdateOrganisme(ctx, Organisme{IDOrganisme: cr.Organisme.IDOrganisme, Intitule: "P", Nature: "N",
		CriteresInput: &CriteresInput{IDFormulaire: 6869, ListeChamps: []CritereInput{{"champ_9", 1}}}}, nil)
	if e := errs.Find(err); e == nil || e.Code != "908" {
		t.Fatalf("unknown criterion: %v", err)
	}
	_, err = c.UpdateOrganisme(ctx, Organisme{IDOrganisme: cr.Organisme.IDOrganisme, Intitule: "P", Nature: "N",
		CriteresInput: &CriteresInput{IDFormulaire: 1, ListeChamps: []CritereInput{{"champ_1", 603}}}}, nil)
	if e := errs.Find(err); e == nil || e.Code != "907" {
		t.Fatalf("wrong criteria form: %v", err)
	}

	tok := signedIn(t, c)
	if _, err := c.UpdateContact(ctx, tok, 1, ContactFields{Adress4: "BAT C", Adresses: []Adresse{{TypeAdresse: "Secondaire", Ville: "Lyon"}},
		NiveauxDeRelations: []NiveauRelation{{NiveauRelation: "Ami", Checked: true}}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	me, err := c.InfoContactSession(ctx, tok)
	if err != nil || me.Adress4 != "BAT C" || len(me.Adresses) != 1 || me.Adresses[0].Ville != "Lyon" || me.Adresses[0].IDContact.String() != srv.DemoContactID() ||
		len(me.NiveauDeRelations) != 1 || me.NiveauDeRelations[0].NiveauRelation != "Ami" || !bool(me.NiveauDeRelations[0].Checked) {
		t.Fatalf("contact adresses/Niveau_de_relations/v_adr4: %+v %v", me, err)
	}
	if _, err := c.UpdateContactBackOffice(ctx, srv.DemoContactID(), ContactFields{NiveauxDeRelations: []NiveauRelation{{NiveauRelation: "ami", Checked: false}}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if me, err = c.InfoContact(ctx, srv.DemoContactID()); err != nil || len(me.NiveauDeRelations) != 0 {
		t.Fatalf("level removed by the back-office form: %+v %v", me, err)
	}
	// A new account with its optional objects.
	s2, err := c.CreateSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := c.CreateContact(ctx, NewContact{Token: s2.Jeton, Password: "Secret123", Confirmation: "Secret123", Fields: ContactFields{
		Nom: "Objets", Mail: "objets@exemple.fr", Adresses: []Adresse{{TypeAdresse: "Principale", Ville: "Bron"}},
		NiveauxDeRelations: []NiveauRelation{{NiveauRelation: "Abonné", Checked: true}}}})
	if err != nil || len(nc.Contact.Adresses) != 1 || nc.Contact.Adresses[0].Ville != "Bron" || len(nc.Contact.NiveauDeRelations) != 1 {
		t.Fatalf("ws_ccontact with adresses and Niveau_de_relations: %+v %v", nc, err)
	}
}

// Undecodable object parameters are the vendor's "Problème de paramètre"
// (code 4) naming the parameter, whatever the service.
func TestContractBadObjectParameters(t *testing.T) {
	_, c := sandbox(t, nil)
	ctx := context.Background()
	tok := signedIn(t, c)
	notJSON := "bm90IGpzb24=" // base64("not json")
	for _, tc := range []struct {
		service string
		form    url.Values
		code    string
		detail  string
	}{
		{"ws_organisme_creation", c.creds(url.Values{"organisme": {"***"}}), "4", "organisme : base64 invalide"},
		{"ws_organisme_creation", c.creds(url.Values{"organisme": {b64JSON(map[string]string{"intitule": "x", "nature": "y"})}, "adresses": {notJSON}}), "4", "adresses : JSON invalide"},
		{"ws_organisme_creation", c.creds(url.Values{"organisme": {b64JSON(map[string]string{"intitule": "x", "nature": "y"})}, "Niveau_de_relations": {"%%%"}}), "4", "Niveau_de_relations : base64 invalide"},
		{"ws_organisme_creation", c.creds(url.Values{"organisme": {b64JSON(map[string]string{"intitule": "x", "nature": "y"})}, "criteres": {"{id_formulaire:"}}), "4", "criteres : JSON invalide"},
		{"ws_organisme_creation", c.creds(url.Values{"organisme": {b64JSON(map[string]string{"intitule": "x", "nature": "y"})}, "criteres": {`{"id_formulaire":6869}`}}), "909", ""},
		{"ws_organisme_creation", c.creds(url.Values{"organisme": {b64JSON(map[string]string{"intitule": "x", "nature": "y"})}, "criteres": {`{"id_formulaire":6869,"liste_champs":[{"nom":"champ_1"}]}`}}), "910", ""},
		{"ws_organisme_modification", c.creds(url.Values{"id_organisme": {"5001"}, "adresses": {b64JSON([]map[string]string{{"ville": "Lyon"}})}}), "4", "adresses[0].type_adresse : obligatoire"},
		{"ws_organisme_modification", c.creds(url.Values{"id_organisme": {"5001"}, "adresses": {b64JSON([]map[string]string{{"type_adresse": "P", "ville": strings.Repeat("x", 39)}})}}), "4", "adresses[0].ville : 38 caractères max."},
		{"ws_modification_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}, "adresses": {notJSON}}, "4", "adresses : JSON invalide"},
		{"ws_modification_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}, "Niveau_de_relations": {b64JSON([]map[string]any{{"checked": true}})}}, "4", "Niveau_de_relations[0].Niveau_relation : obligatoire"},
	} {
		_, err := c.callJSON(ctx, tc.service, tc.form)
		e := errs.Find(err)
		if e == nil || e.Code != tc.code || !errs.Is(errs.Invalid, err) || (tc.detail != "" && !strings.Contains(err.Error(), tc.detail)) {
			t.Errorf("%s %v: %v, want code %s %q", tc.service, tc.form, err, tc.code, tc.detail)
		}
	}
}

// The sandbox pushes what the vendor pushes; this package's handlers read
// it over HTTP: the order document of a simulated purchase (2.4.2) and
// NOTIFY for each printed card (2.4.6).
func TestContractNotifications(t *testing.T) {
	srv, c := sandbox(t, nil)
	ctx := context.Background()
	var mu sync.Mutex
	var recv []Notification
	fail := false
	hook := httptest.NewServer(NotificationHandler(func(_ context.Context, n Notification) error {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return errs.E(errs.Unavailable, errs.Msg("down"))
		}
		recv = append(recv, n)
		return nil
	}))
	t.Cleanup(hook.Close)
	pushed := func() []Notification { // the handler runs on the server's goroutine
		mu.Lock()
		defer mu.Unlock()
		return append([]Notification(nil), recv...)
	}
	seed := srv.Seed()
	perf := seed.Shows[3].PerformanceIDs[len(seed.Shows[3].PerformanceIDs)-1]
	srv.SetAvailability(perf, 10)

	// No callback: the order is made, nothing is pushed.
	res, err := srv.SimulatePurchase(ctx, sb.Purchase{Contact: seed.DemoContactID, Performance: perf, Seats: 1})
	if err != nil || res.Pushed || len(pushed()) != 0 {
		t.Fatalf("without callback: %+v %v", res, err)
	}
	srv.SetCallbacks(sb.Callbacks{Order: hook.URL + "/ws_det_achat", Card: hook.URL + "/ws_creation_carte"})
	res, err = srv.SimulatePurchase(ctx, sb.Purchase{Contact: seed.DemoContactID, Performance: perf, Seats: 2, Card: true})
	got := pushed()
	if err != nil || !res.Pushed || len(got) != 1 || got[0].Order == nil {
		t.Fatalf("purchase push: %+v %v %+v", res, err, got)
	}
	o := got[0].Order
	pulled, err := c.DetAchat(ctx, res.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	// The push is ws_det_achat's document "à l'identique".
	if o.ID != res.OrderID || !o.Paid() || o.Contact.Email != seed.DemoEmail || len(o.Produits.Cartes) != 1 ||
		len(o.Produits.Cartes[0].Billets) != 2 || o.Produits.Cartes[0].Billets[0].RefRep != perf ||
		o.Transaction.Montant != pulled.Transaction.Montant || o.Transaction.Montant <= 0 || len(pulled.Produits.Cartes) != 1 {
		t.Fatalf("pushed order %+v, pulled %+v", o, pulled)
	}
	if r, err := c.DetRepresentation(ctx, perf); err != nil || r.Dispo != 7 {
		t.Fatalf("seats left after 3 sold: %+v %v", r, err)
	}

	n, err := srv.PrintCards(ctx, res.OrderID)
	got = pushed()
	if err != nil || n != 1 || len(got) != 2 || got[1].Card == nil {
		t.Fatalf("card push: %d %v %+v", n, err, got)
	}
	card := got[1].Card
	if !strings.HasPrefix(card.IDCarte, "/CA") || card.IDContact != int64(seed.DemoContactID) || card.Nom == "" || card.TypePublic != "PASS" {
		t.Fatalf("NOTIFY: %+v", card)
	}

	// The integrator fails: the sale stands, the error says the push failed.
	mu.Lock()
	fail = true
	mu.Unlock()
	res, err = srv.SimulatePurchase(ctx, sb.Purchase{Contact: seed.DemoContactID, Performance: perf, Seats: 1})
	if err == nil || res.OrderID == "" || res.Pushed {
		t.Fatalf("failed push: %+v %v", res, err)
	}
	if _, err := c.DetAchat(ctx, res.OrderID); err != nil {
		t.Fatalf("order of a failed push: %v", err)
	}
	if _, err := srv.SimulatePurchase(ctx, sb.Purchase{Contact: seed.DemoContactID, Performance: perf, Seats: 99}); err == nil {
		t.Fatal("more seats than left")
	}
}

// Sessions expire on the sandbox's clock; the client reports it as
// Unauthenticated 605. filtre=1 with date_debut+date_fin narrows the flux to
// the shows playing in the range.
func TestContractExpiryAndDateRange(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	sc := sb.DefaultConfig()
	sc.SessionTTL = 20 * time.Minute
	sc.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := sb.New(sc)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := New(Config{BaseURL: hs.URL, Login: sc.Login, Password: sc.Password, Client: sc.Client, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tok := signedIn(t, c)
	if _, err := c.InfoContactSession(ctx, tok); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(21 * time.Minute)
	mu.Unlock()
	_, err = c.InfoContactSession(ctx, tok)
	if e := errs.Find(err); e == nil || e.Code != "605" || !errs.Is(errs.Unauthenticated, err) {
		t.Fatalf("expired session: %v", err)
	}

	all, err := c.Programmation(ctx, ProgrammationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	from := now.AddDate(0, 0, 14)
	to := from.AddDate(0, 0, 7)
	in, err := c.Programmation(ctx, ProgrammationFilter{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, sp := range all.Spectacles {
		for _, r := range sp.Representations {
			d := r.Debut.In(Paris)
			if !d.Before(time.Date(from.In(Paris).Year(), from.In(Paris).Month(), from.In(Paris).Day(), 0, 0, 0, 0, Paris)) &&
				d.Before(time.Date(to.In(Paris).Year(), to.In(Paris).Month(), to.In(Paris).Day()+1, 0, 0, 0, 0, Paris)) {
				want++
				break
			}
		}
	}
	if want == 0 || len(in.Spectacles) != want || len(in.Spectacles) >= len(all.Spectacles) {
		t.Fatalf("date_debut/date_fin: %d shows, %d play in the range, %d in all", len(in.Spectacles), want, len(all.Spectacles))
	}
}
