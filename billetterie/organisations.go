package billetterie

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/guichet/guichet/errs"
)

// Result is one success or error of ws_organisme_contacts and of the
// contacts attached by ws_organisme_creation/_modification.
type Result struct {
	Code    Int  `json:"code"`
	Message Text `json:"message"`
	Champ   Text `json:"champ"`
}

// Results reads a list of Result sent as an array (the spec) or as a
// single object (some sites).
type Results []Result

func (r *Results) UnmarshalJSON(b []byte) error {
	var l List[Result]
	err := l.UnmarshalJSON(b)
	*r = Results(l)
	return err
}

func (r *Result) UnmarshalJSON(b []byte) error {
	type plain Result
	*r = Result{}
	return object(b, (*plain)(r))
}

// ContactOrganisme is a contact attached to an organisation, as
// ws_info_organisme (get_contact=1) and the creation/modification answers
// list them.
type ContactOrganisme struct {
	ID        ID      `json:"id"` // fiche lien (id_clistru): never a contact id
	IDContact ID      `json:"id_contact"`
	Fonction  Text    `json:"fonction"`
	Service   Text    `json:"service"`
	Telephone Text    `json:"telephone"`
	Portable  Text    `json:"portable"`
	Email     Text    `json:"email"`
	Success   Results `json:"success"`
	Errors    Results `json:"errors"`
}

// CritereValeur is an enumeration value of a criterion (4.6.1.2).
type CritereValeur struct {
	ID      ID   `json:"id"`
	Libelle Text `json:"libelle"`
	Code    Text `json:"code"`
	Ordre   Int  `json:"ordre"`
}

// Critere is a criterion as received: its valeur is a text, one
// enumeration value or a list of them depending on type and multi_valeur.
type Critere struct {
	Nom         Text            `json:"nom"`
	Libelle     Text            `json:"libelle"`
	Type        Text            `json:"type"`         // texte | enumeration
	MultiValeur Bool            `json:"multi_valeur"` // "Booléen" in 4.6, 0/1 in the examples
	Valeur      json.RawMessage `json:"valeur"`
}

// Text is the valeur when it is a text (including enumerations the vendor
// sends as bare text, like champ_4 of the spec's example).
func (c Critere) Text() string {
	var s string
	if json.Unmarshal(c.Valeur, &s) == nil {
		return s
	}
	return ""
}

// Values are the enumeration values (one or many); nil for a text.
func (c Critere) Values() []CritereValeur {
	v := strings.TrimSpace(string(c.Valeur))
	switch {
	case strings.HasPrefix(v, "{"):
		var one CritereValeur
		if json.Unmarshal(c.Valeur, &one) == nil {
			return []CritereValeur{one}
		}
	case strings.HasPrefix(v, "["):
		var many []CritereValeur
		if json.Unmarshal(c.Valeur, &many) == nil {
			return many
		}
	}
	return nil
}

// Criteres is the criteria object as received.
type Criteres struct {
	IDFormulaire Int           `json:"id_formulaire"`
	ListeChamps  List[Critere] `json:"liste_champs"`
}

// CritereInput sets one criterion: Valeur is an int64 (single-choice
// enumeration), a []int64 (multiple choice) or a string (text).
type CritereInput struct {
	Nom    string `json:"nom"`
	Valeur any    `json:"valeur"`
}

// CriteresInput is the criteres parameter (raw JSON, not base64).
type CriteresInput struct {
	IDFormulaire int            `json:"id_formulaire"`
	ListeChamps  []CritereInput `json:"liste_champs"`
}

func (ci *CriteresInput) check(op string) error {
	if ci.IDFormulaire <= 0 {
		return invalid(op, "criteres.id_formulaire", "must be a positive number")
	}
	if len(ci.ListeChamps) == 0 {
		return invalid(op, "criteres.liste_champs", "is required")
	}
	for _, ch := range ci.ListeChamps {
		if strings.TrimSpace(ch.Nom) == "" {
			return invalid(op, "criteres.liste_champs.nom", "is required")
		}
		switch ch.Valeur.(type) {
		case int, int64, string, []int, []int64:
		default:
			return invalid(op, "criteres.liste_champs.valeur", "must be a number, a list of numbers or a text")
		}
	}
	return nil
}

