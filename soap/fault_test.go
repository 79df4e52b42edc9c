package soap

import (
	"bytes"
	"fmt"
	"github.com/guichet/guichet/crm"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/errs"
)

func faultBody(code, reason, detail string) string {
	d := ""
	if detail != "" {
		d = "<detail>" + detail + "</detail>"
	}
	return `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault><faultcode>` + code +
		`</faultcode><faultstring>` + reason + `</faultstring>` + d + `</S:Fault></S:Body></S:Envelope>`
}

// Each vendor code, in each faultcode dialect, and each transport failure
// becomes the documented kind; no message carries the envelope or credentials.
func TestFaultsMapToKinds(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		kind   errs.Kind
		code   string
	}{
		{"spec sendPassword 204", 500, "", errs.NotFound, "204"},
		{"bare 100", 500, faultBody("100", "Erreur technique", ""), errs.Unavailable, "100"},
		{"bare 101", 500, faultBody("101", "Erreur d'authentification", ""), errs.UpstreamAuth, "101"},
		{"bare 200", 500, faultBody("200", "Erreur fonctionnelle", ""), errs.Conflict, "200"},
		{"bare 202", 500, faultBody("202", "Donnée invalide : adresse3", ""), errs.Invalid, "202"},
		{"bare 204", 500, faultBody("204", "Client inexistant", ""), errs.NotFound, "204"},
		{"prefixed ns:204", 500, `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="http://www.gesmag.com/"><soapenv:Body><soapenv:Fault><faultcode>ns:204</faultcode><faultstring>Client inexistant</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`, errs.NotFound, "204"},
		{"prefixed ns:101", 500, faultBody("ns:101", "x", ""), errs.UpstreamAuth, "101"},
		{"generic S:Server, code in faultstring", 500, faultBody("S:Server", "204 - Client inexistant", ""), errs.NotFound, "204"},
		{"generic S:Server, code in detail", 500, faultBody("S:Server", "WSException", "<ns2:WSException xmlns:ns2=\"http://www.gesmag.com/\"><code>202</code><message>Donnée invalide</message></ns2:WSException>"), errs.Invalid, "202"},
		{"generic S:Server, no code", 500, faultBody("S:Server", "java.lang.NullPointerException", ""), errs.Unavailable, ""},
		{"fault with HTTP 200", 200, faultBody("204", "Client inexistant", ""), errs.NotFound, "204"},
		{"SOAP 1.2 fault", 500, `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text xml:lang="fr">100 Erreur technique</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`, errs.Unavailable, "100"},
		{"HTTP 502 html", 502, "<html><body>Bad Gateway</body></html>", errs.Unavailable, "HTTP 502"},
		{"HTTP 500 text", 500, "Internal Server Error", errs.Unavailable, "HTTP 500"},
		{"non-XML 200", 200, "this is not xml at all {", errs.Unavailable, ""},
		{"empty 200", 200, "", errs.Unavailable, ""},
		{"wrong wrapper 200", 200, respond("getClients", "<client/>"), errs.Unavailable, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if body == "" && tc.status == 500 {
				body = fixture(t, "fault/sendPassword_204.xml")
			}
			srv := newFake(t, func(request) (int, string) { return tc.status, body })
			var logs bytes.Buffer
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
			_, err := c.GetClient(bg, 240001)
			checkErr(t, err, tc.kind, tc.code)
			if tc.name == "bare 202" {
				// The element AboWeb names is reported as the API's field.
				if e := errs.Find(err); e.Field != "addressLines" {
					t.Errorf("field %q, want addressLines", e.Field)
				}
			}
			if tc.kind == errs.UpstreamAuth {
				if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "ABOWEB_PASSWORD") {
					t.Errorf("auth failure not logged for the operator: %q", logs.String())
				}
				if e := errs.Find(err); e.Message != "subscriber service authentication failed" {
					t.Errorf("caller message %q", e.Message)
				}
			}
			for _, secret := range []string{testUser, testPassword, SHA1Password(testPassword)} {
				if strings.Contains(logs.String(), secret) {
					t.Errorf("log carries a credential: %q", logs.String())
				}
			}
		})
	}
}

// checkErr asserts kind and code, and that nothing of the wire leaks.
func checkErr(t *testing.T, err error, kind errs.Kind, code string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if k := errs.KindOf(err); k != kind {
		t.Errorf("kind %v, want %v (%v)", k, kind, err)
	}
	if e := errs.Find(err); code != "" && (e == nil || e.Code != code) {
		t.Errorf("code %q, want %q", e.Code, code)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", errs.Find(err))} {
		for _, leak := range []string{"Envelope", "Header", "Security", "<", testUser, testPassword, SHA1Password(testPassword), "Client inexistant", "Bad Gateway"} {
			if strings.Contains(s, leak) {
				t.Errorf("error text carries %q: %s", leak, s)
			}
		}
	}
}

func TestTimeoutIsTyped(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Timeout = 100 * time.Millisecond })
	_, err := c.GetClient(bg, 1)
	checkErr(t, err, errs.Timeout, "")
}

func TestUnreachableIsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := newTestClient(t, url, nil)
	_, err := c.GetClient(bg, 1)
	checkErr(t, err, errs.Unavailable, "")
}

func TestSendPasswordSpecExamples(t *testing.T) {
	srv := newFake(t, func(r request) (int, string) {
		if r.params["email"] == "ixxxx@xxxxx.com" {
			return 200, fixture(t, "response/sendPassword_true.xml")
		}
		return 500, fixture(t, "fault/sendPassword_204.xml")
	})
	c := newTestClient(t, srv.URL, nil)
	if err := c.SendPassword(bg, "ixxxx@xxxxx.com"); err != nil {
		t.Fatal(err)
	}
	checkErr(t, c.SendPassword(bg, "nobody@exemple.fr"), errs.NotFound, "204")
	r := srv.requests()[0]
	if r.params["refSociete"] != "1" || r.op != "sendPassword" {
		t.Fatalf("request params %v", r.params)
	}
}

// String forms never show credentials or personal data.
func TestStringsRedact(t *testing.T) {
	c := newTestClient(t, "http://aboweb.invalid/aboweb/ClientService", nil)
	s := crm.Subscriber{Code: 7, Email: "lea.roux@exemple.fr", LastName: "Roux", PortalPassword: "pw"}
	for _, out := range []string{fmt.Sprintf("%v %+v %#v", c, c, c), fmt.Sprintf("%v %+v %#v", c.cfg, c.cfg, c.cfg), fmt.Sprintf("%v %+v %#v", s, &s, s)} {
		for _, leak := range []string{testUser, testPassword, "lea.roux", "Roux", "pw}"} {
			if strings.Contains(out, leak) {
				t.Errorf("%q leaks %q", out, leak)
			}
		}
	}
}
