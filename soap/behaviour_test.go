package soap

import (
	"fmt"
	"github.com/guichet/guichet/crm"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/guichet/guichet/errs"
)

// 100 concurrent calls, each with its own account: every request carries the
// header of the account its call was made with, never a neighbour's.
func TestConcurrentCallsCarryTheirOwnHeader(t *testing.T) {
	srv := newFake(t, func(r request) (int, string) {
		i := strings.TrimPrefix(r.username, "user-")
		if r.password != SHA1Password("pw-"+i) || r.passwordType != "" {
			return 500, faultBody("101", "Erreur d'authentification", "")
		}
		if r.params["codeClient"] != i {
			return 500, faultBody("204", "Client inexistant", "")
		}
		return 200, respond(r.op, "<client><codeClient>"+i+"</codeClient><nom>N"+i+"</nom></client>")
	})
	c := newTestClient(t, srv.URL, nil)
	var wg sync.WaitGroup
	errc := make(chan error, 100)
	for i := 1; i <= 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := WithCredentials(bg, fmt.Sprintf("user-%d", i), fmt.Sprintf("pw-%d", i))
			s, err := c.GetClient(ctx, i)
			if err == nil && (s.Code != i || s.LastName != "N"+strconv.Itoa(i)) {
				err = fmt.Errorf("call %d got record %d", i, s.Code)
			}
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(srv.requests()); n != 100 {
		t.Fatalf("%d requests", n)
	}
	if got := c.Calls()["getClient"]; got != 100 {
		t.Fatalf("Calls = %d", got)
	}
}

// pagedServer answers getClients over n records with AboWeb's 50-item pages.
func pagedServer(t *testing.T, n int) *fake {
	return newFake(t, func(r request) (int, string) {
		off, err := strconv.Atoi(r.params["offset"])
		if err != nil || r.op != "getClients" {
			return 500, faultBody("202", "Donnée invalide", "")
		}
		var b strings.Builder
		for i := off; i < n && i < off+50; i++ {
			fmt.Fprintf(&b, "<client><codeClient>%d</codeClient></client>", 1000+i)
		}
		return 200, respond(r.op, b.String())
	})
}

func TestIteratorPagesByOffset(t *testing.T) {
	srv := pagedServer(t, 123)
	c := newTestClient(t, srv.URL, nil)
	var codes []int
	for s, err := range c.FindClients(bg, crm.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, s.Code)
	}
	if len(codes) != 123 || codes[0] != 1000 || codes[122] != 1122 {
		t.Fatalf("%d records, first %v", len(codes), codes[:1])
	}
	var offsets []string
	for _, r := range srv.requests() {
		offsets = append(offsets, r.params["offset"])
	}
	if strings.Join(offsets, ",") != "0,50,100" {
		t.Fatalf("offsets %v, want 0,50,100", offsets)
	}
	if c.Calls()["getClients"] != 3 {
		t.Fatalf("calls %v", c.Calls())
	}
}

func TestIteratorStopsEarlyWithoutExtraCalls(t *testing.T) {
	srv := pagedServer(t, 123)
	c := newTestClient(t, srv.URL, nil)
	n := 0
	for _, err := range c.FindClients(bg, crm.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 60 {
			break
		}
	}
	if len(srv.requests()) != 2 {
		t.Fatalf("%d calls for 60 records", len(srv.requests()))
	}
}

// A server that ignores offset must not make the iterator loop forever.
func TestIteratorDetectsStuckPaging(t *testing.T) {
	srv := newFake(t, func(r request) (int, string) {
		var b strings.Builder
		for i := range 50 {
			fmt.Fprintf(&b, "<client><codeClient>%d</codeClient></client>", i+1)
		}
		return 200, respond(r.op, b.String())
	})
	c := newTestClient(t, srv.URL, nil)
	var last error
	for _, err := range c.FindClients(bg, crm.Filter{}) {
		last = err
	}
	if errs.KindOf(last) != errs.Unavailable || len(srv.requests()) != 2 {
		t.Fatalf("err %v after %d calls", last, len(srv.requests()))
	}
}

