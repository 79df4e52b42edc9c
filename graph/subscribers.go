package graph

import (
	"context"
	"time"

	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/graph/loaders"
	"github.com/guichet/guichet/graph/model"
)

func loadersFor(ctx context.Context, op string) (*loaders.Loaders, error) {
	l := loaders.For(ctx)
	if l == nil || l.Subscriber() == nil {
		return nil, errs.E(errs.Op(op), errs.Internal, errs.Msg("loaders missing from the request"))
	}
	return l, nil
}

// subscriberByCode loads one subscriber through the request's loader; an
// unknown code is nil without error, as lookups by id are in this API.
func subscriberByCode(ctx context.Context, code int) (*crm.Subscriber, error) {
	l, err := loadersFor(ctx, "graph.subscriber")
	if err != nil {
		return nil, err
	}
	return nilIfNotFound(l.Subscriber().Load(ctx, code)())
}

func subscriberByEmail(ctx context.Context, email string) (*crm.Subscriber, error) {
	l, err := loadersFor(ctx, "graph.subscriberByEmail")
	if err != nil {
		return nil, err
	}
	return nilIfNotFound(l.SubscriberByEmail().Load(ctx, email)())
}

// nilIfNotFound makes a lookup of an unknown record null without an error,
// as every lookup by id is in this API.
func nilIfNotFound[T any](v *T, err error) (*T, error) {
	if errs.Is(errs.NotFound, err) {
		return nil, nil
	}
	return v, err
}

// subscriberFilter is the GraphQL filter as the CRM's; crm.Filter.Validate
// holds the rules.
func subscriberFilter(f *model.SubscriberFilter) crm.Filter {
	if f == nil {
		return crm.Filter{}
	}
	return crm.Filter{Type: f.Type, PostalCode: deref(f.PostalCode), Origin: deref(f.Origin),
		SelectionCode: deref(f.SelectionCode), TranscoCode: deref(f.TranscoCode), OldCode: deref(f.OldCode),
		ModifiedFrom: deref(f.ModifiedFrom), ModifiedTo: deref(f.ModifiedTo)}
}

// subscriberPage fetches one page and primes the loader with its records,
// so that a payer or a beneficiary already on the page costs no call.
func (r *Resolver) subscriberPage(ctx context.Context, f crm.Filter, offset int) (*model.SubscriberPage, error) {
	if offset < 0 {
		return nil, errs.E(errs.Op("graph.subscribers"), errs.Invalid, errs.Field("offset"), errs.Msg("must be 0 or more"))
	}
	items, err := r.CRM.Subscribers(ctx, f, offset)
	if err != nil {
		return nil, err
	}
	if l := loaders.For(ctx); l != nil && l.Subscriber() != nil {
		for _, s := range items {
			l.Subscriber().Prime(ctx, s.Code, s)
		}
	}
	p := &model.SubscriberPage{Items: items, Offset: offset, Filter: f}
	if len(items) == crm.PageSize {
		next := offset + crm.PageSize
		p.NextOffset = &next
	}
	if items == nil {
		p.Items = []*crm.Subscriber{}
	}
	return p, nil
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// inArgument puts a CRM error about a field of an input object under the
// argument's name ("email" becomes "input.email"); other errors pass.
func inArgument(arg string, err error) error {
	e := errs.Find(err)
	if e == nil || e.Field == "" || errs.KindOf(err) != errs.Invalid {
		return err
	}
	return errs.E(errs.Op(e.Op), errs.Invalid, errs.Code(e.Code), errs.Field(arg+"."+e.Field), errs.Msg(e.Message), err)
}
