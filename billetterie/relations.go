package billetterie

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/guichet/guichet/errs"
)

// Liste is a mailing list or an event (ws_cat_listes).
type Liste struct {
	ID         json.Number `json:"id"`
	TitreCourt string      `json:"titre_court"`
	Type       string      `json:"type"`
	Web        bool        `json:"web"`
	Liste      bool        `json:"liste"`
}

// CatListes lists the mailing lists exposed to the web.
func (c *Client) CatListes(ctx context.Context) ([]Liste, error) {
	var l []Liste
	_, err := c.callJSON(ctx, "ws_cat_listes", c.creds(nil), &l)
	return l, err
}

// Invitation is a member of a list (ws_cat_contacts_liste).
type Invitation struct {
	ID        json.Number `json:"id"`
	IDClistru json.Number `json:"clistru_id"`
	MailEnvoi string      `json:"mail_envoi"`
	Contact   *struct {
		ID     json.Number `json:"id"`
		Genre  string      `json:"genre"`
		Nom    string      `json:"nom"`
		Prenom string      `json:"prenom"`
	} `json:"contact"`
	Structure *struct {
		ID        json.Number `json:"id"`
		Structure string      `json:"structure"`
	} `json:"structure"`
}

// CatContactsListe lists the members of a list.
func (c *Client) CatContactsListe(ctx context.Context, idListe string) ([]Invitation, error) {
	var l []Invitation
	_, err := c.callJSON(ctx, "ws_cat_contacts_liste", c.creds(url.Values{"id_liste": {idListe}}), &l)
	return l, err
}

// AdresseOrganisme is annex 4.3's address object.
type AdresseOrganisme struct {
	TypeAdresse string `json:"type_adresse"`
	Adress1     string `json:"adress1"`
	Adress2     string `json:"adress2"`
	Adress3     string `json:"adress3"`
	CodePostal  string `json:"code_postal"`
	Ville       string `json:"ville"`
	Pays        string `json:"pays"`
	Tel1        string `json:"tel1"`
	Prioritaire bool   `json:"prioritaire"`
}

// NiveauRelation is annex 4.5's relation level.
type NiveauRelation struct {
	NiveauRelation string `json:"Niveau_relation"`
	Checked        bool   `json:"checked"`
}

// ContactOrganisme is a contact attached to an organisation.
type ContactOrganisme struct {
	ID        json.Number `json:"id"`
	IDContact json.Number `json:"id_contact"`
	Fonction  string      `json:"fonction"`
	Service   string      `json:"service"`
	Telephone string      `json:"telephone"`
	Portable  string      `json:"portable"`
	Email     string      `json:"email"`
}

// Organisme is annex 4.4's organisation object.
type Organisme struct {
	IDOrganisme       json.Number        `json:"id_organisme,omitempty"`
	Intitule          string             `json:"intitule,omitempty"`
	Intitule2         string             `json:"intitule2,omitempty"`
	Nature            string             `json:"nature,omitempty"`
	Type              string             `json:"type,omitempty"`
	RaisonSociale     string             `json:"raison_sociale,omitempty"`
	EmailStructure    string             `json:"email_structure,omitempty"`
	RemarqueStruc     string             `json:"remarque_struc,omitempty"`
	DateCreation      string             `json:"date_creation,omitempty"`
	DateModif         string             `json:"date_modif,omitempty"`
	Adresses          []AdresseOrganisme `json:"adresses,omitempty"`
	NiveauDeRelations []NiveauRelation   `json:"Niveau_de_relations,omitempty"`
	Contacts          []ContactOrganisme `json:"contacts,omitempty"`
}

// Attachement attaches or detaches a contact (ws_organisme_contacts).
type Attachement struct {
	IDContact         json.Number `json:"id_contact"`
	ActionAttachement string      `json:"action_attachement"` // attacher | detacher
	Fonction          string      `json:"fonction,omitempty"`
	Service           string      `json:"service,omitempty"`
	TelephoneLien     string      `json:"telephone_lien,omitempty"`
	PortableLien      string      `json:"portable_lien,omitempty"`
	EmailLien         string      `json:"email_lien,omitempty"`
}

// InfoOrganisme reads an organisation with its contacts.
func (c *Client) InfoOrganisme(ctx context.Context, id string) (*Organisme, error) {
	var m struct {
		Organisme *Organisme `json:"organisme"`
	}
	form := c.creds(url.Values{"id_organisme": {id}, "get_contact": {"1"}, "get_criteres": {"1"}})
	if _, err := c.callJSON(ctx, "ws_info_organisme", form, &m); err != nil {
		return nil, err
	}
	if m.Organisme == nil {
		return nil, errs.E(errs.Op("billetterie.ws_info_organisme"), errs.NotFound, errs.Msg("no such organisation"))
	}
	return m.Organisme, nil
}

