package boxoffice

import (
	"strings"
	"testing"

	"github.com/guichet/guichet/errs"
)

func fieldOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	if errs.KindOf(err) != errs.Invalid {
		t.Fatalf("kind %v: %v", errs.KindOf(err), err)
	}
	return errs.Find(err).Field
}

func ptr(s string) *string { return &s }

// Ensure each registration rule refuses with the API's name of the field.
func TestRegistrationCheck(t *testing.T) {
	ok := Registration{FirstName: "Zoé", LastName: "Nouvelle", Email: "zoe@exemple.fr", Password: "Nouvelle2026",
		PasswordConfirmation: "Nouvelle2026", Address: []string{"1 rue Haute"}, Mailings: []string{"3"}}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	for want, change := range map[string]func(*Registration){
		"email":                func(r *Registration) { r.Email = "pas-un-email" },
		"password":             func(r *Registration) { r.Password, r.PasswordConfirmation = "court", "court" },
		"passwordConfirmation": func(r *Registration) { r.PasswordConfirmation = "Nouvelle2027" },
		"firstName":            func(r *Registration) { r.FirstName = " " },
		"lastName":             func(r *Registration) { r.LastName = strings.Repeat("é", ContactMax["lastName"]+1) },
		"lists[1]":             func(r *Registration) { r.Lists = []int{4, 0} },
		"mailings[0]":          func(r *Registration) { r.Mailings = []string{"x"} },
		"addressLines":         func(r *Registration) { r.Address = []string{"a", "b", "c", "d"} },
		"addressLines[0]":      func(r *Registration) { r.Address = []string{strings.Repeat("a", ContactMax["addressLines"]+1)} },
		"city":                 func(r *Registration) { r.City = strings.Repeat("a", ContactMax["city"]+1) },
	} {
		r := ok
		change(&r)
		if got := fieldOf(t, r.Check()); got != want {
			t.Errorf("want a refusal of %s, got %q", want, got)
		}
	}
	// At the limit is accepted: the limit counts characters, not bytes.
	r := ok
	r.LastName = strings.Repeat("é", ContactMax["lastName"])
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestContactChangeCheck(t *testing.T) {
	if err := (ContactChange{City: ptr("Lyon")}).Check(); err != nil {
		t.Fatal(err)
	}
	for want, c := range map[string]ContactChange{
		"lastName":        {LastName: ptr("  ")},
		"firstName":       {FirstName: ptr("")},
		"phone":           {Phone: ptr(strings.Repeat("1", ContactMax["phone"]+1))},
		"addressLines[2]": {Address: []string{"a", "b", strings.Repeat("c", ContactMax["addressLines"]+1)}},
	} {
		if got := fieldOf(t, c.Check()); got != want {
			t.Errorf("want a refusal of %s, got %q", want, got)
		}
	}
}

func TestOrganisationInputCheck(t *testing.T) {
	if err := (OrganisationInput{Name: ptr("Lycée"), Nature: ptr("École")}).Check(true); err != nil {
		t.Fatal(err)
	}
	if err := (OrganisationInput{Remark: ptr("x")}).Check(false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in     OrganisationInput
		create bool
		want   string
		msg    string
	}{
		{OrganisationInput{Nature: ptr("École")}, true, "name", "is required"},
		{OrganisationInput{Name: ptr("Lycée")}, true, "nature", "is required"},
		{OrganisationInput{Name: ptr(" ")}, false, "name", "cannot be emptied"},
		{OrganisationInput{Type: ptr(strings.Repeat("t", OrganisationMax["type"]+1))}, false, "type", "is longer than 40 characters"},
		{OrganisationInput{Email: ptr("non")}, false, "email", "is not an email address"},
	} {
		err := c.in.Check(c.create)
		if got := fieldOf(t, err); got != c.want || errs.Find(err).Message != c.msg {
			t.Errorf("want %s %q, got %v", c.want, c.msg, err)
		}
	}
}
