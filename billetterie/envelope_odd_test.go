package billetterie

import (
	"strings"
	"testing"

	"github.com/guichet/guichet/errs"
)

// Ensure an odd member of the envelope itself (erreur as text or a list,
// statut code unreadable, traitement not a string, statut not an object)
// does not cost the answer: the status is read from what is readable, and
// an answer with no readable status is refused for that reason.
func TestEnvelopeOddMembers(t *testing.T) {
	for _, c := range []struct {
		raw    string
		ok     bool
		code   int
		detail string
	}{
		{`{"retour":{"message":{"a":1},"erreur":"","statut":{"code":"0","traitement":"ok","message":""}}}`, true, 0, ""},
		{`{"retour":{"message":"x","erreur":["?"],"statut":{"code":"n/a","traitement":"ok"}}}`, true, 0, ""},
		{`{"retour":{"message":"x","erreur":"texte","statut":{"code":"abc","traitement":"ko","message":"refus"}}}`, false, 0, ""},
		{`{"retour":{"erreur":{"détail":"v_nom"},"statut":{"code":"202","traitement":"ko"}}}`, false, 202, "v_nom"},
		{`{"retour":{"statut":"","code":"0","traitement":"ok","message":"fait"}}`, true, 0, ""},
	} {
		env, err := DecodeEnvelope("ws_x", []byte(c.raw))
		if c.ok {
			if err != nil || env == nil || !env.Status.OK() {
				t.Fatalf("%s: %v", c.raw, err)
			}
			continue
		}
		e := errs.Find(err)
		if err == nil || e == nil || strings.Contains(err.Error(), "shape") || env == nil || env.Status.Code != c.code || env.Detail != c.detail {
			t.Fatalf("%s: %v (envelope %+v)", c.raw, err, env)
		}
	}
	// No readable status at all: refused, and said so.
	_, err := DecodeEnvelope("ws_x", []byte(`{"retour":{"statut":"","message":"x"}}`))
	if errs.KindOf(err) != errs.Unavailable || !strings.Contains(err.Error(), "without a status") {
		t.Fatalf("no status: %v", err)
	}
}
