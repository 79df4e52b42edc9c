package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/errs"
)

type subscriberJSON struct {
	Code      int    `json:"code"`
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Type      string `json:"type"`
	Payer     *struct {
		Code int    `json:"code"`
		Type string `json:"type"`
	} `json:"payer"`
}

// Ensure a subscriber read by code carries the stored values, its address
// lines in order and its flags.
func TestSubscriberByCode(t *testing.T) {
	e := newEnv(t)
	e.crm.Put(&crm.Subscriber{Code: 7, Email: "lea.roux@exemple.fr", FirstName: "Léa", LastName: "Roux", Address1: "Bât A",
		Address3: "BP 12", PostalCode: "69003", City: "Lyon", Country: "FR", Type: crm.TypeProspect, OldCode: "X9",
		DoNotShare: true, NoPostalMailing: true, Undeliverable: true})
	var data struct {
		Subscriber struct {
			subscriberJSON
			Address struct {
				Lines            []string
				PostalCode, City string
				Country          string
			}
			OldCode, Siret                             *string
			DoNotShare, NoPostalMailing, Undeliverable bool
			NoEmailing                                 bool
			CreatedAt                                  *string
		}
	}
	r := e.backOffice(`{ subscriber(code: 7) { code email firstName lastName type address { lines postalCode city country }
		oldCode siret doNotShare noPostalMailing undeliverable noEmailing createdAt } }`, nil, &data)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	s := data.Subscriber
	if s.Code != 7 || s.Email != "lea.roux@exemple.fr" || s.LastName != "Roux" || s.Type != "PROSPECT" ||
		strings.Join(s.Address.Lines, "|") != "Bât A|BP 12" || s.Address.City != "Lyon" || s.Address.Country != "FR" ||
		s.OldCode == nil || *s.OldCode != "X9" || s.Siret != nil || !s.DoNotShare || !s.NoPostalMailing || !s.Undeliverable ||
		s.NoEmailing || s.CreatedAt != nil {
		t.Fatalf("got %+v", s)
	}
}

// Ensure 50 PAID_BY subscribers sharing 3 payers cost exactly 3 lookups
// for their payers, one page and one count.
func TestPaidByFanOutCallsOncePerDistinctPayer(t *testing.T) {
	e := newEnv(t)
	var data struct {
		Subscribers struct {
			Items      []subscriberJSON
			TotalCount int
			NextOffset *int
		}
	}
	r := e.backOffice(`{ subscribers(filter: {type: PAID_BY}) { items { code type payer { code type } } totalCount nextOffset } }`, nil, &data)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	items := data.Subscribers.Items
	if len(items) != 50 || data.Subscribers.NextOffset == nil || *data.Subscribers.NextOffset != 50 {
		t.Fatalf("page: %d items, next %v", len(items), data.Subscribers.NextOffset)
	}
	seen := map[int]bool{}
	for _, s := range items {
		if s.Type != "PAID_BY" || s.Payer == nil || s.Payer.Type != "THIRD_PARTY" {
			t.Fatalf("subscriber %d: %+v", s.Code, s)
		}
		if s.Payer.Code != fakePayers[0] && s.Payer.Code != fakePayers[1] && s.Payer.Code != fakePayers[2] {
			t.Fatalf("payer %d not one of %v", s.Payer.Code, fakePayers)
		}
		seen[s.Payer.Code] = true
	}
	if len(seen) != 3 {
		t.Fatalf("distinct payers %d, want 3", len(seen))
	}
	calls := e.crm.Calls()
	if calls["Subscriber"] != 3 || calls["Subscribers"] != 1 || calls["CountSubscribers"] != 1 {
		t.Fatalf("calls %v: want 3 lookups (one per distinct payer), one page, one count", calls)
	}
	if data.Subscribers.TotalCount != 67 {
		t.Fatalf("totalCount %d, want 67 PAID_BY", data.Subscribers.TotalCount)
	}
	var next struct {
		Subscribers struct {
			Items      []subscriberJSON
			NextOffset *int
		}
	}
	r = e.backOffice(`{ subscribers(filter: {type: PAID_BY}, offset: 50) { items { code } nextOffset } }`, nil, &next)
	if len(r.Errors) > 0 || len(next.Subscribers.Items) != 17 || next.Subscribers.NextOffset != nil {
		t.Fatalf("last page: %+v %+v", r.Errors, next)
	}
}

