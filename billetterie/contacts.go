package billetterie

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/guichet/guichet/errs"
)

// Text is a vendor text that may come as a string, a number or a boolean
// (a postal code sent as 78280, champ libre, option values); it keeps the
// text as sent. null is ""; an object or an array is "" (and counted).
type Text string

func (t *Text) UnmarshalJSON(b []byte) error {
	*t = ""
	if t0 := bytes.TrimSpace(b); len(t0) > 0 && t0[0] == '"' {
		// Keep a string exactly, spaces included.
		raw, _ := jsonString(t0)
		*t = Text(raw)
		return nil
	}
	s, ok := unquote(b)
	if !ok {
		unreadable.Add(1)
		return nil
	}
	if s != "null" {
		*t = Text(s)
	}
	return nil
}

// String returns the text.
func (t Text) String() string { return string(t) }

// Adresse is annex 4.3's address object, read and sent. Annex 4.3.1 says
// "les attributs non présents ne seront pas mis à jour": it is sent with
// only its set attributes (MarshalJSON), never "", 0 or false for an unset
// one, so an update cannot blank what the caller left out.
type Adresse struct {
	Adress1     Text `json:"adress1"`
	Adress2     Text `json:"adress2"`
	Adress3     Text `json:"adress3"`
	Adress4     Text `json:"adress4"`
	Cedex       Text `json:"cedex"`
	CodePostal  Text `json:"code_postal"`
	DateDebut   Text `json:"date_debut"` // AAAA-MM-JJ or ""
	DateFin     Text `json:"date_fin"`
	Fax         Text `json:"fax"`
	IDAdresse   ID   `json:"id_adresse"`
	IDContact   ID   `json:"id_contact"`
	IDOrganisme ID   `json:"id_organisme"`
	Pays        Text `json:"pays"` // the vendor's country name ("FRANCE")
	Prioritaire Bool `json:"prioritaire"`
	Tel1        Text `json:"tel1"`
	Tel2        Text `json:"tel2"`
	TypeAdresse Text `json:"type_adresse"`
	Ville       Text `json:"ville"`
}

