// Package catalogue holds the venue's public catalogue as Guichet serves it:
// shows, performances, venues, price grids, passes and articles, in an
// immutable snapshot with the indexes the queries need. The ticketing system
// asks integrators to keep their own copy of the catalogue rather than call
// its web services per page; this package is that copy.
package catalogue

import (
	"strconv"
	"time"

	"github.com/guichet/guichet/internal/memo"
)

// Money is an amount in cents of a currency (always EUR for L@billetterie).
type Money struct {
	Cents    int64
	Currency string
}

// EUR builds a euro amount.
func EUR(cents int64) Money { return Money{Cents: cents, Currency: "EUR"} }

// Venue is a room where performances take place, inside a parent site.
type Venue struct {
	ID       string
	Name     string
	ParentID string // the site holding this room (SALLE_MERE_ID); empty for a site
	Address  string
	City     string
}

// PriceGrid is a matrix of prices by audience category and seating zone.
type PriceGrid struct {
	Label    string // the key performances refer to (REP_GRILLE)
	WebLabel string
	Prices   []Price
}

// Price is one cell of a grid.
type Price struct {
	Category string // audience category: plein tarif, réduit…
	Zone     string
	Amount   Money // price without fees
	Fee      Money
}

// Total is what the public pays.
func (p Price) Total() Money {
	return Money{Cents: p.Amount.Cents + p.Fee.Cents, Currency: p.Amount.Currency}
}

// Show is one production of the season.
type Show struct {
	ID            string
	Title         string
	Subtitle      string
	Type          string // genre label, e.g. THEATRE
	Category      string // web category
	Subcategories []string
	Festival      string
	Info          string
	Description   string
	ModifiedAt    time.Time
	Performances  []*Performance // chronological
}

// Performance is one date of a show.
type Performance struct {
	ID           string
	ShowID       string
	StartsAt     time.Time
	Duration     time.Duration
	VenueID      string
	GridLabel    string
	WebGridLabel string
}

// EndsAt is the start plus the duration, or zero when the duration is unknown.
func (p *Performance) EndsAt() time.Time {
	if p.Duration <= 0 {
		return time.Time{}
	}
	return p.StartsAt.Add(p.Duration)
}

// Pass is a season ticket (abonnement) or a membership (adhésion).
type Pass struct {
	ID          string
	Name        string
	Kind        PassKind
	Description string
	Prices      []Price
	ModifiedAt  time.Time
}

// PassKind tells an abonnement from an adhésion.
type PassKind string

const (
	Subscription PassKind = "SUBSCRIPTION"
	Membership   PassKind = "MEMBERSHIP"
)

// Article is a shop item or a gift voucher.
type Article struct {
	ID          string
	Name        string
	Family      string
	Description string
	Price       Money
	GiftVoucher bool
	ModifiedAt  time.Time
}

// Formatted renders the amount for French readers, e.g. "22,50 €".
// Renderings are kept: a season has a few hundred distinct amounts and an
// uncached listing renders about a thousand (a sixth of its allocations).
func (m Money) Formatted() string { return formatted.Get(m, Money.format) }

// formatted keeps up to 4,096 renderings; past it amounts are rendered on
// each call.
var formatted = memo.Bounded[Money, string]{Max: 4096}

func (m Money) format() string {
	sign := ""
	c := m.Cents
	if c < 0 {
		sign, c = "-", -c
	}
	sym := m.Currency
	if sym == "EUR" || sym == "" {
		sym = "€"
	}
	// Appended by hand: fmt.Sprintf was 9% of an uncached listing's CPU.
	b := make([]byte, 0, len(sign)+24+len(sym))
	b = append(b, sign...)
	b = strconv.AppendInt(b, c/100, 10)
	b = append(b, ',', byte('0'+c%100/10), byte('0'+c%10), ' ')
	b = append(b, sym...)
	return string(b)
}
