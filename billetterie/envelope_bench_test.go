package billetterie

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	sb "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/sandbox/fixture"
)

// sandboxAnswer is the raw body the ticketing simulator gives to one call.
func sandboxAnswer(b *testing.B, service string, form url.Values) []byte {
	b.Helper()
	cfg := sb.DefaultConfig()
	return sandboxCall(sb.New(cfg), cfg, service, form, true)
}

// sandboxCall posts form to the simulator srv's service and returns the raw
// answer; creds adds the web-service credentials of cfg.
func sandboxCall(srv *sb.Server, cfg sb.Config, service string, form url.Values, creds bool) []byte {
	if creds {
		form.Set("x_rsi_ws_login", cfg.Login)
		form.Set("x_rsi_ws_mdp", cfg.Password)
		form.Set("x_rsi_client", cfg.Client)
	}
	req := httptest.NewRequest("POST", "/"+service, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	raw, _ := io.ReadAll(rec.Body)
	return raw
}

// BenchmarkDecodeEnvelope measures reading a JSON answer: the envelope and
// its status alone (a session), and envelope plus message for a purchase
// recap (the account page's order lines).
//
//	go test ./billetterie -run '^$' -bench DecodeEnvelope -benchmem
func BenchmarkDecodeEnvelope(b *testing.B) {
	session := sandboxAnswer(b, "ws_idsession", url.Values{})
	recap := sandboxAnswer(b, "ws_recap_achat", url.Values{"id_contact": {"20001"}, "format": {"tableau"}})
	b.Run("status-only", func(b *testing.B) {
		b.SetBytes(int64(len(session)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := DecodeEnvelope("ws_idsession", session); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("recap-lines", func(b *testing.B) {
		b.SetBytes(int64(len(recap)))
		b.ReportAllocs()
		var lines []DetailCaddy
		for b.Loop() {
			env, err := DecodeEnvelope("ws_recap_achat", recap)
			if err != nil {
				b.Fatal(err)
			}
			lines = lines[:0]
			if err := decodePart("ws_recap_achat", env.Message, &lines); err != nil {
				b.Fatal(err)
			}
		}
		if len(lines) == 0 {
			b.Fatalf("no order line decoded from %.200s", recap)
		}
	})
}

// accountAnswers are the four answers of the account page (scenario 3) as
// the sandbox gives them to a signed-in visitor.
func accountAnswers(b *testing.B) (status, contact, tickets, recap []byte) {
	cfg := sb.DefaultConfig()
	srv := sb.New(cfg)
	call := func(service string, form url.Values) []byte { return sandboxCall(srv, cfg, service, form, true) }
	env, err := DecodeEnvelope("ws_idsession", call("ws_idsession", url.Values{}))
	var s SessionInfo
	if err != nil || decodePart("ws_idsession", env.Message, &s) != nil {
		b.Fatal("no session", err)
	}
	tok := s.Jeton
	call("ws_login", url.Values{"x_rsi_token": {tok}, "web_ident": {fixture.DemoEmail}, "web_passe": {fixture.DemoPassword}})
	status = call("ws_status_session", url.Values{"x_rsi_token": {tok}})
	if env, err = DecodeEnvelope("ws_status_session", status); err != nil || decodePart("ws_status_session", env.Message, &s) != nil || s.Contact == nil {
		b.Fatalf("not signed in: %s", status)
	}
	contact = call("ws_info_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}})
	tickets = call("ws_info_telechargement", url.Values{"x_rsi_token": {tok}})
	recap = call("ws_recap_achat", url.Values{"id_contact": {string(s.Contact.IDContact)}, "format": {"tableau"}})
	return
}

// BenchmarkDecodeAccountAnswers reads the account page's four answers
// (envelope and payload, into the client's types) with json.Unmarshal and
// the lenient UnmarshalJSON methods ("encoding-json", the reader before
// the single pass), with the single-pass reader (envelope, then message),
// and as the client reads them ("client": a message decoded while its
// envelope is read).
//
//	go test ./billetterie -run '^$' -bench DecodeAccountAnswers -benchmem
func BenchmarkDecodeAccountAnswers(b *testing.B) {
	status, contact, tickets, recap := accountAnswers(b)
	size := int64(len(status) + len(contact) + len(tickets) + len(recap))
	for _, r := range []struct {
		name string
		u    reader
	}{{"encoding-json", json.Unmarshal}, {"single-pass", unmarshalJSON}, {"client", nil}} {
		b.Run(r.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				var s SessionInfo
				var c struct {
					Contact *ContactInfo `json:"contact"`
				}
				var t Telechargements
				var lines List[DetailCaddy]
				for _, a := range []struct {
					service string
					raw     []byte
					retour  bool
					out     any
				}{{"ws_status_session", status, false, &s}, {"ws_info_contact", contact, false, &c},
					{"ws_info_telechargement", tickets, true, &t}, {"ws_recap_achat", recap, false, &lines}} {
					if r.u == nil && !a.retour {
						if _, partErr, err := decodeWithMessage(a.service, a.raw, a.out); err != nil || partErr != nil {
							b.Fatal(err, partErr)
						}
						continue
					}
					u := r.u
					if u == nil {
						u = unmarshalJSON
					}
					env, err := decodeEnvelope(a.service, a.raw, u)
					if err != nil {
						b.Fatal(err)
					}
					part := env.Message
					if a.retour {
						part = env.Retour
					}
					if err := decodePartWith(u, a.service, part, a.out); err != nil {
						b.Fatal(err)
					}
				}
				if s.Contact == nil || c.Contact == nil || len(t.Telechargeables)+len(t.NonTelechargeables) == 0 || len(lines) == 0 {
					b.Fatal("an answer read empty")
				}
			}
		})
	}
}
