package soap

import (
	"context"
	"errors"
	"iter"

	"github.com/guichet/guichet/crm"
	"github.com/guichet/guichet/errs"
	cs "github.com/guichet/guichet/soap/clientservice"
)

// PageSize is AboWeb's fixed list size.
const PageSize = crm.PageSize

func notFound(op string) error {
	return errs.E(errs.Op("soap."+op), errs.NotFound, errs.Msg("subscriber not found"))
}

// GetClient reads one subscriber by code (getClient). Unknown code: errs.NotFound.
func (c *Client) GetClient(ctx context.Context, code int) (*crm.Subscriber, error) {
	const op = "getClient"
	if code <= 0 {
		return nil, invalid(op, "codeClient", "must be a positive subscriber code")
	}
	w, err := c.getClient(ctx, code)
	if err != nil {
		return nil, err
	}
	return fromWire(w, c.reader()), nil
}

func (c *Client) getClient(ctx context.Context, code int) (*cs.WsClient, error) {
	return readOne(c, ctx, "getClient", &cs.GetClient{CodeClient: int32(code)},
		func(ctx context.Context, svc cs.ClientService, req *cs.GetClient) (*cs.WsClient, error) {
			r, err := svc.GetClientContext(ctx, req)
			if r == nil {
				return nil, err
			}
			return r.Client, err
		})
}

// readOne runs a one-record read: sent pre-encoded and read by the fast
// reader when it can, else through the generated client; no record is
// errs.NotFound.
func readOne[R any](c *Client, ctx context.Context, op string, req *R,
	call func(context.Context, cs.ClientService, *R) (*cs.WsClient, error)) (*cs.WsClient, error) {
	var w *cs.WsClient
	fast := fastFor(op)
	if fast != nil {
		fast.request = req
	}
	err := c.callFast(ctx, op, fast, func(ctx context.Context, svc cs.ClientService) error {
		var err error
		w, err = call(ctx, svc, req)
		return err
	})
	if fast != nil && fast.ok {
		w = fast.one()
	}
	if err == nil && w == nil {
		err = notFound(op)
	}
	return w, err
}

// GetClientByEmail reads one subscriber by email (findClientByEmail). AboWeb
// may answer "not found" with fault 204 or with an empty response: both are
// errs.NotFound.
func (c *Client) GetClientByEmail(ctx context.Context, email string) (*crm.Subscriber, error) {
	const op = "findClientByEmail"
	if err := checkEmail(op, email); err != nil {
		return nil, err
	}
	w, err := readOne(c, ctx, op, &cs.FindClientByEmail{Email: email},
		func(ctx context.Context, svc cs.ClientService, req *cs.FindClientByEmail) (*cs.WsClient, error) {
			r, err := svc.FindClientByEmailContext(ctx, req)
			if r == nil {
				return nil, err
			}
			return r.Client, err
		})
	if err != nil {
		return nil, err
	}
	return fromWire(w, c.reader()), nil
}

// GetClientByLegacyCode reads one subscriber by its former code (getClientByAncienCode).
func (c *Client) GetClientByLegacyCode(ctx context.Context, legacy string) (*crm.Subscriber, error) {
	const op = "getClientByAncienCode"
	if legacy == "" {
		return nil, invalid(op, "ancienCode", "required")
	}
	w, err := readOne(c, ctx, op, &cs.GetClientByAncienCode{AncienCode: legacy},
		func(ctx context.Context, svc cs.ClientService, req *cs.GetClientByAncienCode) (*cs.WsClient, error) {
			r, err := svc.GetClientByAncienCodeContext(ctx, req)
			if r == nil {
				return nil, err
			}
			return r.Client, err
		})
	if err != nil {
		return nil, err
	}
	return fromWire(w, c.reader()), nil
}

// FindClientsPage returns one page (at most PageSize) starting at offset,
// which counts records, not pages (0, 50, 100…).
func (c *Client) FindClientsPage(ctx context.Context, f crm.Filter, offset int) ([]*crm.Subscriber, error) {
	q, err := resolve("findClients", f)
	if err != nil {
		return nil, err
	}
	if offset < 0 {
		return nil, invalid(q.list, "offset", "must not be negative")
	}
	var page []*cs.WsClient
	fast := fastFor(q.list)
	err = c.callFast(ctx, q.list, fast, func(ctx context.Context, svc cs.ClientService) error {
		var err error
		page, err = q.page(ctx, svc, int32(offset))
		return err
	})
	if fast != nil && fast.ok {
		page = fast.clients
	}
	if err != nil {
		return nil, err
	}
	out := make([]*crm.Subscriber, 0, len(page))
	for _, w := range page {
		if w != nil {
			out = append(out, fromWire(w, c.reader()))
		}
	}
	return out, nil
}

