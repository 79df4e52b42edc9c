package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"
	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/graph/loaders"
	"github.com/guichet/guichet/graph/model"
)

// boxLoaders returns the request's ticketing loaders.
func boxLoaders(ctx context.Context, op string) (*loaders.Loaders, error) {
	l := loaders.For(ctx)
	if l == nil || l.Session == nil {
		return nil, errs.E(errs.Op(op), errs.Internal, errs.Msg("loaders missing from the request"))
	}
	return l, nil
}

// visitor returns the caller's session, loaded once per request, and
// requires a signed-in visitor.
func visitor(ctx context.Context, op string) (token string, s *boxoffice.Session, err error) {
	token, err = requireSession(ctx, op)
	if err != nil {
		return "", nil, err
	}
	l, err := boxLoaders(ctx, op)
	if err != nil {
		return "", nil, err
	}
	s, err = l.Session.Load(ctx, token)()
	if err != nil {
		return "", nil, err
	}
	if !s.Active {
		return "", nil, errs.E(errs.Op(op), errs.Unauthenticated, errs.Msg("the session has expired; create a new one"))
	}
	if !s.LoggedIn || s.ContactID == "" {
		return "", nil, errs.E(errs.Op(op), errs.Unauthenticated, errs.Msg("no visitor is signed in on this session"))
	}
	return token, s, nil
}

// ownContact allows a field of a contact to the contact's own signed-in
// session only: tickets and account links travel with the session token.
func ownContact(ctx context.Context, op string, c *boxoffice.Contact) (string, error) {
	cl := CallerFrom(ctx)
	if cl.SessionToken == "" && cl.BackOffice {
		return "", errs.E(errs.Op(op), errs.Forbidden, errs.Msg("available to the visitor's own session only"))
	}
	token, s, err := visitor(ctx, op)
	if err != nil {
		return "", err
	}
	if s.ContactID != c.ID {
		return "", errs.E(errs.Op(op), errs.Forbidden, errs.Msg("this contact is not the signed-in visitor"))
	}
	return token, nil
}

// ownOrBackOffice allows a field to the contact's own session or to the
// back office.
func ownOrBackOffice(ctx context.Context, op string, c *boxoffice.Contact) error {
	if CallerFrom(ctx).BackOffice {
		return nil
	}
	_, err := ownContact(ctx, op, c)
	return err
}

func invalid(op, field, msg string) error {
	return errs.E(errs.Op(op), errs.Invalid, errs.Field(field), errs.Msg(msg))
}

func checkRegistration(in model.RegisterContactInput) error {
	const op = "graph.registerContact"
	if p := boxoffice.EmailProblem(in.Email); p != "" {
		return invalid(op, "input.email", p)
	}
	if p := billetterie.PasswordProblem(in.Password); p != "" {
		return invalid(op, "input.password", p)
	}
	if in.Password != in.PasswordConfirmation {
		return invalid(op, "input.passwordConfirmation", "does not match the password")
	}
	if strings.TrimSpace(in.FirstName) == "" {
		return invalid(op, "input.firstName", "is required")
	}
	if strings.TrimSpace(in.LastName) == "" {
		return invalid(op, "input.lastName", "is required")
	}
	if in.Country != nil && len(*in.Country) != 2 {
		return invalid(op, "input.country", "must be an ISO 3166-1 alpha-2 code such as FR")
	}
	return nil
}

func contactChange(in model.UpdateMeInput) (boxoffice.ContactChange, error) {
	c := boxoffice.ContactChange{
		Title: in.Title, FirstName: in.FirstName, LastName: in.LastName,
		Phone: in.Phone, Mobile: in.Mobile, PostalCode: in.PostalCode, City: in.City, Country: in.Country,
		Address: in.AddressLines,
	}
	if in.LastName != nil && strings.TrimSpace(*in.LastName) == "" {
		return c, invalid("graph.updateMe", "input.lastName", "cannot be emptied")
	}
	if in.Country != nil && len(*in.Country) != 2 {
		return c, invalid("graph.updateMe", "input.country", "must be an ISO 3166-1 alpha-2 code such as FR")
	}
	if len(in.AddressLines) > 3 {
		return c, invalid("graph.updateMe", "input.addressLines", "has at most 3 lines")
	}
	choices := func(list []*model.ChoiceInput) map[string]bool {
		if list == nil {
			return nil
		}
		m := map[string]bool{}
		for _, ch := range list {
			m[ch.ID] = ch.Selected
		}
		return m
	}
	c.Mailings, c.Interests = choices(in.Mailings), choices(in.Interests)
	return c, nil
}

