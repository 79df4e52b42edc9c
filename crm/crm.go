// Package crm is the subscriber CRM as Guichet's API sees it: the
// subscriber record, its types, the list filter, the rules on what callers
// may send, and the Service an adapter (today soap, for AboWeb) implements.
//
// Names are the API's: a field at fault in an error is named as the GraphQL
// schema names it (email, addressLines, payerCode), never as a back office
// does. Callers that nest these under an argument add the prefix.
package crm

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/guichet/guichet/errs"
)

// PageSize is how many subscribers one page holds at most.
const PageSize = 50

// Type is the kind of a CRM record (GraphQL SubscriberType).
type Type int

const (
	TypeNormal     Type = iota // pays for themself; the default
	TypeThirdParty             // pays for others
	TypePaidBy                 // paid for by a third party: needs PayerCode
	TypeProspect               // not yet a subscriber
	TypePrescriber             // recommends subscriptions
	// TypeOther is a type the back office sent that the API does not know:
	// read, never sent.
	TypeOther
)

var typeNames = [...]string{"NORMAL", "THIRD_PARTY", "PAID_BY", "PROSPECT", "PRESCRIBER", "OTHER"}

// Types lists every Type, OTHER last.
var Types = []Type{TypeNormal, TypeThirdParty, TypePaidBy, TypeProspect, TypePrescriber, TypeOther}

func (t Type) String() string {
	if t >= 0 && int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Valid reports whether t is one of Types.
func (t Type) Valid() bool { return t >= 0 && int(t) < len(typeNames) }

// MarshalGQL writes the enum value's name (gqlgen binds SubscriberType
// here); a value outside Types is one the API does not know: OTHER.
func (t Type) MarshalGQL(w io.Writer) {
	if !t.Valid() {
		t = TypeOther
	}
	io.WriteString(w, strconv.Quote(t.String()))
}

// UnmarshalGQL reads an enum value's name.
func (t *Type) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("SubscriberType must be a string")
	}
	for i, n := range typeNames {
		if n == s {
			*t = Type(i)
			return nil
		}
	}
	return fmt.Errorf("%s is not a valid SubscriberType", s)
}

// Settable refuses OTHER (and anything unknown) where a type is given to
// the back office; the error names field.
func (t Type) Settable(op, field string) error {
	if t == TypeOther {
		return invalid(op, field, "OTHER stands for a type AboWeb sent that this API does not know: it cannot be filtered on or set")
	}
	if !t.Valid() {
		return invalid(op, field, "not a subscriber type")
	}
	return nil
}

// Subscriber is a person or organisation in the CRM. It holds personal data:
// its String, GoString and LogValue show the code only.
type Subscriber struct {
	Code      int // fixed at creation; 0 before
	Email     string
	Title     string // civility as the CRM stores it: M, MME, MLLE
	FirstName string
	LastName  string
	Company   string
	// The three address lines keep their places: a complement (building,
	// floor), the street, an extra line of at most 40 characters.
	Address1, Address2, Address3 string
	PostalCode                   string
	City                         string
	Country                      string // ISO 3166-1 alpha-2
	Phone                        string
	Mobile                       string
	Fax                          string
	Type                         Type
	PayerCode                    int // the paying third party when Type is TypePaidBy
	Origin                       string
	TranscoCode                  string // identifier in a partner system
	OldCode                      string // code in the publisher's previous system
	NII                          string // national identification number
	Siret                        string
	// PortalPassword is the subscriber's portal password, as the CRM keeps it.
	PortalPassword  string
	DoNotShare      bool
	NoEmailing      bool
	NoPostalMailing bool
	AutoRenew       bool
	RemindPaidBy    bool // reminders go to a paid-by subscriber too
	Undeliverable   bool // mail came back undelivered
	DiscountRate    float64

	// Read-only, maintained by the CRM.
	EmailInError     bool
	UndeliveredCount int
	UndeliveredScore int
	StateNote        string // as sent: a number or a word ("Ok", "Radié")
	CreatedAt        time.Time
	ModifiedAt       time.Time
}

func (s Subscriber) String() string       { return fmt.Sprintf("crm.Subscriber{Code:%d}", s.Code) }
func (s Subscriber) GoString() string     { return s.String() }
func (s Subscriber) LogValue() slog.Value { return slog.IntValue(s.Code) }

// IsEntity marks Subscriber as an Apollo Federation entity for gqlgen, which
// binds only types carrying this marker to an @key type.
func (Subscriber) IsEntity() {}

// Field names a subscriber field as the API does, to say what a write sets.
type Field string

const (
	FieldEmail           Field = "email"
	FieldTitle           Field = "title"
	FieldFirstName       Field = "firstName"
	FieldLastName        Field = "lastName"
	FieldCompany         Field = "company"
	FieldAddressLines    Field = "addressLines" // the three address lines together
	FieldPostalCode      Field = "postalCode"
	FieldCity            Field = "city"
	FieldCountry         Field = "country"
	FieldPhone           Field = "phone"
	FieldMobile          Field = "mobile"
	FieldFax             Field = "fax"
	FieldType            Field = "type"
	FieldPayerCode       Field = "payerCode"
	FieldOrigin          Field = "origin"
	FieldTranscoCode     Field = "transcoCode"
	FieldOldCode         Field = "oldCode"
	FieldNII             Field = "nii"
	FieldSiret           Field = "siret"
	FieldPortalPassword  Field = "portalPassword"
	FieldDoNotShare      Field = "doNotShare"
	FieldNoEmailing      Field = "noEmailing"
	FieldNoPostalMailing Field = "noPostalMailing"
	FieldAutoRenew       Field = "autoRenew"
	FieldRemindPaidBy    Field = "remindPaidBy"
	FieldUndeliverable   Field = "undeliverable"
	FieldDiscountRate    Field = "discountRate"
	// FieldCode is the record's key: it selects, it is never set.
	FieldCode Field = "code"
)

func invalid(op, field, msg string) error {
	return errs.E(errs.Op(op), errs.Invalid, errs.Field(field), errs.Msg(msg))
}
