package billetterie

import (
	"context"
	"strings"
	"testing"

	"github.com/guichet/guichet/errs"
)

// Ensure answers read through the shared scratch buffers stay each its
// own: a large answer then a small one, the first's texts unchanged after
// the second is read, and an answer over maxBody refused as too large.
func TestFetchAnswersKeepTheirBytes(t *testing.T) {
	ok := `{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"jeton":"%s","id_session":"1"}}}`
	long := strings.Repeat("A", 200<<10)
	s := newSite(t, map[string][]byte{
		"ws_status_session": []byte(strings.Replace(ok, "%s", long, 1)),
		"ws_idsession":      []byte(strings.Replace(ok, "%s", "court", 1)),
		"ws_recap_achat":    []byte(`{"retour":{"message":"` + strings.Repeat("x", maxBody) + `"}}`),
	})
	c := s.client(t, nil)
	ctx := context.Background()
	var first SessionInfo
	if _, err := c.callMessage(ctx, "ws_status_session", c.creds(nil), &first); err != nil || first.Jeton != long {
		t.Fatalf("large answer: %v, %d bytes of token", err, len(first.Jeton))
	}
	var second SessionInfo
	if _, err := c.callMessage(ctx, "ws_idsession", c.creds(nil), &second); err != nil || second.Jeton != "court" {
		t.Fatalf("small answer: %v, token %.20q", err, second.Jeton)
	}
	if first.Jeton != long || first.IDSession != "1" {
		t.Fatalf("the first answer changed after the second was read: %.20q", first.Jeton)
	}
	_, err := c.RecapAchat(ctx, "20001")
	if e := errs.Find(err); e == nil || e.Kind != errs.Unavailable || !strings.Contains(e.Message, "too large") {
		t.Fatalf("answer over %d bytes: %v", maxBody, err)
	}
}
