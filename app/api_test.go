package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/sandbox/fault"
	"github.com/guichet/guichet/sandbox/fixture"
)

// Tests over HTTP of every visitor and back-office field against the two
// sandboxes booted by boot(): parsed values, extensions.code and field, and
// the calls each back office received.

func (e *e2e) bo() map[string]string { return map[string]string{"Authorization": "Bearer " + e.key} }

func (e *e2e) tickets() *fault.Counter { return e.app.sandboxes.Ticketing.Sim.Calls() }
func (e *e2e) crm() *fault.Counter     { return e.app.sandboxes.CRM.Sim.Calls() }

// login signs fixture person i in and returns the session header.
func (e *e2e) login(i int) map[string]string {
	e.t.Helper()
	p := fixture.At(i)
	var s struct{ Login struct{ Token string } }
	e.ok(e.do(nil, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, map[string]any{"e": p.Email, "p": p.Password}, &s))
	return map[string]string{"X-Session-Token": s.Login.Token}
}

// fieldOf is extensions.field of r's first error.
func fieldOf(r gqlResp) any {
	if len(r.Errors) == 0 {
		return nil
	}
	return r.Errors[0].Extensions["field"]
}

// wantInvalid fails unless r is one BAD_USER_INPUT naming field, with no
// vendor name in its message.
func wantInvalid(t *testing.T, name string, r gqlResp, field string) {
	t.Helper()
	if r.Code() != "BAD_USER_INPUT" || fieldOf(r) != field {
		t.Fatalf("%s: want BAD_USER_INPUT on %s, got %+v", name, field, r.Errors)
	}
	for _, vendor := range []string{"v_", "w_ident", "web_", "intitule", "organisme", "id_contact", "codeIso", "adresse", "cp:", "codeTiers"} {
		if strings.Contains(r.Errors[0].Message, vendor) {
			t.Fatalf("%s: vendor name %q in %q", name, vendor, r.Errors[0].Message)
		}
	}
}

var paris, _ = time.LoadLocation("Europe/Paris")

const contactFields = `id email firstName lastName phone address { lines postalCode city country } mailings { id code selected } interests { id code selected }`

type contactJSON struct {
	ID, Email, FirstName, LastName string
	Phone                          *string
	Address                        *struct {
		Lines                     []string
		PostalCode, City, Country *string
	}
	Mailings, Interests []struct {
		ID, Code string
		Selected bool
	}
}

func selected(cs []struct {
	ID, Code string
	Selected bool
}) map[string]bool {
	m := map[string]bool{}
	for _, c := range cs {
		m[c.ID] = c.Selected
	}
	return m
}

// Ensure updateMe changes the visitor's own record, codes envoi and
// interests included, that the change persists, and that bad input is
// refused before any call with the GraphQL field named.
func TestAPIUpdateMe(t *testing.T) {
	e := boot(t)
	h := e.login(0)
	q := `mutation($i: UpdateMeInput!) { updateMe(input: $i) { ` + contactFields + ` } }`
	e.tickets().Reset()
	var out struct{ UpdateMe contactJSON }
	e.ok(e.do(h, q, map[string]any{"i": map[string]any{
		"firstName": "Camille-Anne", "city": "Villeurbanne", "postalCode": "69100", "addressLines": []string{"12 rue Racine", "Bâtiment B"},
		"mailings":  []map[string]any{{"id": "96", "selected": false}, {"id": "97", "selected": true}},
		"interests": []map[string]any{{"id": "302", "selected": true}},
	}}, &out))
	c := out.UpdateMe
	if c.FirstName != "Camille-Anne" || c.LastName != fixture.At(0).LastName || c.Address == nil || *c.Address.City != "Villeurbanne" ||
		*c.Address.PostalCode != "69100" || strings.Join(c.Address.Lines, "|") != "12 rue Racine|Bâtiment B" {
		t.Fatalf("updated contact %+v", c)
	}
	// Person 0 starts with 96 on, 97 off, 301 on, 302 on; 301 was left out.
	if m := selected(c.Mailings); m["96"] || !m["97"] {
		t.Fatalf("mailings %+v", c.Mailings)
	}
	if m := selected(c.Interests); !m["301"] || !m["302"] {
		t.Fatalf("interests %+v", c.Interests)
	}
	calls := e.tickets().Snapshot()
	if calls["ws_modification_contact"] != 1 || calls["ws_status_session"] != 1 {
		t.Fatalf("calls %v: want one update and one session check", calls)
	}
	var again struct{ Me contactJSON }
	e.ok(e.do(h, `{ me { `+contactFields+` } }`, nil, &again))
	if again.Me.FirstName != "Camille-Anne" || selected(again.Me.Mailings)["96"] || !selected(again.Me.Mailings)["97"] {
		t.Fatalf("not persisted: %+v", again.Me)
	}

	long := strings.Repeat("x", 39)
	cases := []struct {
		name  string
		input map[string]any
		field string
	}{
		{"empty last name", map[string]any{"lastName": " "}, "input.lastName"},
		{"empty first name", map[string]any{"firstName": ""}, "input.firstName"},
		{"long first name", map[string]any{"firstName": long}, "input.firstName"},
		{"long postal code", map[string]any{"postalCode": "69100690010"}, "input.postalCode"},
		{"long phone", map[string]any{"phone": "+33 4 72 00 00 00 00 00"}, "input.phone"},
		{"long country", map[string]any{"country": strings.Repeat("F", 39)}, "input.country"},
		{"four address lines", map[string]any{"addressLines": []string{"a", "b", "c", "d"}}, "input.addressLines"},
		{"long address line", map[string]any{"addressLines": []string{"a", long}}, "input.addressLines[1]"},
		{"mailing id not a number", map[string]any{"mailings": []map[string]any{{"id": "NL", "selected": true}}}, "input.mailings[0].id"},
		{"unknown interest", map[string]any{"interests": []map[string]any{{"id": "301", "selected": true}, {"id": "999", "selected": true}}}, "input.interests[1].id"},
	}
	e.tickets().Reset()
	for _, tc := range cases {
		wantInvalid(t, tc.name, e.do(h, q, map[string]any{"i": tc.input}, nil), tc.field)
	}
	if n := e.tickets().Get("ws_modification_contact"); n != 0 {
		t.Fatalf("refused input reached the ticketing system %d times", n)
	}
	anon := e.do(nil, q, map[string]any{"i": map[string]any{"city": "Lyon"}}, nil)
	key := e.do(e.bo(), q, map[string]any{"i": map[string]any{"city": "Lyon"}}, nil)
	var s struct{ CreateSession struct{ Token string } }
	e.ok(e.do(nil, `mutation { createSession { token } }`, nil, &s))
	notSigned := e.do(map[string]string{"X-Session-Token": s.CreateSession.Token}, q, map[string]any{"i": map[string]any{"city": "Lyon"}}, nil)
	for name, r := range map[string]gqlResp{"anonymous": anon, "back-office key": key, "session not signed in": notSigned} {
		if r.Code() != "UNAUTHENTICATED" || string(r.Data) != "null" {
			t.Fatalf("%s: %+v %s", name, r.Errors, r.Data)
		}
	}
}

