package soap_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/sandbox/fault"
	"github.com/guichet/guichet/sandbox/fixture"
	. "github.com/guichet/guichet/soap"
)

// Contract tests: this client against the AboWeb simulator, which serves the
// same WSDL but is written from the vendor's documents, not from this code.
// Its vendor quirks are on: every record read here comes with the liberties
// of undocumented field types (noteEtat as a word, empty numbers, unknown
// elements…), so the client's tolerance is exercised by every test.

func sandbox(t *testing.T, mod func(*aboweb.Config)) (*aboweb.Server, string) {
	cfg := aboweb.DefaultConfig()
	cfg.Quirks = true
	if mod != nil {
		mod(&cfg)
	}
	s := aboweb.New(cfg)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL + "/aboweb/ClientService"
}

func sandboxClient(t *testing.T, url string, mod func(*Config)) *Client {
	return NewTestClient(t, url, func(c *Config) {
		c.Username, c.Password = aboweb.DemoUsername, aboweb.DemoPassword
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		if mod != nil {
			mod(c)
		}
	})
}

func TestContractReads(t *testing.T) {
	sb, url := sandbox(t, nil)
	c := sandboxClient(t, url, nil)

	demo, err := c.GetClient(Bg, aboweb.DemoCode)
	if err != nil {
		t.Fatal(err)
	}
	if demo.Email != fixture.DemoEmail || demo.Code != aboweb.DemoCode || demo.CreatedAt.IsZero() || demo.ModifiedAt.IsZero() {
		t.Fatalf("demo record: code %d email ok %t dates %v %v", demo.Code, demo.Email == fixture.DemoEmail, demo.CreatedAt, demo.ModifiedAt)
	}
	byEmail, err := c.GetClientByEmail(Bg, fixture.DemoEmail)
	if err != nil || byEmail.Code != aboweb.DemoCode {
		t.Fatalf("findClientByEmail: %v", err)
	}
	_, err = c.GetClient(Bg, 1)
	CheckErr(t, err, errs.NotFound, "204")
	_, err = c.GetClientByEmail(Bg, "personne@exemple.invalid")
	if errs.KindOf(err) != errs.NotFound {
		t.Fatalf("unknown email: %v", err)
	}

	total, err := c.Count(Bg, crm.Filter{})
	if err != nil || total != fixture.Subscribers {
		t.Fatalf("getNbClients = %d, %v", total, err)
	}
	n := 0
	for _, err := range c.FindClients(Bg, crm.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	wantPages := total/PageSize + 1
	if n != total || c.Calls()["getClients"] != wantPages || sb.Calls().Get("getClients") != wantPages {
		t.Fatalf("iterated %d of %d with %d calls (sandbox saw %d)", n, total, c.Calls()["getClients"], sb.Calls().Get("getClients"))
	}

	// Every filter's list agrees with its count.
	for _, f := range []crm.Filter{
		{Type: crm.TypeOf(crm.TypeNormal)}, {Type: crm.TypeOf(crm.TypePaidBy)}, {Type: crm.TypeOf(crm.TypeNormal), PostalCode: demo.PostalCode},
		{Origin: "WEB"}, {SelectionCode: "NEWSLETTER"}, {PayerCode: demoPayer(t, c)}, {ModifiedFrom: demo.ModifiedAt.AddDate(0, -1, 0)},
	} {
		want, err := c.Count(Bg, f)
		if err != nil {
			t.Fatalf("count %+v: %v", f, err)
		}
		got := 0
		for s, err := range c.FindClients(Bg, f) {
			if err != nil {
				t.Fatalf("list %+v: %v", f, err)
			}
			if f.Type != nil && s.Type != *f.Type {
				t.Fatalf("type filter returned type %d", s.Type)
			}
			got++
		}
		if got != want || want == 0 {
			t.Errorf("filter %+v: listed %d, counted %d", f, got, want)
		}
	}
}

// demoPayer finds the Tiers paying for the first paid-by subscriber.
func demoPayer(t *testing.T, c *Client) int {
	page, err := c.FindClientsPage(Bg, crm.Filter{Type: crm.TypeOf(crm.TypePaidBy)}, 0)
	if err != nil || len(page) == 0 || page[0].PayerCode == 0 {
		t.Fatalf("no paid-by subscriber: %v", err)
	}
	return page[0].PayerCode
}

func TestContractAuthentication(t *testing.T) {
	_, url := sandbox(t, func(c *aboweb.Config) { c.AcceptPasswordDigest = true })
	for _, mode := range []PasswordMode{PasswordSHA1, PasswordText, PasswordDigest} {
		t.Run(string(mode), func(t *testing.T) {
			c := sandboxClient(t, url, func(c *Config) { c.PasswordMode = mode })
			if mode == PasswordText {
				// AboWeb compares the text with base64(SHA-1): a clear password is refused.
				_, err := c.GetClient(Bg, aboweb.DemoCode)
				CheckErr(t, err, errs.UpstreamAuth, "101")
				return
			}
			if _, err := c.GetClient(Bg, aboweb.DemoCode); err != nil {
				t.Fatal(err)
			}
		})
	}
	c := sandboxClient(t, url, func(c *Config) { c.Password = "wrong" })
	_, err := c.GetClient(Bg, aboweb.DemoCode)
	CheckErr(t, err, errs.UpstreamAuth, "101")

	c = sandboxClient(t, url, nil)
	if ok, err := c.Authenticate(Bg, fixture.DemoEmail, fixture.DemoPassword); err != nil || !ok {
		t.Fatalf("authenticateEncrypteByEmail demo: %v %v", ok, err)
	}
	if ok, err := c.Authenticate(Bg, fixture.DemoEmail, "not-it"); err != nil || ok {
		t.Fatalf("authenticateEncrypteByEmail wrong password: %v %v", ok, err)
	}
	// The sandbox serves only the documented name: the fallback is never taken.
	c = sandboxClient(t, url, func(c *Config) { c.AuthFallback = true })
	if ok, err := c.Authenticate(Bg, fixture.DemoEmail, fixture.DemoPassword); err != nil || !ok || c.Calls()["authenticateByEmail"] != 0 {
		t.Fatalf("with fallback allowed: %v %v %v", ok, err, c.Calls())
	}
	if err := c.SendPassword(Bg, fixture.DemoEmail); err != nil {
		t.Fatal(err)
	}
	CheckErr(t, c.SendPassword(Bg, "personne@exemple.invalid"), errs.NotFound, "204")
}

func TestContractCreateAndPartialUpdates(t *testing.T) {
	for _, tc := range []struct {
		name            string
		keepsOmitted    bool // vendor WS_FORCE_UPDATE_ONLY_SENDING_PARAMS
		sendsAll        bool // our ABOWEB_UPDATE_SENDS_ALL
		wantPreserved   bool
		wantGetBeforeUp bool
	}{
		{"vendor keeps omitted, client sends changes", true, false, true, false},
		{"vendor erases omitted, client reads-modifies-writes", false, true, true, true},
		{"vendor erases omitted, misconfigured client", false, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, url := sandbox(t, func(c *aboweb.Config) { c.UpdateOnlySentParams = tc.keepsOmitted })
			c := sandboxClient(t, url, func(c *Config) { c.UpdateSendsAll = tc.sendsAll })
			code, err := c.CreateOrUpdate(Bg, &crm.Subscriber{Email: "nouvel.abonne@exemple.fr", Title: "M", FirstName: "Noé", LastName: "Vidal",
				Address2: "2 place Bellecour", PostalCode: "69002", City: "Lyon", Country: "FR", Phone: "0478000001", NoPostalMailing: true})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.CreateOrUpdate(Bg, &crm.Subscriber{Code: code, City: "Villeurbanne", PostalCode: "69100"}, FieldCity, FieldPostalCode)
			if !tc.wantPreserved {
				// The erased record fails AboWeb's global coherence check (no nom):
				// exactly what ABOWEB_UPDATE_SENDS_ALL exists to avoid.
				CheckErr(t, err, errs.Invalid, "202")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.GetClient(Bg, code)
			if err != nil {
				t.Fatal(err)
			}
			if got.City != "Villeurbanne" || got.PostalCode != "69100" {
				t.Fatalf("update not applied")
			}
			preserved := got.LastName == "Vidal" && got.Phone == "0478000001" && got.NoPostalMailing && got.Email == "nouvel.abonne@exemple.fr"
			if preserved != tc.wantPreserved {
				t.Fatalf("other fields preserved = %t, want %t", preserved, tc.wantPreserved)
			}
			if reads := c.Calls()["getClient"]; (reads == 2) != tc.wantGetBeforeUp {
				t.Fatalf("getClient calls %d", reads)
			}
		})
	}
}

func TestContractFaultInjection(t *testing.T) {
	sb, url := sandbox(t, nil)
	c := sandboxClient(t, url, nil)
	for _, tc := range []struct {
		mode fault.Mode
		kind errs.Kind
		code string
	}{
		{fault.VendorErr, errs.Unavailable, "100"},
		{fault.AuthError, errs.UpstreamAuth, "101"},
		{fault.HTTP500, errs.Unavailable, "HTTP 500"},
		{fault.Garbage, errs.Unavailable, ""},
		{fault.Reset, errs.Unavailable, ""},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			sb.Faults().Set("getClient", fault.Rule{Mode: tc.mode})
			defer sb.Faults().Reset()
			_, err := c.GetClient(Bg, aboweb.DemoCode)
			CheckErr(t, err, tc.kind, tc.code)
		})
	}
	if _, err := c.GetClient(Bg, aboweb.DemoCode); err != nil {
		t.Fatalf("after reset: %v", err)
	}
}

