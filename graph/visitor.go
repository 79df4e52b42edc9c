package graph

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"
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
	if c.ID == "" || s.ContactID != c.ID {
		return "", errs.E(errs.Op(op), errs.Forbidden, errs.Msg("this contact is not the signed-in visitor"))
	}
	return token, nil
}

// sessionContact is the signed-in visitor's record with the session's
// id_contact as its id: ws_info_contact may carry only "id", the link record
// (annex 4.1: fiche lien), which is kept as LinkID and never taken for the
// contact. A record naming another contact than the session is refused.
func sessionContact(op string, s *boxoffice.Session, c *boxoffice.Contact) (*boxoffice.Contact, error) {
	if c == nil {
		return nil, nil
	}
	if s == nil || s.ContactID == "" {
		return nil, errs.E(errs.Op(op), errs.Unauthenticated, errs.Msg("no visitor is signed in on this session"))
	}
	if c.ID != "" && c.ID != s.ContactID {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered another contact than the session's visitor"))
	}
	out := *c
	out.ID = s.ContactID
	if out.LinkID == "" {
		out.LinkID = s.LinkID
	}
	return &out, nil
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

// refusal names the field of a domain error as the request does: place
// maps the domain's name of the field (an input object's field, or an
// argument) to its path in the arguments.
func refusal(err error, place func(field string) string) error {
	e := errs.Find(err)
	if e == nil || e.Field == "" {
		return err
	}
	return errs.E(errs.Op(e.Op), errs.KindOf(err), errs.Code(e.Code), errs.Field(place(e.Field)), errs.Msg(e.Message), err)
}

// inInput places a field of the argument input.
func inInput(field string) string { return "input." + field }

// positiveID checks an id the back office keys by number.
func positiveID(op, field, id string) error {
	if n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64); err != nil || n <= 0 {
		return invalid(op, field, "must be a positive number")
	}
	return nil
}

func registration(in model.RegisterContactInput) (boxoffice.Registration, error) {
	r := boxoffice.Registration{
		Title: deref(in.Title), FirstName: in.FirstName, LastName: in.LastName, Email: in.Email,
		Password: in.Password, PasswordConfirmation: in.PasswordConfirmation, Phone: deref(in.Phone), Mobile: deref(in.Mobile),
		Address: in.AddressLines, PostalCode: deref(in.PostalCode), City: deref(in.City), Country: deref(in.Country),
		Lists: in.Lists, Mailings: in.Mailings, Interests: in.Interests,
	}
	return r, refusal(r.Check(), inInput)
}

func contactChange(in model.UpdateMeInput) (boxoffice.ContactChange, error) {
	c := boxoffice.ContactChange{
		Title: in.Title, FirstName: in.FirstName, LastName: in.LastName,
		Phone: in.Phone, Mobile: in.Mobile, PostalCode: in.PostalCode, City: in.City, Country: in.Country,
		Address: in.AddressLines,
	}
	if err := c.Check(); err != nil {
		return c, refusal(err, inInput)
	}
	choices := func(field string, list []*model.ChoiceInput) (map[string]bool, error) {
		if list == nil {
			return nil, nil
		}
		m := map[string]bool{}
		for i, ch := range list {
			if err := positiveID("graph.updateMe", fmt.Sprintf("input.%s[%d].id", field, i), ch.ID); err != nil {
				return nil, err
			}
			m[strings.TrimSpace(ch.ID)] = ch.Selected
		}
		return m, nil
	}
	var err error
	if c.Mailings, err = choices("mailings", in.Mailings); err != nil {
		return c, err
	}
	if c.Interests, err = choices("interests", in.Interests); err != nil {
		return c, err
	}
	return c, nil
}

// checkChoices refuses mailing or interest ids the contact form does not
// offer: the ticketing system would ignore them without a word.
func checkChoices(field string, offered []boxoffice.Choice, list []*model.ChoiceInput) error {
	known := map[string]bool{}
	for _, o := range offered {
		known[o.ID] = true
	}
	for i, ch := range list {
		if !known[strings.TrimSpace(ch.ID)] {
			return invalid("graph.updateMe", fmt.Sprintf("input.%s[%d].id", field, i), "is not one of the "+field+" offered (see me."+field+")")
		}
	}
	return nil
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

// inOrganisationArgs places a field of an organisation refusal: the
// organisation's own fields are in input, the contacts and the id are
// arguments of their own.
func inOrganisationArgs(id string) func(string) string {
	return func(field string) string {
		switch field {
		case "contacts":
			return field
		case "organisationId":
			return id
		}
		return inInput(field)
	}
}

func attachments(op string, in []*model.AttachmentInput) ([]boxoffice.Attachment, error) {
	out := make([]boxoffice.Attachment, 0, len(in))
	for i, a := range in {
		if err := positiveID(op, fmt.Sprintf("contacts[%d].contactId", i), a.ContactID); err != nil {
			return nil, err
		}
		if a.Email != nil && *a.Email != "" && boxoffice.EmailProblem(*a.Email) != "" {
			return nil, invalid(op, fmt.Sprintf("contacts[%d].email", i), boxoffice.EmailProblem(*a.Email))
		}
		out = append(out, boxoffice.Attachment{ContactID: a.ContactID, Attach: a.Attach == nil || *a.Attach,
			Function: deref(a.Function), Service: deref(a.Service), Phone: deref(a.Phone), Mobile: deref(a.Mobile), Email: deref(a.Email)})
	}
	return out, nil
}

// countryCode is the ISO code derived from a stored country, or null.
func countryCode(country string) *string { return optional(boxoffice.CountryCode(country)) }