// Ensure changePassword checks the rules and the current password with the
// GraphQL argument named, and that only the new password signs in after.
func TestAPIChangePassword(t *testing.T) {
	e := boot(t)
	p := fixture.At(4)
	h := e.login(4)
	q := `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`
	cases := []struct {
		name, current, next, code, field, vendor string
	}{
		{"weak", p.Password, "faible", "BAD_USER_INPUT", "newPassword", ""},
		{"with @", p.Password, "Nouveau@2026", "BAD_USER_INPUT", "newPassword", ""},
		{"unchanged", p.Password, p.Password, "BAD_USER_INPUT", "newPassword", ""},
		{"no current", "", "Nouveau2026", "BAD_USER_INPUT", "currentPassword", ""},
		{"wrong current", "Mauvais2026", "Nouveau2026", "UNAUTHENTICATED", "currentPassword", "528"},
	}
	for _, tc := range cases {
		r := e.do(h, q, map[string]any{"c": tc.current, "n": tc.next}, nil)
		if r.Code() != tc.code || fieldOf(r) != tc.field || (tc.vendor != "" && r.Errors[0].Extensions["vendorCode"] != tc.vendor) || strings.Contains(r.Errors[0].Message, "v_") {
			t.Fatalf("%s: %+v", tc.name, r.Errors)
		}
	}
	if r := e.do(nil, q, map[string]any{"c": p.Password, "n": "Nouveau2026"}, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("anonymous: %+v", r.Errors)
	}
	e.tickets().Reset()
	var ok struct{ ChangePassword bool }
	e.ok(e.do(h, q, map[string]any{"c": p.Password, "n": "Nouveau2026"}, &ok))
	if !ok.ChangePassword || e.tickets().Get("ws_modification_pwd") != 1 {
		t.Fatalf("change: %v calls %v", ok, e.tickets().Snapshot())
	}
	login := `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { loggedIn } }`
	if r := e.do(nil, login, map[string]any{"e": p.Email, "p": p.Password}, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("old password still signs in: %+v", r)
	}
	e.ok(e.do(nil, login, map[string]any{"e": p.Email, "p": "Nouveau2026"}, nil))
}

// Ensure deleteMyAccount removes only the signed-in visitor's account and
// ends their session.
func TestAPIDeleteMyAccount(t *testing.T) {
	e := boot(t)
	p := fixture.At(6)
	h, other := e.login(6), e.login(7)
	if r := e.do(nil, `mutation { deleteMyAccount }`, nil, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("anonymous: %+v", r.Errors)
	}
	var del struct{ DeleteMyAccount bool }
	e.ok(e.do(h, `mutation { deleteMyAccount }`, nil, &del))
	if !del.DeleteMyAccount || e.tickets().Get("ws_suppression_compte") != 1 {
		t.Fatalf("delete: %v", del)
	}
	if r := e.do(h, `{ me { email } }`, nil, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("deleted visitor still signed in: %+v", r)
	}
	if r := e.do(nil, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, map[string]any{"e": p.Email, "p": p.Password}, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("deleted account signs in: %+v", r)
	}
	var me struct{ Me struct{ Email string } }
	e.ok(e.do(other, `{ me { email } }`, nil, &me))
	if me.Me.Email != fixture.At(7).Email {
		t.Fatalf("other visitor: %+v", me)
	}
	var c struct{ Contact *struct{ Email string } }
	e.ok(e.do(e.bo(), fmt.Sprintf(`{ contact(id: "%d") { email } }`, e.app.sandboxes.Ticketing.Sim.Seed().DemoContactID+6), nil, &c))
	if c.Contact != nil {
		t.Fatalf("deleted contact still readable: %+v", c.Contact)
	}
}