// MarshalJSON writes the set attributes only, in the vendor's order.
func (a Adresse) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	add := func(k string, v any) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	for _, kv := range []struct {
		k string
		v Text
	}{{"adress1", a.Adress1}, {"adress2", a.Adress2}, {"adress3", a.Adress3}, {"adress4", a.Adress4}, {"cedex", a.Cedex},
		{"code_postal", a.CodePostal}, {"date_debut", a.DateDebut}, {"date_fin", a.DateFin}, {"fax", a.Fax}} {
		if kv.v != "" {
			add(kv.k, kv.v)
		}
	}
	for _, kv := range []struct {
		k string
		v ID
	}{{"id_adresse", a.IDAdresse}, {"id_contact", a.IDContact}, {"id_organisme", a.IDOrganisme}} {
		if kv.v != "" {
			add(kv.k, kv.v)
		}
	}
	if a.Pays != "" {
		add("pays", a.Pays)
	}
	if a.Prioritaire {
		add("prioritaire", true)
	}
	for _, kv := range []struct {
		k string
		v Text
	}{{"tel1", a.Tel1}, {"tel2", a.Tel2}, {"type_adresse", a.TypeAdresse}, {"ville", a.Ville}} {
		if kv.v != "" {
			add(kv.k, kv.v)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// AdresseOrganisme is Adresse (kept for existing callers).
type AdresseOrganisme = Adresse

func (a Adresse) check(op string) error {
	for k, v := range map[string]Text{"adress1": a.Adress1, "adress2": a.Adress2, "adress3": a.Adress3, "adress4": a.Adress4,
		"cedex": a.Cedex, "code_postal": a.CodePostal, "fax": a.Fax, "pays": a.Pays, "tel1": a.Tel1, "tel2": a.Tel2,
		"type_adresse": a.TypeAdresse, "ville": a.Ville} {
		if err := checkLen(op, "adresses."+k, string(v), adresseMax[k]); err != nil {
			return err
		}
	}
	if strings.TrimSpace(string(a.TypeAdresse)) == "" { // the vendor matches addresses on it (4.3.1)
		return invalid(op, "adresses.type_adresse", "is required")
	}
	if err := checkDate(op, "adresses.date_debut", string(a.DateDebut)); err != nil {
		return err
	}
	if err := checkDate(op, "adresses.date_fin", string(a.DateFin)); err != nil {
		return err
	}
	// The vendor wants the end on a later day than the start.
	if a.DateDebut != "" && a.DateFin != "" && a.DateFin <= a.DateDebut {
		return invalid(op, "adresses.date_fin", "must be a later day than date_debut")
	}
	return nil
}

// NiveauRelation is annex 4.5's relation level; Checked false removes it.
type NiveauRelation struct {
	NiveauRelation Text `json:"Niveau_relation"`
	Checked        Bool `json:"checked"`
	// Received only.
	NumContact   ID `json:"Num_contact,omitempty"`
	NumClistru   ID `json:"Num_clistru,omitempty"`
	NumIDUnique  ID `json:"Num_id_unique,omitempty"`
	NumOrganisme ID `json:"Num_Organisme,omitempty"`
}

// UnmarshalJSON reads a level as received. Annex 4.5's received object has
// no "checked": a listed level is one the record holds, so Checked defaults
// to true and only an explicit "checked" says otherwise.
func (n *NiveauRelation) UnmarshalJSON(b []byte) error {
	type plain NiveauRelation
	p := plain{Checked: true}
	if err := object(b, &p); err != nil {
		return err
	}
	*n = NiveauRelation(p)
	return nil
}

// b64JSON is the vendor's "JSON minified then base64" parameter encoding.
func b64JSON(v any) string {
	b, _ := json.Marshal(v) // our own types: cannot fail
	return base64.StdEncoding.EncodeToString(b)
}

func checkNiveaux(op string, l []NiveauRelation) error {
	for _, n := range l {
		if strings.TrimSpace(string(n.NiveauRelation)) == "" {
			return invalid(op, "Niveau_de_relations.Niveau_relation", "is required")
		}
		if err := checkLen(op, "Niveau_de_relations.Niveau_relation", string(n.NiveauRelation), niveauMax); err != nil {
			return err
		}
	}
	return nil
}

// ContactFields are the contact fields of ws_ccontact and
// ws_modification_contact (annex 4.1, sent names in fields.go); empty ones
// are not sent.
type ContactFields struct {
	WebIdentifiant                                            string // w_identifiant; ws_ccontact defaults it to Mail
	Civilite                                                  string // web_civil
	Nom, Prenom                                               string // v_nom, v_prenom
	Naissance                                                 string // v_naissance, AAAA-MM-JJ
	Mail                                                      string // v_mail
	TelPort                                                   string // v_tel_port
	TelPro                                                    string // TelPro
	TelPerso                                                  string // GUESS v_tel_perso
	Adress1, Adress2, Adress3, Adress4                        string
	CodePostal, Ville, Pays                                   string
	CodeLibreCon, ModConnaiss, Criterelibres, Commentaire, Rk string
	ChampsLibres                                              map[int]string // champ_libre_N → sent as its vW_Commentaire (annex 4.1)
	DemandeDesinscriptionTout                                 *bool
	Reguliercontact                                           *bool
	Selectionne                                               *bool
	Adresses                                                  []Adresse        // adresses, base64(JSON)
	NiveauxDeRelations                                        []NiveauRelation // Niveau_de_relations, base64(JSON)
}

func (f ContactFields) values(op string, v url.Values) error {
	set := func(name, val string) error {
		if val == "" {
			return nil
		}
		if err := checkLen(op, name, val, maxLengths[name]); err != nil {
			return err
		}
		v.Set(name, val)
		return nil
	}
	for _, kv := range [][2]string{{fMail, f.Mail}, {fIdentifiant, f.WebIdentifiant}, {fCivilite, f.Civilite}, {fNom, f.Nom}, {fPrenom, f.Prenom},
		{fNaissance, f.Naissance}, {fTelPort, f.TelPort}, {fTelPro, f.TelPro}, {fTelPerso, f.TelPerso},
		{fAdr1, f.Adress1}, {fAdr2, f.Adress2}, {fAdr3, f.Adress3}, {fAdr4, f.Adress4}, {fCP, f.CodePostal}, {fVille, f.Ville},
		{fPays, f.Pays}, {fCodeLibreCon, f.CodeLibreCon}, {fModConnaiss, f.ModConnaiss}, {fCritereLibres, f.Criterelibres},
		{fCommentaire, f.Commentaire}, {fRk, f.Rk}} {
		if err := set(kv[0], kv[1]); err != nil {
			return err
		}
	}
	if f.Mail != "" {
		if err := checkEmail(op, fMail, f.Mail); err != nil {
			return err
		}
	}
	if err := checkDate(op, fNaissance, f.Naissance); err != nil {
		return err
	}
	keys := make([]int, 0, len(f.ChampsLibres))
	for n := range f.ChampsLibres {
		keys = append(keys, n)
	}
	sort.Ints(keys)
	for _, n := range keys {
		val := f.ChampsLibres[n]
		name, ok := champLibreSent[n]
		if !ok {
			return invalid(op, "champ_libre_"+strconv.Itoa(n), "there are 15 free fields")
		}
		switch champLibreKind[n] {
		case 'n':
			if _, err := strconv.ParseFloat(val, 64); val != "" && err != nil {
				return invalid(op, name, "must be a number")
			}
		case 'd':
			if err := checkDate(op, name, val); err != nil {
				return err
			}
		default:
			if err := checkLen(op, name, val, 80); err != nil {
				return err
			}
		}
		v.Set(name, val)
	}
	for name, b := range map[string]*bool{fDesinscrire: f.DemandeDesinscriptionTout, fRegulier: f.Reguliercontact, fSelectionne: f.Selectionne} {
		if b != nil {
			v.Set(name, map[bool]string{true: "1", false: "0"}[*b])
		}
	}
	if len(f.Adresses) > 0 {
		for _, a := range f.Adresses {
			if err := a.check(op); err != nil {
				return err
			}
		}
		v.Set(fAdresses, b64JSON(f.Adresses))
	}
	if len(f.NiveauxDeRelations) > 0 {
		if err := checkNiveaux(op, f.NiveauxDeRelations); err != nil {
			return err
		}
		v.Set(fNiveaux, b64JSON(f.NiveauxDeRelations))
	}
	return nil
}

// Choix is a code envoi or an intérêt of a contact.
type Choix struct {
	ID      ID   `json:"id"`
	Code    Text `json:"code"`
	Label   Text `json:"label"`
	Checked Bool `json:"checked"`
}

// ContactInfo is a contact as received (annex 4.1, "champs reçus"). The
// password some answers echo (web_passe) is deliberately not kept.
type ContactInfo struct {
	ID                        ID                   `json:"id"`         // fiche lien (id_clistru): never a contact id
	IDContact                 ID                   `json:"id_contact"` // fiche contact; often absent (take the session's)
	IDContactlist             ID                   `json:"id_contactlist"`
	WebIdentifiant            Text                 `json:"web_identifiant"`
	Civilite                  Text                 `json:"civilite"`
	Name                      Text                 `json:"name"`
	Surname                   Text                 `json:"surname"`
	Naissance                 Text                 `json:"v_naissance"`
	Mail                      Text                 `json:"mail"`
	TelPerso                  Text                 `json:"tel_perso"`
	TelPort                   Text                 `json:"tel_port"`
	TelPro                    Text                 `json:"TelPro"`
	Adress1                   Text                 `json:"adress1"`
	Adress2                   Text                 `json:"adress2"`
	Adress3                   Text                 `json:"adress3"`
	Adress4                   Text                 `json:"Adress4"` // sic, annex 4.1
	CodePostal                Text                 `json:"code_postal"`
	Ville                     Text                 `json:"ville"`
	Pays                      Text                 `json:"pays"`
	Adresses                  List[Adresse]        `json:"adresses"`
	DemandeDesinscriptionTout Bool                 `json:"demande_desinscription_tout"`
	CodeEnvoi                 List[Choix]          `json:"code_envoi"`
	Interet                   List[Choix]          `json:"interet"`
	NiveauDeRelations         List[NiveauRelation] `json:"Niveau_de_relations"`
	CodeLibreCon              Text                 `json:"Code_Libre_Con"`
	Commentaire               Text                 `json:"commentaire"`
	ChampLibre1               Text                 `json:"champ_libre_1"`
	ChampLibre2               Text                 `json:"champ_libre_2"`
	ChampLibre3               Text                 `json:"champ_libre_3"`
	ChampLibre4               Text                 `json:"champ_libre_4"`
	ChampLibre5               Text                 `json:"champ_libre_5"`
	ChampLibre6               Text                 `json:"champ_libre_6"`
	ChampLibre7               Text                 `json:"champ_libre_7"`
	ChampLibre8               Text                 `json:"champ_libre_8"`
	ChampLibre9               Text                 `json:"champ_libre_9"`
	ChampLibre10              Text                 `json:"champ_libre_10"`
	ChampLibre11              Text                 `json:"champ_libre_11"`
	ChampLibre12              Text                 `json:"champ_libre_12"`
	ChampLibre13              Text                 `json:"champ_libre_13"`
	ChampLibre14              Text                 `json:"champ_libre_14"`
	ChampLibre15              Text                 `json:"champ_libre_15"`
	ModConnaiss               Text                 `json:"ModConnaiss"`
	Criterelibres             Text                 `json:"Criterelibres"`
	Reguliercontact           Bool                 `json:"Reguliercontact"`
	Selectionne               Bool                 `json:"Selectionne"`
	Rk                        Text                 `json:"Rk"`
	DateCreation              Text                 `json:"date_creation"` // AAAA-MM-JJ
	DateModif                 Text                 `json:"date_modif"`    // AAAA-MM-JJTHH:MM:SS
}

// FormField is one field of ws_info_formulaire.
type FormField struct {
	Name           Text              `json:"name"`
	OptionValue    List[Text]        `json:"option_value"`
	Index          Int               `json:"index"`
	Checked        Bool              `json:"checked"`
	Type           Text              `json:"type"`
	Label          Text              `json:"label"`
	Value          Text              `json:"value"`
	Option         List[Text]        `json:"option"`
	OptionCode     List[Text]        `json:"option_code"`
	ActionFieldset []json.RawMessage `json:"action_fieldset"`
	Required       Bool              `json:"required"`
	Visible        Bool              `json:"visible"`
	Disabled       Bool              `json:"disabled"`
}

// Formulaire is ws_info_formulaire's message.
type Formulaire struct {
	IDFormulaire Int             `json:"id_formulaire"`
	Formulaire   List[FormField] `json:"formulaire"`
	Libelles     FormLibelles    `json:"libelles"`
}

// FormLibelles are the texts around a contact form.
type FormLibelles struct {
	InfoCnil        Text `json:"libelle_info_cnil"`
	LegendOblig     Text `json:"libelle_legend_oblig"`
	DescriptionHaut Text `json:"libelle_description_haut"`
	DescriptionBas  Text `json:"libelle_description_bas"`
	RegleMdp        Text `json:"libelle_regle_mdp"`
}

func (l *FormLibelles) UnmarshalJSON(b []byte) error {
	type plain FormLibelles
	*l = FormLibelles{}
	return object(b, (*plain)(l))
}

// InfoFormulaire reads a contact form's fields (ws_info_formulaire; old
// forms only, says the vendor). idFormulaire 0 means form 1.
func (c *Client) InfoFormulaire(ctx context.Context, idFormulaire int) (*Formulaire, error) {
	if idFormulaire < 0 {
		return nil, invalid("billetterie.ws_info_formulaire", "id_formulaire", "must be a positive number")
	}
	if idFormulaire == 0 {
		idFormulaire = 1
	}
	var f Formulaire
	if _, err := c.callMessage(ctx, "ws_info_formulaire", url.Values{"id_formulaire": {strconv.Itoa(idFormulaire)}}, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

func formID(n int) string {
	if n <= 0 {
		n = 1
	}
	return strconv.Itoa(n)
}

// NewContact is what ws_ccontact needs.
type NewContact struct {
	Token        string // x_rsi_token (required)
	IDFormulaire int    // id_formulaire; 0 means 1
	Fields       ContactFields
	Password     string   // v_passe (annex 4.7 rules)
	Confirmation string   // v_passec
	Lists        []int    // liste[]
	Interets     []string // interet[]: ids of the interests chosen (annex 4.1)
	CodesEnvoi   []string // code_envoi[]: ids of the mailings chosen (annex 4.1)
}

// CreatedContact is ws_ccontact's answer.
type CreatedContact struct {
	Contact ContactInfo
	Detail  string // the form's feedback, fit for the visitor
}

// CreateContact creates a website account (ws_ccontact), signed in on the
// session.
func (c *Client) CreateContact(ctx context.Context, n NewContact) (*CreatedContact, error) {
	const op = "billetterie.ws_ccontact"
	if err := needToken(op, n.Token); err != nil {
		return nil, err
	}
	f := n.Fields
	if strings.TrimSpace(f.Nom) == "" {
		return nil, invalid(op, fNom, "is required")
	}
	if strings.TrimSpace(f.Mail) == "" {
		return nil, invalid(op, fMail, "is required")
	}
	if f.WebIdentifiant == "" {
		f.WebIdentifiant = f.Mail
	}
	if err := checkPassword(op, "v_passe", n.Password); err != nil {
		return nil, err
	}
	if n.Password != n.Confirmation {
		return nil, invalid(op, "v_passec", "differs from the password")
	}
	form := url.Values{"x_rsi_token": {n.Token}, "id_formulaire": {formID(n.IDFormulaire)}, "v_passe": {n.Password},
		"v_passec": {n.Confirmation}, "creation_compte": {"1"}, "account_home": {"1"}}
	if err := f.values(op, form); err != nil {
		return nil, err
	}
	for _, l := range n.Lists {
		if l <= 0 {
			return nil, invalid(op, "liste[]", "list ids are positive numbers")
		}
		form.Add("liste[]", strconv.Itoa(l))
	}
	// GUESS: annex 4.1 names interet[] and code_envoi[] "tableau contenant un
	// objet" without printing a call; sent as one id per repeated key, like
	// liste[].
	for name, ids := range map[string][]string{"interet[]": n.Interets, "code_envoi[]": n.CodesEnvoi} {
		for _, id := range ids {
			if err := checkID(op, name, id); err != nil {
				return nil, err
			}
			form.Add(name, strings.TrimSpace(id))
		}
	}
	var m struct {
		Contact   ContactInfo `json:"contact"`
		IDContact ID          `json:"id_contact"` // some sites answer it flat
	}
	env, err := c.callMessage(ctx, "ws_ccontact", form, &m)
	if err != nil {
		return nil, err
	}
	if m.Contact.IDContact == "" {
		m.Contact.IDContact = m.IDContact
	}
	return &CreatedContact{Contact: m.Contact, Detail: env.Detail}, nil
}

// CContact creates a website account and returns its id_contact when the
// vendor sends one (kept for existing callers; see CreateContact).
func (c *Client) CContact(ctx context.Context, token string, f ContactFields, password, confirmation string, lists []int) (string, error) {
	r, err := c.CreateContact(ctx, NewContact{Token: token, Fields: f, Password: password, Confirmation: confirmation, Lists: lists})
	if err != nil {
		return "", err
	}
	return r.Contact.IDContact.String(), nil
}

// ChoiceUpdate changes codes envoi or intérêts by id: true ticks (2),
// false unticks (3); ids left out are untouched (1).
type ChoiceUpdate map[string]bool

func addChoices(op string, form url.Values, flag, name string, m ChoiceUpdate) error {
	if len(m) == 0 {
		return nil
	}
	form.Set(flag, "1")
	for id, on := range m {
		if err := checkID(op, name+"[]", id); err != nil {
			return err
		}
		form.Set(name+"["+strings.TrimSpace(id)+"]", map[bool]string{true: "2", false: "3"}[on])
	}
	return nil
}

func (c *Client) modification(ctx context.Context, form url.Values, f ContactFields, codesEnvoi, interets ChoiceUpdate) (*ContactInfo, error) {
	const op = "billetterie.ws_modification_contact"
	if err := f.values(op, form); err != nil {
		return nil, err
	}
	if err := addChoices(op, form, "maj_code_envoi", "liste_maj_code_envoi", codesEnvoi); err != nil {
		return nil, err
	}
	if err := addChoices(op, form, "maj_interet", "liste_maj_interet", interets); err != nil {
		return nil, err
	}
	var m struct {
		Contact ContactInfo `json:"contact"`
	}
	if _, err := c.callMessage(ctx, "ws_modification_contact", form, &m); err != nil {
		return nil, err
	}
	return &m.Contact, nil
}

// UpdateContact changes the signed-in visitor's record
// (ws_modification_contact with x_rsi_token and id_formulaire).
func (c *Client) UpdateContact(ctx context.Context, token string, idFormulaire int, f ContactFields, codesEnvoi, interets ChoiceUpdate) (*ContactInfo, error) {
	if err := needToken("billetterie.ws_modification_contact", token); err != nil {
		return nil, err
	}
	return c.modification(ctx, url.Values{"x_rsi_token": {token}, "id_formulaire": {formID(idFormulaire)}}, f, codesEnvoi, interets)
}

// UpdateContactBackOffice changes any contact by id without a session
// (2.3.3.3: credentials and id_contact; no token, no id_formulaire).
func (c *Client) UpdateContactBackOffice(ctx context.Context, idContact string, f ContactFields, codesEnvoi, interets ChoiceUpdate) (*ContactInfo, error) {
	if err := checkID("billetterie.ws_modification_contact", "id_contact", idContact); err != nil {
		return nil, err
	}
	return c.modification(ctx, c.creds(url.Values{"id_contact": {strings.TrimSpace(idContact)}}), f, codesEnvoi, interets)
}

// ModificationContact is UpdateContact with form 1 (kept for existing callers).
func (c *Client) ModificationContact(ctx context.Context, token string, f ContactFields, codesEnvoi, interets ChoiceUpdate) error {
	_, err := c.UpdateContact(ctx, token, 1, f, codesEnvoi, interets)
	return err
}

// ModificationContactBackOffice is UpdateContactBackOffice (kept for existing callers).
func (c *Client) ModificationContactBackOffice(ctx context.Context, idContact string, f ContactFields, codesEnvoi, interets ChoiceUpdate) error {
	_, err := c.UpdateContactBackOffice(ctx, idContact, f, codesEnvoi, interets)
	return err
}

// PasswordChange is what ws_modification_pwd needs; the key comes from
// Config.PwdKey (BILLETTERIE_PWD_KEY).
type PasswordChange struct {
	Login   string // w_identifiant (required)
	New     string // v_passe (annex 4.7 rules)
	Current string // v_ancien_passe (optional for the vendor)
	Token   string // x_rsi_token: obsolete, sent only when set
}

// ChangePassword sets a contact's password (ws_modification_pwd).
func (c *Client) ChangePassword(ctx context.Context, p PasswordChange) error {
	const op = "billetterie.ws_modification_pwd"
	if c.cfg.PwdKey == "" {
		return errs.E(errs.Op(op), errs.Internal, errs.Msg("BILLETTERIE_PWD_KEY is not configured"))
	}
	if strings.TrimSpace(p.Login) == "" {
		return invalid(op, "w_identifiant", "is required")
	}
	if err := checkLen(op, "w_identifiant", p.Login, maxLengths[fIdentifiant]); err != nil {
		return err
	}
	if err := checkPassword(op, "v_passe", p.New); err != nil {
		return err
	}
	if p.Current != "" && p.Current == p.New {
		return invalid(op, "v_passe", "must differ from the current password")
	}
	form := url.Values{"x_rsi_pwd_key": {c.cfg.PwdKey}, "w_identifiant": {p.Login}, "v_passe": {p.New}}
	if p.Current != "" {
		form.Set("v_ancien_passe", p.Current)
	}
	if p.Token != "" {
		form.Set("x_rsi_token", p.Token)
	}
	_, err := c.callJSON(ctx, "ws_modification_pwd", form)
	return err
}

// ModificationPwd changes the signed-in visitor's password: it reads the
// visitor's login (ws_info_contact) then calls ws_modification_pwd.
func (c *Client) ModificationPwd(ctx context.Context, token, current, next string) error {
	const op = "billetterie.ws_modification_pwd"
	if err := needToken(op, token); err != nil {
		return err
	}
	if err := checkPassword(op, "v_passe", next); err != nil {
		return err
	}
	me, err := c.InfoContactSession(ctx, token)
	if err != nil {
		return err
	}
	login := me.WebIdentifiant
	if login == "" {
		login = me.Mail
	}
	return c.ChangePassword(ctx, PasswordChange{Login: string(login), New: next, Current: current, Token: token})
}

// InfoContactSession reads the signed-in visitor's record (ws_info_contact
// with x_rsi_token and id_formulaire 1).
func (c *Client) InfoContactSession(ctx context.Context, token string) (*ContactInfo, error) {
	return c.InfoContactForm(ctx, token, 1)
}

// InfoContactForm is InfoContactSession with a chosen form.
func (c *Client) InfoContactForm(ctx context.Context, token string, idFormulaire int) (*ContactInfo, error) {
	if err := needToken("billetterie.ws_info_contact", token); err != nil {
		return nil, err
	}
	return c.infoContact(ctx, url.Values{"x_rsi_token": {token}, "id_formulaire": {formID(idFormulaire)}})
}

// InfoContact reads any contact with the back-office parameters
// (credentials and id_contact).
func (c *Client) InfoContact(ctx context.Context, idContact string) (*ContactInfo, error) {
	if err := checkID("billetterie.ws_info_contact", "id_contact", idContact); err != nil {
		return nil, err
	}
	return c.infoContact(ctx, c.creds(url.Values{"id_contact": {strings.TrimSpace(idContact)}}))
}

func (c *Client) infoContact(ctx context.Context, form url.Values) (*ContactInfo, error) {
	var m struct {
		Contact *ContactInfo `json:"contact"`
	}
	if _, err := c.callMessage(ctx, "ws_info_contact", form, &m); err != nil {
		return nil, err
	}
	if m.Contact.empty() {
		return nil, errs.E(errs.Op("billetterie.ws_info_contact"), errs.NotFound, errs.Msg("no such contact"))
	}
	return m.Contact, nil
}

// DeleteAccount deletes the signed-in visitor's account (ws_suppression_compte).
func (c *Client) DeleteAccount(ctx context.Context, token string) error {
	if err := needToken("billetterie.ws_suppression_compte", token); err != nil {
		return err
	}
	_, err := c.callJSON(ctx, "ws_suppression_compte", url.Values{"x_rsi_token": {token}})
	return err
}

// SuppressionCompte is DeleteAccount (kept for existing callers).
func (c *Client) SuppressionCompte(ctx context.Context, token string) error {
	return c.DeleteAccount(ctx, token)
}
