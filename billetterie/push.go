package billetterie

import (
	"strconv"
	"strings"

	"github.com/guichet/guichet/boxoffice"
)

// ParsePush reads a push of the ticketing system (an order document or a
// card NOTIFY) into the box office's terms.
func ParsePush(body []byte) (boxoffice.Push, error) {
	n, err := ParseNotification(body)
	if err != nil {
		return boxoffice.Push{}, err
	}
	if n.Card != nil {
		c := n.Card
		return boxoffice.Push{Card: &boxoffice.PrintedCard{ID: c.IDCarte, Audience: strings.TrimSpace(c.TypePublic), Title: strings.TrimSpace(c.Civilite),
			FirstName: strings.TrimSpace(c.Prenom), LastName: strings.TrimSpace(c.Nom), Organisation: strings.TrimSpace(c.Organisme),
			ContactID: nonZero(c.IDContact), OrganisationID: nonZero(c.IDOrganisme)}}, nil
	}
	o := order(n.Order, true)
	return boxoffice.Push{Order: &o}, nil
}

func nonZero(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}
