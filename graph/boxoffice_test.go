package graph_test

import (
	"strings"
	"testing"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/errs"
)

func fieldOf(r response) string {
	if len(r.Errors) == 0 {
		return ""
	}
	f, _ := r.Errors[0].Extensions["field"].(string)
	return f
}

const register = `mutation($in: RegisterContactInput!) { registerContact(input: $in) { token loggedIn } }`

func registration(change func(map[string]any)) map[string]any {
	in := map[string]any{"email": "zoe@exemple.fr", "password": "Nouvelle2026", "passwordConfirmation": "Nouvelle2026",
		"firstName": "Zoé", "lastName": "Nouvelle", "addressLines": []string{"1 rue Haute"}}
	if change != nil {
		change(in)
	}
	return map[string]any{"in": in}
}

// Ensure a registration the domain refuses never reaches the service and
// names the field under input; one the service refuses is placed there too.
func TestRegisterContactRefusals(t *testing.T) {
	e := newEnv(t)
	for field, change := range map[string]func(map[string]any){
		"input.lastName":             func(in map[string]any) { in["lastName"] = strings.Repeat("n", boxoffice.ContactMax["lastName"]+1) },
		"input.password":             func(in map[string]any) { in["password"], in["passwordConfirmation"] = "court", "court" },
		"input.passwordConfirmation": func(in map[string]any) { in["passwordConfirmation"] = "Nouvelle2027" },
		"input.addressLines[1]": func(in map[string]any) {
			in["addressLines"] = []string{"a", strings.Repeat("b", boxoffice.ContactMax["addressLines"]+1)}
		},
		"input.mailings[0]": func(in map[string]any) { in["mailings"] = []string{"-3"} },
	} {
		r := e.query(nil, register, registration(change), nil)
		if codeOf(r) != "BAD_USER_INPUT" || fieldOf(r) != field {
			t.Errorf("%s: %+v", field, r.Errors)
		}
	}
	if n := e.box.count("Register"); n != 0 {
		t.Fatalf("%d registrations sent for refused input", n)
	}

	e.box.refuse = refused(errs.Conflict, "email", "an account already exists with this email")
	r := e.query(nil, register, registration(nil), nil)
	if codeOf(r) != "CONFLICT" || fieldOf(r) != "input.email" {
		t.Fatalf("service refusal: %+v", r.Errors)
	}

	var out struct{ RegisterContact struct{ Token string } }
	if r := e.query(nil, register, registration(nil), &out); len(r.Errors) > 0 || out.RegisterContact.Token != "new-token" {
		t.Fatalf("%+v %+v", r.Errors, out)
	}
	if got := e.box.registered; len(got) != 1 || got[0].LastName != "Nouvelle" || got[0].Address[0] != "1 rue Haute" || got[0].PasswordConfirmation != "Nouvelle2026" {
		t.Fatalf("registered %+v", got)
	}
}

