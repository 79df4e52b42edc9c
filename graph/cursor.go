package graph

import (
	"encoding/base64"
	"strings"

	"github.com/guichet/guichet/errs"
)

// Cursors are opaque to clients but carry the id of the last item seen, so a
// page stays stable when a new catalogue snapshot is swapped in between two
// requests.
func encodeCursor(kind, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + id))
}

func decodeCursor(kind, cursor string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	id, ok := strings.CutPrefix(string(b), kind+":")
	if err != nil || !ok || id == "" {
		return "", errs.E(errs.Op("graph.cursor"), errs.Invalid, errs.Field("after"), errs.Msg("not a cursor of this list"))
	}
	return id, nil
}
