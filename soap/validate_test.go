package soap

import (
	"strings"
	"testing"

	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/errs"
)

// Ensure every text field is bounded before anything goes to AboWeb: one
// character over its limit is refused naming the field, the limit itself
// is sent, and control characters are refused.
func TestTextLimitsMakeNoCall(t *testing.T) {
	srv := newFake(t, func(r request) (int, string) { return 200, respond(r.op, "<codeClient>7</codeClient>") })
	c := newTestClient(t, srv.URL, nil)
	type S = crm.Subscriber
	set := map[Field]func(s *S, v string){
		FieldLastName: func(s *S, v string) { s.LastName = v }, FieldFirstName: func(s *S, v string) { s.FirstName = v },
		FieldCompany: func(s *S, v string) { s.Company = v }, FieldCity: func(s *S, v string) { s.City = v },
		FieldPostalCode: func(s *S, v string) { s.PostalCode = v }, FieldPhone: func(s *S, v string) { s.Phone = v },
		FieldMobile: func(s *S, v string) { s.Mobile = v }, FieldTitle: func(s *S, v string) { s.Title = v },
		FieldOrigin: func(s *S, v string) { s.Origin = v }, FieldAddress1: func(s *S, v string) { s.Address1 = v },
		FieldAddress2: func(s *S, v string) { s.Address2 = v },
	}
	for f, put := range set {
		api := apiName(f)
		max := crm.MaxLength[crm.Field(api)]
		if max == 0 {
			t.Fatalf("%s has no limit", f)
		}
		s := &S{Code: 3}
		put(s, strings.Repeat("é", max+1))
		_, err := c.CreateOrUpdate(bg, s, f)
		if e := errs.Find(err); errs.KindOf(err) != errs.Invalid || e == nil || e.Field != api || !strings.Contains(e.Message, "at most") {
			t.Fatalf("%s over %d: %v", f, max, err)
		}
		s = &S{Code: 3}
		put(s, "a\x00b")
		if _, err := c.CreateOrUpdate(bg, s, f); errs.KindOf(err) != errs.Invalid || errs.Find(err).Field != api {
			t.Fatalf("%s with NUL: %v", f, err)
		}
	}
	// 16,000 characters of lastName on a creation, as reported.
	if _, err := c.CreateOrUpdate(bg, &S{LastName: strings.Repeat("x", 16000)}); errs.Find(err) == nil || errs.Find(err).Field != "lastName" {
		t.Fatalf("16,000-character lastName: %v", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("%d calls reached AboWeb", n)
	}
	// At the limit, the update goes out.
	if _, err := c.CreateOrUpdate(bg, &S{Code: 3, LastName: strings.Repeat("é", crm.MaxLength[crm.FieldLastName])}, FieldLastName); err != nil {
		t.Fatalf("lastName at the limit: %v", err)
	}
	if n := len(srv.requests()); n == 0 {
		t.Fatal("nothing sent at the limit")
	}
}
