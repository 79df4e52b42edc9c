package crm

import "time"

// Filter selects subscribers. The CRM answers one criterion at a time, except
// Type with PostalCode; the zero Filter selects every subscriber.
type Filter struct {
	Type          *Type
	PostalCode    string // with Type only
	Origin        string
	SelectionCode string
	TranscoCode   string
	OldCode       string // one record at most
	ModifiedFrom  time.Time
	ModifiedTo    time.Time // optional: open end
	// PayerCode lists the subscribers this third party pays for
	// (Subscriber.beneficiaries); the API's filter has no such criterion.
	PayerCode int
}

// TypeOf is a helper for Filter.Type.
func TypeOf(t Type) *Type { return &t }

// Validate refuses what the CRM cannot answer rather than dropping a
// criterion. Errors name fields as the API's filter argument does
// ("filter.postalCode"), the whole filter as "filter".
func (f Filter) Validate() error {
	const op = "crm.Filter"
	if f.Type != nil {
		if err := f.Type.Settable(op, "filter.type"); err != nil {
			return err
		}
	}
	if f.PostalCode != "" && f.Type == nil {
		return invalid(op, "filter.postalCode", "AboWeb filters on a postal code only together with a type")
	}
	n := 0
	for _, set := range []bool{f.Type != nil, f.Origin != "", f.SelectionCode != "", f.TranscoCode != "", f.OldCode != "",
		!f.ModifiedFrom.IsZero() || !f.ModifiedTo.IsZero(), f.PayerCode != 0} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return invalid(op, "filter", "AboWeb filters on one criterion at a time (or type with postalCode)")
	case f.PayerCode < 0:
		return invalid(op, "filter.payerCode", "must be a positive subscriber code")
	case !f.ModifiedTo.IsZero() && f.ModifiedFrom.IsZero():
		return invalid(op, "filter.modifiedFrom", "is required with modifiedTo")
	case !f.ModifiedTo.IsZero() && f.ModifiedTo.Before(f.ModifiedFrom):
		return invalid(op, "filter.modifiedTo", "is before modifiedFrom")
	}
	return nil
}
