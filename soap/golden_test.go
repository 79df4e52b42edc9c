package soap

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/crm"
)

// Every request envelope byte for byte, for the main operations and the three
// password modes (digest with injected clock and nonce).
func TestRequestEnvelopesGolden(t *testing.T) {
	modified := time.Date(2026, 1, 3, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		mode PasswordMode
		call func(c *Client) error
	}{
		{"getClient", PasswordSHA1, func(c *Client) error { _, err := c.GetClient(bg, 240001); return err }},
		{"findClientByEmail", PasswordSHA1, func(c *Client) error { _, err := c.GetClientByEmail(bg, "camille.martin@exemple.fr"); return err }},
		{"getClients_offset0", PasswordSHA1, func(c *Client) error { _, err := c.FindClientsPage(bg, crm.Filter{}, 0); return err }},
		{"getClientsByType_normal", PasswordSHA1, func(c *Client) error {
			_, err := c.FindClientsPage(bg, crm.Filter{Type: crm.TypeOf(crm.TypeNormal)}, 50)
			return err
		}},
		{"getClientsWithCriteria", PasswordSHA1, func(c *Client) error {
			_, err := c.FindClientsPage(bg, crm.Filter{Type: crm.TypeOf(crm.TypeNormal), PostalCode: "35000"}, 0)
			return err
		}},
		{"getClientsModifiedBetween", PasswordSHA1, func(c *Client) error {
			_, err := c.FindClientsPage(bg, crm.Filter{ModifiedFrom: modified}, 100)
			return err
		}},
		{"getNbClientsByOrigine", PasswordSHA1, func(c *Client) error { _, err := c.Count(bg, crm.Filter{Origin: "WEB"}); return err }},
		{"createOrUpdateClientEx_create", PasswordSHA1, func(c *Client) error {
			_, err := c.CreateOrUpdate(bg, &crm.Subscriber{Email: "lea.roux@exemple.fr", Title: "MME", FirstName: "Léa", LastName: "Roux",
				Address2: "3 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "FR", NoPostalMailing: true}, nil...)
			return err
		}},
		{"createOrUpdateClientEx_partial", PasswordSHA1, func(c *Client) error {
			_, err := c.CreateOrUpdate(bg, &crm.Subscriber{Code: 240014, Phone: "0478000000", Type: crm.TypeNormal}, FieldPhone, FieldType)
			return err
		}},
		{"sendPassword", PasswordSHA1, func(c *Client) error { return c.SendPassword(bg, "camille.martin@exemple.fr") }},
		{"getClient_text", PasswordText, func(c *Client) error { _, err := c.GetClient(bg, 240001); return err }},
		{"getClient_digest", PasswordDigest, func(c *Client) error { _, err := c.GetClient(bg, 240001); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFake(t, func(r request) (int, string) {
				switch r.op {
				case "sendPassword":
					return 200, fixture(t, "response/sendPassword_true.xml")
				case "createOrUpdateClientEx":
					return 200, respond(r.op, "<codeClient>240014</codeClient>")
				case "getNbClientsByOrigine":
					return 200, respond(r.op, "<result>7</result>")
				}
				return 200, respond(r.op, "<client><codeClient>240001</codeClient></client>")
			})
			c := newTestClient(t, srv.URL, func(cfg *Config) {
				cfg.PasswordMode = tc.mode
				cfg.Now = func() time.Time { return time.Date(2026, 11, 22, 9, 30, 0, 123e6, time.UTC) }
				cfg.Nonce = func() ([]byte, error) { return []byte("0123456789abcdef"), nil }
			})
			if err := tc.call(c); err != nil {
				t.Fatal(err)
			}
			reqs := srv.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			if reqs[0].soapAction != `""` {
				t.Errorf("SOAPAction %q, want \"\"", reqs[0].soapAction)
			}
			if !strings.HasPrefix(reqs[0].contentType, "text/xml") {
				t.Errorf("Content-Type %q", reqs[0].contentType)
			}
			golden(t, "request/"+tc.name+".xml", append(reqs[0].body, '\n'))
		})
	}
}

// The vendor's header: no Type, password base64 of the raw SHA-1 digest.
func TestSHA1PasswordIsBase64OfRawDigest(t *testing.T) {
	// sha1("password") = 5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8
	if got := SHA1Password("password"); got != "W6ph5Mm5Pz8GgiULbPgzG37mj9g=" {
		t.Fatalf("got %s", got)
	}
}

// Keep-alive works through gowsdl (defect 5): 20 sequential calls, 1 connection.
func TestConnectionsAreReused(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, respond("getClient", "<client><codeClient>1</codeClient></client>"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	for range 20 {
		if _, err := c.GetClient(bg, 1); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections for 20 calls, want 1", n)
	}
	if got := c.Calls()["getClient"]; got != 20 {
		t.Fatalf("Calls()[getClient] = %d", got)
	}
}
