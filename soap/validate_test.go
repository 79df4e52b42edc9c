package soap

import (
	"strings"
	"testing"

	"github.com/guichet/guichet/errs"
)

// Ensure every text field is bounded before anything goes to AboWeb: one
// character over its limit is refused naming the field, the limit itself
// is sent, and control characters are refused.
func TestTextLimitsMakeNoCall(t *testing.T) {
	srv := newFake(t, func(r request) (int, string) { return 200, respond(r.op, "<codeClient>7</codeClient>") })
	c := newTestClient(t, srv.URL, nil)
	set := map[Field]func(s *Subscriber, v string){
		FieldLastName: func(s *Subscriber, v string) { s.LastName = v }, FieldFirstName: func(s *Subscriber, v string) { s.FirstName = v },
		FieldCompany: func(s *Subscriber, v string) { s.Company = v }, FieldCity: func(s *Subscriber, v string) { s.City = v },
		FieldPostalCode: func(s *Subscriber, v string) { s.PostalCode = v }, FieldPhone: func(s *Subscriber, v string) { s.Phone = v },
		FieldMobile: func(s *Subscriber, v string) { s.Mobile = v }, FieldTitle: func(s *Subscriber, v string) { s.Title = v },
		FieldOrigin: func(s *Subscriber, v string) { s.Origin = v }, FieldAddress1: func(s *Subscriber, v string) { s.Address1 = v },
		FieldAddress2: func(s *Subscriber, v string) { s.Address2 = v },
	}
	for f, put := range set {
		max := maxLength[f]
		s := &Subscriber{Code: 3}
		put(s, strings.Repeat("é", max+1))
		_, err := c.CreateOrUpdate(bg, s, f)
		if e := errs.Find(err); errs.KindOf(err) != errs.Invalid || e == nil || e.Field != string(f) || !strings.Contains(e.Message, "at most") {
			t.Fatalf("%s over %d: %v", f, max, err)
		}
		s = &Subscriber{Code: 3}
		put(s, "a\x00b")
		if _, err := c.CreateOrUpdate(bg, s, f); errs.KindOf(err) != errs.Invalid || errs.Find(err).Field != string(f) {
			t.Fatalf("%s with NUL: %v", f, err)
		}
	}
	// 16,000 characters of lastName on a creation, as reported.
	if _, err := c.CreateOrUpdate(bg, &Subscriber{LastName: strings.Repeat("x", 16000)}); errs.Find(err) == nil || errs.Find(err).Field != "nom" {
		t.Fatalf("16,000-character nom: %v", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("%d calls reached AboWeb", n)
	}
	// At the limit, the update goes out.
	if _, err := c.CreateOrUpdate(bg, &Subscriber{Code: 3, LastName: strings.Repeat("é", maxLength[FieldLastName])}, FieldLastName); err != nil {
		t.Fatalf("lastName at the limit: %v", err)
	}
	if n := len(srv.requests()); n == 0 {
		t.Fatal("nothing sent at the limit")
	}
}