// The sandbox serves our WSDL byte for byte, its own address substituted.
func TestContractServesOurWSDL(t *testing.T) {
	_, url := sandbox(t, nil)
	got, err := HTTPGet(url + "?wsdl")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(string(WSDL), "http://preprod.aboweb.com/aboweb/ClientService", strings.TrimSuffix(url, "?wsdl"), 1)
	if string(got) != want {
		t.Fatalf("served WSDL (%d bytes) differs from soap.WSDL (%d bytes)", len(got), len(want))
	}
}

// The same base read with and without the quirks gives the same subscribers,
// except what the quirks make unreadable (noteNpai labels, served empty and
// reported) and the note, kept as sent.
func TestContractQuirksReadAsExact(t *testing.T) {
	// One clock for both: the seeded dates are relative to it, and two
	// sandboxes built a second apart would seed different dates.
	at := time.Now()
	clock := func() time.Time { return at }
	_, exactURL := sandbox(t, func(c *aboweb.Config) { c.Quirks, c.Now = false, clock })
	_, quirkyURL := sandbox(t, func(c *aboweb.Config) { c.Now = clock })
	exact := sandboxClient(t, exactURL, nil)
	var reported []string
	quirky := sandboxClient(t, quirkyURL, func(c *Config) { c.OnLenientField = func(f string) { reported = append(reported, f) } })
	var a, b []*crm.Subscriber
	for s, err := range exact.FindClients(Bg, crm.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		a = append(a, s)
	}
	for s, err := range quirky.FindClients(Bg, crm.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, s)
	}
	if len(a) != fixture.Subscribers || len(b) != len(a) {
		t.Fatalf("read %d exact, %d quirky", len(a), len(b))
	}
	flagged, notes := 0, map[string]int{}
	for i := range a {
		x, y := *a[i], *b[i]
		if y.Undeliverable {
			flagged++
		}
		notes[y.StateNote]++
		if x.StateNote != "" {
			t.Fatalf("exact sandbox sent noteEtat %q", x.StateNote)
		}
		y.StateNote = ""
		// A local time without offset is ambiguous in the hour clocks go back:
		// read as the first of the two, it may be one hour off.
		sameish := func(p, q time.Time) bool { d := p.Sub(q); return d == 0 || d == time.Hour || d == -time.Hour }
		if !sameish(x.CreatedAt, y.CreatedAt) || !sameish(x.ModifiedAt, y.ModifiedAt) {
			t.Fatalf("%d: dates %v/%v %v/%v", x.Code, x.CreatedAt, y.CreatedAt, x.ModifiedAt, y.ModifiedAt)
		}
		x.CreatedAt, y.CreatedAt, x.ModifiedAt, y.ModifiedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("%d differs:\nexact  %+v\nquirky %+v", x.Code, fieldsOf(x), fieldsOf(y))
		}
	}
	if flagged == 0 || notes["Ok"] == 0 || notes["Suspendu"] == 0 {
		t.Fatalf("quirks not exercised: %d NPAI, notes %v", flagged, notes)
	}
	// Only the noteNpai labels are unreadable: one report per flagged record.
	if len(reported) != flagged {
		t.Fatalf("%d reports for %d flagged records: %v", len(reported), flagged, reported[:min(len(reported), 5)])
	}
	for _, f := range reported {
		if f != "noteNpai" {
			t.Fatalf("reported %s", f)
		}
	}
}

