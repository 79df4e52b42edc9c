package billetterie

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
)

// serve answers each service with its spec example and returns a client.
func serve(t *testing.T, files map[string]string) *Client {
	bodies := map[string][]byte{}
	for svc, f := range files {
		bodies[svc] = read(t, "spec/"+f)
	}
	return newSite(t, bodies).client(t, nil)
}

func paris(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, Paris)
}

func TestSpecSessions(t *testing.T) {
	c := serve(t, map[string]string{"ws_idsession": "idsession.json", "ws_status_session": "status_session.json",
		"ws_deconnexion_session": "deconnexion_session.json", "ws_login": "login.json"})
	ctx := context.Background()
	s, err := c.CreateSession(ctx)
	if err != nil || s.Jeton != "A25DD850FF131140BA09A8B9ADFEE79A" || s.Duree != "PT48H" || s.TempsRestant != 172800 ||
		s.Commande == nil || s.Commande.ID != "" || s.Commande.Status != 0 {
		t.Fatalf("ws_idsession: %+v %v", s, err)
	}
	golden(t, "idsession", s)
	st, err := c.SessionStatus(ctx, "26200534AEBB9F4BBFCFB499A456B672")
	if err != nil || !st.Login || st.Status != 1 || st.TempsRestant != 86363 || st.IDSession != "082208408879" ||
		st.Contact.ID != "50651" || st.Contact.IDContact != "20874" || st.Commande.ID != "082208408879" || st.Commande.TempsRestant != 176 || st.Commande.Status != 1 {
		t.Fatalf("ws_status_session: %+v %v", st, err)
	}
	golden(t, "status_session", st)
	if err := c.Logout(ctx, "26200534AEBB9F4BBFCFB499A456B672"); err != nil {
		t.Fatalf("ws_deconnexion_session: %v", err)
	}
	lr, err := c.Login(ctx, "FE5C25309C20426C839C946CEA2B0360", "assistance@ressources-si.fr", "motdepasse")
	if err != nil || lr.Contact.Name != "WUCHER" || lr.Contact.Surname != "Anaïs" || lr.Contact.IDClistru != "50832" || lr.Contact.IDContact != "20908" {
		t.Fatalf("ws_login: %+v %v", lr, err)
	}
	golden(t, "login", lr)
}

func TestSpecContacts(t *testing.T) {
	c := serve(t, map[string]string{"ws_info_formulaire": "info_formulaire.json", "ws_ccontact": "ccontact.json",
		"ws_modification_contact": "modification_contact.json", "ws_modification_pwd": "modification_pwd.json",
		"ws_info_contact": "info_contact.json", "ws_suppression_compte": "suppression_compte.json"})
	ctx := context.Background()
	f, err := c.InfoFormulaire(ctx, 1)
	if err != nil || f.IDFormulaire != 1 || len(f.Formulaire) != 1 || f.Formulaire[0].Name != "v_nom" || f.Formulaire[0].Index != 5 ||
		f.Formulaire[0].Type != "text" || !f.Formulaire[0].Visible || f.Libelles.InfoCnil != "www.cnil.fr" {
		t.Fatalf("ws_info_formulaire: %+v %v", f, err)
	}
	golden(t, "info_formulaire", f)
	cc, err := c.CreateContact(ctx, NewContact{Token: "CF64A29B4FBD4DC397A2895672B05804", Fields: ContactFields{Nom: "LACASCADE", Mail: "assistance@ressources-si.fr"},
		Password: "Del457DELx", Confirmation: "Del457DELx", Lists: []int{12}})
	if err != nil || cc.Contact.Name != "LACASCADE" || cc.Contact.Surname != "Aurélien" || cc.Contact.TelPort != "0601020304" ||
		cc.Contact.Adress2 != "6 RUE JEAN-PIERRE TIMBAUD" || cc.Contact.Adress3 != "BAT A" || cc.Contact.IDContactlist != "" {
		t.Fatalf("ws_ccontact: %+v %v", cc, err)
	}
	golden(t, "ccontact", cc)
	mc, err := c.UpdateContact(ctx, "4E867C83FFD244FFBB0A0E61CC9E36BD", 1, ContactFields{Prenom: "Aurélien"}, nil, nil)
	if err != nil || mc.WebIdentifiant != "assistance@ressources-si.fr" || mc.Mail != "assistance@ressources-si.fr" {
		t.Fatalf("ws_modification_contact: %+v %v", mc, err)
	}
	if b, _ := json.Marshal(mc); bytes.Contains(b, []byte("testale")) {
		t.Fatalf("the echoed web_passe was kept: %s", b)
	}
	golden(t, "modification_contact", mc)
	if err := c.ChangePassword(ctx, PasswordChange{Login: "assistance@ressources-si.fr", New: "Nouveau2026", Current: "Ancien2025"}); err != nil {
		t.Fatalf("ws_modification_pwd: %v", err)
	}
	ic, err := c.InfoContact(ctx, "6484")
	if err != nil || ic.ID != "29050" || ic.CodePostal != "78280" || ic.Ville != "Guyancourt" || ic.TelPerso != "0130781800" ||
		len(ic.CodeEnvoi) != 2 || ic.CodeEnvoi[0].ID != "10000096" || ic.CodeEnvoi[0].Code != "LI" || ic.CodeEnvoi[1].Label != "Dossier pédagogique" || ic.CodeEnvoi[1].Checked {
		t.Fatalf("ws_info_contact: %+v %v", ic, err)
	}
	golden(t, "info_contact", ic)
	if err := c.DeleteAccount(ctx, "FE5C25309C20426C839C946CEA2B0360"); err != nil {
		t.Fatalf("ws_suppression_compte: %v", err)
	}
}