// Ensure session reports status, remaining time, sign-in and basket, and
// that session and me in one request cost one status call and one read.
func TestAPISession(t *testing.T) {
	e := boot(t)
	q := `{ session { token status remainingSeconds loggedIn basket { id status remainingSeconds } contact { email } } }`
	type sessionJSON struct {
		Session *struct {
			Token, Status    string
			RemainingSeconds int
			LoggedIn         bool
			Basket           *struct{ ID string }
			Contact          *struct{ Email string }
		}
		Me *struct{ Email string }
	}
	var none sessionJSON
	e.ok(e.do(nil, q, nil, &none))
	if none.Session != nil {
		t.Fatalf("session without a token: %+v", none.Session)
	}
	var s struct{ CreateSession struct{ Token string } }
	e.ok(e.do(nil, `mutation { createSession { token } }`, nil, &s))
	var fresh sessionJSON
	e.ok(e.do(map[string]string{"X-Session-Token": s.CreateSession.Token}, q, nil, &fresh))
	if fresh.Session == nil || fresh.Session.Status != "ACTIVE" || fresh.Session.RemainingSeconds <= 0 || fresh.Session.LoggedIn ||
		fresh.Session.Basket != nil || fresh.Session.Contact != nil || fresh.Session.Token != s.CreateSession.Token {
		t.Fatalf("new session: %+v", fresh.Session)
	}
	h := e.login(2)
	e.tickets().Reset()
	var signed sessionJSON
	e.ok(e.do(h, `{ session { status loggedIn contact { email } } me { email } }`, nil, &signed))
	if !signed.Session.LoggedIn || signed.Session.Contact == nil || signed.Session.Contact.Email != fixture.At(2).Email || signed.Me.Email != fixture.At(2).Email {
		t.Fatalf("signed in: %+v %+v", signed.Session, signed.Me)
	}
	if c := e.tickets().Snapshot(); c["ws_status_session"] != 1 || c["ws_info_contact"] != 1 {
		t.Fatalf("calls %v: want one status and one contact read", c)
	}
	var gone sessionJSON
	e.ok(e.do(map[string]string{"X-Session-Token": "0123456789ABCDEF0123456789ABCDEF"}, q, nil, &gone))
	if gone.Session == nil || gone.Session.Status != "EXPIRED" || gone.Session.RemainingSeconds != 0 || gone.Session.LoggedIn {
		t.Fatalf("unknown token: %+v", gone.Session)
	}
}

type ticketJSON struct {
	ID, Label, Kind string
	OrderID         *string
	Downloadable    bool
	DownloadURL     *string
	QRCode          *string
	PendingReason   *string
	Price           struct{ Cents int }
	Performance     *struct{ ID string }
	Show            *struct{ ID, Title string }
}

const ticketFields = `id orderId label kind downloadable downloadUrl qrCode pendingReason price { cents } performance { id } show { id title }`

// Ensure the account page joins the ticketing system and the CRM: tickets
// with QR strings and links, passes with their tickets, purchase history
// joined to the catalogue, the subscriber with the same email, and links
// carrying the token; each source read once.
func TestAPIMeAccountPage(t *testing.T) {
	e := boot(t)
	h := e.login(0)
	e.tickets().Reset()
	e.crm().Reset()
	var data struct {
		Me struct {
			ID      string
			Tickets []ticketJSON
			Cards   []struct {
				ID, Name string
				OrderID  *string
				Price    struct{ Cents int }
				Tickets  []ticketJSON
			}
			OrderLines []struct {
				OrderID, Kind string
				Total         struct{ Cents int }
				Performance   *struct {
					ID   string
					Show struct{ ID string }
				}
				Show *struct{ ID, Title string }
			}
			Subscriber *struct {
				Code  int
				Email string
			}
			AccountLinks struct{ Account, Details, Password, Orders, Tickets, Basket, Logout string }
		}
	}
	e.ok(e.do(h, `{ me { id tickets { `+ticketFields+` } cards { id name orderId price { cents } tickets { `+ticketFields+` } }
		orderLines { orderId kind total { cents } performance { id show { id } } show { id title } }
		subscriber { code email } accountLinks { account details password orders tickets basket logout } } }`, nil, &data))
	me := data.Me
	cardTickets, downloadable, pending := 0, 0, 0
	for _, tk := range me.Tickets {
		if tk.Downloadable {
			downloadable++
		} else {
			pending++
		}
		switch {
		case tk.Downloadable && (tk.QRCode == nil || *tk.QRCode != "GUICHET-"+tk.ID || tk.DownloadURL == nil || !strings.Contains(*tk.DownloadURL, "billet="+tk.ID)):
			t.Fatalf("downloadable ticket without its QR string or link: %+v", tk)
		case !tk.Downloadable && (tk.QRCode != nil || tk.DownloadURL != nil || tk.PendingReason == nil || *tk.PendingReason == ""):
			t.Fatalf("pending ticket: %+v", tk)
		case tk.Kind != "CARD" && (tk.Performance == nil || tk.Show == nil || tk.Show.Title == ""):
			t.Fatalf("ticket not joined to the catalogue: %+v", tk)
		case tk.Kind == "CARD":
			cardTickets++
		}
	}
	if downloadable == 0 || pending == 0 || len(me.Cards) == 0 {
		t.Fatalf("the demo account page proves little: %d downloadable, %d pending tickets, %d cards", downloadable, pending, len(me.Cards))
	}
	if len(me.Cards) != cardTickets {
		t.Fatalf("%d cards for %d pass tickets", len(me.Cards), cardTickets)
	}
	for _, c := range me.Cards {
		if c.Price.Cents != 1500 || c.OrderID == nil || len(c.Tickets) == 0 {
			t.Fatalf("card %+v", c)
		}
		for _, tk := range c.Tickets {
			if tk.Kind != "PASS_HOLDER" || tk.OrderID == nil || *tk.OrderID != *c.OrderID {
				t.Fatalf("card %s holds %+v", c.ID, tk)
			}
		}
	}
	joined := 0
	for _, l := range me.OrderLines {
		if l.Kind == "TICKET" && l.Performance != nil && l.Show != nil {
			if l.Performance.Show.ID != l.Show.ID {
				t.Fatalf("line joined to performance of show %s and show %s", l.Performance.Show.ID, l.Show.ID)
			}
			joined++
		}
	}
	if joined == 0 || me.Subscriber == nil || me.Subscriber.Code != abosandbox.DemoCode || me.Subscriber.Email != fixture.DemoEmail {
		t.Fatalf("orderLines joined %d, subscriber %+v", joined, me.Subscriber)
	}
	links := me.AccountLinks
	for _, l := range []string{links.Account, links.Details, links.Password, links.Orders, links.Tickets, links.Basket, links.Logout} {
		if !strings.Contains(l, "x_rsi_token="+h["X-Session-Token"]) {
			t.Fatalf("link without the token: %q", l)
		}
	}
	c := e.tickets().Snapshot()
	if c["ws_info_telechargement"] != 1 || c["ws_recap_achat"] != 1 || c["ws_status_session"] != 1 || c["ws_info_contact"] != 1 {
		t.Fatalf("ticketing calls %v: want each source once", c)
	}
	if n := e.crm().Get("findClientByEmail"); n != 1 {
		t.Fatalf("AboWeb calls %v: want one lookup by email", e.crm().Snapshot())
	}
}

