package billetterie

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/errs"
	sb "github.com/guichet/guichet/sandbox/billetterie"
)

// Ensure the adapter's refusals name the API's fields, whether the client
// refused before the call or the ticketing system answered a code, and
// never carry a vendor parameter name in their field or message.
func TestRefusalsNameAPIFields(t *testing.T) {
	sc := sb.DefaultConfig()
	srv := sb.New(sc)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := New(Config{BaseURL: hs.URL, Login: sc.Login, Password: sc.Password, Client: sc.Client, PwdKey: sc.PwdKey, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b := BoxOffice{C: c}
	ctx := context.Background()
	check := func(name string, err error, kind errs.Kind, field string) {
		t.Helper()
		e := errs.Find(err)
		if e == nil || errs.KindOf(err) != kind || e.Field != field {
			t.Fatalf("%s: want %v on %q, got %v", name, kind, field, err)
		}
		if strings.Contains(e.Message, "v_") || strings.Contains(e.Field, "v_") {
			t.Fatalf("%s: vendor name in %q / %q", name, e.Field, e.Message)
		}
	}
	reg := boxoffice.Registration{FirstName: "Zoé", LastName: strings.Repeat("n", boxoffice.ContactMax["lastName"]+1),
		Email: "zoe.longue@exemple.fr", Password: "Nouvelle2026", PasswordConfirmation: "Nouvelle2026"}
	_, err = b.Register(ctx, "", reg)
	check("client's length check", err, errs.Invalid, "lastName")

	reg.LastName, reg.Email = "Nouvelle", srv.Seed().DemoEmail
	_, err = b.Register(ctx, "", reg)
	check("email taken (518)", err, errs.Conflict, "email")

	s, err := b.Login(ctx, "", srv.Seed().DemoEmail, "Guichet2026")
	if err != nil {
		t.Fatal(err)
	}
	err = b.ChangePassword(ctx, s.Token, "Mauvais2026", "Nouveau2026")
	check("wrong current password (528)", err, errs.Unauthenticated, "currentPassword")

	long := strings.Repeat("x", boxoffice.OrganisationMax["name"]+1)
	nature := "Association"
	_, err = b.CreateOrganisation(ctx, boxoffice.OrganisationInput{Name: &long, Nature: &nature}, nil)
	check("organisation name too long", err, errs.Invalid, "name")
}

// Ensure a field the adapter has no API name for is dropped, not shown.
func TestAPIFieldDropsUnknownVendorNames(t *testing.T) {
	err := apiField(invalid("billetterie.ws_x", "v_inconnu", "is wrong"), contactFields)
	e := errs.Find(err)
	if e.Field != "" || e.Message != "is wrong" || errs.KindOf(err) != errs.Invalid {
		t.Fatalf("%+v", e)
	}
	if apiField(nil, contactFields) != nil {
		t.Fatal("nil error turned into one")
	}
}
