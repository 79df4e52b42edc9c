package billetterie

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func (e *env) newContactForm(tok, mail, pwd, pwdc string) url.Values {
	return e.creds("x_rsi_token", tok, "v_nom", "Lefèvre", "v_prenom", "Hélène", "v_mail", mail, "web_civil", "Mme",
		"v_ville", "Lyon", "v_passe", pwd, "v_passec", pwdc, "creation_compte", "1", "liste[]", "96")
}

type contactMsg struct {
	Contact struct {
		ID        int    `json:"id"`         // fiche lien (annex 4.1)
		IDContact int    `json:"id_contact"` // fiche contact
		Name      string `json:"name"`
		Surname   string `json:"surname"`
		Mail      string `json:"mail"`
		Ville     string `json:"ville"`
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

func (e *env) me(tok string) contactMsg {
	e.t.Helper()
	env := e.expect("ws_info_contact", url.Values{"id_formulaire": {"1"}, "x_rsi_token": {tok}}, 2, "ok")
	var m contactMsg
	if err := json.Unmarshal(env.Retour.Message, &m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

func TestCContact(t *testing.T) {
	e := newEnv(t)
	tok := e.token()
	e.expect("ws_ccontact", e.newContactForm(tok, "camille.martin@exemple.fr", "Motdepasse1", "Motdepasse1"), 518, "ko")
	e.expect("ws_ccontact", e.newContactForm(tok, "pas-un-mail", "Motdepasse1", "Motdepasse1"), 527, "ko")
	for _, weak := range []string{"court1A", "toutminuscule1", "TOUTMAJUSCULE1", "SansChiffre", "Avec@rob4se"} {
		e.expect("ws_ccontact", e.newContactForm(tok, "helene@exemple.fr", weak, weak), 523, "ko")
	}
	e.expect("ws_ccontact", e.newContactForm(tok, "helene@exemple.fr", "Motdepasse1", "Motdepasse2"), 524, "ko")
	f := e.newContactForm(tok, "helene@exemple.fr", "Motdepasse1", "Motdepasse1")
	f.Del("v_nom")
	e.expect("ws_ccontact", f, 505, "ko")

	env := e.expect("ws_ccontact", e.newContactForm(tok, "helene@exemple.fr", "Motdepasse1", "Motdepasse1"), 513, "ok")
	var created struct {
		ID int `json:"id_contact"`
	}
	json.Unmarshal(env.Retour.Message, &created)
	if created.ID == 0 || created.ID <= 20200 {
		t.Fatalf("new id %d", created.ID)
	}
	me := e.me(tok) // logged in on the session
	if me.Contact.IDContact != created.ID || me.Contact.ID == created.ID || me.Contact.Name != "Lefèvre" || !me.Contact.CodeEnvoi[0].Checked {
		t.Fatalf("created contact: %+v", me.Contact)
	}
	// A second account gets a different id; the new one can log in elsewhere.
	tok2 := e.token()
	e.expect("ws_login", e.creds("x_rsi_token", tok2, "web_ident", "helene@exemple.fr", "web_passe", "Motdepasse1"), 514, "ok")

	// Modification of fields, codes envoi and interests.
	e.expect("ws_modification_contact", url.Values{"x_rsi_token": {tok}, "v_ville": {"Villeurbanne"},
		"liste_maj_code_envoi[96]": {"3"}, "liste_maj_interet[302]": {"2"}}, 508, "ok")
	me = e.me(tok)
	if me.Contact.Ville != "Villeurbanne" || me.Contact.Name != "Lefèvre" || me.Contact.CodeEnvoi[0].Checked || !me.Contact.Interet[1].Checked {
		t.Fatalf("after modification: %+v", me.Contact)
	}
	e.expect("ws_modification_contact", url.Values{"x_rsi_token": {e.token()}, "v_ville": {"X"}}, 602, "ko")

	// Account deletion logs out and forgets the email.
	e.expect("ws_suppression_compte", url.Values{"x_rsi_token": {tok}}, 534, "ok")
	if st := e.status(tok); st.Login {
		t.Fatal("still logged in after deletion")
	}
	e.expect("ws_login", e.creds("x_rsi_token", tok, "web_ident", "helene@exemple.fr", "web_passe", "Motdepasse1"), 504, "ko")
	e.expect("ws_info_contact", e.creds("id_contact", itoa(created.ID)), 503, "ko")
}

func TestModificationPwd(t *testing.T) {
	e := newEnv(t)
	tok := e.loginDemo()
	k := e.cfg.PwdKey
	// Only the spec's mode (§2.3.4): the session's own v_passe_actuel /
	// v_passec form is refused for want of w_identifiant.
	e.expect("ws_modification_pwd", url.Values{"x_rsi_token": {tok}, "x_rsi_pwd_key": {k}, "v_passe_actuel": {"Guichet2026"},
		"v_passe": {"Nouveau2027"}, "v_passec": {"Nouveau2027"}}, 607, "ko")
	form := func(key, cur, np string) url.Values {
		return url.Values{"x_rsi_pwd_key": {key}, "w_identifiant": {"camille.martin@exemple.fr"}, "v_ancien_passe": {cur}, "v_passe": {np}}
	}
	e.expect("ws_modification_pwd", form("wrong-key", "Guichet2026", "Nouveau2027"), 3, "ko")
	long := form(k, "Guichet2026", "Nouveau2027")
	long.Set("w_identifiant", strings.Repeat("a", 76)+"@x.fr")
	e.expect("ws_modification_pwd", long, 4, "ko")
	e.expect("ws_modification_pwd", form(k, "Mauvais2026", "Nouveau2027"), 528, "ko")
	e.expect("ws_modification_pwd", form(k, "Guichet2026", "Guichet2026"), 529, "ko")
	e.expect("ws_modification_pwd", form(k, "Guichet2026", "faible"), 523, "ko")
	e.expect("ws_modification_pwd", form(k, "Guichet2026", "Nouveau2027"), 2, "ok")
	tok2 := e.token()
	e.expect("ws_login", e.creds("x_rsi_token", tok2, "web_ident", "camille.martin@exemple.fr", "web_passe", "Guichet2026"), 504, "ko")
	e.expect("ws_login", e.creds("x_rsi_token", tok2, "web_ident", "camille.martin@exemple.fr", "web_passe", "Nouveau2027"), 514, "ok")
}
