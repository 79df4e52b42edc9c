package graph_test

import (
	"context"
	"sync"
	"time"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/errs"
)

// fakeBoxOffice is an in-memory ticketing domain: it holds sessions and
// organisations, counts the calls it gets, and refuses as an adapter does,
// with domain errors naming the API's fields (refuse, when set, is the
// next refusal of a write).
type fakeBoxOffice struct {
	mu            sync.Mutex
	sessions      map[string]*boxoffice.Session // by token
	organisations map[string]*boxoffice.Organisation
	registered    []boxoffice.Registration
	passwords     map[string]string // contact id → password
	calls         map[string]int
	refuse        error
}

var (
	_ boxoffice.Service   = (*fakeBoxOffice)(nil)
	_ boxoffice.Relations = (*fakeBoxOffice)(nil)
)

func newFakeBoxOffice() *fakeBoxOffice {
	return &fakeBoxOffice{
		sessions: map[string]*boxoffice.Session{
			"visitor-token": {Token: "visitor-token", Active: true, LoggedIn: true, ContactID: "20874", LinkID: "50651", Remaining: time.Hour},
		},
		organisations: map[string]*boxoffice.Organisation{"7": {ID: "7", Name: "Lycée Jean Moulin", Nature: "École"}},
		passwords:     map[string]string{"20874": "Guichet2026"},
		calls:         map[string]int{},
	}
}

func (f *fakeBoxOffice) count(op string) int { f.mu.Lock(); defer f.mu.Unlock(); return f.calls[op] }

// call counts op and hands out the pending refusal, once.
func (f *fakeBoxOffice) call(op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	err := f.refuse
	f.refuse = nil
	return err
}

func refused(kind errs.Kind, field, msg string) error {
	return errs.E(errs.Op("fake"), kind, errs.Field(field), errs.Msg(msg))
}

func (f *fakeBoxOffice) CreateSession(ctx context.Context) (*boxoffice.Session, error) {
	if err := f.call("CreateSession"); err != nil {
		return nil, err
	}
	return &boxoffice.Session{Token: "new-token", Active: true, Remaining: time.Hour}, nil
}

func (f *fakeBoxOffice) Session(ctx context.Context, token string) (*boxoffice.Session, error) {
	f.call("Session")
	f.mu.Lock()
	defer f.mu.Unlock()
	if s := f.sessions[token]; s != nil {
		out := *s
		return &out, nil
	}
	return &boxoffice.Session{Token: token}, nil
}

func (f *fakeBoxOffice) Login(ctx context.Context, token, email, password string) (*boxoffice.Session, error) {
	return nil, f.call("Login")
}

func (f *fakeBoxOffice) Logout(ctx context.Context, token string) error { return f.call("Logout") }

