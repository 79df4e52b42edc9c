package graph

import (
	"context"
	"time"

	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/graph/loaders"
	"github.com/guichet/guichet/graph/model"
	"github.com/guichet/guichet/soap"
)

// SubscriberService is what the API needs of AboWeb (soap.Client).
type SubscriberService interface {
	GetClient(ctx context.Context, code int) (*soap.Subscriber, error)
	GetClientByEmail(ctx context.Context, email string) (*soap.Subscriber, error)
	GetClientByLegacyCode(ctx context.Context, legacy string) (*soap.Subscriber, error)
	FindClientsPage(ctx context.Context, f soap.Filter, offset int) ([]*soap.Subscriber, error)
	Count(ctx context.Context, f soap.Filter) (int, error)
	CreateOrUpdate(ctx context.Context, s *soap.Subscriber, fields ...soap.Field) (int, error)
	SendPassword(ctx context.Context, email string) error
	UpdateStatus(ctx context.Context, code int, t soap.SubscriberType) error
}

// pageSize is AboWeb's fixed list cap.
const pageSize = 50

var subscriberTypes = map[soap.SubscriberType]model.SubscriberType{
	soap.TypeNormal:     model.SubscriberTypeNormal,
	soap.TypeThirdParty: model.SubscriberTypeThirdParty,
	soap.TypePaidBy:     model.SubscriberTypePaidBy,
	soap.TypeProspect:   model.SubscriberTypeProspect,
	soap.TypePrescriber: model.SubscriberTypePrescriber,
	soap.TypeOther:      model.SubscriberTypeOther, // read only: AboWeb sent a type outside 0..4
}

// settableType refuses OTHER where a type is given to AboWeb.
func settableType(op, field string, t model.SubscriberType) error {
	if t == model.SubscriberTypeOther {
		return errs.E(errs.Op(op), errs.Invalid, errs.Field(field), errs.Msg("OTHER stands for a type AboWeb sent that this API does not know: it cannot be filtered on or set"))
	}
	return nil
}

func soapType(t model.SubscriberType) soap.SubscriberType {
	for k, v := range subscriberTypes {
		if v == t {
			return k
		}
	}
	return soap.TypeNormal
}

func loadersFor(ctx context.Context, op string) (*loaders.Loaders, error) {
	l := loaders.For(ctx)
	if l == nil || l.Subscriber == nil {
		return nil, errs.E(errs.Op(op), errs.Internal, errs.Msg("loaders missing from the request"))
	}
	return l, nil
}

// subscriberByCode loads one subscriber through the request's loader; an
// unknown code is nil without error, as lookups by id are in this API.
func subscriberByCode(ctx context.Context, code int) (*soap.Subscriber, error) {
	l, err := loadersFor(ctx, "graph.subscriber")
	if err != nil {
		return nil, err
	}
	return nilIfNotFound(l.Subscriber.Load(ctx, code)())
}

func subscriberByEmail(ctx context.Context, email string) (*soap.Subscriber, error) {
	l, err := loadersFor(ctx, "graph.subscriberByEmail")
	if err != nil {
		return nil, err
	}
	return nilIfNotFound(l.SubscriberByEmail.Load(ctx, email)())
}

// nilIfNotFound makes a lookup of an unknown record null without an error,
// as every lookup by id is in this API.
func nilIfNotFound[T any](v *T, err error) (*T, error) {
	if errs.Is(errs.NotFound, err) {
		return nil, nil
	}
	return v, err
}

// subscriberFilter turns the GraphQL filter into AboWeb's one-criterion
// filter, refusing combinations AboWeb cannot answer rather than silently
// dropping a criterion.
func subscriberFilter(f *model.SubscriberFilter) (soap.Filter, string, error) {
	var out soap.Filter
	if f == nil {
		return out, "", nil
	}
	n := 0
	count := func(set bool) {
		if set {
			n++
		}
	}
	if f.Type != nil {
		if err := settableType("graph.subscribers", "filter.type", *f.Type); err != nil {
			return out, "", err
		}
		t := soapType(*f.Type)
		out.Type = &t
		n++
	}
	if f.PostalCode != nil {
		if f.Type == nil {
			return out, "", errs.E(errs.Op("graph.subscribers"), errs.Invalid, errs.Field("filter.postalCode"), errs.Msg("AboWeb filters on a postal code only together with a type"))
		}
		out.PostalCode = *f.PostalCode
	}
	count(f.Origin != nil)
	count(f.SelectionCode != nil)
	count(f.TranscoCode != nil)
	count(f.OldCode != nil)
	count(f.ModifiedFrom != nil || f.ModifiedTo != nil)
	if n > 1 {
		return out, "", errs.E(errs.Op("graph.subscribers"), errs.Invalid, errs.Field("filter"), errs.Msg("AboWeb filters on one criterion at a time (or type with postalCode)"))
	}
	out.Origin = deref(f.Origin)
	out.SelectionCode = deref(f.SelectionCode)
	out.TranscoCode = deref(f.TranscoCode)
	if f.ModifiedTo != nil && f.ModifiedFrom == nil {
		return out, "", errs.E(errs.Op("graph.subscribers"), errs.Invalid, errs.Field("filter.modifiedFrom"), errs.Msg("is required with modifiedTo"))
	}
	if f.ModifiedFrom != nil {
		out.ModifiedSince = *f.ModifiedFrom
		if f.ModifiedTo != nil {
			if f.ModifiedTo.Before(*f.ModifiedFrom) {
				return out, "", errs.E(errs.Op("graph.subscribers"), errs.Invalid, errs.Field("filter.modifiedTo"), errs.Msg("is before modifiedFrom"))
			}
			out.ModifiedUntil = *f.ModifiedTo
		}
	}
	return out, deref(f.OldCode), nil
}