// Ensure a third party lists the subscribers it pays for, and that the
// count is only asked when totalCount is selected.
func TestBeneficiariesAndLazyCount(t *testing.T) {
	e := newEnv(t)
	payer := fakePayers[0]
	var data struct {
		Subscriber struct {
			Type          string
			Beneficiaries struct{ Items []subscriberJSON }
		}
	}
	r := e.backOffice(`query($c: Int!) { subscriber(code: $c) { type beneficiaries { items { code payer { code } } } } }`, map[string]any{"c": payer}, &data)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if data.Subscriber.Type != "THIRD_PARTY" || len(data.Subscriber.Beneficiaries.Items) != 23 {
		t.Fatalf("got %+v", data.Subscriber)
	}
	for _, b := range data.Subscriber.Beneficiaries.Items {
		if b.Payer == nil || b.Payer.Code != payer {
			t.Fatalf("beneficiary %d paid by %+v, want %d", b.Code, b.Payer, payer)
		}
	}
	// The payer was already loaded by subscriber(code:), so payer costs nothing.
	if calls := e.crm.Calls(); calls["Subscriber"] != 1 || calls["Subscribers"] != 1 || calls["CountSubscribers"] != 0 {
		t.Fatalf("calls: %v", calls)
	}
	// Anyone else pays for nobody, without asking the CRM.
	e.crm.Reset()
	var normal struct {
		Subscriber struct {
			Beneficiaries struct {
				Items      []subscriberJSON
				TotalCount int
			}
		}
	}
	r = e.backOffice(`{ subscriber(code: 1000) { beneficiaries { items { code } totalCount } } }`, nil, &normal)
	if len(r.Errors) > 0 || len(normal.Subscriber.Beneficiaries.Items) != 0 || normal.Subscriber.Beneficiaries.TotalCount != 0 {
		t.Fatalf("normal: %+v %+v", r.Errors, normal)
	}
	if calls := e.crm.Calls(); calls["Subscribers"] != 0 || calls["CountSubscribers"] != 0 {
		t.Fatalf("calls: %v", calls)
	}
}

// Ensure back-office fields refuse anonymous callers, wrong keys and visitor
// sessions, and return no data.
func TestSubscriberAccess(t *testing.T) {
	e := newEnv(t)
	q := fmt.Sprintf(`{ subscriber(code: %d) { email } }`, fakeFirst)
	cases := []struct {
		name    string
		headers map[string]string
		code    string
	}{
		{"anonymous", nil, "UNAUTHENTICATED"},
		{"wrong key", map[string]string{"Authorization": "Bearer not-the-key-00000000"}, "UNAUTHENTICATED"},
		{"visitor session", map[string]string{"X-Session-Token": "A25DD850FF131140BA09A8B9ADFEE79A"}, "FORBIDDEN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.query(c.headers, q, nil, nil)
			if codeOf(r) != c.code || strings.Contains(string(r.Data), "@") {
				t.Fatalf("got code %q data %s", codeOf(r), r.Data)
			}
		})
	}
	if calls := e.crm.Calls(); len(calls) != 0 {
		t.Fatalf("refused requests reached the CRM: %v", calls)
	}
}