// Ensure one visitor never reaches another's data: the back-office lookups
// and entities refuse a session, and me is always the session's own.
func TestAPIVisitorIsolation(t *testing.T) {
	e := boot(t)
	a, b := e.login(0), e.login(1)
	demo := fmt.Sprint(e.app.sandboxes.Ticketing.Sim.Seed().DemoContactID)
	cases := []struct {
		name, query string
		vars        map[string]any
	}{
		{"contact", `query($id: ID!) { contact(id: $id) { email tickets { id } } }`, map[string]any{"id": demo}},
		{"entities", `query($r: [_Any!]!) { _entities(representations: $r) { ... on Contact { email orderLines { id } } } }`,
			map[string]any{"r": []map[string]any{{"__typename": "Contact", "id": demo}}}},
		{"order", `query($id: ID!) { order(id: $id) { buyer { email } } }`, map[string]any{"id": e.app.sandboxes.Ticketing.Sim.Seed().DemoOrderIDs[0]}},
		{"subscriber by email", `query($e: String!) { subscriberByEmail(email: $e) { code } }`, map[string]any{"e": fixture.DemoEmail}},
	}
	for _, tc := range cases {
		r := e.do(b, tc.query, tc.vars, nil)
		if r.Code() != "FORBIDDEN" || strings.Contains(string(r.Data), "@") {
			t.Fatalf("%s with another visitor's session: %+v %s", tc.name, r.Errors, r.Data)
		}
	}
	var mine struct{ Me struct{ ID, Email string } }
	e.ok(e.do(b, `{ me { id email } }`, nil, &mine))
	if mine.Me.Email != fixture.At(1).Email || mine.Me.ID == demo {
		t.Fatalf("visitor b sees %+v", mine.Me)
	}
	e.ok(e.do(a, `{ me { id } }`, nil, &mine))
	if mine.Me.ID != demo {
		t.Fatalf("visitor a is %s", mine.Me.ID)
	}
	// The back office reads a contact but not the session-bound fields.
	var bo struct {
		Contact struct {
			Email      string
			OrderLines []struct{ ID string }
			Tickets    []struct{ ID string }
		}
	}
	r := e.do(e.bo(), `query($id: ID!) { contact(id: $id) { email orderLines { id } tickets { id } } }`, map[string]any{"id": demo}, &bo)
	if r.Code() != "FORBIDDEN" || len(r.Errors) != 1 || bo.Contact.Email != "" {
		// tickets is non-null: its error nulls the contact.
		t.Fatalf("back office tickets: %+v %s", r.Errors, r.Data)
	}
	e.ok(e.do(e.bo(), `query($id: ID!) { contact(id: $id) { email orderLines { id } } }`, map[string]any{"id": demo}, &bo))
	if bo.Contact.Email != fixture.DemoEmail || len(bo.Contact.OrderLines) == 0 {
		t.Fatalf("back office contact: %+v", bo.Contact)
	}
}

