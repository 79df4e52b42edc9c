package crm

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