// Ensure lookups of unknown records are null, the old code is a lookup,
// and bad filters are refused before any call with the field named.
func TestSubscriberLookupsAndFilters(t *testing.T) {
	e := newEnv(t)
	var data struct {
		Subscriber        *subscriberJSON
		SubscriberByEmail *subscriberJSON
	}
	r := e.backOffice(`query($e: String!) { subscriber(code: 1) { code } subscriberByEmail(email: $e) { code firstName } }`, map[string]any{"e": fakeEmail(7)}, &data)
	if len(r.Errors) > 0 || data.Subscriber != nil || data.SubscriberByEmail == nil || data.SubscriberByEmail.Code != fakeFirst+7 {
		t.Fatalf("errors %+v data %+v", r.Errors, data)
	}
	var byOld struct {
		Subscribers struct {
			Items      []subscriberJSON
			TotalCount int
		}
	}
	r = e.backOffice(`{ subscribers(filter: {oldCode: "A12"}) { items { code } totalCount } }`, nil, &byOld)
	if len(r.Errors) > 0 || len(byOld.Subscribers.Items) != 1 || byOld.Subscribers.Items[0].Code != fakeFirst+12 || byOld.Subscribers.TotalCount != 1 {
		t.Fatalf("old code: %+v %+v", r.Errors, byOld)
	}
	if calls := e.crm.Calls(); calls["SubscriberByOldCode"] != 1 || calls["Subscribers"] != 0 || calls["CountSubscribers"] != 0 {
		t.Fatalf("old code calls: %v", calls)
	}
	e.crm.Reset()
	for _, tc := range []struct{ filter, field string }{
		{`{origin: "WEB", transcoCode: "X1"}`, "filter"},
		{`{postalCode: "69001"}`, "filter.postalCode"},
		{`{type: OTHER}`, "filter.type"},
		{`{modifiedTo: "2026-01-01T00:00:00Z"}`, "filter.modifiedFrom"},
		{`{modifiedFrom: "2026-01-02T00:00:00Z", modifiedTo: "2026-01-01T00:00:00Z"}`, "filter.modifiedTo"},
	} {
		r = e.backOffice(`{ subscribers(filter: `+tc.filter+`) { totalCount } }`, nil, nil)
		if codeOf(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field {
			t.Fatalf("%s: %+v", tc.filter, r.Errors)
		}
	}
	r = e.backOffice(`{ subscribers(offset: -1) { totalCount } }`, nil, nil)
	if codeOf(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "offset" {
		t.Fatalf("negative offset: %+v", r.Errors)
	}
	if calls := e.crm.Calls(); len(calls) != 0 {
		t.Fatalf("refused filters reached the CRM: %v", calls)
	}
}

// Ensure creating, updating and retyping a subscriber send only the fields
// given, and that input errors name the GraphQL input field, whether the
// API's rules or the CRM's refuse them.
func TestSubscriberMutations(t *testing.T) {
	e := newEnv(t)
	var created struct{ UpsertSubscriber subscriberJSON }
	r := e.backOffice(`mutation { upsertSubscriber(input: {email: "nouvelle.abonnee@exemple.fr", firstName: "Inès", lastName: "Nouvelle", addressLines: ["2 place Bellecour"], postalCode: "69002", city: "Lyon", country: "FR"}) { code email firstName lastName type } }`, nil, &created)
	if len(r.Errors) > 0 || created.UpsertSubscriber.Code == 0 || created.UpsertSubscriber.FirstName != "Inès" || created.UpsertSubscriber.Type != "NORMAL" {
		t.Fatalf("create: %+v %+v", r.Errors, created)
	}
	code := created.UpsertSubscriber.Code
	var updated struct{ UpsertSubscriber subscriberJSON }
	r = e.backOffice(`mutation($c: Int!) { upsertSubscriber(input: {code: $c, lastName: "Nouvelle-Durand"}) { code email firstName lastName } }`, map[string]any{"c": code}, &updated)
	if len(r.Errors) > 0 || updated.UpsertSubscriber.LastName != "Nouvelle-Durand" || updated.UpsertSubscriber.FirstName != "Inès" || updated.UpsertSubscriber.Email != "nouvelle.abonnee@exemple.fr" {
		t.Fatalf("update: %+v %+v", r.Errors, updated)
	}
	var addr struct {
		Subscriber struct{ Address struct{ Lines []string } }
	}
	e.backOffice(`query($c: Int!) { subscriber(code: $c) { address { lines } } }`, map[string]any{"c": code}, &addr)
	if strings.Join(addr.Subscriber.Address.Lines, "|") != "2 place Bellecour" {
		t.Fatalf("address %+v", addr)
	}
	payer := fakePayers[1]
	var retyped struct{ SetSubscriberType subscriberJSON }
	r = e.backOffice(`mutation($c: Int!, $p: Int) { setSubscriberType(code: $c, type: PAID_BY, payerCode: $p) { type payer { code } } }`, map[string]any{"c": code, "p": payer}, &retyped)
	if len(r.Errors) > 0 || retyped.SetSubscriberType.Type != "PAID_BY" || retyped.SetSubscriberType.Payer == nil || retyped.SetSubscriberType.Payer.Code != payer {
		t.Fatalf("retype: %+v %+v", r.Errors, retyped)
	}
	e.crm.Reset()
	for _, tc := range []struct{ q, field string }{
		{`mutation($c: Int!) { setSubscriberType(code: $c, type: PAID_BY) { type } }`, "payerCode"},
		{`mutation($c: Int!) { setSubscriberType(code: $c, type: NORMAL, payerCode: 1) { type } }`, "payerCode"},
		{`mutation($c: Int!) { setSubscriberType(code: $c, type: OTHER) { type } }`, "type"},
		{`mutation { upsertSubscriber(input: {lastName: "X"}) { code } }`, "input.email"},
		{`mutation { upsertSubscriber(input: {email: "a.b@exemple.fr", type: PAID_BY}) { code } }`, "input.payerCode"},
		{`mutation($c: Int!) { upsertSubscriber(input: {code: $c, type: OTHER}) { code } }`, "input.type"},
		{`mutation { upsertSubscriber(input: {email: "a.b@exemple.fr", addressLines: ["a", "b", "c", "d"]}) { code } }`, "input.addressLines"},
	} {
		r = e.backOffice(tc.q, map[string]any{"c": code}, nil)
		if codeOf(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field {
			t.Fatalf("%s: %+v", tc.q, r.Errors)
		}
	}
	if calls := e.crm.Calls(); len(calls) != 0 {
		t.Fatalf("input refused by the API's rules reached the CRM: %v", calls)
	}
	// The CRM's own refusals are named as the input field too.
	for _, tc := range []struct{ input, field string }{
		{`{email: "pas-un-email", lastName: "X"}`, "input.email"},
		{`{email: "a.b@exemple.fr", country: "France"}`, "input.country"},
	} {
		r = e.backOffice(`mutation { upsertSubscriber(input: `+tc.input+`) { code } }`, nil, nil)
		if codeOf(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field || !strings.HasPrefix(r.Errors[0].Message, tc.field+": ") {
			t.Fatalf("%s: %+v", tc.input, r.Errors)
		}
	}
	var sent struct{ SendSubscriberPassword bool }
	r = e.backOffice(`mutation($e: String!) { sendSubscriberPassword(email: $e) }`, map[string]any{"e": fakeEmail(3)}, &sent)
	if len(r.Errors) > 0 || !sent.SendSubscriberPassword || e.crm.PasswordMails(fakeEmail(3)) != 1 {
		t.Fatalf("send password: %+v %+v", r.Errors, sent)
	}
	r = e.backOffice(`mutation { sendSubscriberPassword(email: "personne@nulle-part.fr") }`, nil, nil)
	if codeOf(r) != "NOT_FOUND" || r.Errors[0].Extensions["vendorCode"] != "204" {
		t.Fatalf("unknown email: %+v", r.Errors)
	}
}

// Ensure a CRM outage fails only the fields that need it, with a typed
// code, and the rest of the query is served.
func TestSubscriberUpstreamFaults(t *testing.T) {
	e := newEnv(t)
	e.crm.fail["Subscriber"] = errs.E(errs.Op("fake"), errs.Unavailable, errs.Msg("subscriber service answered with an HTTP error"))
	var data struct {
		Subscribers struct{ Items []subscriberJSON }
	}
	r := e.backOffice(`{ subscribers(filter: {type: PAID_BY}) { items { code payer { code } } } }`, nil, &data)
	if len(data.Subscribers.Items) != 50 {
		t.Fatalf("page should still be served, got %d items (errors %+v)", len(data.Subscribers.Items), r.Errors)
	}
	if codeOf(r) != "UPSTREAM_UNAVAILABLE" || len(r.Errors) != 50 {
		t.Fatalf("errors: %d %+v", len(r.Errors), r.Errors)
	}
}

// Ensure Subscriber entities resolve in one batch through _entities.
func TestSubscriberEntities(t *testing.T) {
	e := newEnv(t)
	reps := []map[string]any{}
	for _, i := range []int{1, 2, 1, 5} {
		reps = append(reps, map[string]any{"__typename": "Subscriber", "code": fakeFirst + i})
	}
	var data struct {
		Entities []subscriberJSON `json:"_entities"`
	}
	r := e.backOffice(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Subscriber { code lastName } } }`, map[string]any{"r": reps}, &data)
	if len(r.Errors) > 0 || len(data.Entities) != 4 || data.Entities[3].Code != fakeFirst+5 || data.Entities[0].LastName != "Nom1" {
		t.Fatalf("errors %+v data %+v", r.Errors, data)
	}
	if n := e.crm.Calls()["Subscriber"]; n != 3 {
		t.Fatalf("lookups %d, want 3 distinct", n)
	}
	r = e.query(nil, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subscriber { email } } }`, map[string]any{"r": reps}, nil)
	if codeOf(r) != "UNAUTHENTICATED" {
		t.Fatalf("anonymous _entities: %+v", r.Errors)
	}
}

// A type the CRM sent that the API does not know is served as OTHER, the
// rest of the record intact.
func TestSubscriberOtherType(t *testing.T) {
	e := newEnv(t)
	e.crm.Put(&crm.Subscriber{Code: 4242, LastName: "Petit", Type: crm.TypeOther})
	var data struct{ Subscriber subscriberJSON }
	r := e.backOffice(`{ subscriber(code: 4242) { code lastName type payer { code } } }`, nil, &data)
	if len(r.Errors) > 0 || data.Subscriber.Type != "OTHER" || data.Subscriber.LastName != "Petit" || data.Subscriber.Payer != nil {
		t.Fatalf("errors %+v data %+v", r.Errors, data)
	}
}
