package billetterie

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Every annex 4.1 field the client sends is read and checked: a bad value is
// code 4 naming the field, and nothing is created.
func TestAnnex41FieldsChecked(t *testing.T) {
	e := newEnv(t)
	base := func(kv ...string) url.Values {
		f := e.creds(append([]string{"x_rsi_token", e.token(), "v_nom", "Roux", "v_mail", "roux@exemple.fr",
			"v_passe", "Secret123", "v_passec", "Secret123", "creation_compte", "1"}, kv...)...)
		return f
	}
	for _, c := range []struct{ kv []string }{
		{[]string{"v_prenom", strings.Repeat("a", 39)}}, {[]string{"v_cp", "12345678901"}}, {[]string{"v_naissance", "12/05/1990"}},
		{[]string{"vW_Commentaire8", "huit"}}, {[]string{"vW_Commentaire9", "2026-13-01"}}, {[]string{"Reguliercontact", "oui"}},
		{[]string{"web_civil", strings.Repeat("M", 41)}}, {[]string{"interet[]", "abc"}}, {[]string{"v_pays", strings.Repeat("F", 39)}},
	} {
		env := e.expect("ws_ccontact", base(c.kv...), 4, "ko")
		var top struct {
			Retour struct {
				Detail string `json:"detail"`
			} `json:"retour"`
		}
		_, raw := e.post("ws_ccontact", base(c.kv...))
		json.Unmarshal(raw, &top)
		// §2.3.1.4 prints ws_ccontact's detail at the top of retour.
		if !strings.HasPrefix(top.Retour.Detail, c.kv[0]) || env.Retour.Erreur.Detail != "" {
			t.Errorf("%s: detail %q, erreur %q", c.kv[0], top.Retour.Detail, env.Retour.Erreur.Detail)
		}
	}
	// The vendor's own example address has no dot, and it is accepted.
	e.expect("ws_ccontact", e.creds("x_rsi_token", e.token(), "v_nom", "LACASCADE", "v_mail", "assistance@ressources-sfr",
		"v_pays", "France", "v_passe", "Del457DELx", "v_passec", "Del457DELx", "creation_compte", "1"), 513, "ok")
	// Names outside the spec are not aliases any more: v_civilite is ignored.
	tok := e.token()
	e.expect("ws_ccontact", e.creds("x_rsi_token", tok, "v_nom", "Alias", "v_mail", "alias@exemple.fr", "v_civilite", "Mme",
		"v_passe", "Secret123", "v_passec", "Secret123", "creation_compte", "1"), 513, "ok")
	env := e.expect("ws_info_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}}, 2, "ok")
	if strings.Contains(string(env.Retour.Message), `"Mme"`) {
		t.Fatalf("v_civilite was read: %s", env.Retour.Message)
	}
}

// ws_info_contact puts its erreur object inside message (§2.3.5.3).
func TestInfoContactErrorInMessage(t *testing.T) {
	e := newEnv(t)
	env := e.expect("ws_info_contact", e.creds("id_contact", "abc"), 4, "ko")
	var m struct {
		Erreur struct {
			Detail string `json:"détail"`
		} `json:"erreur"`
	}
	if json.Unmarshal(env.Retour.Message, &m); m.Erreur.Detail != "id_contact" || env.Retour.Erreur.Detail != "" {
		t.Fatalf("message %s, retour.erreur %q", env.Retour.Message, env.Retour.Erreur.Detail)
	}
}

// ws_execute_programme answers GET only, and reads Filtre_client.
func TestExecuteProgrammeGetAndFiltreClient(t *testing.T) {
	e := newEnv(t)
	q := url.Values{"x_rsi_modele": {"ws_liste_fiches_modifiees"}, "x_rsi_login": {e.cfg.APILogin}, "x_rsi_api_key": {e.cfg.APIKey},
		"x_rsi_client": {e.cfg.Client}, "ts": {"2000-01-01T00:00:00"}, "type_export": {"liste_contact"}}
	get := func(q url.Values) map[string]any {
		resp, err := http.Get(e.url + "/ws_execute_programme?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		b, _ := io.ReadAll(resp.Body)
		json.Unmarshal(b, &m)
		return m
	}
	code := func(m map[string]any) float64 { return m["statut"].(map[string]any)["code"].(float64) }
	ids := func(m map[string]any) int { return len(m["data"].(map[string]any)["liste_contacts_id"].([]any)) }
	if m := get(q); code(m) != 2 || ids(m) == 0 {
		t.Fatalf("GET: %v", m)
	}
	_, raw := e.post("ws_execute_programme", q)
	if !strings.Contains(string(raw), `"code":4`) {
		t.Fatalf("POST accepted: %s", raw)
	}
	q.Set("Filtre_client", "1")
	if m := get(q); code(m) != 2 || ids(m) != 0 {
		t.Fatalf("Filtre_client=1: %v", m)
	}
	q.Set("Filtre_client", "0")
	if m := get(q); code(m) != 2 || ids(m) == 0 {
		t.Fatalf("Filtre_client=0: %v", m)
	}
	q.Set("Filtre_client", "oui")
	if m := get(q); code(m) != 4 {
		t.Fatalf("Filtre_client=oui: %v", m)
	}
}

// In quirks mode the answers take the loose shapes: quoted and empty
// numbers, ws_info_contact with only the link id, unknown keys.
func TestQuirksShapes(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Now = (&clock{t: testNow}).Now
	cfg.Quirks = true
	hs := httptest.NewServer(New(cfg))
	t.Cleanup(hs.Close)
	post := func(svc string, f url.Values) map[string]any {
		resp, err := http.PostForm(hs.URL+"/"+svc, f)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m["retour"].(map[string]any)
	}
	creds := url.Values{"x_rsi_ws_login": {cfg.Login}, "x_rsi_ws_mdp": {cfg.Password}, "x_rsi_client": {cfg.Client}}
	r := post("ws_idsession", creds)
	msg := r["message"].(map[string]any)
	cmd := msg["commande"].(map[string]any)
	if cmd["status"] != "" || cmd["temps_restant"] != "" || msg[quirkKey] == nil || r["statut"].(map[string]any)["code"] != float64(603) {
		t.Fatalf("ws_idsession: %v", r)
	}
	if _, isText := msg["temps_restant"].(string); !isText {
		t.Fatalf("temps_restant not quoted: %v", msg)
	}
	tok := msg["jeton"].(string)
	post("ws_login", url.Values{"x_rsi_token": {tok}, "web_ident": {"camille.martin@exemple.fr"}, "web_passe": {"Guichet2026"}})
	c := post("ws_info_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}})["message"].(map[string]any)["contact"].(map[string]any)
	if _, has := c["id_contact"]; has || c["id"] != "700001" {
		t.Fatalf("ws_info_contact contact: %v", c)
	}
}

// ws_cat_histo_achat: date_fin must be a later day than date_debut (§2.4.1.2
// "supérieur"), the same day is refused.
func TestHistoDateFinLaterDay(t *testing.T) {
	e := newEnv(t)
	_, same := e.post("ws_cat_histo_achat", e.creds("date_debut", "01/07/2019", "date_fin", "01/07/2019"))
	_, later := e.post("ws_cat_histo_achat", e.creds("date_debut", "01/07/2019", "date_fin", "02/07/2019"))
	if !strings.Contains(string(same), "ERREUR") || strings.Contains(string(later), "ERREUR") {
		t.Fatalf("same day: %.200s\nlater day: %.200s", same, later)
	}
}
