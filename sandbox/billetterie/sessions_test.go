package billetterie

import (
	"encoding/json"
	"regexp"
	"testing"
	"time"
)

func TestEnvelopeCodes(t *testing.T) {
	e := newEnv(t)
	bad := e.creds()
	bad.Set("x_rsi_ws_mdp", "wrong")
	env := e.expect("ws_idsession", bad, 3, "ko")
	if env.Retour.Statut.Message != "Accès web service refusé" {
		t.Fatalf("message %q", env.Retour.Statut.Message)
	}
	env = e.expect("ws_recap_achat", e.creds("format", "tableau"), 4, "ko")
	if env.Retour.Erreur.Detail == "" || !regexp.MustCompile(`id_contact`).MatchString(env.Retour.Erreur.Detail) {
		t.Fatalf("détail %q does not name id_contact", env.Retour.Erreur.Detail)
	}
	e.expect("ws_info_contact", e.creds("id_contact", "99999"), 503, "ko")
	e.expect("ws_login", e.creds("x_rsi_token", "0123456789ABCDEF0123456789ABCDEF", "web_ident", "x@y.fr", "web_passe", "x"), 605, "ko")
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	tok := e.token()
	if !regexp.MustCompile(`^[0-9A-F]{32}$`).MatchString(tok) || tok == e.token() {
		t.Fatalf("token %q not 32 upper hex or not unique", tok)
	}
	e.expect("ws_login", e.creds("x_rsi_token", tok, "web_ident", "camille.martin@exemple.fr", "web_passe", "wrong"), 504, "ko")
	e.expect("ws_login", e.creds("x_rsi_token", tok, "web_ident", "nobody@exemple.fr", "web_passe", "Guichet2026"), 504, "ko")
	env := e.expect("ws_login", e.creds("x_rsi_token", tok, "web_ident", "Camille.Martin@exemple.fr", "web_passe", "Guichet2026"), 514, "ok")
	var m struct {
		Contact struct {
			ID int `json:"id_contact"`
		} `json:"contact"`
	}
	json.Unmarshal(env.Retour.Message, &m)
	if want := e.srv.DemoContactID(); want != "20001" || m.Contact.ID != 20001 {
		t.Fatalf("id_contact %d, DemoContactID %s", m.Contact.ID, want)
	}
	st := e.status(tok)
	if st.Status != 1 || !st.Login || st.Contact.IDContact != 20001 {
		t.Fatalf("status after login: %+v", st)
	}
	e.expect("ws_deconnexion_session", e.creds("x_rsi_token", tok), 611, "ok")
	if st := e.status(tok); st.Login || st.Status != 1 {
		t.Fatalf("status after logout: %+v", st)
	}
	e.expect("ws_info_contact", map[string][]string{"id_formulaire": {"1"}, "x_rsi_token": {tok}}, 602, "ko")
}

type statusMsg struct {
	Status       int  `json:"status"`
	TempsRestant int  `json:"temps_restant"`
	Login        bool `json:"login"`
	Contact      struct {
		IDContact int `json:"id_contact"`
	} `json:"contact"`
}

func (e *env) status(tok string) statusMsg {
	e.t.Helper()
	env := e.expect("ws_status_session", map[string][]string{"x_rsi_token": {tok}}, 2, "ok")
	var st statusMsg
	if err := json.Unmarshal(env.Retour.Message, &st); err != nil {
		e.t.Fatal(err)
	}
	return st
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t)
	tok := e.loginDemo()
	// Each call refreshes the session: 15 + 15 minutes stays alive.
	e.clk.Add(15 * time.Minute)
	if st := e.status(tok); st.Status != 1 || !st.Login {
		t.Fatalf("after 15 min: %+v", st)
	}
	e.clk.Add(15 * time.Minute)
	e.expect("ws_info_contact", map[string][]string{"id_formulaire": {"1"}, "x_rsi_token": {tok}}, 2, "ok")
	e.clk.Add(21 * time.Minute)
	e.expect("ws_info_contact", map[string][]string{"id_formulaire": {"1"}, "x_rsi_token": {tok}}, 605, "ko")
	if st := e.status(tok); st.Status != 0 || st.Login {
		t.Fatalf("expired session status: %+v", st)
	}
	// A second expired token seen first by ws_status_session.
	tok2 := e.token()
	e.clk.Add(20*time.Minute + time.Second)
	if st := e.status(tok2); st.Status != 0 {
		t.Fatalf("status %d", st.Status)
	}
	e.expect("ws_login", e.creds("x_rsi_token", tok2, "web_ident", "camille.martin@exemple.fr", "web_passe", "Guichet2026"), 605, "ko")
}