// FindClients iterates over every subscriber the filter selects, paging with
// offset 0, 50, 100… until a short page. An error is yielded once and ends
// the iteration.
func (c *Client) FindClients(ctx context.Context, f crm.Filter) iter.Seq2[*crm.Subscriber, error] {
	return func(yield func(*crm.Subscriber, error) bool) {
		prevFirst := -1
		for offset := 0; ; offset += PageSize {
			page, err := c.FindClientsPage(ctx, f, offset)
			if err != nil {
				yield(nil, err)
				return
			}
			// A server ignoring offset would loop forever: stop on a repeated page.
			if len(page) > 0 && offset > 0 && page[0].Code == prevFirst {
				yield(nil, errs.E(errs.Op("soap.findClients"), errs.Unavailable, errs.Msg("subscriber service paging did not advance")))
				return
			}
			for _, s := range page {
				if !yield(s, nil) {
					return
				}
			}
			if len(page) < PageSize {
				return
			}
			prevFirst = page[0].Code
		}
	}
}

// Count returns how many subscribers the filter selects (the getNb… operations).
func (c *Client) Count(ctx context.Context, f crm.Filter) (int, error) {
	q, err := resolve("count", f)
	if err != nil {
		return 0, err
	}
	var n int32
	err = c.call(ctx, q.count, func(ctx context.Context, svc cs.ClientService) error {
		var err error
		n, err = q.total(ctx, svc)
		return err
	})
	return int(n), err
}

// CreateOrUpdate sends a subscriber (createOrUpdateClientEx) and returns its code.
//
//   - s.Code == 0 creates: every non-empty field is sent (fields, if given, restrict it).
//   - s.Code != 0 with no fields: the whole record s is sent, as a replacement.
//   - s.Code != 0 with fields: only those fields change. When the server keeps
//     omitted fields (WS_FORCE_UPDATE_ONLY_SENDING_PARAMS=True, the default) only
//     they are sent; with Config.UpdateSendsAll the record is read first and
//     sent whole with the fields overlaid, so nothing is erased.
//
// Validation happens before any call: errs.Invalid naming the field. Only
// what the caller sets is checked: the stored fields a read-modify-write
// sends back are AboWeb's own, and AboWeb judges them.
func (c *Client) CreateOrUpdate(ctx context.Context, s *crm.Subscriber, fields ...Field) (int, error) {
	return c.save(ctx, "createOrUpdateClientEx", s, fields)
}

// UpdateClient changes an existing subscriber (updateClient): s.Code is
// required, and fields work as in CreateOrUpdate. The vendor names the
// operation without describing it; our WSDL guesses the createOrUpdateClientEx
// shape (client in, codeClient out). Unknown code: errs.NotFound.
func (c *Client) UpdateClient(ctx context.Context, s *crm.Subscriber, fields ...Field) (int, error) {
	const op = "updateClient"
	if s != nil && s.Code == 0 {
		return 0, invalid(op, "codeClient", "required: updateClient changes an existing subscriber")
	}
	return c.save(ctx, op, s, fields)
}