const existing = `<client><adresse1>Bât. B</adresse1><adresse2>16 rue de la Paix</adresse2><civilite>MME</civilite><codeClient>240014</codeClient>` +
	`<codeIsoPays>FR</codeIsoPays><cp>75002</cp><creation>2025-01-03T10:00:00.000Z</creation><email>lea.roux@exemple.fr</email>` +
	`<modification>2026-01-03T10:00:00.000Z</modification><nePasDiffuser>true</nePasDiffuser><nom>Roux</nom><origineAbm>WEB</origineAbm>` +
	`<pasEmailing>false</pasEmailing><pasMailing>true</pasMailing><portable>0600000000</portable><prenom>Léa</prenom><reaboAuto>true</reaboAuto>` +
	`<relancerPaye>false</relancerPaye><societe>Atelier Roux</societe><tauxRemiseAbo>5.0</tauxRemiseAbo><telephone>0478000000</telephone>` +
	`<typeClient>0</typeClient><ville>Paris</ville></client>`

func TestPartialUpdateUnderBothVendorSettings(t *testing.T) {
	t.Run("server keeps omitted fields: only the named fields are sent", func(t *testing.T) {
		srv := newFake(t, func(r request) (int, string) { return 200, respond(r.op, "<codeClient>240014</codeClient>") })
		c := newTestClient(t, srv.URL, nil)
		code, err := c.CreateOrUpdate(bg, &crm.Subscriber{Code: 240014, City: "Lyon", NoPostalMailing: false}, FieldCity, FieldNoMailing)
		if err != nil || code != 240014 {
			t.Fatal(code, err)
		}
		reqs := srv.requests()
		if len(reqs) != 1 {
			t.Fatalf("%d calls", len(reqs))
		}
		want := map[string]string{"client/codeClient": "240014", "client/ville": "Lyon", "client/pasMailing": "false", "client": ""}
		if fmt.Sprint(reqs[0].params) != fmt.Sprint(want) {
			t.Fatalf("sent %v, want %v", reqs[0].params, want)
		}
	})
	t.Run("server erases omitted fields: read-modify-write sends every existing field", func(t *testing.T) {
		srv := newFake(t, func(r request) (int, string) {
			if r.op == "getClient" {
				return 200, respond(r.op, existing)
			}
			return 200, respond(r.op, "<codeClient>240014</codeClient>")
		})
		c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.UpdateSendsAll = true })
		if _, err := c.CreateOrUpdate(bg, &crm.Subscriber{Code: 240014, City: "Lyon"}, FieldCity); err != nil {
			t.Fatal(err)
		}
		reqs := srv.requests()
		if len(reqs) != 2 || reqs[0].op != "getClient" || reqs[1].op != "createOrUpdateClientEx" {
			t.Fatalf("calls %d", len(reqs))
		}
		got := reqs[1].params
		read := parseRequest(t, []byte(`<E:E xmlns:E="http://schemas.xmlsoap.org/soap/envelope/"><E:Body><w:w xmlns:w="http://www.gesmag.com/">`+existing+`</w:w></E:Body></E:E>`)).params
		for k, v := range read {
			switch k {
			case "client/creation", "client/modification": // server-maintained
				if _, sent := got[k]; sent {
					t.Errorf("%s sent back", k)
				}
			case "client/ville":
				if got[k] != "Lyon" {
					t.Errorf("ville = %q", got[k])
				}
			default:
				if got[k] != v && !(k == "client/tauxRemiseAbo" && got[k] == "5") {
					t.Errorf("%s = %q, existing %q", k, got[k], v)
				}
			}
		}
	})
}