// subscriberPage fetches one page and primes the loader with its records,
// so that a payer or a beneficiary already on the page costs no call.
func (r *Resolver) subscriberPage(ctx context.Context, f soap.Filter, offset int) (*model.SubscriberPage, error) {
	if offset < 0 {
		return nil, errs.E(errs.Op("graph.subscribers"), errs.Invalid, errs.Field("offset"), errs.Msg("must be 0 or more"))
	}
	items, err := r.CRM.FindClientsPage(ctx, f, offset)
	if err != nil {
		return nil, err
	}
	if l := loaders.For(ctx); l != nil && l.Subscriber != nil {
		for _, s := range items {
			l.Subscriber.Prime(ctx, s.Code, s)
		}
	}
	p := &model.SubscriberPage{Items: items, Offset: offset, Filter: f}
	if len(items) == pageSize {
		next := offset + pageSize
		p.NextOffset = &next
	}
	if items == nil {
		p.Items = []*soap.Subscriber{}
	}
	return p, nil
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// upsertFields maps the GraphQL input to a record and the list of fields the
// caller set: only those are sent or changed.
func upsertFields(in model.SubscriberInput) (*soap.Subscriber, []soap.Field) {
	s := &soap.Subscriber{Code: deref(in.Code)}
	var fields []soap.Field
	str := func(p *string, dst *string, f soap.Field) {
		if p != nil {
			*dst = *p
			fields = append(fields, f)
		}
	}
	str(in.Email, &s.Email, soap.FieldEmail)
	str(in.Title, &s.Title, soap.FieldTitle)
	str(in.FirstName, &s.FirstName, soap.FieldFirstName)
	str(in.LastName, &s.LastName, soap.FieldLastName)
	str(in.Company, &s.Company, soap.FieldCompany)
	str(in.PostalCode, &s.PostalCode, soap.FieldPostalCode)
	str(in.City, &s.City, soap.FieldCity)
	str(in.Country, &s.CountryCode, soap.FieldCountryCode)
	str(in.Phone, &s.Phone, soap.FieldPhone)
	str(in.Mobile, &s.Mobile, soap.FieldMobile)
	str(in.Origin, &s.Origin, soap.FieldOrigin)
	if in.AddressLines != nil {
		// AboWeb's layout: adresse1 complement, adresse2 street, adresse3 extra.
		lines := append(in.AddressLines, "", "", "")
		switch len(in.AddressLines) {
		case 1:
			s.Address2 = lines[0]
		default:
			s.Address1, s.Address2, s.Address3 = lines[0], lines[1], lines[2]
		}
		fields = append(fields, soap.FieldAddress1, soap.FieldAddress2, soap.FieldAddress3)
	}
	if in.Type != nil {
		s.Type = soapType(*in.Type)
		fields = append(fields, soap.FieldType)
	}
	if in.PayerCode != nil {
		s.PayerCode = *in.PayerCode
		fields = append(fields, soap.FieldPayerCode)
	}
	if in.NoEmailing != nil {
		s.NoEmailing = *in.NoEmailing
		fields = append(fields, soap.FieldNoEmailing)
	}
	if in.NoPostalMailing != nil {
		s.NoMailing = *in.NoPostalMailing
		fields = append(fields, soap.FieldNoMailing)
	}
	return s, fields
}

// subscriberInputFields are AboWeb's names of SubscriberInput's fields, for
// the errors the SOAP client raises about them.
var subscriberInputFields = map[string]string{
	string(soap.FieldEmail): "email", string(soap.FieldTitle): "title", string(soap.FieldFirstName): "firstName",
	string(soap.FieldLastName): "lastName", string(soap.FieldCompany): "company", string(soap.FieldAddress1): "addressLines",
	string(soap.FieldAddress2): "addressLines", string(soap.FieldAddress3): "addressLines", string(soap.FieldPostalCode): "postalCode",
	string(soap.FieldCity): "city", string(soap.FieldCountryCode): "country", string(soap.FieldPhone): "phone",
	string(soap.FieldMobile): "mobile", string(soap.FieldType): "type", string(soap.FieldPayerCode): "payerCode",
	string(soap.FieldOrigin): "origin", string(soap.FieldNoEmailing): "noEmailing", string(soap.FieldNoMailing): "noPostalMailing",
}