func (f *fakeBoxOffice) Register(ctx context.Context, token string, r boxoffice.Registration) (*boxoffice.Session, error) {
	if err := f.call("Register"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.registered = append(f.registered, r)
	return &boxoffice.Session{Token: "new-token", Active: true, LoggedIn: true, ContactID: "30001", Remaining: time.Hour}, nil
}

func (f *fakeBoxOffice) Me(ctx context.Context, token string) (*boxoffice.Contact, error) {
	return &boxoffice.Contact{LinkID: "50651", FirstName: "Camille", LastName: "Martin"}, f.call("Me")
}

func (f *fakeBoxOffice) UpdateMe(ctx context.Context, token string, c boxoffice.ContactChange) error {
	return f.call("UpdateMe")
}

func (f *fakeBoxOffice) ChangePassword(ctx context.Context, token, current, next string) error {
	if err := f.call("ChangePassword"); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.sessions[token].ContactID
	if f.passwords[id] != current {
		return refused(errs.Unauthenticated, "currentPassword", "the current password is wrong")
	}
	f.passwords[id] = next
	return nil
}

func (f *fakeBoxOffice) DeleteAccount(ctx context.Context, token string) error {
	return f.call("DeleteAccount")
}

func (f *fakeBoxOffice) Tickets(ctx context.Context, token string) ([]boxoffice.Ticket, error) {
	return nil, f.call("Tickets")
}

func (f *fakeBoxOffice) OrderLines(ctx context.Context, contactID string) ([]boxoffice.OrderLine, error) {
	return nil, f.call("OrderLines")
}

func (f *fakeBoxOffice) Contact(ctx context.Context, id string) (*boxoffice.Contact, error) {
	if err := f.call("Contact"); err != nil {
		return nil, err
	}
	return nil, errs.E(errs.Op("fake"), errs.NotFound, errs.Msg("no such contact"))
}

// fakeOrders are two paid orders: a ticket, and a pass with its fee.
var fakeOrders = map[string]boxoffice.Order{
	"C1": {ID: "C1", Paid: true, Detailed: true, Lines: []boxoffice.OrderLine{
		{ID: "L1", OrderID: "C1", Kind: boxoffice.LineTicket, Label: "Plein tarif", Quantity: 2, PerformanceID: "50001"}}},
	"C2": {ID: "C2", Paid: true, Detailed: true, Lines: []boxoffice.OrderLine{
		{ID: "L2", OrderID: "C2", Kind: boxoffice.LineCard, Label: "Carte Saison", Quantity: 1, Children: []boxoffice.OrderLine{
			{ID: "L3", OrderID: "C2", Kind: boxoffice.LineFee, Label: "Frais d'envoi", Quantity: 1}}}}},
}

func (f *fakeBoxOffice) Order(ctx context.Context, id string) (*boxoffice.Order, error) {
	if err := f.call("Order"); err != nil {
		return nil, err
	}
	if o, ok := fakeOrders[id]; ok {
		return &o, nil
	}
	return nil, errs.E(errs.Op("fake"), errs.NotFound, errs.Msg("no such order"))
}

// Orders lists summaries, without their lines, as the history list does.
func (f *fakeBoxOffice) Orders(ctx context.Context, from, to time.Time, state boxoffice.OrderState) ([]boxoffice.Order, error) {
	if err := f.call("Orders"); err != nil {
		return nil, err
	}
	var out []boxoffice.Order
	for _, id := range []string{"C1", "C2"} {
		out = append(out, boxoffice.Order{ID: id, Paid: true, Lines: []boxoffice.OrderLine{}})
	}
	return out, nil
}

func (f *fakeBoxOffice) SeatsLeft(ctx context.Context, performanceID string) (int, error) {
	return 0, f.call("SeatsLeft")
}

func (f *fakeBoxOffice) Organisation(ctx context.Context, id string) (*boxoffice.Organisation, error) {
	if err := f.call("Organisation"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if o := f.organisations[id]; o != nil {
		out := *o
		return &out, nil
	}
	return nil, errs.E(errs.Op("fake"), errs.NotFound, errs.Msg("no such organisation"))
}

func (f *fakeBoxOffice) CreateOrganisation(ctx context.Context, in boxoffice.OrganisationInput, attach []boxoffice.Attachment) (*boxoffice.Organisation, error) {
	if err := f.call("CreateOrganisation"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	o := &boxoffice.Organisation{ID: "8", Name: *in.Name, Nature: *in.Nature}
	f.organisations[o.ID] = o
	return o, nil
}

func (f *fakeBoxOffice) UpdateOrganisation(ctx context.Context, id string, in boxoffice.OrganisationInput) (*boxoffice.Organisation, error) {
	if err := f.call("UpdateOrganisation"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	o := f.organisations[id]
	f.mu.Unlock()
	if o == nil {
		return nil, refused(errs.NotFound, "organisationId", "no such organisation")
	}
	if in.Name != nil {
		o.Name = *in.Name
	}
	return f.Organisation(ctx, id)
}

func (f *fakeBoxOffice) AttachContacts(ctx context.Context, organisationID string, changes []boxoffice.Attachment) error {
	return f.call("AttachContacts")
}

func (f *fakeBoxOffice) MailingLists(ctx context.Context) ([]boxoffice.MailingList, error) {
	return nil, f.call("MailingLists")
}

func (f *fakeBoxOffice) ListMembers(ctx context.Context, listID string) ([]boxoffice.ListMember, error) {
	return nil, f.call("ListMembers")
}

func (f *fakeBoxOffice) ChangedSince(ctx context.Context, since time.Time) (*boxoffice.Changes, error) {
	return &boxoffice.Changes{}, f.call("ChangedSince")
}