// Invalid input is refused before any call, naming the field as the API
// does (never an AboWeb element name).
func TestValidationMakesNoCall(t *testing.T) {
	srv := newFake(t, func(r request) (int, string) { return 200, respond(r.op, "<codeClient>1</codeClient>") })
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.UpdateSendsAll = true })
	long := strings.Repeat("é", 41)
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"bad email", func() error {
			_, err := c.CreateOrUpdate(bg, &crm.Subscriber{Email: "lea.roux@", LastName: "Roux"})
			return err
		}, "email"},
		{"email with space", func() error { _, err := c.GetClientByEmail(bg, "lea roux@exemple.fr"); return err }, "email"},
		{"paid-by without payer", func() error {
			_, err := c.CreateOrUpdate(bg, &crm.Subscriber{LastName: "Roux", Type: crm.TypePaidBy})
			return err
		}, "payerCode"},
		{"paid-by partial without payer", func() error {
			_, err := c.CreateOrUpdate(bg, &crm.Subscriber{Code: 3, Type: crm.TypePaidBy}, FieldType)
			return err
		}, "payerCode"},
		{"adresse3 over 40", func() error { _, err := c.CreateOrUpdate(bg, &crm.Subscriber{Address3: long}); return err }, "addressLines"},
		{"adresse3 over 40 partial", func() error {
			_, err := c.CreateOrUpdate(bg, &crm.Subscriber{Code: 3, Address3: long}, FieldAddress3)
			return err
		}, "addressLines"},
		{"country not ISO", func() error { _, err := c.CreateOrUpdate(bg, &crm.Subscriber{Country: "XX"}); return err }, "country"},
		{"country lower case", func() error { _, err := c.CreateOrUpdate(bg, &crm.Subscriber{Country: "fr"}); return err }, "country"},
		{"country alpha-3", func() error { _, err := c.CreateOrUpdate(bg, &crm.Subscriber{Country: "FRA"}); return err }, "country"},
		{"unknown field", func() error { _, err := c.CreateOrUpdate(bg, &crm.Subscriber{Code: 3}, Field("creation")); return err }, "creation"},
		{"type out of range", func() error { _, err := c.CreateOrUpdate(bg, &crm.Subscriber{Type: 9}); return err }, "type"},
		{"zero code", func() error { _, err := c.GetClient(bg, 0); return err }, "code"},
		{"SaveSubscriber unknown field", func() error { _, err := c.SaveSubscriber(bg, &crm.Subscriber{Code: 3}, "creation"); return err }, "creation"},
		{"SaveSubscriber other type", func() error {
			_, err := c.SaveSubscriber(bg, &crm.Subscriber{Code: 3, Type: crm.TypeOther}, crm.FieldType)
			return err
		}, "type"},
		{"SetSubscriberType prescriber", func() error { return c.SetSubscriberType(bg, 3, crm.TypePrescriber, 0) }, "type"},
		{"old code is no list", func() error { _, err := c.Subscribers(bg, crm.Filter{OldCode: "A1"}, 0); return err }, "filter.oldCode"},
		{"send password bad email", func() error { return c.SendPassword(bg, "nope") }, "email"},
		{"two filters", func() error { _, err := c.Count(bg, crm.Filter{Origin: "WEB", TranscoCode: "X"}); return err }, "filter"},
		{"postal code without type", func() error { _, err := c.FindClientsPage(bg, crm.Filter{PostalCode: "35000"}, 0); return err }, "filter.postalCode"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("kind %v (%v)", errs.KindOf(err), err)
			}
			if e := errs.Find(err); e.Field != tc.field {
				t.Fatalf("field %q, want %q", e.Field, tc.field)
			}
		})
	}
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("%d HTTP calls made", n)
	}
	if len(c.Calls()) != 0 {
		t.Fatalf("calls counted: %v", c.Calls())
	}
	// The valid forms of the same inputs do go out.
	if _, err := c.CreateOrUpdate(bg, &crm.Subscriber{LastName: "Roux", Type: crm.TypePaidBy, PayerCode: 240066, Country: "BE", Address3: strings.Repeat("é", 40)}); err != nil {
		t.Fatal(err)
	}
}
