package aboweb

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

// Password type URIs of the UsernameToken profile 1.0.
const (
	pwText   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
	pwDigest = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
)

func sha1Base64(s string) string {
	h := sha1.Sum([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:])
}

// authenticated checks the wsse:Security header. AboWeb compares the
// Password text with base64(SHA-1(account password)); the vendor samples send
// it with no Type, node-soap (used in production by ebdo) with Type
// PasswordText plus a Timestamp, Created and wsu:Id, all tolerated. A digest
// is only accepted when configured (no evidence of it).
func (s *Server) authenticated(header *node) bool {
	sec := header.child(nsWSSE, "Security")
	tok := sec.child(nsWSSE, "UsernameToken")
	user := tok.child(nsWSSE, "Username")
	pw := tok.child(nsWSSE, "Password")
	if user == nil || pw == nil {
		return false
	}
	if !equal(strings.TrimSpace(user.Text), s.cfg.Username) {
		return false
	}
	got := strings.TrimSpace(pw.Text)
	typ, _ := pw.attr("", "Type")
	switch strings.TrimSpace(typ) {
	case "", pwText:
		return equal(got, s.hash)
	case pwDigest:
		if !s.cfg.AcceptPasswordDigest {
			return false
		}
		nonceEl, created := tok.child(nsWSSE, "Nonce"), tok.child(nsWSU, "Created")
		if nonceEl == nil || created == nil {
			return false
		}
		nonce, err := base64.StdEncoding.DecodeString(strings.TrimSpace(nonceEl.Text))
		if err != nil {
			return false
		}
		h := sha1.Sum(append(append(nonce, strings.TrimSpace(created.Text)...), s.cfg.Password...))
		return equal(got, base64.StdEncoding.EncodeToString(h[:]))
	}
	return false
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