// Ensure changePassword applies the password rules before the call and
// passes the service's refusal of the current password with its field.
func TestChangePasswordRefusals(t *testing.T) {
	e := newEnv(t)
	const q = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`
	if r := e.query(nil, q, map[string]any{"c": "Guichet2026", "n": "Nouveau2026"}, nil); codeOf(r) != "UNAUTHENTICATED" {
		t.Fatalf("no session: %+v", r.Errors)
	}
	if r := e.visitor(q, map[string]any{"c": "Guichet2026", "n": "nouveau"}, nil); codeOf(r) != "BAD_USER_INPUT" || fieldOf(r) != "newPassword" {
		t.Fatalf("weak password: %+v", r.Errors)
	}
	if n := e.box.count("ChangePassword"); n != 0 {
		t.Fatalf("%d calls for a refused password", n)
	}
	if r := e.visitor(q, map[string]any{"c": "Mauvais2026", "n": "Nouveau2026"}, nil); codeOf(r) != "UNAUTHENTICATED" || fieldOf(r) != "currentPassword" {
		t.Fatalf("wrong current password: %+v", r.Errors)
	}
	var out struct{ ChangePassword bool }
	if r := e.visitor(q, map[string]any{"c": "Guichet2026", "n": "Nouveau2026"}, &out); len(r.Errors) > 0 || !out.ChangePassword {
		t.Fatalf("%+v", r.Errors)
	}
	if e.box.passwords["20874"] != "Nouveau2026" {
		t.Fatal("password not changed")
	}
}

// Ensure organisation mutations are for the back office, check the input
// before the call, and place the service's refusals: the organisation's
// fields under input, its id under the argument that carried it.
func TestOrganisationMutations(t *testing.T) {
	e := newEnv(t)
	const update = `mutation($id: ID!, $in: OrganisationInput!) { updateOrganisation(id: $id, input: $in) { id name } }`
	if r := e.visitor(update, map[string]any{"id": "7", "in": map[string]any{"name": "X"}}, nil); codeOf(r) == "" {
		t.Fatal("a visitor changed an organisation")
	}
	if r := e.backOffice(update, map[string]any{"id": "7", "in": map[string]any{"name": " "}}, nil); fieldOf(r) != "input.name" {
		t.Fatalf("emptied name: %+v", r.Errors)
	}
	if r := e.backOffice(update, map[string]any{"id": "7", "in": map[string]any{"type": strings.Repeat("t", 41)}}, nil); fieldOf(r) != "input.type" {
		t.Fatalf("long type: %+v", r.Errors)
	}
	if n := e.box.count("UpdateOrganisation"); n != 0 {
		t.Fatalf("%d calls for refused input", n)
	}
	if r := e.backOffice(update, map[string]any{"id": "99", "in": map[string]any{"name": "Y"}}, nil); codeOf(r) != "NOT_FOUND" || fieldOf(r) != "id" {
		t.Fatalf("unknown id: %+v", r.Errors)
	}
	e.box.refuse = refused(errs.Invalid, "nature", "is not a nature of the file")
	if r := e.backOffice(update, map[string]any{"id": "7", "in": map[string]any{"nature": "Z"}}, nil); fieldOf(r) != "input.nature" {
		t.Fatalf("service refusal: %+v", r.Errors)
	}
	var out struct{ UpdateOrganisation struct{ ID, Name string } }
	if r := e.backOffice(update, map[string]any{"id": "7", "in": map[string]any{"name": "Lycée Moulin"}}, &out); len(r.Errors) > 0 || out.UpdateOrganisation.Name != "Lycée Moulin" {
		t.Fatalf("%+v %+v", r.Errors, out)
	}

	const create = `mutation($in: OrganisationInput!) { createOrganisation(input: $in) { id name } }`
	if r := e.backOffice(create, map[string]any{"in": map[string]any{"name": "Compagnie"}}, nil); fieldOf(r) != "input.nature" {
		t.Fatalf("missing nature: %+v", r.Errors)
	}
	e.box.refuse = refused(errs.Invalid, "contacts", "a contact is required")
	if r := e.backOffice(create, map[string]any{"in": map[string]any{"name": "Compagnie", "nature": "Théâtre"}}, nil); fieldOf(r) != "contacts" {
		t.Fatalf("contacts refusal: %+v", r.Errors)
	}
}

// Ensure me is the session's contact: a record carrying only its link id
// (the fiche lien) gets the session's contact id, never the link id, and
// the session is read once for the request.
func TestMeIsTheSessionsContact(t *testing.T) {
	e := newEnv(t)
	var out struct {
		Me struct{ ID, FirstName string }
	}
	if r := e.visitor(`{ me { id firstName } }`, nil, &out); len(r.Errors) > 0 {
		t.Fatalf("%+v", r.Errors)
	}
	if out.Me.ID != "20874" || out.Me.FirstName != "Camille" {
		t.Fatalf("me %+v", out.Me)
	}
	if n := e.box.count("Session"); n != 1 {
		t.Fatalf("session read %d times", n)
	}
	if r := e.query(map[string]string{"X-Session-Token": "anonymous"}, `{ me { id } }`, nil, nil); codeOf(r) != "UNAUTHENTICATED" {
		t.Fatalf("no visitor: %+v", r.Errors)
	}
}

// Ensure the order history is for the back office, checks its dates, and
// loads the detail of each summary once (a detailed order needs none).
func TestOrders(t *testing.T) {
	e := newEnv(t)
	const q = `query($from: Date, $to: Date) { orders(from: $from, to: $to) { id lines { kind label children { kind } } } }`
	if r := e.visitor(q, nil, nil); codeOf(r) == "" {
		t.Fatal("a visitor read the order history")
	}
	if r := e.backOffice(q, map[string]any{"to": "2026-12-01"}, nil); codeOf(r) != "BAD_USER_INPUT" || fieldOf(r) != "from" {
		t.Fatalf("to without from: %+v", r.Errors)
	}
	if r := e.backOffice(q, map[string]any{"from": "2026-12-02", "to": "2026-12-01"}, nil); fieldOf(r) != "to" {
		t.Fatalf("to before from: %+v", r.Errors)
	}
	var out struct {
		Orders []struct {
			ID    string
			Lines []struct {
				Kind, Label string
				Children    []struct{ Kind string }
			}
		}
	}
	if r := e.backOffice(q, nil, &out); len(r.Errors) > 0 {
		t.Fatalf("%+v", r.Errors)
	}
	if len(out.Orders) != 2 || out.Orders[0].Lines[0].Kind != "TICKET" || out.Orders[1].Lines[0].Kind != "CARD" ||
		len(out.Orders[1].Lines[0].Children) != 1 || out.Orders[1].Lines[0].Children[0].Kind != "FEE" {
		t.Fatalf("orders %+v", out.Orders)
	}
	if o, d := e.box.count("Orders"), e.box.count("Order"); o != 1 || d != 2 {
		t.Fatalf("%d history calls, %d detail calls; want 1 and 2", o, d)
	}

	var one struct{ Order struct{ ID string } }
	before := e.box.count("Order")
	if r := e.backOffice(`{ order(id: "C1") { id lines { label } } }`, nil, &one); len(r.Errors) > 0 || one.Order.ID != "C1" {
		t.Fatalf("%+v %+v", r.Errors, one)
	}
	if n := e.box.count("Order") - before; n != 1 {
		t.Fatalf("a detailed order read %d times", n)
	}
	if r := e.backOffice(`{ order(id: "C9") { id } }`, nil, nil); len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"order":null`) {
		t.Fatalf("unknown order: %s %+v", r.Data, r.Errors)
	}
}
