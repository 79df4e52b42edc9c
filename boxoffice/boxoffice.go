// Package boxoffice holds what the ticketing system knows about people and
// sales, in Guichet's words: visitor sessions, website contacts, tickets,
// passes, orders, organisations and mailing lists. The GraphQL layer speaks
// these types; the adapter (billetterie.BoxOffice) turns the vendor's
// records into them, so a wire quirk is fixed in one place. This package
// imports no adapter.
package boxoffice

import (
	"context"
	"time"

	"github.com/guichet/guichet/catalogue"
)

// Session is a visitor's session with the ticketing system.
type Session struct {
	Token     string
	Active    bool
	Remaining time.Duration
	LoggedIn  bool
	ContactID string // id_contact of the signed-in visitor (fiche contact)
	LinkID    string // contact.id of the session: the fiche lien, never a contact id
	Basket    *Basket
}

// Basket is the order being built on the sales site.
type Basket struct {
	ID        string
	Remaining time.Duration
	Status    BasketStatus
}

// BasketStatus is the vendor's order status.
type BasketStatus int

const (
	BasketInProgress BasketStatus = 1
	BasketPaid       BasketStatus = 2
	BasketInvalid    BasketStatus = -1
	BasketExpired    BasketStatus = -2
)

// Contact is a person with a website account.
type Contact struct {
	ID         string // id_contact (fiche contact); "" until known
	LinkID     string // id / id_clistru: the fiche lien, never used as a contact id
	Title      string
	FirstName  string
	LastName   string
	Email      string
	WebLogin   string
	Phone      string
	Mobile     string
	Address    []string
	PostalCode string
	City       string
	Country    string
	Mailings   []Choice // codes envoi
	Interests  []Choice
}

// IsEntity marks Contact as a federation entity for gqlgen.
func (Contact) IsEntity() {}

// Choice is a mailing or an interest and whether the contact chose it.
type Choice struct {
	ID, Code, Label string
	Selected        bool
}

// TicketKind tells how a ticket was bought.
type TicketKind int

const (
	KindCard       TicketKind = 1 // the pass itself
	KindPassHolder TicketKind = 2 // booked with a pass
	KindSingle     TicketKind = 3
)

// Ticket is an active ticket of a contact.
type Ticket struct {
	ID            string
	OrderID       string
	Downloadable  bool
	DownloadURL   string
	QRCode        string
	Label         string
	Category      string
	Price         catalogue.Money
	Seat          string
	Zone          string
	Access        string
	PendingReason string
	StartsAt      time.Time
	Kind          TicketKind
	PerformanceID string
	ShowID        string
	Venue         string
	City          string
}

// LineKind is the kind of an order line.
type LineKind string

const (
	LineTicket  LineKind = "TICKET"
	LineCard    LineKind = "CARD"
	LineArticle LineKind = "ARTICLE"
	LineFee     LineKind = "FEE"
)

// OrderLine is one product of an order.
type OrderLine struct {
	ID            string
	OrderID       string
	Kind          LineKind
	Label         string
	FullLabel     string
	Quantity      int
	UnitPrice     catalogue.Money
	Total         catalogue.Money
	Fee           catalogue.Money
	Category      string // audience category label or id
	PerformanceID string
	ShowID        string
	ArticleID     string
	StartsAt      time.Time
	Seat          string
	Delivery      string // mode de retrait
	ETicket       bool
	DownloadURL   string
	Children      []OrderLine // tickets and fees of a card, fees of an article
}

// Order is a basket as the box office records it.
type Order struct {
	ID       string
	Option   string // x_rsi_option: campaign tag recorded on arrival
	Buyer    Buyer
	SoldAt   time.Time
	Amount   catalogue.Money
	Paid     bool
	Lines    []OrderLine
	Detailed bool // false for summaries from the history list
}

// IsEntity marks Order as a federation entity for gqlgen.
func (Order) IsEntity() {}

// Buyer is who paid an order.
type Buyer struct {
	Title, FirstName, LastName, Email, WebID string
}

// OrderState filters the order history.
type OrderState string

const (
	StatePaid    OrderState = "V"
	StateInvalid OrderState = "A"
)

// Registration is a new website account.
type Registration struct {
	Title, FirstName, LastName, Email string
	Password, PasswordConfirmation    string
	Phone, Mobile                     string
	Address                           []string
	PostalCode, City, Country         string
	Lists                             []int
	Mailings, Interests               []string // ids of the codes envoi and interests chosen
}

// ContactChange is what a visitor may change of their own record; nil
// fields stay as they are.
type ContactChange struct {
	Title, FirstName, LastName, Phone, Mobile *string
	Address                                   []string
	PostalCode, City, Country                 *string
	Mailings, Interests                       map[string]bool // choice id → wanted
}

// Service is what the API needs of the ticketing system for people and sales.
type Service interface {
	CreateSession(ctx context.Context) (*Session, error)
	Session(ctx context.Context, token string) (*Session, error)
	Login(ctx context.Context, token, email, password string) (*Session, error)
	Logout(ctx context.Context, token string) error
	Register(ctx context.Context, token string, r Registration) (*Session, error)
	Me(ctx context.Context, token string) (*Contact, error)
	UpdateMe(ctx context.Context, token string, c ContactChange) error
	ChangePassword(ctx context.Context, token, current, next string) error
	DeleteAccount(ctx context.Context, token string) error
	Tickets(ctx context.Context, token string) ([]Ticket, error)
	OrderLines(ctx context.Context, contactID string) ([]OrderLine, error)
	Contact(ctx context.Context, id string) (*Contact, error)
	Order(ctx context.Context, id string) (*Order, error)
	Orders(ctx context.Context, from, to time.Time, state OrderState) ([]Order, error)
	SeatsLeft(ctx context.Context, performanceID string) (int, error)
}
