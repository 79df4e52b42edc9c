package soap

import (
	"context"

	"github.com/guichet/guichet/crm"
)

// Client is the CRM of the API: these methods are crm.Service in the API's
// words, over the AboWeb operations of ops.go.
var _ crm.Service = (*Client)(nil)

func (c *Client) Subscriber(ctx context.Context, code int) (*crm.Subscriber, error) {
	return c.GetClient(ctx, code)
}

func (c *Client) SubscriberByEmail(ctx context.Context, email string) (*crm.Subscriber, error) {
	return c.GetClientByEmail(ctx, email)
}

func (c *Client) SubscriberByOldCode(ctx context.Context, oldCode string) (*crm.Subscriber, error) {
	return c.GetClientByLegacyCode(ctx, oldCode)
}

func (c *Client) Subscribers(ctx context.Context, f crm.Filter, offset int) ([]*crm.Subscriber, error) {
	return c.FindClientsPage(ctx, f, offset)
}

func (c *Client) CountSubscribers(ctx context.Context, f crm.Filter) (int, error) {
	return c.Count(ctx, f)
}

func (c *Client) SaveSubscriber(ctx context.Context, s *crm.Subscriber, fields ...crm.Field) (int, error) {
	const op = "createOrUpdateClientEx"
	var wire []Field
	for _, f := range fields {
		w, ok := wireFields[f]
		if !ok {
			return 0, invalid(op, Field(f), "not a writable subscriber field")
		}
		wire = append(wire, w...)
	}
	return c.CreateOrUpdate(ctx, s, wire...)
}

// SetSubscriberType uses UpdateStatut, which carries no payer: a change to
// PAID_BY is an update of both typeClient and codeTiers instead.
func (c *Client) SetSubscriberType(ctx context.Context, code int, t crm.Type, payerCode int) error {
	if t == crm.TypePaidBy {
		_, err := c.CreateOrUpdate(ctx, &crm.Subscriber{Code: code, Type: t, PayerCode: payerCode}, FieldType, FieldPayerCode)
		return err
	}
	return c.UpdateStatus(ctx, code, t)
}

func (c *Client) SendSubscriberPassword(ctx context.Context, email string) error {
	return c.SendPassword(ctx, email)
}

// wireFields are the client record's elements behind each API field.
var wireFields = map[crm.Field][]Field{
	crm.FieldEmail: {FieldEmail}, crm.FieldTitle: {FieldTitle}, crm.FieldFirstName: {FieldFirstName},
	crm.FieldLastName: {FieldLastName}, crm.FieldCompany: {FieldCompany},
	crm.FieldAddressLines: {FieldAddress1, FieldAddress2, FieldAddress3},
	crm.FieldPostalCode:   {FieldPostalCode}, crm.FieldCity: {FieldCity}, crm.FieldCountry: {FieldCountryCode},
	crm.FieldPhone: {FieldPhone}, crm.FieldMobile: {FieldMobile}, crm.FieldFax: {FieldFax}, crm.FieldType: {FieldType},
	crm.FieldPayerCode: {FieldPayerCode}, crm.FieldOrigin: {FieldOrigin}, crm.FieldTranscoCode: {FieldTranscoCode},
	crm.FieldOldCode: {FieldLegacyCode}, crm.FieldNII: {FieldNII}, crm.FieldSiret: {FieldSIRET},
	crm.FieldPortalPassword: {FieldPortalPassword}, crm.FieldDoNotShare: {FieldNoSharing},
	crm.FieldNoEmailing: {FieldNoEmailing}, crm.FieldNoPostalMailing: {FieldNoMailing},
	crm.FieldAutoRenew: {FieldAutoRenew}, crm.FieldRemindPaidBy: {FieldRemindPaidBy},
	crm.FieldUndeliverable: {FieldUndelivered}, crm.FieldDiscountRate: {FieldDiscountRate},
}

// apiFields names the elements and parameters errors are about as the API
// does, so that no AboWeb name reaches a caller.
var apiFields = func() map[Field]crm.Field {
	m := map[Field]crm.Field{
		"codeClient": crm.FieldCode, "statut": crm.FieldType, "encryptedPassword": "password",
		"client": "input", "codeTiers": crm.FieldPayerCode,
	}
	for api, wire := range wireFields {
		for _, w := range wire {
			m[w] = api
		}
	}
	return m
}()

// apiName is the API's name of a wire field; a name that is not one (the
// caller's own, such as an unknown field it asked to write) stays as it is.
func apiName(f Field) string {
	if a, ok := apiFields[f]; ok {
		return string(a)
	}
	return string(f)
}
