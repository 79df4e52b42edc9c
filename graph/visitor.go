package graph

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

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

// contactLimits are the ticketing system's lengths (annex 4.1), checked
// here so that a refusal names the GraphQL field, not the vendor's.
var contactLimits = map[string]int{"title": 40, "firstName": 38, "lastName": 38, "email": 80, "phone": 20, "mobile": 20,
	"addressLines": 38, "postalCode": 10, "city": 38, "country": 38}

// checkContactFields checks the optional contact fields of an input.
func checkContactFields(op, prefix string, fields map[string]*string, lines []string) error {
	for name, v := range fields {
		if v != nil && utf8.RuneCountInString(*v) > contactLimits[name] {
			return invalid(op, prefix+name, fmt.Sprintf("is longer than %d characters", contactLimits[name]))
		}
	}
	if len(lines) > 3 {
		return invalid(op, prefix+"addressLines", "has at most 3 lines")
	}
	for i, l := range lines {
		if utf8.RuneCountInString(l) > contactLimits["addressLines"] {
			return invalid(op, fmt.Sprintf("%saddressLines[%d]", prefix, i), fmt.Sprintf("is longer than %d characters", contactLimits["addressLines"]))
		}
	}
	return nil
}

// vendorContactFields are the ticketing system's names of contact fields
// (annex 4.1), for errors it raises itself.
var vendorContactFields = map[string]string{
	"web_civil": "title", "v_nom": "lastName", "v_prenom": "firstName", "v_mail": "email", "v_tel_port": "mobile",
	"v_tel_perso": "phone", "v_adr1": "addressLines", "v_adr2": "addressLines", "v_adr3": "addressLines", "v_cp": "postalCode",
	"v_ville": "city", "v_pays": "country", "v_passe": "password", "v_passec": "passwordConfirmation", "liste[]": "lists",
	"code_envoi[]": "mailings", "interet[]": "interests",
}

// renameField gives an error the back office raised about one of its own
// fields the name of the GraphQL argument it came from, so no vendor name
// reaches the caller; other errors pass unchanged.
func renameField(op string, err error, prefix string, names map[string]string) error {
	e := errs.Find(err)
	if e == nil || e.Field == "" {
		return err
	}
	name, ok := names[e.Field]
	if !ok {
		return err
	}
	msg := strings.TrimPrefix(e.Message, e.Field+": ")
	return errs.E(errs.Op(op), errs.KindOf(err), errs.Code(e.Code), errs.Field(prefix+name), errs.Msg(msg), err)
}

// passwordFields are ws_modification_pwd's names of changePassword's arguments.
var passwordFields = map[string]string{"v_ancien_passe": "currentPassword", "v_passe_actuel": "currentPassword",
	"v_passe": "newPassword", "v_passec": "newPassword"}

// positiveID checks an id the back office keys by number.
func positiveID(op, field, id string) error {
	if n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64); err != nil || n <= 0 {
		return invalid(op, field, "must be a positive number")
	}
	return nil
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
	for i, id := range in.Lists {
		if id <= 0 {
			return invalid(op, fmt.Sprintf("input.lists[%d]", i), "must be a positive number")
		}
	}
	for field, ids := range map[string][]string{"mailings": in.Mailings, "interests": in.Interests} {
		for i, id := range ids {
			if err := positiveID(op, fmt.Sprintf("input.%s[%d]", field, i), id); err != nil {
				return err
			}
		}
	}
	return checkContactFields(op, "input.", map[string]*string{"email": &in.Email, "title": in.Title, "firstName": &in.FirstName,
		"lastName": &in.LastName, "phone": in.Phone, "mobile": in.Mobile, "postalCode": in.PostalCode, "city": in.City, "country": in.Country}, in.AddressLines)
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
	if in.FirstName != nil && strings.TrimSpace(*in.FirstName) == "" {
		return c, invalid("graph.updateMe", "input.firstName", "cannot be emptied")
	}
	if err := checkContactFields("graph.updateMe", "input.", map[string]*string{"title": in.Title, "firstName": in.FirstName,
		"lastName": in.LastName, "phone": in.Phone, "mobile": in.Mobile, "postalCode": in.PostalCode, "city": in.City, "country": in.Country}, in.AddressLines); err != nil {
		return c, err
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

// organisationLimits are annex 4.4's lengths of an organisation's fields.
var organisationLimits = map[string]int{"name": 38, "name2": 38, "nature": 40, "type": 40}

// checkOrganisation checks an organisation input before the call.
func checkOrganisation(op string, in model.OrganisationInput) error {
	for name, v := range map[string]*string{"name": in.Name, "name2": in.Name2, "nature": in.Nature, "type": in.Type} {
		if v != nil && utf8.RuneCountInString(*v) > organisationLimits[name] {
			return invalid(op, "input."+name, fmt.Sprintf("is longer than %d characters", organisationLimits[name]))
		}
	}
	if in.Email != nil && *in.Email != "" {
		if p := boxoffice.EmailProblem(*in.Email); p != "" {
			return invalid(op, "input.email", p)
		}
	}
	return nil
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