var ticketKinds = map[boxoffice.TicketKind]model.TicketKind{
	boxoffice.KindCard: model.TicketKindCard, boxoffice.KindPassHolder: model.TicketKindPassHolder, boxoffice.KindSingle: model.TicketKindSingle,
}

var basketStatuses = map[boxoffice.BasketStatus]model.BasketStatus{
	boxoffice.BasketInProgress: model.BasketStatusInProgress, boxoffice.BasketPaid: model.BasketStatusPaid,
	boxoffice.BasketInvalid: model.BasketStatusInvalid, boxoffice.BasketExpired: model.BasketStatusExpired,
}

// cardsOf groups a visitor's tickets into the passes they hold: a pass
// (type 1) with the tickets booked on it (type 2) in the same order.
func cardsOf(tickets []boxoffice.Ticket) []*model.Card {
	var cards []*model.Card
	byOrder := map[string]*model.Card{}
	for i := range tickets {
		t := &tickets[i]
		if t.Kind != boxoffice.KindCard {
			continue
		}
		price := t.Price
		c := &model.Card{ID: t.ID, Name: t.Label, Price: &price, OrderID: optional(t.OrderID), Tickets: []*boxoffice.Ticket{}}
		cards = append(cards, c)
		if t.OrderID != "" {
			byOrder[t.OrderID] = c
		}
	}
	for i := range tickets {
		t := &tickets[i]
		if t.Kind == boxoffice.KindPassHolder {
			if c := byOrder[t.OrderID]; c != nil {
				c.Tickets = append(c.Tickets, t)
			}
		}
	}
	if cards == nil {
		cards = []*model.Card{}
	}
	return cards
}

func pointers[T any](in []T) []*T {
	out := make([]*T, len(in))
	for i := range in {
		out[i] = &in[i]
	}
	return out
}

// catalogue lookups of box-office references: a performance or show that
// left the catalogue resolves to null rather than failing the order.
func (r *Resolver) performanceOf(id string) *catalogue.Performance {
	if s := r.Catalogue.Current(); s != nil && id != "" {
		return s.Performance(id)
	}
	return nil
}

func (r *Resolver) showOf(id string) *catalogue.Show {
	if s := r.Catalogue.Current(); s != nil && id != "" {
		return s.Show(id)
	}
	return nil
}

func (r *Resolver) articleOf(id string) *catalogue.Article {
	if s := r.Catalogue.Current(); s != nil && id != "" {
		return s.Article(id)
	}
	return nil
}

// resolveEntities loads a batch of federation representations in one loader
// batch, keeping their order; unknown ids are null, other failures null
// only their own entry.
func resolveEntities[V any](ctx context.Context, l *dataloader.Loader[string, *V], keys []string) ([]*V, error) {
	thunks := make([]func() (*V, error), len(keys))
	for i, k := range keys {
		thunks[i] = l.Load(ctx, k)
	}
	out := make([]*V, len(keys))
	list := make(graphql.BatchErrorList, len(keys))
	failed := false
	for i, th := range thunks {
		v, err := th()
		if err != nil && !errs.Is(errs.NotFound, err) {
			list[i], failed = err, true
			continue
		}
		out[i] = v
	}
	if failed {
		return out, list
	}
	return out, nil
}

func organisationInput(in model.OrganisationInput) boxoffice.OrganisationInput {
	return boxoffice.OrganisationInput{Name: in.Name, Name2: in.Name2, Nature: in.Nature, Type: in.Type,
		LegalName: in.LegalName, Email: in.Email, Remark: in.Remark}
}

func attachments(op string, in []*model.AttachmentInput) ([]boxoffice.Attachment, error) {
	out := make([]boxoffice.Attachment, 0, len(in))
	for i, a := range in {
		if strings.TrimSpace(a.ContactID) == "" {
			return nil, invalid(op, fmt.Sprintf("contacts[%d].contactId", i), "is required")
		}
		if a.Email != nil && *a.Email != "" && boxoffice.EmailProblem(*a.Email) != "" {
			return nil, invalid(op, fmt.Sprintf("contacts[%d].email", i), boxoffice.EmailProblem(*a.Email))
		}
		out = append(out, boxoffice.Attachment{ContactID: a.ContactID, Attach: a.Attach == nil || *a.Attach,
			Function: deref(a.Function), Service: deref(a.Service), Phone: deref(a.Phone), Mobile: deref(a.Mobile), Email: deref(a.Email)})
	}
	return out, nil
}
