package graph

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/graph/model"
)

// Arguments to domain values, with the checks that only the API's shape
// knows (list positions, argument paths); the rules themselves are the
// domain's (boxoffice.Registration.Check…).

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