func TestSpecPurchases(t *testing.T) {
	c := serve(t, map[string]string{"ws_cat_histo_achat": "cat_histo_achat.xml", "ws_det_achat": "det_achat.xml",
		"ws_recap_achat": "recap_achat.json", "ws_info_telechargement": "info_telechargement.json", "ws_historique_contact": "historique_contact.json"})
	ctx := context.Background()
	list, err := c.CatHistoAchat(ctx, HistoFilter{From: paris(2019, 7, 1, 0, 0, 0), To: paris(2019, 7, 31, 0, 0, 0)})
	if err != nil || len(list) != 1 || list[0].ID != "070401758672" || list[0].Transaction.Montant != 500 || !list[0].Paid() || list[0].Contact.Nom != "TESTNEL110" {
		t.Fatalf("ws_cat_histo_achat: %+v %v", list, err)
	}
	if at, _ := list[0].SoldAt(); !at.Equal(paris(2014, 7, 4, 10, 36, 44)) || at.Format(time.RFC3339) != "2014-07-04T10:36:44+02:00" {
		t.Fatalf("datevente %v", at)
	}
	golden(t, "cat_histo_achat", list)
	cd, err := c.DetAchat(ctx, "073101758907")
	if err != nil {
		t.Fatal(err)
	}
	p := cd.Produits
	if cd.XRsiOption != "170515-tito" || cd.Contact.Identifiant != "366c728b456753fc4cbd5c5f" || cd.Transaction.Montant != 7540 ||
		len(p.Cartes) != 1 || p.Cartes[0].PrixTotal != 1500 || p.Cartes[0].Libelle != "Carte Déclic" || len(p.Cartes[0].Billets) != 1 ||
		p.Cartes[0].Billets[0].RefRep != "5182" || p.Cartes[0].Billets[0].Frais != 0 || p.Cartes[0].Billets[0].Spectacle != "L'OPERA DE 4 SOUS" ||
		len(p.Billets) != 1 || p.Billets[0].PrixUnitaire != 500 || p.Billets[0].RefSpect != "1904" ||
		len(p.Articles) != 1 || p.Articles[0].RefArticle != "16" || p.Articles[0].Prestations[0].PrixTotal != 100 || p.Articles[0].Prestations[0].Type != 1 ||
		len(p.Prestations) != 1 || p.Prestations[0].Type != 3 || p.Prestations[0].PrixTotal != 240 {
		t.Fatalf("ws_det_achat: %+v", cd)
	}
	if at, _ := p.Cartes[0].Billets[0].Start(); at.Format(time.RFC3339) != "2014-08-12T20:30:00+02:00" {
		t.Fatalf("dateheure %v", at)
	}
	golden(t, "det_achat", cd)
	lines, err := c.RecapAchat(ctx, "24971")
	if err != nil || len(lines) != 1 || lines[0].PrixTotal != 240 || lines[0].PrixUnitaire != 240 || lines[0].TypeProduit != 5 ||
		lines[0].RefPrest != "11" || lines[0].IDCaddy != "061401772177" || lines[0].IDDetail != "1364101" {
		t.Fatalf("ws_recap_achat: %+v %v", lines, err)
	}
	for name, want := range map[string]DetailCaddy{
		"billet":  {RefRep: "8380", RefSpect: "10001962", PrixTotal: 2000, ListePlace: "N-14", ETicket: true, Numerote: true, TypeProduit: 6},
		"article": {RefArticle: "16", PrixTotal: 1500, TypeProduit: 1},
		"carte":   {RefSpect: "-2", RefCateg: "10001442", PrixTotal: 0, Carte: true, TypeProduit: 6},
	} {
		var l DetailCaddy
		if err := json.Unmarshal(read(t, "spec/recap_achat_"+name+".json"), &l); err != nil {
			t.Fatal(err)
		}
		if (want.RefRep != "" && l.RefRep != want.RefRep) || (want.RefSpect != "" && l.RefSpect != want.RefSpect) ||
			(want.RefArticle != "" && l.RefArticle != want.RefArticle) || (want.RefCateg != "" && l.RefCateg != want.RefCateg) ||
			l.PrixTotal != want.PrixTotal || l.ListePlace != want.ListePlace || l.ETicket != want.ETicket || l.Numerote != want.Numerote ||
			l.Carte != want.Carte || l.TypeProduit != want.TypeProduit {
			t.Errorf("recap %s: %+v", name, l)
		}
		golden(t, "recap_achat_"+name, l)
	}
	tl, err := c.InfoTelechargement(ctx, "26200534AEBB9F4BBFCFB499A456B672")
	if err != nil || len(tl.Telechargeables) != 1 || len(tl.NonTelechargeables) != 0 {
		t.Fatalf("ws_info_telechargement: %+v %v", tl, err)
	}
	tk := tl.Telechargeables[0]
	start, _ := tk.Start()
	end, _ := ParseISOLocal(string(tk.DTEND))
	if tk.CodeRep != "12151" || tk.NumSpectacle != "2185" || tk.Prix != 1800 || tk.Zonee != "Niveau 1" || tk.NumeroDePlace != "E 2" ||
		tk.Type != 2 || tk.BilletAtHome != 2 || !bool(tk.Numerote) || tk.StrQRCode != "0LOqCqDS0rZAabVe00000I" || tk.QRCode != tk.StrQRCode ||
		tk.SalleZone != "Galerie 4 - Loge 28" || tk.IDSalle != "28" || tk.Nature != "Représentation" ||
		start.Format(time.RFC3339) != "2019-07-09T20:30:00+02:00" || !end.Equal(paris(2019, 7, 9, 22, 0, 0)) {
		t.Fatalf("ticket: %+v", tk)
	}
	golden(t, "info_telechargement", tl)
	h, err := c.HistoriqueContact(ctx, "26200534AEBB9F4BBFCFB499A456B672", HistoriqueFilter{Categorie: "tout public", CodeRegroup: "ABO"})
	if err != nil || len(h) != 1 || h[0].ID != "3475" || h[0].Prix != 500 || h[0].Solde != 8 || h[0].Credit != 10 || h[0].TypeSaison != "TH" ||
		h[0].Saison != 38 || !h[0].Active || h[0].End != "2022-01-16T23:00:00.000Z" || h[0].Libelle != "Adhésion" {
		t.Fatalf("ws_historique_contact: %+v %v", h, err)
	}
	golden(t, "historique_contact", h)
}