// Organisme is annex 4.4's organisation. When sent (base64 JSON) only set
// attributes go: the vendor leaves absent ones unchanged. Adresses,
// NiveauDeRelations and CriteresInput travel as their own parameters.
type Organisme struct {
	IDOrganisme       ID                     `json:"id_organisme,omitempty"`
	Adresses          List[Adresse]          `json:"adresses,omitempty"`
	ChampLibre1       Text                   `json:"champ_libre1,omitempty"`
	ChampLibre2       Text                   `json:"champ_libre2,omitempty"`
	ChampLibre3       Text                   `json:"champ_libre3,omitempty"`
	ChampLibre4       Text                   `json:"champ_libre4,omitempty"`
	ChampLibre5       Text                   `json:"champ_libre5,omitempty"`
	ChampLibre6       Decimal                `json:"champ_libre6,omitempty"` // real
	ChampLibre7       Decimal                `json:"champ_libre7,omitempty"`
	ChampLibre8       Decimal                `json:"champ_libre8,omitempty"`
	ChampLibre9       Text                   `json:"champ_libre9,omitempty"`
	ChampLibre10      Text                   `json:"champ_libre10,omitempty"`
	ChampLibre11      Text                   `json:"champ_libre11,omitempty"`
	ChampLibre12      Text                   `json:"champ_libre12,omitempty"`
	CodeLibreStru     Text                   `json:"code_libre_stru,omitempty"`
	DateCreation      Text                   `json:"date_creation,omitempty"` // AAAA-MM-JJ, received
	DateModif         Text                   `json:"date_modif,omitempty"`    // AAAA-MM-JJTHH:MM:SS, received
	DetailType        Text                   `json:"detail_type,omitempty"`
	EmailStructure    Text                   `json:"email_structure,omitempty"`
	FicheSupprimee    Bool                   `json:"fiche_supprimee,omitempty"`
	Intitule          Text                   `json:"intitule,omitempty"`
	Intitule2         Text                   `json:"intitule2,omitempty"`
	Memo1             Text                   `json:"memo1,omitempty"`
	Memo2             Text                   `json:"memo2,omitempty"`
	Memo3             Text                   `json:"memo3,omitempty"`
	Nature            Text                   `json:"nature,omitempty"`
	NumInternet       Text                   `json:"num_internet,omitempty"`
	RaisonSociale     Text                   `json:"raison_sociale,omitempty"`
	RemarqueStruc     Text                   `json:"remarque_struc,omitempty"`
	SousDetailType    Text                   `json:"sous_detail_type,omitempty"`
	Type              Text                   `json:"type,omitempty"`
	NiveauDeRelations List[NiveauRelation]   `json:"Niveau_de_relations,omitempty"`
	Contacts          List[ContactOrganisme] `json:"contacts,omitempty"`
	Criteres          *Criteres              `json:"criteres,omitempty"`
	CriteresInput     *CriteresInput         `json:"-"`
}

// send checks the organisation and fills the form's parameters.
func (o Organisme) send(op string, form url.Values, contacts []Attachement) error {
	if strings.TrimSpace(string(o.Intitule)) == "" {
		return invalid(op, "intitule", "is required")
	}
	if strings.TrimSpace(string(o.Nature)) == "" {
		return invalid(op, "nature", "is required")
	}
	for k, v := range map[string]Text{"champ_libre1": o.ChampLibre1, "champ_libre2": o.ChampLibre2, "champ_libre3": o.ChampLibre3,
		"champ_libre4": o.ChampLibre4, "champ_libre5": o.ChampLibre5, "champ_libre9": o.ChampLibre9, "champ_libre10": o.ChampLibre10,
		"champ_libre11": o.ChampLibre11, "champ_libre12": o.ChampLibre12, "code_libre_stru": o.CodeLibreStru, "detail_type": o.DetailType,
		"intitule": o.Intitule, "intitule2": o.Intitule2, "nature": o.Nature, "num_internet": o.NumInternet,
		"sous_detail_type": o.SousDetailType, "type": o.Type} {
		if err := checkLen(op, "organisme."+k, string(v), organismeMax[k]); err != nil {
			return err
		}
	}
	for k, n := range map[string]Decimal{"champ_libre6": o.ChampLibre6, "champ_libre7": o.ChampLibre7, "champ_libre8": o.ChampLibre8} {
		if _, err := strconv.ParseFloat(n.String(), 64); n != "" && err != nil {
			return invalid(op, "organisme."+k, "must be a number")
		}
	}
	if o.EmailStructure != "" {
		if err := checkEmail(op, "organisme.email_structure", string(o.EmailStructure)); err != nil {
			return err
		}
	}
	for _, a := range o.Adresses {
		if err := a.check(op); err != nil {
			return err
		}
	}
	if err := checkNiveaux(op, o.NiveauDeRelations); err != nil {
		return err
	}
	if err := checkAttachements(op, contacts); err != nil {
		return err
	}
	body := o
	body.Adresses, body.NiveauDeRelations, body.Contacts, body.Criteres = nil, nil, nil, nil
	body.DateCreation, body.DateModif, body.FicheSupprimee = "", "", false
	form.Set("organisme", b64JSON(body))
	if len(o.Adresses) > 0 {
		form.Set(fAdresses, b64JSON(o.Adresses))
	}
	if len(o.NiveauDeRelations) > 0 {
		form.Set(fNiveaux, b64JSON(o.NiveauDeRelations))
	}
	if o.CriteresInput != nil {
		if err := o.CriteresInput.check(op); err != nil {
			return err
		}
		b, _ := json.Marshal(o.CriteresInput)
		form.Set("criteres", string(b))
	}
	if len(contacts) > 0 {
		form.Set("contacts", b64JSON(contacts))
	}
	return nil
}