// OrganismeCreation creates an organisation (intitule and nature required).
func (c *Client) OrganismeCreation(ctx context.Context, o Organisme, contacts []Attachement) (*Organisme, error) {
	const op = "billetterie.ws_organisme_creation"
	if strings.TrimSpace(o.Intitule) == "" || strings.TrimSpace(o.Nature) == "" {
		return nil, errs.E(errs.Op(op), errs.Invalid, errs.Field("intitule"), errs.Msg("name and nature are required"))
	}
	adresses := o.Adresses
	o.Adresses, o.Contacts = nil, nil
	form := c.creds(url.Values{"organisme": {b64JSON(o)}})
	if len(adresses) > 0 {
		form.Set("adresses", b64JSON(adresses))
	}
	if len(contacts) > 0 {
		form.Set("contacts", b64JSON(contacts))
	}
	var m struct {
		Organisme *Organisme `json:"organisme"`
	}
	if _, err := c.callJSON(ctx, "ws_organisme_creation", form, &m); err != nil {
		return nil, err
	}
	if m.Organisme == nil {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system created no organisation"))
	}
	return m.Organisme, nil
}

// OrganismeModification changes an organisation's fields.
func (c *Client) OrganismeModification(ctx context.Context, id string, o Organisme) error {
	form := c.creds(url.Values{"id_organisme": {id}, "organisme": {b64JSON(o)}})
	_, err := c.callJSON(ctx, "ws_organisme_modification", form, nil)
	return err
}

// AttachResult is the outcome per contact of ws_organisme_contacts.
type AttachResult struct {
	IDContact json.Number `json:"id_contact"`
	Success   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"success"`
	Errors *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// OrganismeContacts attaches or detaches contacts in one call; per-contact
// failures come back as a NotFound/Invalid error naming the first one.
func (c *Client) OrganismeContacts(ctx context.Context, id string, changes []Attachement) error {
	const op = "billetterie.ws_organisme_contacts"
	form := c.creds(url.Values{"id_organisme": {id}, "contacts": {b64JSON(changes)}})
	var m struct {
		Contacts []AttachResult `json:"contacts"`
	}
	if _, err := c.callJSON(ctx, "ws_organisme_contacts", form, &m); err != nil {
		return err
	}
	for _, r := range m.Contacts {
		if r.Errors != nil {
			return errs.E(errs.Op(op), StatusKind(r.Errors.Code), errs.Code(itoa(r.Errors.Code)),
				errs.Field("contacts"), errs.Msg("contact "+r.IDContact.String()+" could not be attached"))
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// FichesModifiees are the ids of records changed since a date.
type FichesModifiees struct {
	Contacts         []json.Number `json:"liste_contacts_id"`
	Organismes       []json.Number `json:"liste_organismes_id"`
	Adresses         []json.Number `json:"liste_adresses_id"`
	Liens            []json.Number `json:"liste_liens_id"`
	Envois           []json.Number `json:"liste_envois_id"`
	Interets         []json.Number `json:"liste_interets_id"`
	NiveauxRelations []json.Number `json:"liste_niveaux_relations_id"`
}

// ListeFichesModifiees calls ws_liste_fiches_modifiees on the API host
// (ws_execute_programme, GET, its own credentials).
func (c *Client) ListeFichesModifiees(ctx context.Context, since time.Time) (*FichesModifiees, error) {
	const op = "billetterie.ws_liste_fiches_modifiees"
	if c.api == "" {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("BILLETTERIE_API_URL is not configured"))
	}
	form := url.Values{"x_rsi_modele": {"ws_liste_fiches_modifiees"}, "x_rsi_client": {c.cfg.Client},
		"x_rsi_login": {c.cfg.APILogin}, "x_rsi_api_key": {c.cfg.APIKey},
		"ts": {since.In(Paris).Format("2006-01-02T15:04:05")}, "type_export": {"liste_fiches"}}
	raw, err := c.fetch(ctx, c.api, "ws_execute_programme", form, true)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Statut *statut         `json:"statut"`
		Data   FichesModifiees `json:"data"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || doc.Statut == nil {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the API host answered an unexpected document"))
	}
	if !strings.EqualFold(doc.Statut.Traitement, "ok") {
		code, _ := doc.Statut.Code.Int64()
		return nil, statusError(op, int(code), doc.Statut.Message, "")
	}
	return &doc.Data, nil
}
