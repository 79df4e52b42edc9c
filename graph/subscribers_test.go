package graph_test

import (
	"fmt"
	"strings"
	"testing"

	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/sandbox/fault"
	"github.com/guichet/guichet/sandbox/fixture"
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

// Ensure a subscriber read by code carries the seeded values.
func TestSubscriberByCode(t *testing.T) {
	e := newEnv(t)
	var data struct{ Subscriber subscriberJSON }
	r := e.backOffice(`query($c: Int!) { subscriber(code: $c) { code email firstName lastName type } }`, map[string]any{"c": abosandbox.DemoCode}, &data)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	p := fixture.At(0)
	if data.Subscriber.Code != abosandbox.DemoCode || data.Subscriber.Email != p.Email || data.Subscriber.LastName != p.LastName || data.Subscriber.Type != "NORMAL" {
		t.Fatalf("got %+v, want person 0 (%s %s)", data.Subscriber, p.Email, p.LastName)
	}
}

// Ensure 50 PAID_BY subscribers sharing 3 payers cost exactly 3 getClient
// calls for their payers, one page call and one count.
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
	payers := abosandbox.PayerCodes()
	seen := map[int]bool{}
	for _, s := range items {
		if s.Type != "PAID_BY" || s.Payer == nil || s.Payer.Type != "THIRD_PARTY" {
			t.Fatalf("subscriber %d: %+v", s.Code, s)
		}
		if s.Payer.Code != payers[0] && s.Payer.Code != payers[1] && s.Payer.Code != payers[2] {
			t.Fatalf("payer %d not one of %v", s.Payer.Code, payers)
		}
		seen[s.Payer.Code] = true
	}
	if len(seen) != 3 {
		t.Fatalf("distinct payers %d, want 3", len(seen))
	}
	calls := e.aboweb.Calls()
	if got := calls.Get("getClient"); got != 3 {
		t.Fatalf("getClient calls = %d, want 3 (one per distinct payer)", got)
	}
	if calls.Get("getClientsByType") != 1 || calls.Get("getNbClientsByType") != 1 {
		t.Fatalf("calls: %v", calls.Snapshot())
	}
	if data.Subscribers.TotalCount < 60 {
		t.Fatalf("totalCount %d, want at least 60 PAID_BY", data.Subscribers.TotalCount)
	}
}

// Ensure a third party lists the subscribers it pays for, and that the
// count is only asked when totalCount is selected.
func TestBeneficiariesAndLazyCount(t *testing.T) {
	e := newEnv(t)
	payer := abosandbox.PayerCodes()[0]
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
	if data.Subscriber.Type != "THIRD_PARTY" || len(data.Subscriber.Beneficiaries.Items) == 0 {
		t.Fatalf("got %+v", data.Subscriber)
	}
	for _, b := range data.Subscriber.Beneficiaries.Items {
		if b.Payer == nil || b.Payer.Code != payer {
			t.Fatalf("beneficiary %d paid by %+v, want %d", b.Code, b.Payer, payer)
		}
	}
	calls := e.aboweb.Calls()
	// The payer was already loaded by subscriber(code:), so payer costs nothing.
	if calls.Get("getClient") != 1 || calls.Get("getPayesPar") != 1 || calls.Get("getNbPayesPar") != 0 {
		t.Fatalf("calls: %v", calls.Snapshot())
	}
}

// Ensure back-office fields refuse anonymous callers, wrong keys and visitor
// sessions, and return no data.
func TestSubscriberAccess(t *testing.T) {
	e := newEnv(t)
	q := fmt.Sprintf(`{ subscriber(code: %d) { email } }`, abosandbox.DemoCode)
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
	if n := e.aboweb.Calls().Get("getClient"); n != 0 {
		t.Fatalf("refused requests reached AboWeb %d times", n)
	}
}

