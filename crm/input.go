package crm

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxLength is the most characters of each text field (an address line
// for FieldAddressLines). GUESS: AboWeb documents no lengths; they are
// generous, since AboWeb's own stored data is sent back unchanged in
// read-modify-write mode, and keep a 16,000-character name from going
// upstream. The adapter checks the record it sends against the same table.
var MaxLength = map[Field]int{
	FieldEmail: 254, FieldTitle: 50, FieldFirstName: 255, FieldLastName: 255, FieldCompany: 255,
	FieldAddressLines: 255, FieldPostalCode: 20, FieldCity: 255, FieldCountry: 2, FieldPhone: 50,
	FieldMobile: 50, FieldFax: 50, FieldOrigin: 100, FieldTranscoCode: 100, FieldOldCode: 100,
	FieldNII: 100, FieldSiret: 20, FieldPortalPassword: 128,
}

// CheckText refuses a value longer than its field's limit or holding
// control characters (tabs and line breaks aside).
func CheckText(op string, f Field, v string) error {
	if max := MaxLength[f]; max > 0 && utf8.RuneCountInString(v) > max {
		return invalid(op, string(f), fmt.Sprintf("at most %d characters", max))
	}
	if strings.IndexFunc(v, func(r rune) bool { return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f }) >= 0 {
		return invalid(op, string(f), "control characters are not allowed")
	}
	return nil
}

// Input is a subscriber to create (no Code) or change (GraphQL
// SubscriberInput): nil fields are kept as they are.
type Input struct {
	Code            *int
	Email           *string
	Title           *string
	FirstName       *string
	LastName        *string
	Company         *string
	AddressLines    []string
	PostalCode      *string
	City            *string
	Country         *string
	Phone           *string
	Mobile          *string
	Type            *Type
	PayerCode       *int
	Origin          *string
	NoEmailing      *bool
	NoPostalMailing *bool
}

// Validate checks what does not depend on the stored record; the adapter
// checks the values themselves (email shape, country code, lengths) before
// any call. Errors name the input's fields ("email").
func (in Input) Validate() error {
	const op = "crm.Input"
	if in.Type != nil {
		if err := in.Type.Settable(op, string(FieldType)); err != nil {
			return err
		}
	}
	for _, t := range []struct {
		f Field
		v *string
	}{
		{FieldEmail, in.Email}, {FieldTitle, in.Title}, {FieldFirstName, in.FirstName}, {FieldLastName, in.LastName},
		{FieldCompany, in.Company}, {FieldPostalCode, in.PostalCode}, {FieldCity, in.City}, {FieldCountry, in.Country},
		{FieldPhone, in.Phone}, {FieldMobile, in.Mobile}, {FieldOrigin, in.Origin},
	} {
		if t.v != nil {
			if err := CheckText(op, t.f, *t.v); err != nil {
				return err
			}
		}
	}
	for _, l := range in.AddressLines {
		if err := CheckText(op, FieldAddressLines, l); err != nil {
			return err
		}
	}
	switch {
	case in.Code == nil && in.Email == nil:
		return invalid(op, string(FieldEmail), "is required to create a subscriber")
	case in.Code == nil && in.Type != nil && *in.Type == TypePaidBy && in.PayerCode == nil:
		return invalid(op, string(FieldPayerCode), "is required for a PAID_BY subscriber")
	case len(in.AddressLines) > 3:
		return invalid(op, string(FieldAddressLines), "has at most 3 lines")
	}
	return nil
}

// Record is the subscriber to save and the fields the caller set: only
// those are sent or changed.
func (in Input) Record() (*Subscriber, []Field) {
	s := &Subscriber{}
	if in.Code != nil {
		s.Code = *in.Code
	}
	var fields []Field
	str := func(p *string, dst *string, f Field) {
		if p != nil {
			*dst = *p
			fields = append(fields, f)
		}
	}
	str(in.Email, &s.Email, FieldEmail)
	str(in.Title, &s.Title, FieldTitle)
	str(in.FirstName, &s.FirstName, FieldFirstName)
	str(in.LastName, &s.LastName, FieldLastName)
	str(in.Company, &s.Company, FieldCompany)
	str(in.PostalCode, &s.PostalCode, FieldPostalCode)
	str(in.City, &s.City, FieldCity)
	str(in.Country, &s.Country, FieldCountry)
	str(in.Phone, &s.Phone, FieldPhone)
	str(in.Mobile, &s.Mobile, FieldMobile)
	str(in.Origin, &s.Origin, FieldOrigin)
	if in.AddressLines != nil {
		s.SetAddressLines(in.AddressLines)
		fields = append(fields, FieldAddressLines)
	}
	if in.Type != nil {
		s.Type = *in.Type
		fields = append(fields, FieldType)
	}
	if in.PayerCode != nil {
		s.PayerCode = *in.PayerCode
		fields = append(fields, FieldPayerCode)
	}
	if in.NoEmailing != nil {
		s.NoEmailing = *in.NoEmailing
		fields = append(fields, FieldNoEmailing)
	}
	if in.NoPostalMailing != nil {
		s.NoPostalMailing = *in.NoPostalMailing
		fields = append(fields, FieldNoPostalMailing)
	}
	return s, fields
}

// SetAddressLines places up to three lines: one line is the street, two or
// three fill complement, street, extra in that order.
func (s *Subscriber) SetAddressLines(lines []string) {
	l := append(append([]string(nil), lines...), "", "", "")
	if len(lines) == 1 {
		s.Address1, s.Address2, s.Address3 = "", l[0], ""
		return
	}
	s.Address1, s.Address2, s.Address3 = l[0], l[1], l[2]
}

// AddressLines are the non-empty address lines in order.
func (s *Subscriber) AddressLines() []string {
	var out []string
	for _, l := range []string{s.Address1, s.Address2, s.Address3} {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// CheckTypeChange checks a change of type: a PAID_BY subscriber needs its
// payer, and a payer goes with PAID_BY only. Errors name the arguments of
// setSubscriberType.
func CheckTypeChange(t Type, payerCode *int) error {
	const op = "crm.CheckTypeChange"
	if err := t.Settable(op, string(FieldType)); err != nil {
		return err
	}
	switch {
	case t == TypePaidBy && payerCode == nil:
		return invalid(op, string(FieldPayerCode), "is required for PAID_BY")
	case t != TypePaidBy && payerCode != nil:
		return invalid(op, string(FieldPayerCode), "only goes with PAID_BY")
	}
	return nil
}