// InfoOrganisme reads an organisation with its attached contacts and its
// criteria (ws_info_organisme, get_contact=1, get_criteres=1).
func (c *Client) InfoOrganisme(ctx context.Context, id string) (*Organisme, error) {
	const op = "billetterie.ws_info_organisme"
	if err := checkID(op, "id_organisme", id); err != nil {
		return nil, err
	}
	var m struct {
		Organisme *Organisme `json:"organisme"`
		Criteres  *Criteres  `json:"criteres"`
	}
	form := c.creds(url.Values{"id_organisme": {strings.TrimSpace(id)}, "get_contact": {"1"}, "get_criteres": {"1"}})
	env, err := c.callMessage(ctx, "ws_info_organisme", form, &m)
	if err != nil {
		return nil, err
	}
	if m.Organisme.empty() {
		m.Organisme = nil
		// Annex 4.4 describes the organisation object without printing the
		// answer: an "ok" answer may carry it flat in message.
		var flat Organisme
		if decodePart("ws_info_organisme", env.Message, &flat) == nil && (flat.IDOrganisme != "" || flat.Intitule != "" || flat.Nature != "") {
			m.Organisme = &flat
		}
	}
	if m.Organisme == nil {
		return nil, errs.E(errs.Op(op), errs.NotFound, errs.Code("904"), errs.Msg("no such organisation"))
	}
	if m.Organisme.Criteres == nil {
		m.Organisme.Criteres = m.Criteres
	}
	return m.Organisme, nil
}

// OrganismeResult is the answer of ws_organisme_creation/_modification.
type OrganismeResult struct {
	Organisme Organisme
	Detail    string // the vendor's data-check messages
}

func (c *Client) organismeCall(ctx context.Context, service string, form url.Values) (*OrganismeResult, error) {
	var m struct {
		Organisme *Organisme `json:"organisme"`
	}
	env, err := c.callMessage(ctx, service, form, &m)
	if err != nil {
		return nil, err
	}
	if m.Organisme == nil {
		return nil, errs.E(errs.Op("billetterie."+service), errs.Unavailable, errs.Msg("the ticketing system answered no organisation"))
	}
	return &OrganismeResult{Organisme: *m.Organisme, Detail: env.Detail}, nil
}

// CreateOrganisme creates an organisation (ws_organisme_creation):
// organisme, adresses, Niveau_de_relations and contacts as base64 JSON,
// criteres as raw JSON.
func (c *Client) CreateOrganisme(ctx context.Context, o Organisme, contacts []Attachement) (*OrganismeResult, error) {
	const op = "billetterie.ws_organisme_creation"
	o.IDOrganisme = ""
	form := c.creds(nil)
	if err := o.send(op, form, contacts); err != nil {
		return nil, err
	}
	return c.organismeCall(ctx, "ws_organisme_creation", form)
}

// UpdateOrganisme changes an organisation (ws_organisme_modification); its
// id_organisme is required, inside the organisme object as the spec asks.
func (c *Client) UpdateOrganisme(ctx context.Context, o Organisme, contacts []Attachement) (*OrganismeResult, error) {
	const op = "billetterie.ws_organisme_modification"
	if err := checkID(op, "id_organisme", o.IDOrganisme.String()); err != nil {
		return nil, err
	}
	// GUESS: also sent as a top-level parameter, like ws_organisme_contacts;
	// harmless if the vendor reads only the object.
	form := c.creds(url.Values{"id_organisme": {o.IDOrganisme.String()}})
	if err := o.send(op, form, contacts); err != nil {
		return nil, err
	}
	return c.organismeCall(ctx, "ws_organisme_modification", form)
}