func TestSpecListsAndOrganisations(t *testing.T) {
	c := serve(t, map[string]string{"ws_cat_listes": "cat_listes.json", "ws_cat_contacts_liste": "cat_contacts_liste.json",
		"ws_organisme_creation": "organisme_creation.json", "ws_organisme_modification": "organisme_modification.json",
		"ws_organisme_contacts": "organisme_contacts.json"})
	ctx := context.Background()
	ls, err := c.CatListes(ctx)
	if err != nil || len(ls) != 1 || ls[0].ID != "16" || ls[0].TitreCourt != "TEST2" || ls[0].Type != "Fichier" || !ls[0].Web || !ls[0].Liste {
		t.Fatalf("ws_cat_listes: %+v %v", ls, err)
	}
	inv, err := c.CatContactsListe(ctx, "16")
	if err != nil || len(inv) != 1 || inv[0].ID != "899" || inv[0].IDClistru != "3790" || inv[0].Contact.ID != "3092" || inv[0].Contact.Prenom != "Aurelien" ||
		inv[0].Structure.ID != "72" || inv[0].Structure.Structure != "RESSOURCES" {
		t.Fatalf("ws_cat_contacts_liste: %+v %v", inv, err)
	}
	golden(t, "cat_contacts_liste", inv)
	var req Organisme
	if err := json.Unmarshal(read(t, "spec/organisme.json"), &req); err != nil || req.Intitule != "Ministère de la Culture" || req.Nature != "Administration" {
		t.Fatalf("organisme example: %+v %v", req, err)
	}
	cr, err := c.CreateOrganisme(ctx, req, nil)
	if err != nil || cr.Organisme.Intitule != "Ministère de la Culture" || cr.Organisme.ChampLibre6 != "0" {
		t.Fatalf("ws_organisme_creation: %+v %v", cr, err)
	}
	req.IDOrganisme = "123"
	mr, err := c.UpdateOrganisme(ctx, req, nil)
	o := mr.Organisme
	if err != nil || o.IDOrganisme != "123" || o.DateCreation != "2019-03-05" || o.DateModif != "2019-03-06" || len(o.Adresses) != 1 ||
		o.Adresses[0].IDAdresse != "123" || o.Adresses[0].TypeAdresse != "Principale" || !bool(o.Adresses[0].Prioritaire) || bool(o.FicheSupprimee) {
		t.Fatalf("ws_organisme_modification: %+v %v", mr, err)
	}
	golden(t, "organisme_modification", o)
	var changes []Attachement
	if err := json.Unmarshal(read(t, "spec/organisme_contacts_request.json"), &changes); err != nil {
		t.Fatal(err)
	}
	rep, err := c.AttachContacts(ctx, "9505", changes)
	if e := errs.Find(err); e == nil || e.Code != "1111" || e.Kind != errs.Conflict || Vendor(err).Message != "Il y a eu un problème dans la requête." {
		t.Fatalf("ws_organisme_contacts 1111: %v", err)
	}
	if rep == nil || len(rep.Contacts) != 2 || len(rep.Contacts[0].Success) != 2 || rep.Contacts[0].Success[1].Code != 1118 ||
		rep.Contacts[1].Errors[0].Code != 1112 || rep.Contacts[1].Errors[0].Champ != "action_attachement" ||
		len(rep.Organisme) != 1 || rep.Organisme[0].Success[0].Code != 906 {
		t.Fatalf("report: %+v", rep)
	}
	golden(t, "organisme_contacts", rep)
}

