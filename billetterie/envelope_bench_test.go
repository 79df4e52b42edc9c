package billetterie

import (
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	sb "github.com/guichet/guichet/sandbox/billetterie"
)

// sandboxAnswer is the raw body the ticketing simulator gives to one call.
func sandboxAnswer(b *testing.B, service string, form url.Values) []byte {
	b.Helper()
	cfg := sb.DefaultConfig()
	srv := sb.New(cfg)
	form.Set("x_rsi_ws_login", cfg.Login)
	form.Set("x_rsi_ws_mdp", cfg.Password)
	form.Set("x_rsi_client", cfg.Client)
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
