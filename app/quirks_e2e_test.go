package app

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/guichet/guichet/sandbox/fixture"
)

// Ensure the visitor journey passes end to end against the ticketing
// sandbox in vendor-quirks mode (quoted and empty numbers, ids as strings,
// ws_info_contact with only the link id, unknown keys), that me is the
// session's id_contact with the link id apart, and that the link id never
// goes upstream as an id_contact.
func TestE2EVisitorJourneyVendorQuirks(t *testing.T) {
	e := bootWith(t, map[string]string{"GUICHET_SANDBOX_QUIRKS": "true"})
	sb := e.app.sandboxes.Ticketing.Sim
	demo := fmt.Sprint(sb.Seed().DemoContactID)
	const demoLink = "700001" // the sandbox's fiche lien of fixture person 0
	// The sandbox does answer in the loose shapes.
	res, err := http.PostForm(e.app.sandboxes.Ticketing.BaseURL+"ws_idsession", url.Values{"x_rsi_ws_login": {e.app.cfg.BilletterieLogin},
		"x_rsi_ws_mdp": {e.app.cfg.BilletteriePassword}, "x_rsi_client": {e.app.cfg.BilletterieClient}})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(raw), `"status":""`) || !strings.Contains(string(raw), `"temps_restant":"`) {
		t.Fatalf("sandbox not in quirks mode: %s", raw)
	}

	var cs struct {
		CreateSession struct {
			Token, Status    string
			RemainingSeconds int
			LoggedIn         bool
		}
	}
	e.ok(e.do(nil, `mutation { createSession { token status remainingSeconds loggedIn } }`, nil, &cs))
	if cs.CreateSession.Token == "" || cs.CreateSession.Status != "ACTIVE" || cs.CreateSession.RemainingSeconds <= 0 || cs.CreateSession.LoggedIn {
		t.Fatalf("createSession: %+v", cs)
	}
	h := map[string]string{"X-Session-Token": cs.CreateSession.Token}
	var lg struct {
		Login struct {
			LoggedIn bool
			Contact  struct{ ID, Email string }
		}
	}
	e.ok(e.do(h, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { loggedIn contact { id email } } }`,
		map[string]any{"e": fixture.DemoEmail, "p": fixture.DemoPassword}, &lg))
	if !lg.Login.LoggedIn || lg.Login.Contact.ID != demo || lg.Login.Contact.Email != fixture.DemoEmail {
		t.Fatalf("login: %+v", lg)
	}
	if f := sb.LastForm("ws_info_contact"); f.Get("id_contact") != "" || f.Get("x_rsi_token") == "" {
		t.Fatalf("the visitor's record was not read with the session: %v", f)
	}
	var me struct {
		Me struct {
			ID, Email  string
			LinkID     *string
			Address    *struct{ PostalCode, Country, CountryCode *string }
			Tickets    []struct{ ID, Label string }
			Cards      []struct{ ID, Name string }
			OrderLines []struct{ ID, Kind string }
		}
	}
	e.ok(e.do(h, `{ me { id linkId email address { postalCode country countryCode } tickets { id label } cards { id name } orderLines { id kind } } }`, nil, &me))
	m := me.Me
	if m.ID != demo || m.LinkID == nil || *m.LinkID != demoLink || m.Email != fixture.DemoEmail {
		t.Fatalf("me: id %s linkId %v", m.ID, m.LinkID)
	}
	// The sandbox sent the postal code as a bare number: read as its text.
	if m.Address == nil || m.Address.PostalCode == nil || *m.Address.PostalCode != fixture.At(0).PostalCode {
		t.Fatalf("postal code %+v, want %s", m.Address, fixture.At(0).PostalCode)
	}
	if len(m.Tickets) == 0 || len(m.Cards) == 0 || len(m.OrderLines) == 0 {
		t.Fatalf("journey proves little: %d tickets, %d cards, %d order lines", len(m.Tickets), len(m.Cards), len(m.OrderLines))
	}
	for _, tk := range m.Tickets {
		if tk.ID == "" || tk.Label == "" {
			t.Fatalf("ticket read without its id or label: %+v", tk)
		}
	}
	if f := sb.LastForm("ws_recap_achat"); f.Get("id_contact") != demo {
		t.Fatalf("ws_recap_achat asked for id_contact %q, want the contact %s (never the link %s)", f.Get("id_contact"), demo, demoLink)
	}
	// The link id is not a contact: with it, the ownership check refuses.
	r := e.do(h, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Contact { id tickets { id } } } }`,
		map[string]any{"r": []map[string]any{{"__typename": "Contact", "id": demoLink}}}, nil)
	if r.Code() != "FORBIDDEN" {
		t.Fatalf("link id as a contact: %+v %s", r.Errors, r.Data)
	}
	// The country is the vendor's name, kept as sent; the ISO code is derived.
	var up struct {
		UpdateMe struct {
			Address struct{ Country, CountryCode *string }
		}
	}
	e.ok(e.do(h, `mutation { updateMe(input: {country: "France", city: "Lyon"}) { address { country countryCode } } }`, nil, &up))
	if a := up.UpdateMe.Address; a.Country == nil || *a.Country != "France" || a.CountryCode == nil || *a.CountryCode != "FR" {
		t.Fatalf("country: %+v", a)
	}
	if f := sb.LastForm("ws_modification_contact"); f.Get("v_pays") != "France" {
		t.Fatalf("v_pays sent %q", f.Get("v_pays"))
	}
	res, err = http.Get(e.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	// The quirks are readable forms: nothing here is unreadable, but the
	// ticketing count is in the family.
	if !regexp.MustCompile(`(?m)^guichet_upstream_lenient_fields_total\{backend="billetterie",field=""\} \d+$`).Match(metrics) {
		t.Fatal("no guichet_upstream_lenient_fields_total{backend=\"billetterie\"} series")
	}
	var sess struct {
		Session struct {
			LoggedIn bool
			Basket   *struct{ ID string }
			Contact  *struct{ ID string }
		}
	}
	e.ok(e.do(h, `{ session { loggedIn basket { id } contact { id } } }`, nil, &sess))
	if !sess.Session.LoggedIn || sess.Session.Basket != nil || sess.Session.Contact == nil || sess.Session.Contact.ID != demo {
		t.Fatalf("session: %+v", sess.Session)
	}
	// Registration with the vendor's own kind of address (no dot in the
	// domain), mailings and interests sent as code_envoi[] and interet[].
	var reg struct {
		RegisterContact struct {
			LoggedIn bool
			Contact  struct {
				ID       string
				Mailings []struct {
					ID       string
					Selected bool
				}
				Interests []struct {
					ID       string
					Selected bool
				}
			}
		}
	}
	e.ok(e.do(nil, `mutation($i: RegisterContactInput!) { registerContact(input: $i) { loggedIn contact { id mailings { id selected } interests { id selected } } } }`,
		map[string]any{"i": map[string]any{"email": "assistance@ressources-sfr", "password": "Del457DELx", "passwordConfirmation": "Del457DELx",
			"firstName": "Aurélien", "lastName": "LACASCADE", "country": "France", "mailings": []string{"97"}, "interests": []string{"302"}}}, &reg))
	f := sb.LastForm("ws_ccontact")
	if !reg.RegisterContact.LoggedIn || reg.RegisterContact.Contact.ID == "" || reg.RegisterContact.Contact.ID == demo ||
		strings.Join(f["code_envoi[]"], ",") != "97" || strings.Join(f["interet[]"], ",") != "302" || f.Get("v_pays") != "France" {
		t.Fatalf("register: %+v, sent %v", reg.RegisterContact, f)
	}
	chosen := map[string]bool{}
	for _, c := range append(reg.RegisterContact.Contact.Mailings, reg.RegisterContact.Contact.Interests...) {
		chosen[c.ID] = c.Selected
	}
	if !chosen["97"] || !chosen["302"] || chosen["96"] {
		t.Fatalf("choices kept %v", chosen)
	}
}
