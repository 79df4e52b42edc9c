package model

import "github.com/guichet/guichet/crm"

// SubscriberPage is one page of subscribers. It keeps the filter so that
// totalCount costs a counting call only when a query asks for it.
type SubscriberPage struct {
	Items      []*crm.Subscriber
	Offset     int
	NextOffset *int
	Filter     crm.Filter
	// Fixed is the total when it is known without a count (single lookups,
	// empty pages of records that cannot have any).
	Fixed *int
}
