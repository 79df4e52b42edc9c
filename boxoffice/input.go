package boxoffice

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/guichet/guichet/errs"
)

// ContactMax is the most characters of each contact field, by its API name
// (annex 4.1; addressLines: each line). The adapter applies the same limits
// to what it sends.
var ContactMax = map[string]int{"title": 40, "firstName": 38, "lastName": 38, "email": 80, "phone": 20, "mobile": 20,
	"addressLines": 38, "postalCode": 10, "city": 38, "country": 38}

// MaxAddressLines is how many address lines a contact has.
const MaxAddressLines = 3

// OrganisationMax is the most characters of an organisation's fields, by
// their API names (annex 4.4).
var OrganisationMax = map[string]int{"name": 38, "name2": 38, "nature": 40, "type": 40}

// Errors name the field at fault as the API's input object does
// ("lastName", "addressLines[1]"); the API layer puts them under the
// argument's name.
func invalid(op, field, msg string) error {
	return errs.E(errs.Op(op), errs.Invalid, errs.Field(field), errs.Msg(msg))
}

func checkLengths(op string, max map[string]int, fields map[string]*string) error {
	for name, v := range fields {
		if v != nil && utf8.RuneCountInString(*v) > max[name] {
			return invalid(op, name, fmt.Sprintf("is longer than %d characters", max[name]))
		}
	}
	return nil
}

func checkAddress(op string, lines []string) error {
	if len(lines) > MaxAddressLines {
		return invalid(op, "addressLines", fmt.Sprintf("has at most %d lines", MaxAddressLines))
	}
	for i, l := range lines {
		if utf8.RuneCountInString(l) > ContactMax["addressLines"] {
			return invalid(op, fmt.Sprintf("addressLines[%d]", i), fmt.Sprintf("is longer than %d characters", ContactMax["addressLines"]))
		}
	}
	return nil
}

// positive reports whether id is a number above 0, the back office's keys.
func positive(id string) bool {
	n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
	return err == nil && n > 0
}

// Check refuses a registration the ticketing system would refuse, before
// any call: email, password rules and confirmation, names, ids, lengths.
func (r Registration) Check() error {
	const op = "boxoffice.register"
	if p := EmailProblem(r.Email); p != "" {
		return invalid(op, "email", p)
	}
	if p := PasswordProblem(r.Password); p != "" {
		return invalid(op, "password", p)
	}
	if r.Password != r.PasswordConfirmation {
		return invalid(op, "passwordConfirmation", "does not match the password")
	}
	if strings.TrimSpace(r.FirstName) == "" {
		return invalid(op, "firstName", "is required")
	}
	if strings.TrimSpace(r.LastName) == "" {
		return invalid(op, "lastName", "is required")
	}
	for i, id := range r.Lists {
		if id <= 0 {
			return invalid(op, fmt.Sprintf("lists[%d]", i), "must be a positive number")
		}
	}
	for field, ids := range map[string][]string{"mailings": r.Mailings, "interests": r.Interests} {
		for i, id := range ids {
			if !positive(id) {
				return invalid(op, fmt.Sprintf("%s[%d]", field, i), "must be a positive number")
			}
		}
	}
	if err := checkLengths(op, ContactMax, map[string]*string{"email": &r.Email, "title": &r.Title, "firstName": &r.FirstName,
		"lastName": &r.LastName, "phone": &r.Phone, "mobile": &r.Mobile, "postalCode": &r.PostalCode, "city": &r.City, "country": &r.Country}); err != nil {
		return err
	}
	return checkAddress(op, r.Address)
}

// Check refuses a change of a visitor's record the ticketing system would
// refuse: names emptied, lengths.
func (c ContactChange) Check() error {
	const op = "boxoffice.updateMe"
	if c.LastName != nil && strings.TrimSpace(*c.LastName) == "" {
		return invalid(op, "lastName", "cannot be emptied")
	}
	if c.FirstName != nil && strings.TrimSpace(*c.FirstName) == "" {
		return invalid(op, "firstName", "cannot be emptied")
	}
	if err := checkLengths(op, ContactMax, map[string]*string{"title": c.Title, "firstName": c.FirstName, "lastName": c.LastName,
		"phone": c.Phone, "mobile": c.Mobile, "postalCode": c.PostalCode, "city": c.City, "country": c.Country}); err != nil {
		return err
	}
	return checkAddress(op, c.Address)
}

// Check refuses an organisation the ticketing system would refuse: a new
// one needs a name and a nature, a change cannot empty them; lengths and
// the email are checked.
func (in OrganisationInput) Check(create bool) error {
	const op = "boxoffice.organisation"
	for _, f := range []struct {
		name string
		v    *string
	}{{"name", in.Name}, {"nature", in.Nature}} {
		name, v := f.name, f.v
		switch {
		case create && (v == nil || strings.TrimSpace(*v) == ""):
			return invalid(op, name, "is required")
		case v != nil && strings.TrimSpace(*v) == "":
			return invalid(op, name, "cannot be emptied")
		}
	}
	if err := checkLengths(op, OrganisationMax, map[string]*string{"name": in.Name, "name2": in.Name2, "nature": in.Nature, "type": in.Type}); err != nil {
		return err
	}
	if in.Email != nil && *in.Email != "" {
		if p := EmailProblem(*in.Email); p != "" {
			return invalid(op, "email", p)
		}
	}
	return nil
}