// Ensure order(id:) joins its ticket lines to their performance and show,
// orders() filters by state and dates, and lookups of unknown ids are null.
func TestAPIOrderLookups(t *testing.T) {
	e := boot(t)
	seed := e.app.sandboxes.Ticketing.Sim.Seed()
	var one struct {
		Order *struct {
			ID     string
			Paid   bool
			Amount struct{ Cents int }
			Buyer  struct{ Email string }
			SoldAt string
			Lines  []struct {
				OrderID, Kind string
				Total         struct{ Cents int }
				Performance   *struct {
					ID   string
					Show struct{ ID string }
				}
				Show     *struct{ ID, Title string }
				Children []struct{ Kind, OrderID string }
			}
		}
	}
	e.tickets().Reset()
	e.ok(e.do(e.bo(), `query($id: ID!) { order(id: $id) { id paid amount { cents } buyer { email } soldAt
		lines { orderId kind total { cents } performance { id show { id } } show { id title } children { kind orderId } } } }`,
		map[string]any{"id": seed.DemoOrderIDs[0]}, &one))
	o := one.Order
	if o == nil || o.ID != seed.DemoOrderIDs[0] || !o.Paid || o.Buyer.Email != fixture.DemoEmail || o.Amount.Cents <= 0 {
		t.Fatalf("order %+v", o)
	}
	sum, tickets := 0, 0
	for _, l := range o.Lines {
		sum += l.Total.Cents
		if l.OrderID != o.ID {
			t.Fatalf("line of order %s", l.OrderID)
		}
		if l.Kind == "TICKET" {
			if l.Performance == nil || l.Show == nil || l.Show.Title == "" || l.Performance.Show.ID != l.Show.ID {
				t.Fatalf("ticket line not joined: %+v", l)
			}
			tickets++
		}
	}
	if tickets == 0 || sum != o.Amount.Cents {
		t.Fatalf("%d tickets, lines sum to %d of %d", tickets, sum, o.Amount.Cents)
	}
	if n := e.tickets().Get("ws_det_achat"); n != 1 {
		t.Fatalf("ws_det_achat %d", n)
	}
	var none struct {
		Order   *struct{ ID string }
		Contact *struct{ ID string }
	}
	e.tickets().Reset()
	e.ok(e.do(e.bo(), `{ order(id: "999999999999") { id } contact(id: "not-a-number") { id } }`, nil, &none))
	if none.Order != nil || none.Contact != nil || e.tickets().Get("ws_info_contact") != 0 {
		t.Fatalf("unknown ids: %+v calls %v", none, e.tickets().Snapshot())
	}

	q := `query($f: Date, $t: Date, $s: OrderState) { orders(from: $f, to: $t, state: $s) { id paid soldAt } }`
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format("2006-01-02") }
	var invalid, paid struct {
		Orders []struct {
			ID     string
			Paid   bool
			SoldAt string
		}
	}
	e.ok(e.do(e.bo(), q, map[string]any{"f": day(-60), "t": day(0), "s": "INVALID"}, &invalid))
	e.ok(e.do(e.bo(), q, map[string]any{"f": day(-60), "t": day(0)}, &paid))
	if len(invalid.Orders) == 0 || len(paid.Orders) == 0 {
		t.Fatalf("%d invalid, %d paid orders", len(invalid.Orders), len(paid.Orders))
	}
	for _, x := range invalid.Orders {
		if x.Paid {
			t.Fatalf("INVALID listed paid order %s", x.ID)
		}
	}
	// Each window lists exactly the paid orders of the 60 days sold in it
	// (to is inclusive, a one-day window is that day).
	for _, w := range [][2]int{{-3, -1}, {-10, -10}, {-20, -12}} {
		var got struct{ Orders []struct{ ID string } }
		e.ok(e.do(e.bo(), q, map[string]any{"f": day(w[0]), "t": day(w[1])}, &got))
		want := map[string]bool{}
		for _, x := range paid.Orders {
			sold, err := time.Parse(time.RFC3339, x.SoldAt)
			if err != nil {
				t.Fatal(err)
			}
			if d := sold.In(paris).Format("2006-01-02"); d >= day(w[0]) && d <= day(w[1]) {
				want[x.ID] = true
			}
		}
		if len(got.Orders) != len(want) {
			t.Fatalf("window %s..%s: %d orders, want %d", day(w[0]), day(w[1]), len(got.Orders), len(want))
		}
		for _, x := range got.Orders {
			if !want[x.ID] {
				t.Fatalf("window %s..%s listed %s", day(w[0]), day(w[1]), x.ID)
			}
		}
	}
	wantInvalid(t, "to before from", e.do(e.bo(), q, map[string]any{"f": day(0), "t": day(-5)}, nil), "to")
	wantInvalid(t, "to alone", e.do(e.bo(), q, map[string]any{"t": day(0)}, nil), "from")
}

type orgJSON struct {
	ID, Name   string
	Nature     *string
	Email      *string
	Remark     *string
	CreatedAt  *string
	ModifiedAt *string
	Addresses  []struct {
		City    *string
		Primary bool
	}
	Relations []struct {
		Name    string
		Checked bool
	}
	Criteria []struct{ Field string }
	Contacts []struct {
		ContactID string
		Function  *string
		Contact   *struct{ Email string }
	}
}

const orgFields = `id name nature email remark createdAt modifiedAt addresses { city primary } relations { name checked } criteria { field } contacts { contactId function contact { email } }`

func (o orgJSON) contact(id string) (function string, attached bool) {
	for _, c := range o.Contacts {
		if c.ContactID == id {
			if c.Function != nil {
				return *c.Function, true
			}
			return "", true
		}
	}
	return "", false
}

// Ensure the relations file: an organisation with its contacts joined to
// their records and its relation levels, mailing lists with members, and
// changedRecords; one call per distinct record.
func TestAPIRelationsQueries(t *testing.T) {
	e := boot(t)
	seed := e.app.sandboxes.Ticketing.Sim.Seed()
	e.tickets().Reset()
	var data struct {
		Organisation *orgJSON
		Unknown      *orgJSON
		MailingLists []struct {
			ID      string
			Name    string
			Event   bool
			Members []struct {
				ContactID *string
				Email     *string
				LastName  *string
			}
		}
	}
	e.ok(e.do(e.bo(), fmt.Sprintf(`{ organisation(id: "%d") { %s } unknown: organisation(id: "999999") { id }
		mailingLists { id name event members { contactId email lastName } } }`, seed.OrganisationIDs[2], orgFields), nil, &data))
	o := data.Organisation
	if o == nil || o.Name == "" || o.Nature == nil || o.CreatedAt == nil || o.ModifiedAt == nil || len(o.Addresses) == 0 || len(o.Relations) == 0 || len(o.Contacts) == 0 {
		t.Fatalf("organisation %+v", o)
	}
	distinct := map[string]bool{}
	for _, c := range o.Contacts {
		if c.Contact == nil || c.Contact.Email == "" {
			t.Fatalf("contact %s not joined", c.ContactID)
		}
		distinct[c.ContactID] = true
	}
	if data.Unknown != nil {
		t.Fatalf("unknown organisation: %+v", data.Unknown)
	}
	if len(data.MailingLists) != len(seed.ListIDs) {
		t.Fatalf("lists %+v", data.MailingLists)
	}
	demo := fmt.Sprint(seed.DemoContactID)
	inLists := 0
	for _, l := range data.MailingLists {
		if l.Name == "" || l.Event || len(l.Members) == 0 {
			t.Fatalf("list %+v", l)
		}
		for _, m := range l.Members {
			if m.ContactID != nil && *m.ContactID == demo && *m.Email == fixture.DemoEmail {
				inLists++
			}
		}
	}
	if inLists != len(seed.DemoListIDs) {
		t.Fatalf("demo contact in %d lists, want %d", inLists, len(seed.DemoListIDs))
	}
	c := e.tickets().Snapshot()
	if c["ws_info_organisme"] != 2 || c["ws_cat_listes"] != 1 || c["ws_cat_contacts_liste"] != len(seed.ListIDs) || c["ws_info_contact"] != len(distinct) {
		t.Fatalf("calls %v: want 2 organisations, 1 catalogue of lists, 1 per list, %d contacts", c, len(distinct))
	}
	for _, q := range []string{`{ organisation(id: "5001") { id } }`, `{ mailingLists { id } }`, `{ changedRecords(since: "2026-01-01T00:00:00Z") { contacts } }`} {
		if r := e.do(nil, q, nil, nil); r.Code() != "UNAUTHENTICATED" || string(r.Data) == "" {
			t.Fatalf("anonymous %s: %+v", q, r.Errors)
		}
	}
}