// OrganismeCreation creates an organisation (kept for existing callers).
func (c *Client) OrganismeCreation(ctx context.Context, o Organisme, contacts []Attachement) (*Organisme, error) {
	r, err := c.CreateOrganisme(ctx, o, contacts)
	if err != nil {
		return nil, err
	}
	return &r.Organisme, nil
}

// OrganismeModification changes organisation id (kept for existing callers).
func (c *Client) OrganismeModification(ctx context.Context, id string, o Organisme) error {
	o.IDOrganisme = ID(strings.TrimSpace(id))
	_, err := c.UpdateOrganisme(ctx, o, nil)
	return err
}

// Attachement attaches or detaches a contact, or a function of it
// (ws_organisme_contacts, and contacts of creation/modification).
type Attachement struct {
	IDContact         json.Number `json:"id_contact"`                   // a contact id (fiche contact), never a link id
	ActionAttachement string      `json:"action_attachement,omitempty"` // attacher | detacher
	ActionFonction    string      `json:"action_fonction,omitempty"`    // attacher | detacher
	Fonction          string      `json:"fonction,omitempty"`
	Service           string      `json:"service,omitempty"`
	TelephoneLien     string      `json:"telephone_lien,omitempty"`
	PortableLien      string      `json:"portable_lien,omitempty"`
	EmailLien         string      `json:"email_lien,omitempty"`
}

// checkAttachements applies the vendor's critical rules (codes 1103–1108)
// before the call.
func checkAttachements(op string, l []Attachement) error {
	for _, a := range l {
		if err := checkID(op, "contacts.id_contact", a.IDContact.String()); err != nil {
			return err
		}
		if a.ActionAttachement == "" && a.ActionFonction == "" {
			return invalid(op, "contacts.action_attachement", "action_attachement or action_fonction is required")
		}
		for f, v := range map[string]string{"contacts.action_attachement": a.ActionAttachement, "contacts.action_fonction": a.ActionFonction} {
			if v != "" && v != "attacher" && v != "detacher" {
				return invalid(op, f, "must be attacher or detacher")
			}
		}
		if (a.ActionFonction != "") != (a.Fonction != "") {
			return invalid(op, "contacts.fonction", "fonction and action_fonction go together")
		}
		if a.EmailLien != "" {
			if err := checkEmail(op, "contacts.email_lien", a.EmailLien); err != nil {
				return err
			}
		}
	}
	return nil
}

// AttachReport is ws_organisme_contacts's per-contact outcome.
type AttachReport struct {
	Contacts List[struct {
		IDContact ID      `json:"id_contact"`
		Success   Results `json:"success"`
		Errors    Results `json:"errors"`
	}] `json:"contacts"`
	Organisme List[struct {
		IDOrganisme ID      `json:"id_organisme"`
		Success     Results `json:"success"`
		Errors      Results `json:"errors"`
	}] `json:"organisme"`
}

// AttachContacts attaches or detaches contacts in one call
// (ws_organisme_contacts, BETA at the vendor). When some contacts fail the
// vendor says "ko" (1111): the report comes back with the error.
func (c *Client) AttachContacts(ctx context.Context, idOrganisme string, changes []Attachement) (*AttachReport, error) {
	const op = "billetterie.ws_organisme_contacts"
	if err := checkID(op, "id_organisme", idOrganisme); err != nil {
		return nil, err
	}
	if len(changes) == 0 {
		return nil, invalid(op, "contacts", "is required")
	}
	if err := checkAttachements(op, changes); err != nil {
		return nil, err
	}
	form := c.creds(url.Values{"id_organisme": {strings.TrimSpace(idOrganisme)}, "contacts": {b64JSON(changes)}})
	env, err := c.callJSON(ctx, "ws_organisme_contacts", form)
	if env == nil {
		return nil, err
	}
	var rep AttachReport
	if derr := decodePart("ws_organisme_contacts", env.Message, &rep); derr != nil && err == nil {
		return nil, derr
	}
	if err == nil {
		// Some sites answer "ok" with per-contact errors: surface the first.
		for _, ct := range rep.Contacts {
			if len(ct.Errors) > 0 {
				e := ct.Errors[0]
				code := int(e.Code)
				err = errs.E(errs.Op(op), CodeKind(code), errs.Code(strconv.Itoa(code)), errs.Field("contacts"),
					errs.Msg("contact "+ct.IDContact.String()+": "+CodeMessage(code)), &VendorError{Code: code, Message: string(e.Message)})
				break
			}
		}
	}
	return &rep, err
}

// OrganismeContacts is AttachContacts without the report (kept for existing callers).
func (c *Client) OrganismeContacts(ctx context.Context, id string, changes []Attachement) error {
	_, err := c.AttachContacts(ctx, id, changes)
	return err
}
