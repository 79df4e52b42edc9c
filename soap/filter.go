package soap

import (
	"context"
	"time"

	gsoap "github.com/hooklift/gowsdl/soap"

	"github.com/guichet/guichet/errs"
	cs "github.com/guichet/guichet/soap/clientservice"
)

// Filter selects which list/count operation runs. At most one criterion may be
// set, except PostalCode which goes with Type (getClientsWithCriteria).
// The zero Filter lists every subscriber (getClients / getNbClients).
type Filter struct {
	ModifiedSince time.Time       // getClientsModifiedBetween date1
	ModifiedUntil time.Time       // date2, optional (open end)
	Type          *SubscriberType // getClientsByType, or with PostalCode getClientsWithCriteria
	PostalCode    string
	PayerCode     int    // getPayesPar: subscribers paid by this Tiers
	SelectionCode string // getClientsByCodeSelection
	Origin        string // getClientsByOrigine
	TranscoCode   string // getClientsByCodeClientTransco
}

// TypeOf is a helper for Filter.Type.
func TypeOf(t SubscriberType) *SubscriberType { return &t }

// query is a resolved filter: the operation names and the calls to make.
type query struct {
	list, count string
	page        func(ctx context.Context, svc cs.ClientService, offset int32) ([]*cs.WsClient, error)
	total       func(ctx context.Context, svc cs.ClientService) (int32, error)
}

func xsdTime(t time.Time) gsoap.XSDDateTime {
	if t.IsZero() {
		return gsoap.XSDDateTime{}
	}
	return gsoap.CreateXsdDateTime(t.UTC(), true)
}