// Ensure organisations are created, changed field by field, and that
// contacts and functions are attached and detached; changedRecords then
// lists what changed. Bad input names the GraphQL field before any call.
func TestAPIOrganisationMutations(t *testing.T) {
	e := boot(t)
	seed := e.app.sandboxes.Ticketing.Sim.Seed()
	since := time.Now().Add(-time.Second).Format(time.RFC3339)
	c1, c2 := fmt.Sprint(seed.DemoContactID+1), fmt.Sprint(seed.DemoContactID+2)
	var created struct{ CreateOrganisation orgJSON }
	e.ok(e.do(e.bo(), `mutation($c: [AttachmentInput!]) { createOrganisation(input: {name: "Théâtre des Mots", nature: "Association", email: "bonjour@mots.exemple.fr"}, contacts: $c) { `+orgFields+` } }`,
		map[string]any{"c": []map[string]any{{"contactId": c1, "function": "Président"}}}, &created))
	org := created.CreateOrganisation
	if fn, ok := org.contact(c1); org.Name != "Théâtre des Mots" || *org.Nature != "Association" || !ok || fn != "Président" {
		t.Fatalf("created %+v", org)
	}
	step := func(name, q string, vars map[string]any) orgJSON {
		t.Helper()
		var out map[string]orgJSON
		r := e.do(e.bo(), q, vars, &out)
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %+v", name, r.Errors)
		}
		for _, v := range out {
			return v
		}
		t.Fatalf("%s: no data", name)
		return orgJSON{}
	}
	upd := `mutation($id: ID!, $i: OrganisationInput!) { updateOrganisation(id: $id, input: $i) { ` + orgFields + ` } }`
	att := `mutation($id: ID!, $c: [AttachmentInput!]!) { attachContacts(organisationId: $id, contacts: $c) { ` + orgFields + ` } }`
	got := step("update remark only", upd, map[string]any{"id": org.ID, "i": map[string]any{"remark": "Partenaire 2026"}})
	if got.Name != "Théâtre des Mots" || *got.Nature != "Association" || got.Remark == nil || *got.Remark != "Partenaire 2026" {
		t.Fatalf("update kept nothing of the rest: %+v", got)
	}
	got = step("attach with function", att, map[string]any{"id": org.ID, "c": []map[string]any{{"contactId": c2, "function": "Trésorier", "service": "Comptabilité"}}})
	if fn, ok := got.contact(c2); !ok || fn != "Trésorier" {
		t.Fatalf("attach: %+v", got.Contacts)
	}
	got = step("detach a function", att, map[string]any{"id": org.ID, "c": []map[string]any{{"contactId": c1, "attach": false, "function": "Président"}}})
	if fn, ok := got.contact(c1); !ok || fn != "" {
		t.Fatalf("function detach: %+v", got.Contacts)
	}
	got = step("detach a contact", att, map[string]any{"id": org.ID, "c": []map[string]any{{"contactId": c2, "attach": false}}})
	if _, ok := got.contact(c2); ok {
		t.Fatalf("contact still attached: %+v", got.Contacts)
	}
	if r := e.do(e.bo(), att, map[string]any{"id": org.ID, "c": []map[string]any{{"contactId": c2, "attach": false}}}, nil); r.Code() != "CONFLICT" || r.Errors[0].Extensions["vendorCode"] == nil {
		t.Fatalf("detach a contact not attached: %+v", r.Errors)
	}
	var changed struct {
		ChangedRecords struct{ Contacts, Organisations, Links []string }
	}
	e.ok(e.do(e.bo(), `query($s: DateTime!) { changedRecords(since: $s) { contacts organisations links } }`, map[string]any{"s": since}, &changed))
	if len(changed.ChangedRecords.Organisations) != 1 || changed.ChangedRecords.Organisations[0] != org.ID || len(changed.ChangedRecords.Contacts) != 0 {
		t.Fatalf("changed since %s: %+v", since, changed.ChangedRecords)
	}

	long := strings.Repeat("x", 39)
	create := `mutation($i: OrganisationInput!, $c: [AttachmentInput!]) { createOrganisation(input: $i, contacts: $c) { id } }`
	cases := []struct {
		name, query string
		vars        map[string]any
		field       string
	}{
		{"create without name", create, map[string]any{"i": map[string]any{"nature": "Association"}}, "input.name"},
		{"create without nature", create, map[string]any{"i": map[string]any{"name": "X"}}, "input.nature"},
		{"create long name", create, map[string]any{"i": map[string]any{"name": long, "nature": "Association"}}, "input.name"},
		{"create bad email", create, map[string]any{"i": map[string]any{"name": "X", "nature": "Association", "email": "pas-un-email"}}, "input.email"},
		{"create bad contact id", create, map[string]any{"i": map[string]any{"name": "X", "nature": "A"}, "c": []map[string]any{{"contactId": "abc"}}}, "contacts[0].contactId"},
		{"create bad link email", create, map[string]any{"i": map[string]any{"name": "X", "nature": "A"}, "c": []map[string]any{{"contactId": c1, "email": "x@"}}}, "contacts[0].email"},
		{"update bad id", upd, map[string]any{"id": "abc", "i": map[string]any{"remark": "x"}}, "id"},
		{"update empty nature", upd, map[string]any{"id": org.ID, "i": map[string]any{"nature": ""}}, "input.nature"},
		{"update nothing", upd, map[string]any{"id": org.ID, "i": map[string]any{}}, "input"},
		{"attach none", att, map[string]any{"id": org.ID, "c": []map[string]any{}}, "contacts"},
		{"attach to bad id", att, map[string]any{"id": "x1", "c": []map[string]any{{"contactId": c1}}}, "organisationId"},
	}
	e.tickets().Reset()
	for _, tc := range cases {
		wantInvalid(t, tc.name, e.do(e.bo(), tc.query, tc.vars, nil), tc.field)
	}
	for svc, n := range e.tickets().Snapshot() {
		if strings.HasPrefix(svc, "ws_organisme") && n > 0 {
			t.Fatalf("refused input reached %s %d times", svc, n)
		}
	}
	if r := e.do(e.bo(), upd, map[string]any{"id": "999999", "i": map[string]any{"remark": "x"}}, nil); r.Code() != "NOT_FOUND" {
		t.Fatalf("update unknown organisation: %+v", r.Errors)
	}
}

