package crm

import "context"

// Service is the CRM as the API and its loaders use it. Unknown records are
// errs.NotFound; bad input is errs.Invalid naming the API field; back-office
// faults are the errs kinds of the adapter's transport.
type Service interface {
	// Subscriber reads one record by code.
	Subscriber(ctx context.Context, code int) (*Subscriber, error)
	// SubscriberByEmail reads the record with this email.
	SubscriberByEmail(ctx context.Context, email string) (*Subscriber, error)
	// SubscriberByOldCode reads the record with this code of the previous system.
	SubscriberByOldCode(ctx context.Context, oldCode string) (*Subscriber, error)
	// Subscribers returns the page of at most PageSize records starting at
	// offset (a count of records) that f selects, in code order.
	// f.OldCode is not for lists: SubscriberByOldCode answers it.
	Subscribers(ctx context.Context, f Filter, offset int) ([]*Subscriber, error)
	// CountSubscribers returns how many records f selects.
	CountSubscribers(ctx context.Context, f Filter) (int, error)
	// SaveSubscriber creates s (Code 0) or changes it, and returns its code.
	// With fields only those are sent or changed; without, a create sends
	// what is set and an update replaces the record.
	SaveSubscriber(ctx context.Context, s *Subscriber, fields ...Field) (int, error)
	// SetSubscriberType changes a record's type; payerCode goes with
	// TypePaidBy only (see CheckTypeChange).
	SetSubscriberType(ctx context.Context, code int, t Type, payerCode int) error
	// SendSubscriberPassword has the CRM email the subscriber their portal password.
	SendSubscriberPassword(ctx context.Context, email string) error
}
