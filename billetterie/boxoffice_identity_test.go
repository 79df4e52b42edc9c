package billetterie

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/guichet/guichet/boxoffice"
	sb "github.com/guichet/guichet/sandbox/billetterie"
)

func quirkySandbox(t *testing.T) (*sb.Server, BoxOffice) {
	sc := sb.DefaultConfig()
	sc.Quirks = true
	srv := sb.New(sc)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := New(Config{BaseURL: hs.URL, Login: sc.Login, Password: sc.Password, Client: sc.Client, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return srv, BoxOffice{C: c}
}

// Annex 4.1: "id" is the fiche lien. A record carrying only it has no
// contact id; the link id is kept apart and never becomes the contact's.
func TestContactIDIsNeverTheLinkID(t *testing.T) {
	c := contact(&ContactInfo{ID: "29050", Name: "RSI"})
	if c.ID != "" || c.LinkID != "29050" {
		t.Fatalf("contact %+v", c)
	}
	c = contact(&ContactInfo{ID: "50651", IDContact: "20874"})
	if c.ID != "20874" || c.LinkID != "50651" {
		t.Fatalf("contact %+v", c)
	}
	s := session("T", &SessionInfo{Status: 1, Login: true, Contact: &SessionContact{ID: "50651", IDContact: "20874"}})
	if s.ContactID != "20874" || s.LinkID != "50651" {
		t.Fatalf("session %+v", s)
	}
	// A session whose contact has only its link id has no visitor id.
	s = session("T", &SessionInfo{Status: 1, Login: true, Contact: &SessionContact{ID: "50651"}})
	if s.ContactID != "" {
		t.Fatalf("link id taken for the visitor: %+v", s)
	}
}

// Against the sandbox in quirks mode (ws_info_contact answers only "id"):
// Me has no contact id of its own (the API layer takes the session's), the
// back-office read keeps the id asked for, and order lines go upstream
// with the contact id.
func TestIdentitiesAgainstQuirkySandbox(t *testing.T) {
	srv, b := quirkySandbox(t)
	ctx := context.Background()
	demo := srv.DemoContactID()
	s, err := b.Login(ctx, "", "camille.martin@exemple.fr", "Guichet2026")
	if err != nil || s.ContactID != demo || s.LinkID == "" || s.LinkID == demo {
		t.Fatalf("login: %+v %v", s, err)
	}
	me, err := b.Me(ctx, s.Token)
	if err != nil || me.ID != "" || me.LinkID != s.LinkID || me.Email != "camille.martin@exemple.fr" {
		t.Fatalf("me: %+v %v", me, err)
	}
	bo, err := b.Contact(ctx, demo)
	if err != nil || bo.ID != demo || bo.LinkID != s.LinkID {
		t.Fatalf("back-office contact: %+v %v", bo, err)
	}
	if _, err := b.OrderLines(ctx, demo); err != nil {
		t.Fatal(err)
	}
	if got := srv.LastForm("ws_recap_achat").Get("id_contact"); got != demo {
		t.Fatalf("ws_recap_achat id_contact %q, want %s", got, demo)
	}
}

// Setting a function on an attached contact sends action_fonction alone:
// with action_attachement too, the vendor attaches the contact a second
// time (spec 2.6.4.3). The sandbox models that, so one link remains.
func TestAttachFunctionDoesNotAttachTwice(t *testing.T) {
	x := attachements([]boxoffice.Attachment{{ContactID: "20899", Attach: true, Function: "Administrateur"}})
	if x[0].ActionAttachement != "" || x[0].ActionFonction != "attacher" || x[0].Fonction != "Administrateur" {
		t.Fatalf("attachement %+v", x[0])
	}
	srv, b := quirkySandbox(t)
	ctx := context.Background()
	name, nature := "Théâtre du Sud", "Association"
	o, err := b.CreateOrganisation(ctx, boxoffice.OrganisationInput{Name: &name, Nature: &nature}, nil)
	if err != nil {
		t.Fatal(err)
	}
	demo := srv.DemoContactID()
	if err := b.AttachContacts(ctx, o.ID, []boxoffice.Attachment{{ContactID: demo, Attach: true}}); err != nil {
		t.Fatal(err)
	}
	if err := b.AttachContacts(ctx, o.ID, []boxoffice.Attachment{{ContactID: demo, Attach: true, Function: "Trésorière"}}); err != nil {
		t.Fatal(err)
	}
	got, err := b.Organisation(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	links := 0
	for _, c := range got.Contacts {
		if c.ContactID == demo {
			links++
			if c.Function != "Trésorière" {
				t.Fatalf("function %q", c.Function)
			}
		}
	}
	if links != 1 {
		t.Fatalf("contact %s attached %d times: %+v", demo, links, got.Contacts)
	}
	if _, err := strconv.Atoi(o.ID); err != nil {
		t.Fatalf("organisation id %q", o.ID)
	}
}