func TestSpecCriteresAndAPI(t *testing.T) {
	var out struct {
		Criteres Criteres `json:"criteres"`
	}
	if err := json.Unmarshal(read(t, "spec/criteres_response.json"), &out); err != nil {
		t.Fatal(err)
	}
	ch := out.Criteres.ListeChamps
	if out.Criteres.IDFormulaire != 6869 || len(ch) != 4 || ch[0].Values()[0].ID != "603" || ch[0].Values()[0].Libelle != "Danse" ||
		len(ch[1].Values()) != 2 || ch[1].Values()[1].Code != "conc" || ch[2].Text() != "Commentaire" || ch[2].Values() != nil || ch[3].Text() != "domaine3" {
		t.Fatalf("criteres: %+v", out)
	}
	for _, name := range []string{"fiches_modifiees", "fiches_modifiees_ids"} {
		f, err := decodeFiches(read(t, "spec/"+name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if name == "fiches_modifiees_ids" && (len(f.Contacts) != 2 || f.Contacts[1] != "51" || f.NiveauxRelations[0] != "45") {
			t.Fatalf("ids: %+v", f)
		}
		golden(t, name, f)
	}
}

func TestSpecNotification(t *testing.T) {
	n, err := ParseNotification(read(t, "spec/notify.xml"))
	if err != nil || n.Card == nil || n.Order != nil {
		t.Fatalf("NOTIFY: %+v %v", n, err)
	}
	c := n.Card
	if c.IDCarte != "/CA0000000000938" || c.TypePublic != "PASS" || c.Nom != "RICHON" || c.Prenom != "Herve" || c.IDClistru != 29808 ||
		c.IDContact != 72050 || c.IDOrganisme != 0 || c.Organisme != "" {
		t.Fatalf("card: %+v", c)
	}
	o, err := ParseNotification(read(t, "spec/det_achat.xml"))
	if err != nil || o.Order == nil || o.Order.ID != "073101758907" {
		t.Fatalf("order notification: %+v %v", o, err)
	}
}

// The base64 parameters printed in the spec are exactly what we send.
func TestSpecBase64Parameters(t *testing.T) {
	params := map[string]string{}
	for _, line := range strings.Split(string(read(t, "spec/base64_params.txt")), "\n") {
		if k, v, ok := strings.Cut(line, " "); ok && !strings.HasPrefix(k, "#") {
			params[k] = v
		}
	}
	var adr []Adresse
	if err := json.Unmarshal(read(t, "spec/adresses.json"), &adr); err != nil {
		t.Fatal(err)
	}
	// Annex 4.3.1: absent attributes are left alone, so the blank ones of
	// the printed example are not sent; every other one is, as printed and
	// in the same order.
	var spec, sent []map[string]any
	specJSON, _ := base64.StdEncoding.DecodeString(params["adresses_4.3"])
	json.Unmarshal(specJSON, &spec)
	got := b64JSON(adr)
	gotJSON, _ := base64.StdEncoding.DecodeString(got)
	json.Unmarshal(gotJSON, &sent)
	if len(spec) != 1 || len(sent) != 1 {
		t.Fatalf("adresses: %s", gotJSON)
	}
	for k, v := range spec[0] {
		w, ok := sent[0][k]
		switch {
		case v == "" && ok:
			t.Errorf("adresses: blank %s sent", k)
		case v != "" && (!ok || w != v):
			t.Errorf("adresses: %s = %v, want %v", k, w, v)
		}
	}
	if want := `[{"adress1":"2 rue helene boucher","code_postal":"78280","id_adresse":123,"id_contact":456,"id_organisme":789,"pays":"FRANCE","prioritaire":true,"tel1":"0102030405","type_adresse":"Principale","ville":"GUYANCOURT"}]`; string(gotJSON) != want {
		t.Errorf("adresses:\n got %s\nwant %s", gotJSON, want)
	}
	var niv []NiveauRelation
	if err := json.Unmarshal(read(t, "spec/niveau_de_relations.json"), &niv); err != nil {
		t.Fatal(err)
	}
	if got := b64JSON(niv); got != params["Niveau_de_relations_4.5"] {
		t.Errorf("Niveau_de_relations:\n got %s\nwant %s", got, params["Niveau_de_relations_4.5"])
	}
	a := []Attachement{{IDContact: "21021", ActionAttachement: "attacher", Service: "service", TelephoneLien: "0102030420", PortableLien: "0701203104", EmailLien: "lnaji@gmail.com"}}
	if got := b64JSON(a); got != params["contacts_2.6.2"] {
		t.Errorf("contacts 2.6.2:\n got %s\nwant %s", got, params["contacts_2.6.2"])
	}
	var changes []Attachement
	json.Unmarshal(read(t, "spec/organisme_contacts_request.json"), &changes)
	// The spec's base64 says "function" where its JSON and table say "fonction": we follow the JSON.
	spec264, _ := base64.StdEncoding.DecodeString(params["contacts_2.6.4"])
	want := strings.Replace(string(spec264), `"function"`, `"fonction"`, 1)
	if got, _ := base64.StdEncoding.DecodeString(b64JSON(changes)); string(got) != want {
		t.Errorf("contacts 2.6.4:\n got %s\nwant %s", got, want)
	}
	var ci CriteresInput
	if err := json.Unmarshal(read(t, "spec/criteres_request.json"), &ci); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	json.Compact(&compact, []byte(params["criteres_2.6.2"]))
	if got, _ := json.Marshal(ci); string(got) != compact.String() {
		t.Errorf("criteres:\n got %s\nwant %s", got, compact.String())
	}
}