func (f Filter) resolve(op string) (query, error) {
	set := 0
	for _, b := range []bool{!f.ModifiedSince.IsZero() || !f.ModifiedUntil.IsZero(), f.Type != nil, f.PayerCode != 0,
		f.SelectionCode != "", f.Origin != "", f.TranscoCode != ""} {
		if b {
			set++
		}
	}
	bad := func(field, msg string) (query, error) {
		return query{}, errs.E(errs.Op("soap."+op), errs.Invalid, errs.Field(field), errs.Msg(msg))
	}
	switch {
	case set > 1:
		return bad("filter", "only one criterion at a time")
	case f.PostalCode != "" && f.Type == nil:
		return bad("cp", "a postal code filter needs a subscriber type")
	case f.Type != nil && (*f.Type < TypeNormal || *f.Type > TypePrescriber):
		return bad("typeClient", "subscriber type must be 0 to 4")
	case f.PayerCode < 0:
		return bad("codeTiers", "must be positive")
	}
	switch {
	case !f.ModifiedSince.IsZero() || !f.ModifiedUntil.IsZero():
		if f.ModifiedSince.IsZero() {
			return bad("date1", "a start date is required")
		}
		d1, d2 := xsdTime(f.ModifiedSince), xsdTime(f.ModifiedUntil)
		return query{"getClientsModifiedBetween", "getNbClientsModifiedBetween",
			func(ctx context.Context, svc cs.ClientService, off int32) ([]*cs.WsClient, error) {
				r, err := svc.GetClientsModifiedBetweenContext(ctx, &cs.GetClientsModifiedBetween{Date1: d1, Date2: d2, Offset: off})
				return clients(r, err, func() []*cs.WsClient { return r.Client })
			},
			func(ctx context.Context, svc cs.ClientService) (int32, error) {
				r, err := svc.GetNbClientsModifiedBetweenContext(ctx, &cs.GetNbClientsModifiedBetween{Date1: d1, Date2: d2})
				return count(r, err, func() int32 { return r.Result })
			}}, nil
	case f.Type != nil && f.PostalCode != "":
		crit := &cs.WsCriteria{TypeClient: int32(*f.Type), Cp: f.PostalCode}
		return query{"getClientsWithCriteria", "getNbClientsWithCriteria",
			func(ctx context.Context, svc cs.ClientService, off int32) ([]*cs.WsClient, error) {
				r, err := svc.GetClientsWithCriteriaContext(ctx, &cs.GetClientsWithCriteria{Criteria: crit, Offset: off})
				return clients(r, err, func() []*cs.WsClient { return r.Client })
			},
			func(ctx context.Context, svc cs.ClientService) (int32, error) {
				r, err := svc.GetNbClientsWithCriteriaContext(ctx, &cs.GetNbClientsWithCriteria{Criteria: crit})
				return count(r, err, func() int32 { return r.Result })
			}}, nil
	case f.Type != nil:
		t := int32(*f.Type)
		return query{"getClientsByType", "getNbClientsByType",
			func(ctx context.Context, svc cs.ClientService, off int32) ([]*cs.WsClient, error) {
				r, err := svc.GetClientsByTypeContext(ctx, &cs.GetClientsByType{TypeClient: t, Offset: off})
				return clients(r, err, func() []*cs.WsClient { return r.Client })
			},
			func(ctx context.Context, svc cs.ClientService) (int32, error) {
				r, err := svc.GetNbClientsByTypeContext(ctx, &cs.GetNbClientsByType{TypeClient: t})
				return count(r, err, func() int32 { return r.Result })
			}}, nil
	case f.PayerCode != 0:
		p := int32(f.PayerCode)
		return query{"getPayesPar", "getNbPayesPar",
			func(ctx context.Context, svc cs.ClientService, off int32) ([]*cs.WsClient, error) {
				r, err := svc.GetPayesParContext(ctx, &cs.GetPayesPar{CodeTiers: p, Offset: off})
				return clients(r, err, func() []*cs.WsClient { return r.Client })
			},
			func(ctx context.Context, svc cs.ClientService) (int32, error) {
				r, err := svc.GetNbPayesParContext(ctx, &cs.GetNbPayesPar{CodeTiers: p})
				return count(r, err, func() int32 { return r.Result })
			}}, nil
	case f.SelectionCode != "":
		v := f.SelectionCode
		return query{"getClientsByCodeSelection", "getNbClientsByCodeSelection",
			func(ctx context.Context, svc cs.ClientService, off int32) ([]*cs.WsClient, error) {
				r, err := svc.GetClientsByCodeSelectionContext(ctx, &cs.GetClientsByCodeSelection{CodeSelection: v, Offset: off})
				return clients(r, err, func() []*cs.WsClient { return r.Client })
			},
			func(ctx context.Context, svc cs.ClientService) (int32, error) {
				r, err := svc.GetNbClientsByCodeSelectionContext(ctx, &cs.GetNbClientsByCodeSelection{CodeSelection: v})
				return count(r, err, func() int32 { return r.Result })
			}}, nil
	case f.Origin != "":
		v := f.Origin
		return query{"getClientsByOrigine", "getNbClientsByOrigine",
			func(ctx context.Context, svc cs.ClientService, off int32) ([]*cs.WsClient, error) {
				r, err := svc.GetClientsByOrigineContext(ctx, &cs.GetClientsByOrigine{Origine: v, Offset: off})
				return clients(r, err, func() []*cs.WsClient { return r.Client })
			},
			func(ctx context.Context, svc cs.ClientService) (int32, error) {
				r, err := svc.GetNbClientsByOrigineContext(ctx, &cs.GetNbClientsByOrigine{Origine: v})
				return count(r, err, func() int32 { return r.Result })
			}}, nil
	case f.TranscoCode != "":
		v := f.TranscoCode
		return query{"getClientsByCodeClientTransco", "getNbClientsByCodeClientTransco",
			func(ctx context.Context, svc cs.ClientService, off int32) ([]*cs.WsClient, error) {
				r, err := svc.GetClientsByCodeClientTranscoContext(ctx, &cs.GetClientsByCodeClientTransco{CodeClientTransco: v, Offset: off})
				return clients(r, err, func() []*cs.WsClient { return r.Client })
			},
			func(ctx context.Context, svc cs.ClientService) (int32, error) {
				r, err := svc.GetNbClientsByCodeClientTranscoContext(ctx, &cs.GetNbClientsByCodeClientTransco{CodeClientTransco: v})
				return count(r, err, func() int32 { return r.Result })
			}}, nil
	default:
		return query{"getClients", "getNbClients",
			func(ctx context.Context, svc cs.ClientService, off int32) ([]*cs.WsClient, error) {
				r, err := svc.GetClientsContext(ctx, &cs.GetClients{Offset: off})
				return clients(r, err, func() []*cs.WsClient { return r.Client })
			},
			func(ctx context.Context, svc cs.ClientService) (int32, error) {
				r, err := svc.GetNbClientsContext(ctx, &cs.GetNbClients{})
				return count(r, err, func() int32 { return r.Result })
			}}, nil
	}
}

func clients[R any](r *R, err error, get func() []*cs.WsClient) ([]*cs.WsClient, error) {
	if err != nil || r == nil {
		return nil, err
	}
	return get(), nil
}

func count[R any](r *R, err error, get func() int32) (int32, error) {
	if err != nil || r == nil {
		return 0, err
	}
	return get(), nil
}