// Ensure lookups of unknown records are null, and bad filters are refused
// before any call with the field named.
func TestSubscriberLookupsAndFilters(t *testing.T) {
	e := newEnv(t)
	var data struct {
		Subscriber        *subscriberJSON
		SubscriberByEmail *subscriberJSON
	}
	r := e.backOffice(`query($e: String!) { subscriber(code: 1) { code } subscriberByEmail(email: $e) { code firstName } }`, map[string]any{"e": fixture.At(7).Email}, &data)
	if len(r.Errors) > 0 || data.Subscriber != nil || data.SubscriberByEmail == nil || data.SubscriberByEmail.Code != abosandbox.SeedCode(7) {
		t.Fatalf("errors %+v data %+v", r.Errors, data)
	}
	r = e.backOffice(`{ subscribers(filter: {origin: "WEB", transcoCode: "X1"}) { totalCount } }`, nil, nil)
	if codeOf(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "filter" {
		t.Fatalf("combined filter: %+v", r.Errors)
	}
	r = e.backOffice(`{ subscribers(filter: {postalCode: "69001"}) { totalCount } }`, nil, nil)
	if codeOf(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "filter.postalCode" {
		t.Fatalf("postal code alone: %+v", r.Errors)
	}
	for op, n := range e.aboweb.Calls().Snapshot() {
		if op != "getClient" && op != "findClientByEmail" && n > 0 {
			t.Fatalf("refused filters reached AboWeb: %s=%d", op, n)
		}
	}
}

// Ensure creating, updating and retyping a subscriber round-trips through
// AboWeb, and that an update keeps the fields it does not send.
func TestSubscriberMutations(t *testing.T) {
	e := newEnv(t)
	var created struct{ UpsertSubscriber subscriberJSON }
	r := e.backOffice(`mutation { upsertSubscriber(input: {email: "nouvelle.abonnee@exemple.fr", firstName: "Inès", lastName: "Nouvelle", postalCode: "69002", city: "Lyon", country: "FR"}) { code email firstName lastName type } }`, nil, &created)
	if len(r.Errors) > 0 || created.UpsertSubscriber.Code == 0 || created.UpsertSubscriber.FirstName != "Inès" {
		t.Fatalf("create: %+v %+v", r.Errors, created)
	}
	code := created.UpsertSubscriber.Code
	var updated struct{ UpsertSubscriber subscriberJSON }
	r = e.backOffice(`mutation($c: Int!) { upsertSubscriber(input: {code: $c, lastName: "Nouvelle-Durand"}) { code email firstName lastName } }`, map[string]any{"c": code}, &updated)
	if len(r.Errors) > 0 || updated.UpsertSubscriber.LastName != "Nouvelle-Durand" || updated.UpsertSubscriber.FirstName != "Inès" || updated.UpsertSubscriber.Email != "nouvelle.abonnee@exemple.fr" {
		t.Fatalf("update: %+v %+v", r.Errors, updated)
	}
	payer := abosandbox.PayerCodes()[1]
	var retyped struct{ SetSubscriberType subscriberJSON }
	r = e.backOffice(`mutation($c: Int!, $p: Int) { setSubscriberType(code: $c, type: PAID_BY, payerCode: $p) { type payer { code } } }`, map[string]any{"c": code, "p": payer}, &retyped)
	if len(r.Errors) > 0 || retyped.SetSubscriberType.Type != "PAID_BY" || retyped.SetSubscriberType.Payer == nil || retyped.SetSubscriberType.Payer.Code != payer {
		t.Fatalf("retype: %+v %+v", r.Errors, retyped)
	}
	r = e.backOffice(`mutation($c: Int!) { setSubscriberType(code: $c, type: PAID_BY) { type } }`, map[string]any{"c": code}, nil)
	if codeOf(r) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "payerCode" {
		t.Fatalf("PAID_BY without payer: %+v", r.Errors)
	}
	r = e.backOffice(`mutation { upsertSubscriber(input: {email: "pas-un-email", lastName: "X"}) { code } }`, nil, nil)
	if codeOf(r) != "BAD_USER_INPUT" {
		t.Fatalf("bad email: %+v", r.Errors)
	}
	var sent struct{ SendSubscriberPassword bool }
	r = e.backOffice(`mutation($e: String!) { sendSubscriberPassword(email: $e) }`, map[string]any{"e": fixture.At(3).Email}, &sent)
	if len(r.Errors) > 0 || !sent.SendSubscriberPassword || e.aboweb.PasswordMails(fixture.At(3).Email) != 1 {
		t.Fatalf("send password: %+v %+v", r.Errors, sent)
	}
	r = e.backOffice(`mutation { sendSubscriberPassword(email: "personne@nulle-part.fr") }`, nil, nil)
	if codeOf(r) != "NOT_FOUND" || r.Errors[0].Extensions["vendorCode"] != "204" {
		t.Fatalf("unknown email: %+v", r.Errors)
	}
}

// Ensure an AboWeb outage fails only the fields that need it, with a typed
// code, and the rest of the query is served.
func TestSubscriberUpstreamFaults(t *testing.T) {
	e := newEnv(t)
	e.aboweb.Faults().Set("getClient", fault.Rule{Mode: fault.HTTP500})
	var data struct {
		Subscribers struct{ Items []subscriberJSON }
	}
	r := e.backOffice(`{ subscribers(filter: {type: PAID_BY}) { items { code payer { code } } } }`, nil, &data)
	if len(data.Subscribers.Items) != 50 {
		t.Fatalf("page should still be served, got %d items (errors %+v)", len(data.Subscribers.Items), r.Errors)
	}
	if codeOf(r) != "UPSTREAM_UNAVAILABLE" {
		t.Fatalf("errors: %+v", r.Errors)
	}
	for _, er := range r.Errors {
		if strings.Contains(er.Message, "Envelope") || strings.Contains(er.Message, "Internal Server Error") {
			t.Fatalf("upstream detail leaked: %q", er.Message)
		}
	}
}

// Ensure Subscriber entities resolve in one batch through _entities.
func TestSubscriberEntities(t *testing.T) {
	e := newEnv(t)
	reps := []map[string]any{}
	for _, i := range []int{1, 2, 1, 5} {
		reps = append(reps, map[string]any{"__typename": "Subscriber", "code": abosandbox.SeedCode(i)})
	}
	var data struct {
		Entities []subscriberJSON `json:"_entities"`
	}
	r := e.backOffice(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Subscriber { code lastName } } }`, map[string]any{"r": reps}, &data)
	if len(r.Errors) > 0 || len(data.Entities) != 4 || data.Entities[3].Code != abosandbox.SeedCode(5) || data.Entities[0].LastName != fixture.At(1).LastName {
		t.Fatalf("errors %+v data %+v", r.Errors, data)
	}
	if n := e.aboweb.Calls().Get("getClient"); n != 3 {
		t.Fatalf("getClient calls %d, want 3 distinct", n)
	}
	r = e.query(nil, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subscriber { email } } }`, map[string]any{"r": reps}, nil)
	if codeOf(r) != "UNAUTHENTICATED" {
		t.Fatalf("anonymous _entities: %+v", r.Errors)
	}
}