func (c *Client) save(ctx context.Context, op string, s *crm.Subscriber, fields []Field) (int, error) {
	if s == nil {
		return 0, invalid(op, "client", "required")
	}
	if s.Code < 0 {
		return 0, invalid(op, "codeClient", "must not be negative")
	}
	if _, ok := typeCodes[s.Type]; !ok {
		return 0, invalid(op, FieldType, "not a type AboWeb accepts (OTHER is only ever read)")
	}
	for _, f := range fields {
		if fs, ok := fieldByWire[string(f)]; !ok || fs.put == nil {
			return 0, invalid(op, f, "not a writable subscriber field")
		}
	}
	w := toWire(s, fields, s.Code == 0)
	if err := validateRecord(op, &wireView{w}); err != nil {
		return 0, err
	}
	if s.Code != 0 && len(fields) > 0 && c.cfg.UpdateSendsAll {
		current, err := c.getClient(ctx, s.Code)
		if err != nil {
			return 0, err
		}
		w = mergeForUpdate(current, s, fields)
	}
	var code int
	err := c.call(ctx, op, func(ctx context.Context, svc cs.ClientService) error {
		var (
			n   int32
			err error
		)
		if op == "updateClient" {
			var r *cs.UpdateClientResponse
			if r, err = svc.UpdateClientContext(ctx, &cs.UpdateClient{Client: w}); r != nil {
				n = r.CodeClient
			}
		} else {
			var r *cs.CreateOrUpdateClientExResponse
			if r, err = svc.CreateOrUpdateClientExContext(ctx, &cs.CreateOrUpdateClientEx{Client: w}); r != nil {
				n = r.CodeClient
			}
		}
		code = int(n)
		return err
	})
	if err != nil {
		return 0, err
	}
	if code <= 0 {
		return 0, errs.E(errs.Op("soap."+op), errs.Unavailable, errs.Msg("subscriber service returned no subscriber code"))
	}
	return code, nil
}

// SendPassword asks AboWeb to email the subscriber their portal password
// (sendPassword). Unknown email: errs.NotFound.
func (c *Client) SendPassword(ctx context.Context, email string) error {
	const op = "sendPassword"
	if err := checkEmail(op, email); err != nil {
		return err
	}
	var ok bool
	err := c.call(ctx, op, func(ctx context.Context, svc cs.ClientService) error {
		r, err := svc.SendPasswordContext(ctx, &cs.SendPassword{RefSociete: int32(c.cfg.RefSociete), Email: email})
		if r != nil {
			ok = r.Result
		}
		return err
	})
	if err == nil && !ok {
		err = errs.E(errs.Op("soap."+op), errs.Unavailable, errs.Msg("subscriber service did not send the password"))
	}
	return err
}

// Authenticate checks a subscriber's portal password with
// authenticateEncrypteByEmail, the vendor's documented name; the password
// travels as base64(SHA-1), as public code sent it. With Config.AuthFallback,
// a server that has no such operation is asked again under the name public
// code used in 2015-16 (authenticateByEmail, same parameters).
func (c *Client) Authenticate(ctx context.Context, email, password string) (bool, error) {
	const op = "authenticateEncrypteByEmail"
	if err := checkEmail(op, email); err != nil {
		return false, err
	}
	if password == "" {
		return false, invalid(op, "encryptedPassword", "required")
	}
	enc := SHA1Password(password)
	var ok bool
	err := c.call(ctx, op, func(ctx context.Context, svc cs.ClientService) error {
		r, err := svc.AuthenticateEncrypteByEmailContext(ctx, &cs.AuthenticateEncrypteByEmail{Email: email, EncryptedPassword: enc})
		if r != nil {
			ok = r.Result
		}
		return err
	})
	if err != nil && c.cfg.AuthFallback && errors.Is(err, errUnknownOperation) {
		err = c.call(ctx, "authenticateByEmail", func(ctx context.Context, svc cs.ClientService) error {
			r, err := svc.AuthenticateByEmailContext(ctx, &cs.AuthenticateByEmail{Email: email, EncryptedPassword: enc})
			if r != nil {
				ok = r.Result
			}
			return err
		})
	}
	return ok, err
}

// UpdateStatus changes a subscriber's type (UpdateStatut; parameters GUESS).
func (c *Client) UpdateStatus(ctx context.Context, code int, t crm.Type) error {
	const op = "UpdateStatut"
	if code <= 0 {
		return invalid(op, "codeClient", "must be a positive subscriber code")
	}
	n, known := typeCodes[t]
	if !known || n > TypeProspect {
		return invalid(op, "statut", "AboWeb changes the type to NORMAL, THIRD_PARTY, PAID_BY or PROSPECT only")
	}
	var ok bool
	err := c.call(ctx, op, func(ctx context.Context, svc cs.ClientService) error {
		r, err := svc.UpdateStatutContext(ctx, &cs.UpdateStatut{CodeClient: int32(code), Statut: int32(n)})
		if r != nil {
			ok = r.Result
		}
		return err
	})
	if err == nil && !ok {
		err = errs.E(errs.Op("soap."+op), errs.Conflict, errs.Msg("subscriber service refused the status change"))
	}
	return err
}
