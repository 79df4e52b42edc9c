package graph_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/errs"
)

// fakeCRM is an in-memory crm.Service that counts its calls, so resolver
// tests see exactly what the API asks of the CRM. The AboWeb adapter has its
// own tests against the sandbox (soap/), and the whole process is tested in
// package main.
type fakeCRM struct {
	mu       sync.Mutex
	recs     map[int]*crm.Subscriber
	next     int
	calls    map[string]int
	fail     map[string]error // method name -> error returned instead
	password map[string]int   // password mails sent, by email
}

// Seeded records: codes 1000..1199, three third parties paying for every
// record whose index is 1 modulo 3 (67 PAID_BY, 23 for the first payer),
// the rest NORMAL.
const (
	fakeFirst = 1000
	fakeCount = 200
)

var fakePayers = [3]int{fakeFirst + 5, fakeFirst + 45, fakeFirst + 95}

func fakeEmail(i int) string { return fmt.Sprintf("abonne%d@exemple.fr", i) }

func newFakeCRM() *fakeCRM {
	f := &fakeCRM{recs: map[int]*crm.Subscriber{}, next: fakeFirst + fakeCount, calls: map[string]int{},
		fail: map[string]error{}, password: map[string]int{}}
	created := time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC)
	paid := 0
	for i := 0; i < fakeCount; i++ {
		s := &crm.Subscriber{Code: fakeFirst + i, Email: fakeEmail(i), FirstName: fmt.Sprintf("Prénom%d", i),
			LastName: fmt.Sprintf("Nom%d", i), Address2: fmt.Sprintf("%d rue du Mail", i), PostalCode: "69001", City: "Lyon",
			Country: "FR", Origin: "WEB", OldCode: fmt.Sprintf("A%d", i), CreatedAt: created.Add(time.Duration(i) * time.Hour)}
		switch {
		case slices.Contains(fakePayers[:], s.Code):
			s.Type = crm.TypeThirdParty
		case i%3 == 1:
			s.Type, s.PayerCode = crm.TypePaidBy, fakePayers[paid%3]
			paid++
		}
		f.recs[s.Code] = s
	}
	return f
}

// Calls returns a copy of the call counts by method.
func (f *fakeCRM) Calls() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.calls)
}

func (f *fakeCRM) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = map[string]int{}
}

func (f *fakeCRM) Put(s *crm.Subscriber) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := *s
	f.recs[s.Code] = &c
}

func (f *fakeCRM) PasswordMails(email string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.password[email]
}

// enter counts a call and returns the error injected for the method.
func (f *fakeCRM) enter(method string) error {
	f.calls[method]++
	return f.fail[method]
}

func notFound() error {
	return errs.E(errs.Op("fake"), errs.NotFound, errs.Msg("subscriber not found"))
}

func copyOf(s *crm.Subscriber) *crm.Subscriber { c := *s; return &c }

func (f *fakeCRM) Subscriber(_ context.Context, code int) (*crm.Subscriber, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter("Subscriber"); err != nil {
		return nil, err
	}
	if s, ok := f.recs[code]; ok {
		return copyOf(s), nil
	}
	return nil, notFound()
}

func (f *fakeCRM) find(match func(*crm.Subscriber) bool) []*crm.Subscriber {
	var out []*crm.Subscriber
	for _, code := range slices.Sorted(maps.Keys(f.recs)) {
		if s := f.recs[code]; match(s) {
			out = append(out, copyOf(s))
		}
	}
	return out
}

func (f *fakeCRM) SubscriberByEmail(_ context.Context, email string) (*crm.Subscriber, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter("SubscriberByEmail"); err != nil {
		return nil, err
	}
	if m := f.find(func(s *crm.Subscriber) bool { return s.Email == email }); len(m) > 0 {
		return m[0], nil
	}
	return nil, notFound()
}

func (f *fakeCRM) SubscriberByOldCode(_ context.Context, oldCode string) (*crm.Subscriber, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter("SubscriberByOldCode"); err != nil {
		return nil, err
	}
	if m := f.find(func(s *crm.Subscriber) bool { return s.OldCode == oldCode }); len(m) > 0 {
		return m[0], nil
	}
	return nil, notFound()
}

