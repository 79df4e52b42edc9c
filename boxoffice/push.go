package boxoffice

// PrintedCard is a season or membership card the box office printed, as
// the ticketing system announces it (NOTIFY push).
type PrintedCard struct {
	ID             string // idcarte
	Audience       string // type_public
	Title          string
	FirstName      string
	LastName       string
	Organisation   string
	ContactID      string
	OrganisationID string
}

// Push is one inbound notification of the ticketing system mapped to the
// box office: exactly one of Order and Card is set.
type Push struct {
	Order *Order
	Card  *PrintedCard
}

// Key identifies what a push announces, so a push delivered twice is
// applied once: an order in a given payment state, or a printed card.
func (p Push) Key() string {
	switch {
	case p.Order != nil:
		state := "unpaid"
		if p.Order.Paid {
			state = "paid"
		}
		return "order:" + p.Order.ID + ":" + state
	case p.Card != nil:
		return "card:" + p.Card.ID
	}
	return ""
}

// PerformanceIDs are the performances an order's tickets are for, each once.
func (o *Order) PerformanceIDs() []string {
	var out []string
	seen := map[string]bool{}
	var walk func([]OrderLine)
	walk = func(ls []OrderLine) {
		for _, l := range ls {
			if l.PerformanceID != "" && !seen[l.PerformanceID] {
				seen[l.PerformanceID] = true
				out = append(out, l.PerformanceID)
			}
			walk(l.Children)
		}
	}
	walk(o.Lines)
	return out
}
