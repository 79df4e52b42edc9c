package billetterie

import (
	"context"
	"net/url"
	"strings"
)

// Liste is a mailing list or an event (ws_cat_listes).
type Liste struct {
	ID         ID   `json:"id"`
	TitreCourt Text `json:"titre_court"`
	Type       Text `json:"type"`
	Web        Bool `json:"web"`
	Liste      Bool `json:"liste"` // false: an event
}

// CatListes lists the lists exposed to the web (ws_cat_listes).
func (c *Client) CatListes(ctx context.Context) ([]Liste, error) {
	var l List[Liste]
	if _, err := c.callMessage(ctx, "ws_cat_listes", c.creds(nil), &l); err != nil {
		return nil, err
	}
	return l, nil
}

// InvitationContact is the contact of an invitation.
type InvitationContact struct {
	ID     ID   `json:"id"` // the contact (fiche contact)
	Genre  Text `json:"genre"`
	Nom    Text `json:"nom"`
	Prenom Text `json:"prenom"`
}

// InvitationStructure is the organisation of an invitation.
type InvitationStructure struct {
	ID        ID   `json:"id"`
	Structure Text `json:"structure"`
}

// Invitation is a member of a list (ws_cat_contacts_liste).
type Invitation struct {
	ID        ID                   `json:"id"`
	IDClistru ID                   `json:"clistru_id"` // the link record
	MailEnvoi Text                 `json:"mail_envoi"`
	Contact   *InvitationContact   `json:"contact"`
	Structure *InvitationStructure `json:"structure"`
}

// CatContactsListe lists the active members of a list (ws_cat_contacts_liste).
func (c *Client) CatContactsListe(ctx context.Context, idListe string) ([]Invitation, error) {
	if err := checkID("billetterie.ws_cat_contacts_liste", "id_liste", idListe); err != nil {
		return nil, err
	}
	var l List[Invitation]
	if _, err := c.callMessage(ctx, "ws_cat_contacts_liste", c.creds(url.Values{"id_liste": {strings.TrimSpace(idListe)}}), &l); err != nil {
		return nil, err
	}
	return l, nil
}