// matching applies the criteria the fake knows; others are refused rather
// than ignored.
func (f *fakeCRM) matching(flt crm.Filter) ([]*crm.Subscriber, error) {
	if err := flt.Validate(); err != nil {
		return nil, err
	}
	if flt.SelectionCode != "" || flt.TranscoCode != "" || flt.OldCode != "" || !flt.ModifiedFrom.IsZero() {
		return nil, errs.E(errs.Op("fake"), errs.Internal, errs.Msg("criterion not simulated"))
	}
	return f.find(func(s *crm.Subscriber) bool {
		return (flt.Type == nil || s.Type == *flt.Type) && (flt.PostalCode == "" || s.PostalCode == flt.PostalCode) &&
			(flt.Origin == "" || s.Origin == flt.Origin) && (flt.PayerCode == 0 || s.Type == crm.TypePaidBy && s.PayerCode == flt.PayerCode)
	}), nil
}

func (f *fakeCRM) Subscribers(_ context.Context, flt crm.Filter, offset int) ([]*crm.Subscriber, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter("Subscribers"); err != nil {
		return nil, err
	}
	all, err := f.matching(flt)
	if err != nil {
		return nil, err
	}
	if offset >= len(all) {
		return nil, nil
	}
	return all[offset:min(offset+crm.PageSize, len(all))], nil
}

func (f *fakeCRM) CountSubscribers(_ context.Context, flt crm.Filter) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter("CountSubscribers"); err != nil {
		return 0, err
	}
	all, err := f.matching(flt)
	return len(all), err
}

func invalidField(field, msg string) error {
	return errs.E(errs.Op("fake"), errs.Invalid, errs.Field(field), errs.Msg(msg))
}

// SaveSubscriber keeps the adapter's contract for the fields the tests
// send: values checked before anything is stored, errors naming API fields.
func (f *fakeCRM) SaveSubscriber(_ context.Context, s *crm.Subscriber, fields ...crm.Field) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter("SaveSubscriber"); err != nil {
		return 0, err
	}
	if at := strings.LastIndexByte(s.Email, '@'); s.Email != "" && (at < 1 || !strings.Contains(s.Email[at:], ".")) {
		return 0, invalidField(string(crm.FieldEmail), "not a valid email address")
	}
	if s.Country != "" && (len(s.Country) != 2 || strings.ToUpper(s.Country) != s.Country) {
		return 0, invalidField(string(crm.FieldCountry), "not an ISO 3166-1 alpha-2 country code such as FR")
	}
	if len([]rune(s.Address3)) > 40 {
		return 0, invalidField(string(crm.FieldAddressLines), "at most 40 characters")
	}
	if s.Type == crm.TypeOther {
		return 0, invalidField(string(crm.FieldType), "cannot be set")
	}
	if s.Code == 0 {
		c := *s
		c.Code = f.next
		f.next++
		f.recs[c.Code] = &c
		return c.Code, nil
	}
	cur, ok := f.recs[s.Code]
	if !ok {
		return 0, notFound()
	}
	if len(fields) == 0 {
		f.recs[s.Code] = copyOf(s)
		return s.Code, nil
	}
	for _, fl := range fields {
		switch fl {
		case crm.FieldEmail:
			cur.Email = s.Email
		case crm.FieldFirstName:
			cur.FirstName = s.FirstName
		case crm.FieldLastName:
			cur.LastName = s.LastName
		case crm.FieldAddressLines:
			cur.Address1, cur.Address2, cur.Address3 = s.Address1, s.Address2, s.Address3
		case crm.FieldPostalCode:
			cur.PostalCode = s.PostalCode
		case crm.FieldCity:
			cur.City = s.City
		case crm.FieldCountry:
			cur.Country = s.Country
		case crm.FieldType:
			cur.Type = s.Type
		case crm.FieldPayerCode:
			cur.PayerCode = s.PayerCode
		default:
			return 0, errs.E(errs.Op("fake"), errs.Internal, errs.Msg("field not simulated: "+string(fl)))
		}
	}
	return s.Code, nil
}

func (f *fakeCRM) SetSubscriberType(_ context.Context, code int, t crm.Type, payerCode int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter("SetSubscriberType"); err != nil {
		return err
	}
	cur, ok := f.recs[code]
	if !ok {
		return notFound()
	}
	cur.Type, cur.PayerCode = t, payerCode
	return nil
}

func (f *fakeCRM) SendSubscriberPassword(_ context.Context, email string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter("SendSubscriberPassword"); err != nil {
		return err
	}
	if len(f.find(func(s *crm.Subscriber) bool { return s.Email == email })) == 0 {
		return errs.E(errs.Op("fake"), errs.NotFound, errs.Code("204"), errs.Msg("no subscriber with this email"))
	}
	f.password[email]++
	return nil
}
