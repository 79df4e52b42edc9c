package boxoffice

import (
	"context"
	"time"
)

// Organisation is a structure (company, school, association) in the box
// office's relations file.
type Organisation struct {
	ID         string
	Name       string // intitule
	Name2      string // intitule2
	Nature     string
	Type       string
	LegalName  string // raison_sociale
	Email      string
	Remark     string
	FreeFields map[string]string // champ_libre1..12, memo1..3
	Addresses  []OrgAddress
	Relations  []Relation
	Criteria   []Criterion
	Contacts   []OrgContact
	CreatedAt  time.Time
	ModifiedAt time.Time
}

// OrgAddress is one address of an organisation.
type OrgAddress struct {
	Kind       string // type_adresse: Professionnelle…
	Lines      []string
	PostalCode string
	City       string
	Country    string
	Phone      string
	Primary    bool
}

// Relation is a relation level (Niveau de relations) and whether it applies.
type Relation struct {
	Name    string
	Checked bool
}

// Criterion is one answer of the organisation's criteria form.
type Criterion struct {
	Field string
	Label string
	Value string
}

// OrgContact is a contact attached to an organisation (a "lien").
type OrgContact struct {
	LinkID    string
	ContactID string
	Function  string
	Service   string
	Phone     string
	Mobile    string
	Email     string
}

// OrganisationInput creates or changes an organisation; nil fields of a
// change stay as they are.
type OrganisationInput struct {
	Name, Name2, Nature, Type, LegalName, Email, Remark *string
	Addresses                                           []OrgAddress
	Relations                                           []Relation
}

// Attachment attaches (Attach true) or detaches a contact.
type Attachment struct {
	ContactID                        string
	Attach                           bool
	Function, Service, Phone, Mobile string
	Email                            string
}

// MailingList is a list or an event the box office exposes to the web.
type MailingList struct {
	ID    string
	Name  string
	Type  string
	Event bool // false for a list, true for an event
}

// ListMember is one invitation of a mailing list.
type ListMember struct {
	ID               string
	LinkID           string
	Email            string
	ContactID        string
	Title            string
	FirstName        string
	LastName         string
	OrganisationID   string
	OrganisationName string
}

// Changes are the ids of records modified since a date
// (ws_liste_fiches_modifiees).
type Changes struct {
	Contacts, Organisations, Addresses, Links, Mailings, Interests, Relations []string
}

// Relations is what the back office needs of the relations file.
type Relations interface {
	Organisation(ctx context.Context, id string) (*Organisation, error)
	CreateOrganisation(ctx context.Context, in OrganisationInput, attach []Attachment) (*Organisation, error)
	UpdateOrganisation(ctx context.Context, id string, in OrganisationInput) (*Organisation, error)
	AttachContacts(ctx context.Context, organisationID string, changes []Attachment) error
	MailingLists(ctx context.Context) ([]MailingList, error)
	ListMembers(ctx context.Context, listID string) ([]ListMember, error)
	ChangedSince(ctx context.Context, since time.Time) (*Changes, error)
}