// Ensure every back-office query and mutation refuses callers without a
// valid key before reaching a back office.
func TestAPIBackOfficeAccess(t *testing.T) {
	e := boot(t)
	visitor := e.login(3)
	ops := []string{
		`{ contact(id: "20001") { id } }`,
		`{ order(id: "260000007919") { id } }`,
		`{ orders { id } }`,
		`{ organisation(id: "5001") { id } }`,
		`{ mailingLists { id } }`,
		`{ changedRecords(since: "2026-01-01T00:00:00Z") { contacts } }`,
		`{ subscriber(code: 240001) { code } }`,
		`{ subscriberByEmail(email: "camille.martin@exemple.fr") { code } }`,
		`{ subscribers { totalCount } }`,
		`mutation { createOrganisation(input: {name: "X", nature: "Y"}) { id } }`,
		`mutation { updateOrganisation(id: "5001", input: {remark: "x"}) { id } }`,
		`mutation { attachContacts(organisationId: "5001", contacts: [{contactId: "20002"}]) { id } }`,
		`mutation { upsertSubscriber(input: {email: "x@exemple.fr", lastName: "X"}) { code } }`,
		`mutation { setSubscriberType(code: 240001, type: PROSPECT) { code } }`,
		`mutation { sendSubscriberPassword(email: "camille.martin@exemple.fr") }`,
		`{ _entities(representations: [{__typename: "Order", id: "260000007919"}]) { ... on Order { id } } }`,
		`{ _entities(representations: [{__typename: "Subscriber", code: 240001}]) { ... on Subscriber { code } } }`,
	}
	callers := []struct {
		name    string
		headers map[string]string
		code    string
	}{
		{"anonymous", nil, "UNAUTHENTICATED"},
		{"wrong key", map[string]string{"Authorization": "Bearer not-a-key-0000000000000000"}, "UNAUTHENTICATED"},
		{"visitor session", visitor, "FORBIDDEN"},
	}
	e.tickets().Reset()
	e.crm().Reset()
	for _, c := range callers {
		for _, q := range ops {
			r := e.do(c.headers, q, nil, nil)
			if r.Code() != c.code || strings.Contains(string(r.Data), "@") || strings.Contains(string(r.Data), `"id":"`) {
				t.Fatalf("%s %s: %+v %s", c.name, q, r.Errors, r.Data)
			}
		}
	}
	for svc, n := range e.tickets().Snapshot() {
		if svc != "ws_status_session" && svc != "ws_programmation" && svc != "ws_cat_spectacle" && n > 0 {
			t.Fatalf("refused callers reached %s %d times", svc, n)
		}
	}
	if s := e.crm().Snapshot(); len(s) > 0 {
		for op, n := range s {
			if n > 0 {
				t.Fatalf("refused callers reached AboWeb %s %d times", op, n)
			}
		}
	}
}

// Ensure subscriber mutations over the full app name the GraphQL input
// field on errors AboWeb's client raises, and cost one write and one read.
func TestAPISubscriberMutations(t *testing.T) {
	e := boot(t)
	up := `mutation($i: SubscriberInput!) { upsertSubscriber(input: $i) { code email lastName type payer { code } } }`
	e.crm().Reset()
	var made struct {
		UpsertSubscriber struct {
			Code            int
			Email, LastName string
			Type            string
			Payer           *struct{ Code int }
		}
	}
	payer := abosandbox.PayerCodes()[2]
	e.ok(e.do(e.bo(), up, map[string]any{"i": map[string]any{"email": "lea.tiers@exemple.fr", "lastName": "Tiers", "type": "PAID_BY", "payerCode": payer, "country": "FR"}}, &made))
	s := made.UpsertSubscriber
	if s.Code == 0 || s.Type != "PAID_BY" || s.Payer == nil || s.Payer.Code != payer {
		t.Fatalf("created %+v", s)
	}
	// One read of the new record and one of its payer.
	if n := e.crm().Get("getClient"); n != 2 {
		t.Fatalf("getClient %d (calls %v)", n, e.crm().Snapshot())
	}
	cases := []struct {
		name  string
		input map[string]any
		field string
	}{
		{"bad email", map[string]any{"email": "pas-un-email", "lastName": "X"}, "input.email"},
		{"country not ISO", map[string]any{"email": "a.b@exemple.fr", "country": "France"}, "input.country"},
		{"long third address line", map[string]any{"email": "a.b@exemple.fr", "addressLines": []string{"a", "b", strings.Repeat("c", 41)}}, "input.addressLines"},
		{"four address lines", map[string]any{"email": "a.b@exemple.fr", "addressLines": []string{"a", "b", "c", "d"}}, "input.addressLines"},
		{"create without email", map[string]any{"lastName": "X"}, "input.email"},
		{"PAID_BY without payer", map[string]any{"email": "a.b@exemple.fr", "type": "PAID_BY"}, "input.payerCode"},
	}
	e.crm().Reset()
	for _, tc := range cases {
		wantInvalid(t, tc.name, e.do(e.bo(), up, map[string]any{"i": tc.input}, nil), tc.field)
	}
	for op, n := range e.crm().Snapshot() {
		if n > 0 {
			t.Fatalf("refused input reached AboWeb %s %d times", op, n)
		}
	}
	var typed struct{ SetSubscriberType struct{ Type string } }
	e.ok(e.do(e.bo(), `mutation($c: Int!) { setSubscriberType(code: $c, type: PROSPECT) { type } }`, map[string]any{"c": s.Code}, &typed))
	if typed.SetSubscriberType.Type != "PROSPECT" {
		t.Fatalf("retype %+v", typed)
	}
	wantInvalid(t, "payer with NORMAL", e.do(e.bo(), `mutation($c: Int!) { setSubscriberType(code: $c, type: NORMAL, payerCode: 1) { type } }`, map[string]any{"c": s.Code}, nil), "payerCode")
	var sent struct{ SendSubscriberPassword bool }
	e.ok(e.do(e.bo(), `mutation { sendSubscriberPassword(email: "lea.tiers@exemple.fr") }`, nil, &sent))
	if !sent.SendSubscriberPassword || e.app.sandboxes.CRM.Sim.PasswordMails("lea.tiers@exemple.fr") != 1 {
		t.Fatalf("password mail %v", sent)
	}
}

