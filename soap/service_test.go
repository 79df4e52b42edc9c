package soap

import (
	"fmt"
	"testing"

	"github.com/guichet/guichet/crm"
)

// Ensure the crm.Service methods send the AboWeb elements behind the API
// fields they are given, and only those.
func TestSaveSubscriberSendsTheElementsOfAPIFields(t *testing.T) {
	srv := newFake(t, func(r request) (int, string) { return 200, respond(r.op, "<codeClient>240014</codeClient>") })
	c := newTestClient(t, srv.URL, nil)
	s := &crm.Subscriber{Code: 240014, Country: "BE", NoPostalMailing: true}
	s.SetAddressLines([]string{"Bât A", "3 rue des Lilas"})
	code, err := c.SaveSubscriber(bg, s, crm.FieldAddressLines, crm.FieldCountry, crm.FieldNoPostalMailing)
	if err != nil || code != 240014 {
		t.Fatal(code, err)
	}
	reqs := srv.requests()
	want := map[string]string{"client": "", "client/codeClient": "240014", "client/adresse1": "Bât A", "client/adresse2": "3 rue des Lilas",
		"client/adresse3": "", "client/codeIsoPays": "BE", "client/pasMailing": "true"}
	if len(reqs) != 1 || reqs[0].op != "createOrUpdateClientEx" || fmt.Sprint(reqs[0].params) != fmt.Sprint(want) {
		t.Fatalf("sent %d calls, %v; want %v", len(reqs), reqs[0].params, want)
	}
}

// Ensure a change to PAID_BY writes type and payer together (UpdateStatut
// carries no payer) and any other change uses UpdateStatut.
func TestSetSubscriberType(t *testing.T) {
	srv := newFake(t, func(r request) (int, string) {
		if r.op == "UpdateStatut" {
			return 200, respond(r.op, "<result>true</result>")
		}
		return 200, respond(r.op, "<codeClient>240014</codeClient>")
	})
	c := newTestClient(t, srv.URL, nil)
	if err := c.SetSubscriberType(bg, 240014, crm.TypePaidBy, 240066); err != nil {
		t.Fatal(err)
	}
	if err := c.SetSubscriberType(bg, 240014, crm.TypeProspect, 0); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[0].op != "createOrUpdateClientEx" || reqs[1].op != "UpdateStatut" {
		t.Fatalf("calls %d", len(reqs))
	}
	if p := reqs[0].params; p["client/typeClient"] != "2" || p["client/codeTiers"] != "240066" || len(p) != 4 {
		t.Fatalf("PAID_BY sent %v", p)
	}
	if p := reqs[1].params; p["codeClient"] != "240014" || p["statut"] != "3" {
		t.Fatalf("UpdateStatut sent %v", p)
	}
}
