package billetterie

import (
	"testing"
)

type attachRes struct {
	Contacts []struct {
		IDContact int `json:"id_contact"`
		Success   []outcome
		Errors    []outcome
	} `json:"contacts"`
	Organisme []struct {
		ID      int     `json:"id_organisme"`
		Success outcome `json:"success"`
	} `json:"organisme"`
}

func codes(os []outcome) []int {
	var c []int
	for _, o := range os {
		c = append(c, o.Code)
	}
	return c
}

func eqInts(a []int, b ...int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// links returns the (contact, fonction) links of an organisation.
func (e *env) links(org string) [][2]any {
	e.t.Helper()
	got := decode[orgMsg](e.t, e.expect("ws_info_organisme", e.creds("id_organisme", org, "get_contact", "1"), 2, "ok"))
	var out [][2]any
	for _, c := range got.Organisme.Contacts {
		out = append(out, [2]any{c.IDContact, c.Fonction})
	}
	return out
}

func TestOrganismeContactsCriticalErrors(t *testing.T) {
	e := newEnv(t)
	one := b64([]map[string]any{{"id_contact": 20003, "action_attachement": "attacher"}})
	e.expect("ws_organisme_contacts", e.creds(), 1100, "ko")
	e.expect("ws_organisme_contacts", e.creds("contacts", one), 1101, "ko")
	e.expect("ws_organisme_contacts", e.creds("id_organisme", "5001"), 1102, "ko")
	for code, entry := range map[int]map[string]any{
		1103: {"action_attachement": "attacher"},
		1104: {"id_contact": 20003},
		1105: {"id_contact": 20003, "action_attachement": "lier"},
		1106: {"id_contact": 20003, "action_fonction": "lier", "fonction": "Président"},
		1107: {"id_contact": 20003, "action_fonction": "attacher"},
		1108: {"id_contact": 20003, "action_attachement": "attacher", "fonction": "Président"},
	} {
		e.expect("ws_organisme_contacts", e.creds("id_organisme", "5001", "contacts", b64([]map[string]any{entry})), code, "ko")
	}
	// Nothing changed: a critical error stops the whole request.
	before := e.links("5001")
	e.expect("ws_organisme_contacts", e.creds("id_organisme", "5001", "contacts", b64([]map[string]any{
		{"id_contact": 20003, "action_attachement": "attacher"}, {"id_contact": 20004},
	})), 1104, "ko")
	if after := e.links("5001"); len(after) != len(before) {
		t.Fatalf("links changed by a rejected request: %v → %v", before, after)
	}
}

func TestOrganismeContactsRules(t *testing.T) {
	e := newEnv(t)
	created := decode[orgMsg](t, e.expect("ws_organisme_creation", e.creds("organisme", b64(map[string]string{"intitule": "Théâtre du Bout", "nature": "Association"})), 901, "ok"))
	org := itoa(created.Organisme.ID)
	call := func(code int, trait string, entries ...map[string]any) attachRes {
		t.Helper()
		return decode[attachRes](t, e.expect("ws_organisme_contacts", e.creds("id_organisme", org, "contacts", b64(entries)), code, trait))
	}
	// Attaching twice gives two links; a function attached on an attached
	// contact replaces the first link's.
	r := call(1115, "ok",
		map[string]any{"id_contact": 20005, "action_attachement": "attacher"},
		map[string]any{"id_contact": 20005, "action_attachement": "attacher", "action_fonction": "attacher", "fonction": "Régisseur"},
		map[string]any{"id_contact": 20006, "action_fonction": "attacher", "fonction": "Trésorière"},
	)
	if !eqInts(codes(r.Contacts[0].Success), 526, 1116) || !eqInts(codes(r.Contacts[1].Success), 526, 1116, 1118) ||
		!eqInts(codes(r.Contacts[2].Success), 526, 1118) || len(r.Organisme) != 1 || r.Organisme[0].Success.Code != 906 {
		t.Fatalf("%+v", r)
	}
	if l := e.links(org); len(l) != 3 || l[0] != [2]any{20005, ""} || l[1] != [2]any{20005, "Régisseur"} || l[2] != [2]any{20006, "Trésorière"} {
		t.Fatalf("links %v", l)
	}
	call(1115, "ok", map[string]any{"id_contact": 20005, "action_fonction": "attacher", "fonction": "Directeur"})
	if l := e.links(org); l[0] != [2]any{20005, "Directeur"} || l[1] != [2]any{20005, "Régisseur"} {
		t.Fatalf("function replace: %v", l)
	}
	// Detaching a function clears it; one the contact lacks is an error.
	r = call(1111, "ko",
		map[string]any{"id_contact": 20006, "action_fonction": "detacher", "fonction": "trésorière"},
		map[string]any{"id_contact": 20006, "action_fonction": "detacher", "fonction": "Mécène"},
		map[string]any{"id_contact": 20007, "action_fonction": "detacher", "fonction": "Mécène"},
		map[string]any{"id_contact": 20007, "action_attachement": "detacher"},
	)
	if !eqInts(codes(r.Contacts[0].Success), 526, 1119) || !eqInts(codes(r.Contacts[1].Errors), 1110) ||
		!eqInts(codes(r.Contacts[2].Errors), 1109) || !eqInts(codes(r.Contacts[3].Errors), 1112) {
		t.Fatalf("%+v", r)
	}
	// Detaching a contact removes every one of its links.
	call(1115, "ok", map[string]any{"id_contact": 20005, "action_attachement": "detacher"})
	if l := e.links(org); len(l) != 1 || l[0] != [2]any{20006, ""} {
		t.Fatalf("after detach: %v", l)
	}
}