func fieldsOf(s crm.Subscriber) map[string]any {
	out := map[string]any{}
	v := reflect.ValueOf(s)
	for i := 0; i < v.NumField(); i++ {
		out[v.Type().Field(i).Name] = v.Field(i).Interface()
	}
	return out
}

// updateClient changes an existing subscriber and refuses an unknown code;
// under the vendor's erase-omitted mode a read-modify-write keeps the rest.
func TestContractUpdateClient(t *testing.T) {
	for _, keeps := range []bool{true, false} {
		sb, url := sandbox(t, func(c *aboweb.Config) { c.UpdateOnlySentParams = keeps })
		c := sandboxClient(t, url, func(c *Config) { c.UpdateSendsAll = !keeps })
		code, err := c.UpdateClient(Bg, &crm.Subscriber{Code: aboweb.DemoCode, Mobile: "0699999999"}, FieldMobile)
		if err != nil || code != aboweb.DemoCode {
			t.Fatalf("keeps=%t: %d %v", keeps, code, err)
		}
		stored, _ := sb.Client(aboweb.DemoCode)
		if stored.Fields["portable"] != "0699999999" || stored.Email != fixture.DemoEmail || stored.Nom == "" {
			t.Fatalf("keeps=%t: stored %v", keeps, stored.Fields)
		}
		if sb.Calls().Get("updateClient") != 1 || sb.Calls().Get("createOrUpdateClientEx") != 0 {
			t.Fatalf("keeps=%t: calls %v", keeps, sb.Calls().Snapshot())
		}
		_, err = c.UpdateClient(Bg, &crm.Subscriber{Code: 1, Mobile: "0699999999"}, FieldMobile)
		if errs.KindOf(err) != errs.NotFound {
			t.Fatalf("keeps=%t: unknown code: %v", keeps, err)
		}
	}
}
