package graph

import (
	"testing"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/errs"
)

// The signed-in contact is the session's id_contact: a record carrying only
// its link id takes the session's contact id, keeps the link id apart, and a
// record naming another contact is refused.
func TestSessionContactIdentity(t *testing.T) {
	s := &boxoffice.Session{LoggedIn: true, Active: true, ContactID: "20874", LinkID: "50651"}
	c, err := sessionContact("t", s, &boxoffice.Contact{LinkID: "50651", Email: "a@b"})
	if err != nil || c.ID != "20874" || c.LinkID != "50651" {
		t.Fatalf("only the link id: %+v %v", c, err)
	}
	in := &boxoffice.Contact{}
	if c, err = sessionContact("t", s, in); err != nil || c.ID != "20874" || c.LinkID != "50651" || in.ID != "" {
		t.Fatalf("no ids: %+v %v (the loader's record must stay untouched: %+v)", c, err, in)
	}
	if _, err := sessionContact("t", s, &boxoffice.Contact{ID: "50651"}); !errs.Is(errs.Unavailable, err) {
		t.Fatalf("another contact: %v", err)
	}
	if _, err := sessionContact("t", &boxoffice.Session{LoggedIn: true, LinkID: "50651"}, &boxoffice.Contact{LinkID: "50651"}); !errs.Is(errs.Unauthenticated, err) {
		t.Fatalf("a session without id_contact: %v", err)
	}
}
