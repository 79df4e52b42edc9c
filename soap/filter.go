package soap

import (
	"context"
	"time"

	gsoap "github.com/hooklift/gowsdl/soap"

	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/errs"
	cs "github.com/guichet/guichet/soap/clientservice"
)

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

// resolve picks the list and count operations of a filter the crm rules
// accept: at most one criterion, except Type with PostalCode.
func resolve(op string, f crm.Filter) (query, error) {
	if err := f.Validate(); err != nil {
		return query{}, err
	}
	if f.OldCode != "" {
		// getClientByAncienCode answers it: a lookup, not a list.
		return query{}, errs.E(errs.Op("soap."+op), errs.Invalid, errs.Field("filter.oldCode"), errs.Msg("is a lookup, not a list criterion"))
	}
	switch {
	case !f.ModifiedFrom.IsZero():
		d1, d2 := xsdTime(f.ModifiedFrom), xsdTime(f.ModifiedTo)
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
		crit := &cs.WsCriteria{TypeClient: int32(typeCodes[*f.Type]), Cp: f.PostalCode}
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
		t := int32(typeCodes[*f.Type])
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