// Ensure _entities resolves every entity type in one request: catalogue
// entities without a call, the others with one call per distinct key, and
// unknown keys as null in their place.
func TestAPIEntities(t *testing.T) {
	e := boot(t)
	seed := e.app.sandboxes.Ticketing.Sim.Seed()
	sh, perf := seed.Shows[0], seed.Shows[1].PerformanceIDs[0]
	c0, c1 := fmt.Sprint(seed.DemoContactID), fmt.Sprint(seed.DemoContactID+1)
	o0, o1 := seed.DemoOrderIDs[0], seed.DemoOrderIDs[1]
	s0, s1 := abosandbox.SeedCode(0), abosandbox.SeedCode(1)
	reps := []map[string]any{
		{"__typename": "Show", "id": sh.ID}, {"__typename": "Show", "id": "987654"},
		{"__typename": "Performance", "id": perf},
		{"__typename": "Contact", "id": c0}, {"__typename": "Contact", "id": c1}, {"__typename": "Contact", "id": c0},
		{"__typename": "Order", "id": o0}, {"__typename": "Order", "id": o1}, {"__typename": "Order", "id": o0},
		{"__typename": "Subscriber", "code": s0}, {"__typename": "Subscriber", "code": s1}, {"__typename": "Subscriber", "code": s1},
		{"__typename": "Subscriber", "code": 1},
	}
	q := `query($r: [_Any!]!) { _entities(representations: $r) { __typename
		... on Show { id title } ... on Performance { id show { id } } ... on Contact { id email }
		... on Order { id buyer { email } } ... on Subscriber { code email } } }`
	e.tickets().Reset()
	e.crm().Reset()
	var data struct {
		Entities []*struct {
			Typename string `json:"__typename"`
			ID       string
			Title    string
			Email    string
			Code     int
			Show     *struct{ ID string }
			Buyer    *struct{ Email string }
		} `json:"_entities"`
	}
	e.ok(e.do(e.bo(), q, map[string]any{"r": reps}, &data))
	ents := data.Entities
	if len(ents) != len(reps) {
		t.Fatalf("%d entities for %d representations", len(ents), len(reps))
	}
	if ents[0].Title != sh.Title || ents[1] != nil || ents[2].ID != perf || ents[2].Show.ID != seed.Shows[1].ID {
		t.Fatalf("catalogue entities %+v %+v %+v", ents[0], ents[1], ents[2])
	}
	if ents[3].Email != fixture.DemoEmail || ents[4].Email != fixture.At(1).Email || ents[5].ID != c0 {
		t.Fatalf("contacts %+v %+v %+v", ents[3], ents[4], ents[5])
	}
	if ents[6].ID != o0 || ents[7].ID != o1 || ents[8].ID != o0 || ents[6].Buyer.Email != fixture.DemoEmail {
		t.Fatalf("orders %+v %+v %+v", ents[6], ents[7], ents[8])
	}
	if ents[9].Code != s0 || ents[10].Email != fixture.At(1).Email || ents[11].Code != s1 || ents[12] != nil {
		t.Fatalf("subscribers %+v %+v %+v %+v", ents[9], ents[10], ents[11], ents[12])
	}
	c := e.tickets().Snapshot()
	if c["ws_info_contact"] != 2 || c["ws_det_achat"] != 2 || c["ws_det_spectacle"] != 0 || c["ws_det_representation"] != 0 {
		t.Fatalf("ticketing calls %v: want 2 contacts, 2 orders, no catalogue call", c)
	}
	if n := e.crm().Get("getClient"); n != 3 {
		t.Fatalf("getClient %d: want 3 distinct codes", n)
	}
	// Catalogue entities are public; the others need a key.
	var pub struct {
		Entities []struct{ ID string } `json:"_entities"`
	}
	e.ok(e.do(nil, q, map[string]any{"r": reps[:3]}, &pub))
	if len(pub.Entities) != 3 || pub.Entities[0].ID != sh.ID {
		t.Fatalf("public entities %+v", pub)
	}
	for _, rep := range []map[string]any{reps[3], reps[6], reps[9]} {
		if r := e.do(nil, q, map[string]any{"r": []map[string]any{rep}}, nil); r.Code() != "UNAUTHENTICATED" || strings.Contains(string(r.Data), "@") {
			t.Fatalf("anonymous %v: %+v %s", rep["__typename"], r.Errors, r.Data)
		}
	}
}
