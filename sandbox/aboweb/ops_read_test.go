package aboweb

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/sandbox/fixture"
)

func codesOf(r reply) []int {
	var out []int
	for _, c := range r.Clients {
		n, _ := strconv.Atoi(c["codeClient"])
		out = append(out, n)
	}
	return out
}

func TestGetClientRecord(t *testing.T) {
	_, url := start(t, testConfig())
	r := mustOK(t, call(t, url, `<ges:getClient><codeClient>`+strconv.Itoa(DemoCode)+`</codeClient></ges:getClient>`), "getClient")
	c := r.Clients[0]
	p := fixture.At(0)
	for k, v := range map[string]string{"email": p.Email, "nom": p.LastName, "prenom": p.FirstName, "civilite": "MME", "typeClient": "0",
		"cp": p.PostalCode, "ville": p.City, "adresse2": p.Street, "codeIsoPays": "FR", "adresse1": "", "tauxRemiseAbo": "0.0", "nePasDiffuser": "true"} {
		if got, ok := c[k]; !ok || got != v {
			t.Errorf("%s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if _, ok := c["codeTiers"]; ok {
		t.Error("null codeTiers must be omitted")
	}
	if _, err := time.Parse(time.RFC3339, c["creation"]); err != nil {
		t.Errorf("creation %q is not an xs:dateTime: %v", c["creation"], err)
	}
	// Children in schema (alphabetical) order.
	order := r.ClientOrder[0]
	for i := 1; i < len(order); i++ {
		if order[i-1] >= order[i] {
			t.Fatalf("fields out of order: %s before %s", order[i-1], order[i])
		}
	}
	mustFault(t, call(t, url, `<ges:getClient><codeClient>1</codeClient></ges:getClient>`), "204")
	mustFault(t, call(t, url, `<ges:getClient/>`), "204")
	mustFault(t, call(t, url, `<ges:getClient><codeClient>douze</codeClient></ges:getClient>`), "202")
}

func TestFindAndAncienCode(t *testing.T) {
	s, url := start(t, testConfig())
	r := mustOK(t, call(t, url, `<ges:findClientByEmail><email>CAMILLE.Martin@exemple.fr </email></ges:findClientByEmail>`), "findClientByEmail")
	if codesOf(r)[0] != DemoCode {
		t.Fatalf("found %v", codesOf(r))
	}
	mustFault(t, call(t, url, `<ges:findClientByEmail><email>inconnu@exemple.fr</email></ges:findClientByEmail>`), "204")
	mustFault(t, call(t, url, `<ges:findClientByEmail/>`), "204")

	c, _ := s.Client(SeedCode(3))
	r = mustOK(t, call(t, url, `<ges:getClientByAncienCode><ancienCode>`+c.AncienCode+`</ancienCode></ges:getClientByAncienCode>`), "getClientByAncienCode")
	if c.AncienCode == "" || codesOf(r)[0] != c.Code {
		t.Fatalf("ancien code %q gave %v", c.AncienCode, codesOf(r))
	}
	mustFault(t, call(t, url, `<ges:getClientByAncienCode><ancienCode>ZZZ</ancienCode></ges:getClientByAncienCode>`), "204")
}

func TestGetClientsPaging(t *testing.T) {
	_, url := start(t, testConfig())
	var all []int
	for _, off := range []int{0, 50, 100} {
		r := mustOK(t, call(t, url, `<ges:getClients><offset>`+strconv.Itoa(off)+`</offset></ges:getClients>`), "getClients")
		got := codesOf(r)
		if len(got) != 50 || got[0] != SeedCode(off) || got[49] != SeedCode(off+49) {
			t.Fatalf("offset %d: %d clients from %v", off, len(got), got[:1])
		}
		all = append(all, got...)
	}
	for i := 1; i < len(all); i++ {
		if all[i] <= all[i-1] {
			t.Fatal("pages overlap or are out of code order")
		}
	}
	if got := codesOf(call(t, url, `<ges:getClients/>`)); len(got) != 50 || got[0] != DemoCode {
		t.Fatal("no offset must mean 0")
	}
	if got := codesOf(call(t, url, `<ges:getClients><offset>500</offset></ges:getClients>`)); len(got) != 20 || got[19] != SeedCode(519) {
		t.Fatalf("last page has %d clients", len(got))
	}
	r := mustOK(t, call(t, url, `<ges:getClients><offset>520</offset></ges:getClients>`), "getClients")
	if len(r.Clients) != 0 {
		t.Fatal("past the end must be an empty wrapper")
	}
	mustFault(t, call(t, url, `<ges:getClients><offset>-1</offset></ges:getClients>`), "202")
	if r := mustOK(t, call(t, url, `<ges:getNbClients/>`), "getNbClients"); r.Result != "520" {
		t.Fatalf("getNbClients = %s", r.Result)
	}
}

// listAndCount checks a list operation against its getNb twin and the
// simulator's own state.
func listAndCount(t *testing.T, url, op, nbOp, params string, want []int) {
	t.Helper()
	var got []int
	for off := 0; ; off += 50 {
		r := mustOK(t, call(t, url, `<ges:`+op+`>`+params+`<offset>`+strconv.Itoa(off)+`</offset></ges:`+op+`>`), op)
		got = append(got, codesOf(r)...)
		if len(r.Clients) < 50 {
			break
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s(%s): %d clients, want %d", op, params, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: client %d is %d, want %d", op, i, got[i], want[i])
		}
	}
	n := mustOK(t, call(t, url, `<ges:`+nbOp+`>`+params+`</ges:`+nbOp+`>`), nbOp).Result
	if n != strconv.Itoa(len(want)) {
		t.Fatalf("%s = %s, want %d", nbOp, n, len(want))
	}
}

func filterCodes(s *Server, keep func(Client) bool) []int {
	var out []int
	for _, c := range s.Clients() {
		if keep(c) {
			out = append(out, c.Code)
		}
	}
	return out
}

func TestListOperations(t *testing.T) {
	s, url := start(t, testConfig())
	payer := PayerCodes()[1]
	listAndCount(t, url, "getPayesPar", "getNbPayesPar", `<codeTiers>`+strconv.Itoa(payer)+`</codeTiers>`, s.PaidBy(payer))
	listAndCount(t, url, "getPayesPar", "getNbPayesPar", `<codeTiers>`+strconv.Itoa(DemoCode)+`</codeTiers>`, nil)
	mustFault(t, call(t, url, `<ges:getPayesPar><codeTiers>7</codeTiers><offset>0</offset></ges:getPayesPar>`), "204")
	mustFault(t, call(t, url, `<ges:getNbPayesPar><codeTiers>7</codeTiers></ges:getNbPayesPar>`), "204")

	for typ := TypeNormal; typ <= TypePrescripteur; typ++ {
		listAndCount(t, url, "getClientsByType", "getNbClientsByType", `<typeClient>`+strconv.Itoa(typ)+`</typeClient>`, s.Codes(typ))
	}
	mustFault(t, call(t, url, `<ges:getClientsByType><typeClient>5</typeClient></ges:getClientsByType>`), "202")
	mustFault(t, call(t, url, `<ges:getNbClientsByType/>`), "202")

	listAndCount(t, url, "getClientsByOrigine", "getNbClientsByOrigine", `<origine>SALON</origine>`,
		filterCodes(s, func(c Client) bool { return c.Origine == "SALON" }))
	listAndCount(t, url, "getClientsByOrigine", "getNbClientsByOrigine", `<origine>NULLE-PART</origine>`, nil)
	mustFault(t, call(t, url, `<ges:getClientsByOrigine><offset>0</offset></ges:getClientsByOrigine>`), "202")

	listAndCount(t, url, "getClientsByCodeClientTransco", "getNbClientsByCodeClientTransco", `<codeClientTransco>0003HG</codeClientTransco>`,
		filterCodes(s, func(c Client) bool { return c.Transco == "0003HG" }))

	listAndCount(t, url, "getClientsByCodeSelection", "getNbClientsByCodeSelection", `<codeSelection>NEWSLETTER</codeSelection>`,
		filterCodes(s, func(c Client) bool {
			for _, v := range c.Selections {
				if v == "NEWSLETTER" {
					return true
				}
			}
			return false
		}))
	mustFault(t, call(t, url, `<ges:getNbClientsByCodeSelection/>`), "202")

	cp := fixture.At(0).PostalCode
	listAndCount(t, url, "getClientsWithCriteria", "getNbClientsWithCriteria", `<criteria><typeClient>0</typeClient><cp>`+cp+`</cp></criteria>`,
		filterCodes(s, func(c Client) bool { return c.Type == TypeNormal && c.Cp == cp }))
	listAndCount(t, url, "getClientsWithCriteria", "getNbClientsWithCriteria", `<criteria><typeClient>3</typeClient></criteria>`, s.Codes(TypeProspect))
	mustFault(t, call(t, url, `<ges:getClientsWithCriteria><offset>0</offset></ges:getClientsWithCriteria>`), "202")
	mustFault(t, call(t, url, `<ges:getNbClientsWithCriteria><criteria><cp>69001</cp></criteria></ges:getNbClientsWithCriteria>`), "202")
	mustFault(t, call(t, url, `<ges:getNbClientsWithCriteria><criteria><typeClient>9</typeClient></criteria></ges:getNbClientsWithCriteria>`), "202")
}

func TestModifiedBetween(t *testing.T) {
	s, url := start(t, testConfig())
	from := fixedNow.Add(-90 * 24 * time.Hour)
	to := fixedNow.Add(-30 * 24 * time.Hour)
	want := filterCodes(s, func(c Client) bool { return !c.Modification.Before(from) && !c.Modification.After(to) })
	if len(want) == 0 || len(want) > 200 {
		t.Fatalf("seed gives %d clients in the window", len(want))
	}
	// ebdo's form: UTC with milliseconds.
	listAndCount(t, url, "getClientsModifiedBetween", "getNbClientsModifiedBetween",
		`<date1>`+from.Format("2006-01-02T15:04:05.000Z")+`</date1><date2>`+to.Format("2006-01-02T15:04:05.000Z")+`</date2>`, want)
	// The same instants with an offset.
	listAndCount(t, url, "getClientsModifiedBetween", "getNbClientsModifiedBetween",
		`<date1>`+from.In(paris).Format(time.RFC3339)+`</date1><date2>`+to.In(paris).Format(time.RFC3339)+`</date2>`, want)
	// date1 alone: open end (ebdo).
	listAndCount(t, url, "getClientsModifiedBetween", "getNbClientsModifiedBetween",
		`<date1>`+from.Format(time.RFC3339)+`</date1>`, filterCodes(s, func(c Client) bool { return !c.Modification.Before(from) }))
	// Inclusive bounds: a window of exactly one client's modification instant.
	c, _ := s.Client(SeedCode(7))
	listAndCount(t, url, "getClientsModifiedBetween", "getNbClientsModifiedBetween",
		`<date1>`+c.Modification.Format(time.RFC3339)+`</date1><date2>`+c.Modification.Format(time.RFC3339)+`</date2>`,
		filterCodes(s, func(o Client) bool { return o.Modification.Equal(c.Modification) }))
	mustFault(t, call(t, url, `<ges:getClientsModifiedBetween><date1>hier</date1><offset>0</offset></ges:getClientsModifiedBetween>`), "202")
	mustFault(t, call(t, url, `<ges:getNbClientsModifiedBetween><date1>2026-02-01T00:00:00Z</date1><date2>2026-01-01T00:00:00Z</date2></ges:getNbClientsModifiedBetween>`), "202")
}

func TestAuthenticateAndSendPassword(t *testing.T) {
	s, url := start(t, testConfig())
	p := fixture.At(12)
	// Only the documented name: the 2015-16 one is an unknown operation.
	old := mustFault(t, call(t, url, `<ges:authenticateByEmail><email>`+p.Email+`</email><encryptedPassword>`+hashB64(p.Password)+`</encryptedPassword></ges:authenticateByEmail>`), "S:Client")
	if !strings.Contains(old.FaultString, "Cannot find dispatch method for {http://www.gesmag.com/}authenticateByEmail") {
		t.Fatalf("authenticateByEmail: %q", old.FaultString)
	}
	for _, op := range []string{"authenticateEncrypteByEmail"} {
		ok := mustOK(t, call(t, url, `<ges:`+op+`><email>`+p.Email+`</email><encryptedPassword>`+hashB64(p.Password)+`</encryptedPassword></ges:`+op+`>`), op)
		if ok.Result != "true" {
			t.Fatalf("%s: right password gave %s", op, ok.Result)
		}
		bad := mustOK(t, call(t, url, `<ges:`+op+`><email>`+p.Email+`</email><encryptedPassword>`+hashB64("autre")+`</encryptedPassword></ges:`+op+`>`), op)
		if bad.Result != "false" {
			t.Fatalf("%s: wrong password gave %s", op, bad.Result)
		}
		plain := mustOK(t, call(t, url, `<ges:`+op+`><email>`+p.Email+`</email><encryptedPassword>`+p.Password+`</encryptedPassword></ges:`+op+`>`), op)
		if plain.Result != "false" {
			t.Fatalf("%s: the clear password must not authenticate", op)
		}
		mustFault(t, call(t, url, `<ges:`+op+`><email>x@y.fr</email><encryptedPassword>a</encryptedPassword></ges:`+op+`>`), "204")
		mustFault(t, call(t, url, `<ges:`+op+`/>`), "202")
	}

	mustOK(t, call(t, url, `<ges:sendPassword><refSociete>1</refSociete><email>`+p.Email+`</email></ges:sendPassword>`), "sendPassword")
	mustOK(t, call(t, url, `<ges:sendPassword><email>`+p.Email+`</email></ges:sendPassword>`), "sendPassword")
	if n := s.PasswordMails(p.Email); n != 2 {
		t.Fatalf("%d mails sent", n)
	}
	mustFault(t, call(t, url, `<ges:sendPassword><refSociete>1</refSociete><email>ixxxx@xxxxx.com</email></ges:sendPassword>`), "204")
	mustFault(t, call(t, url, `<ges:sendPassword><refSociete>2</refSociete><email>`+p.Email+`</email></ges:sendPassword>`), "202")
	mustFault(t, call(t, url, `<ges:sendPassword><refSociete>1</refSociete></ges:sendPassword>`), "202")
	if n := s.PasswordMails(p.Email); n != 2 {
		t.Fatalf("failed calls sent mail: %d", n)
	}
}
