package billetterie

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/guichet/guichet/sandbox/fault"
)

func b64(v any) string {
	b, _ := json.Marshal(v)
	return base64.StdEncoding.EncodeToString(b)
}

type orgMsg struct {
	Organisme struct {
		ID       int    `json:"id_organisme"`
		Intitule string `json:"intitule"`
		Nature   string `json:"nature"`
		Adresses []struct {
			Ville string `json:"ville"`
		} `json:"adresses"`
		Contacts []struct {
			IDContact int    `json:"id_contact"`
			Fonction  string `json:"fonction"`
		} `json:"contacts"`
	} `json:"organisme"`
}

func decode[T any](t *testing.T, env envelope) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(env.Retour.Message, &v); err != nil {
		t.Fatalf("%v: %s", err, env.Retour.Message)
	}
	return v
}

func TestOrganisations(t *testing.T) {
	e := newEnv(t)
	seeded := decode[orgMsg](t, e.expect("ws_info_organisme", e.creds("id_organisme", "5001", "get_contact", "1", "get_criteres", "1"), 2, "ok"))
	if seeded.Organisme.Intitule != "Lycée Ampère" || len(seeded.Organisme.Contacts) == 0 {
		t.Fatalf("seeded: %+v", seeded)
	}
	e.expect("ws_info_organisme", e.creds("id_organisme", "4999"), 904, "ko")
	e.expect("ws_organisme_creation", e.creds("organisme", b64(map[string]string{"intitule": "Sans nature"})), 903, "ko")

	created := decode[orgMsg](t, e.expect("ws_organisme_creation", e.creds(
		"organisme", b64(map[string]string{"intitule": "Compagnie Éphémère", "nature": "Association"}),
		"adresses", b64([]map[string]any{{"type_adresse": "Principale", "adress1": "2 quai Saint-Vincent", "code_postal": "69001", "ville": "Lyon", "pays": "FR", "prioritaire": true}}),
		"contacts", b64([]map[string]string{{"id_contact": "20001", "action_attachement": "attacher", "action_fonction": "attacher", "fonction": "Trésorière", "service": "Bureau"}}),
	), 901, "ok"))
	id := strconv.Itoa(created.Organisme.ID)
	got := decode[orgMsg](t, e.expect("ws_info_organisme", e.creds("id_organisme", id, "get_contact", "1"), 2, "ok"))
	if got.Organisme.Intitule != "Compagnie Éphémère" || got.Organisme.Nature != "Association" || len(got.Organisme.Adresses) != 1 ||
		got.Organisme.Adresses[0].Ville != "Lyon" || len(got.Organisme.Contacts) != 1 || got.Organisme.Contacts[0].Fonction != "Trésorière" {
		t.Fatalf("round trip: %+v", got)
	}
	e.expect("ws_organisme_modification", e.creds("id_organisme", id, "organisme", b64(map[string]string{"intitule": "Compagnie Éphémère & Cie"})), 902, "ok")
	e.expect("ws_organisme_modification", e.creds("id_organisme", "4999", "organisme", b64(map[string]string{"intitule": "x"})), 904, "ko")

	// One unknown contact: the others are processed, the statut is 1111 ko.
	res := decode[struct {
		Contacts []struct {
			IDContact int                  `json:"id_contact"`
			Success   []struct{ Code int } `json:"success"`
			Errors    []struct{ Code int } `json:"errors"`
		} `json:"contacts"`
	}](t, e.expect("ws_organisme_contacts", e.creds("id_organisme", id, "contacts", b64([]map[string]any{
		{"id_contact": 20002, "action_attachement": "attacher", "action_fonction": "attacher", "fonction": "Président"},
		{"id_contact": "20001", "action_attachement": "detacher"},
		{"id_contact": 99999, "action_attachement": "attacher"},
	})), 1111, "ko"))
	if len(res.Contacts) != 3 || len(res.Contacts[0].Success) != 3 || res.Contacts[0].Success[0].Code != 526 ||
		res.Contacts[1].Success[1].Code != 1117 || len(res.Contacts[2].Errors) != 1 || res.Contacts[2].Errors[0].Code != 503 {
		t.Fatalf("attach results: %+v", res)
	}
	got = decode[orgMsg](t, e.expect("ws_info_organisme", e.creds("id_organisme", id, "get_contact", "1"), 2, "ok"))
	if got.Organisme.Intitule != "Compagnie Éphémère & Cie" || len(got.Organisme.Contacts) != 1 || got.Organisme.Contacts[0].IDContact != 20002 {
		t.Fatalf("after modification: %+v", got)
	}
	e.expect("ws_organisme_contacts", e.creds("id_organisme", "4999", "contacts", b64([]map[string]any{{"id_contact": 20001, "action_attachement": "attacher"}})), 904, "ko")

	// The API sees the new organisation as modified since a minute ago.
	ep := func(key, ts string) map[string]any {
		q := url.Values{"x_rsi_modele": {"ws_liste_fiches_modifiees"}, "x_rsi_client": {e.cfg.Client}, "x_rsi_login": {e.cfg.APILogin},
			"x_rsi_api_key": {key}, "ts": {ts}, "type_export": {"liste_fiches"}}
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
	if m := ep("wrong", "2026-11-01T00:00:00"); m["statut"].(map[string]any)["code"].(float64) != 3 {
		t.Fatalf("wrong key: %v", m)
	}
	m := ep(e.cfg.APIKey, testNow.In(paris).Add(-time.Minute).Format("2006-01-02T15:04:05"))
	data := m["data"].(map[string]any)
	orgs := data["liste_organismes_id"].([]any)
	if len(orgs) != 1 || orgs[0].(float64) != float64(created.Organisme.ID) {
		t.Fatalf("recently modified organisations: %v", orgs)
	}
	m = ep(e.cfg.APIKey, testNow.AddDate(0, 0, -30).Format("2006-01-02T15:04:05"))
	n := len(m["data"].(map[string]any)["liste_contacts_id"].([]any))
	if n < 50 || n > 150 {
		t.Fatalf("contacts modified in 30 days: %d of 200", n)
	}
}

func TestListes(t *testing.T) {
	e := newEnv(t)
	ls := decode[[]struct {
		ID    int    `json:"id"`
		Titre string `json:"titre_court"`
	}](t, e.expect("ws_cat_listes", e.creds(), 2, "ok"))
	if len(ls) != 2 || ls[0].ID != 16 {
		t.Fatalf("listes %+v", ls)
	}
	members := decode[[]struct {
		MailEnvoi string `json:"mail_envoi"`
	}](t, e.expect("ws_cat_contacts_liste", e.creds("id_liste", "17"), 2, "ok"))
	if len(members) < 5 || members[0].MailEnvoi != "camille.martin@exemple.fr" {
		t.Fatalf("members %+v", members)
	}
}

func TestFaults(t *testing.T) {
	e := newEnv(t)
	e.srv.Faults().Set("ws_programmation", fault.Rule{Mode: fault.HTTP500})
	if code, _ := e.post("ws_programmation", e.creds()); code != 500 {
		t.Fatalf("http500: %d", code)
	}
	e.srv.Faults().Set("ws_programmation", fault.Rule{Mode: fault.VendorErr})
	if d := e.flux("ws_programmation"); d.Erreur == nil {
		t.Fatal("vendor fault on the flux: no ERREUR")
	}
	e.srv.Faults().Set("ws_idsession", fault.Rule{Mode: fault.VendorErr})
	if env := e.expect("ws_idsession", e.creds(), 5, "ko"); env.Retour.Statut.Message != "Pas de communication avec le serveur" {
		t.Fatal(env.Retour.Statut.Message)
	}
	e.srv.Faults().Set("*", fault.Rule{Mode: fault.AuthError})
	e.expect("ws_cat_listes", e.creds(), 3, "ko")
	e.srv.Faults().Reset()
	e.expect("ws_cat_listes", e.creds(), 2, "ok")
	if n := e.srv.Calls().Get("ws_programmation"); n != 2 {
		t.Fatalf("calls = %d", n)
	}
	// The sandbox endpoints, under any prefix.
	resp, err := http.Get(e.url + "/_sandbox/calls")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var snap map[string]int
	if err := json.Unmarshal(b, &snap); err != nil || snap["ws_cat_listes"] != 2 {
		t.Fatalf("calls snapshot %s", b)
	}
	req, _ := http.NewRequest(http.MethodDelete, e.url+"/_sandbox/calls", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	if n := e.srv.Calls().Get("ws_cat_listes"); n != 0 {
		t.Fatalf("after DELETE: %d", n)
	}
	resp, err = http.Post(e.url+"/_sandbox/faults", "application/json", stringsReader(`{"ws_cat_listes":{"mode":"http500"}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, _ := e.post("ws_cat_listes/", e.creds()); code != 500 {
		t.Fatalf("fault set over HTTP not applied (trailing slash route): %d", code)
	}
}
