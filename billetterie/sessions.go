package billetterie

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/guichet/guichet/errs"
)

// Commande is the order attached to a session.
type Commande struct {
	ID           string `json:"id"`
	TempsRestant int    `json:"temps_restant"`
	Status       int    `json:"status"`
}

// SessionInfo is ws_idsession's and ws_status_session's message.
type SessionInfo struct {
	Jeton        string    `json:"jeton"`
	Duree        string    `json:"duree"`
	TempsRestant int       `json:"temps_restant"`
	IDSession    string    `json:"id_session"`
	Status       int       `json:"status"`
	Login        bool      `json:"login"`
	Commande     *Commande `json:"commande"`
	Contact      *struct {
		ID        json.Number `json:"id"`
		IDContact json.Number `json:"id_contact"`
	} `json:"contact"`
}

func needToken(op, token string) error {
	if strings.TrimSpace(token) == "" {
		return errs.E(errs.Op(op), errs.Unauthenticated, errs.Field("x_rsi_token"), errs.Msg("a session token is required"))
	}
	return nil
}

// IDSession opens a session (ws_idsession).
func (c *Client) IDSession(ctx context.Context) (*SessionInfo, error) {
	var s SessionInfo
	if _, err := c.callJSON(ctx, "ws_idsession", c.creds(nil), &s); err != nil {
		return nil, err
	}
	if s.Jeton == "" {
		return nil, errs.E(errs.Op("billetterie.ws_idsession"), errs.Unavailable, errs.Msg("the ticketing system opened a session without a token"))
	}
	return &s, nil
}

// StatusSession reads a session's state (ws_status_session).
func (c *Client) StatusSession(ctx context.Context, token string) (*SessionInfo, error) {
	if err := needToken("billetterie.ws_status_session", token); err != nil {
		return nil, err
	}
	var s SessionInfo
	if _, err := c.callJSON(ctx, "ws_status_session", url.Values{"x_rsi_token": {token}}, &s); err != nil {
		return nil, err
	}
	s.Jeton = token
	return &s, nil
}

// DeconnexionSession signs the visitor out (ws_deconnexion_session).
func (c *Client) DeconnexionSession(ctx context.Context, token string) error {
	if err := needToken("billetterie.ws_deconnexion_session", token); err != nil {
		return err
	}
	_, err := c.callJSON(ctx, "ws_deconnexion_session", c.creds(url.Values{"x_rsi_token": {token}}), nil)
	return err
}

// LoginResult is ws_login's message.
type LoginResult struct {
	IDContact json.Number `json:"id_contact"`
	ID        json.Number `json:"id"`
}

// Login signs a visitor in on a session (ws_login).
func (c *Client) Login(ctx context.Context, token, email, password string) (*LoginResult, error) {
	const op = "billetterie.ws_login"
	if err := needToken(op, token); err != nil {
		return nil, err
	}
	if email == "" || password == "" {
		return nil, errs.E(errs.Op(op), errs.Invalid, errs.Field("login"), errs.Msg("email and password are required"))
	}
	var r LoginResult
	form := c.creds(url.Values{"x_rsi_token": {token}, "login": {email}, "password": {password}})
	if _, err := c.callJSON(ctx, "ws_login", form, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Choix is a code envoi or an intérêt of a contact.
type Choix struct {
	ID      json.Number `json:"id"`
	Code    string      `json:"code"`
	Label   string      `json:"label"`
	Checked bool        `json:"checked"`
}

// ContactInfo is ws_info_contact's contact (field names of annex 4.1).
type ContactInfo struct {
	ID             json.Number `json:"id"`
	Civilite       string      `json:"civilite"`
	Name           string      `json:"name"`
	Surname        string      `json:"surname"`
	Mail           string      `json:"mail"`
	WebIdentifiant string      `json:"web_identifiant"`
	TelPerso       string      `json:"tel_perso"`
	TelPort        string      `json:"tel_port"`
	Adress1        string      `json:"adress1"`
	Adress2        string      `json:"adress2"`
	Adress3        string      `json:"adress3"`
	CodePostal     string      `json:"code_postal"`
	Ville          string      `json:"ville"`
	Pays           string      `json:"pays"`
	CodeEnvoi      []Choix     `json:"code_envoi"`
	Interet        []Choix     `json:"interet"`
}

// InfoContactSession reads the signed-in visitor's record (ws_info_contact
// with a token and form 1).
func (c *Client) InfoContactSession(ctx context.Context, token string) (*ContactInfo, error) {
	if err := needToken("billetterie.ws_info_contact", token); err != nil {
		return nil, err
	}
	return c.infoContact(ctx, url.Values{"x_rsi_token": {token}, "id_formulaire": {"1"}})
}

// InfoContact reads any contact with the back-office form (id_contact).
func (c *Client) InfoContact(ctx context.Context, idContact string) (*ContactInfo, error) {
	if _, err := strconv.ParseInt(idContact, 10, 64); err != nil {
		return nil, errs.E(errs.Op("billetterie.ws_info_contact"), errs.Invalid, errs.Field("id_contact"), errs.Msg("must be a number"))
	}
	return c.infoContact(ctx, c.creds(url.Values{"id_contact": {idContact}}))
}

func (c *Client) infoContact(ctx context.Context, form url.Values) (*ContactInfo, error) {
	var m struct {
		Contact *ContactInfo `json:"contact"`
	}
	if _, err := c.callJSON(ctx, "ws_info_contact", form, &m); err != nil {
		return nil, err
	}
	if m.Contact == nil {
		return nil, errs.E(errs.Op("billetterie.ws_info_contact"), errs.NotFound, errs.Msg("no such contact"))
	}
	return m.Contact, nil
}

// ContactFields are the v_ fields of ws_ccontact and ws_modification_contact
// (annex 4.1); empty ones are not sent.
type ContactFields struct {
	Civilite, Nom, Prenom, Mail, TelPerso, TelPort     string
	Adress1, Adress2, Adress3, CodePostal, Ville, Pays string
}

// maxLen are the annex 4.1 limits we check before calling.
var maxLen = map[string]int{"v_nom": 50, "v_prenom": 50, "v_mail": 100, "v_civilite": 20, "v_tel_perso": 20, "v_tel_port": 20,
	"v_adress1": 50, "v_adress2": 50, "v_adress3": 50, "v_code_postal": 10, "v_ville": 50, "v_pays": 50}

func (f ContactFields) values(op string, v url.Values) error {
	for k, val := range map[string]string{"v_civilite": f.Civilite, "v_nom": f.Nom, "v_prenom": f.Prenom, "v_mail": f.Mail,
		"v_tel_perso": f.TelPerso, "v_tel_port": f.TelPort, "v_adress1": f.Adress1, "v_adress2": f.Adress2, "v_adress3": f.Adress3,
		"v_code_postal": f.CodePostal, "v_ville": f.Ville, "v_pays": f.Pays} {
		if val == "" {
			continue
		}
		if n := maxLen[k]; len([]rune(val)) > n {
			return errs.E(errs.Op(op), errs.Invalid, errs.Field(k), errs.Msg("is longer than "+strconv.Itoa(n)+" characters"))
		}
		v.Set(k, val)
	}
	return nil
}

// CContact creates a website account and signs it in on the session
// (ws_ccontact). Lists are mailing list ids (liste[]).
func (c *Client) CContact(ctx context.Context, token string, f ContactFields, password, confirmation string, lists []int) (string, error) {
	const op = "billetterie.ws_ccontact"
	if err := needToken(op, token); err != nil {
		return "", err
	}
	if f.Nom == "" || f.Mail == "" {
		return "", errs.E(errs.Op(op), errs.Invalid, errs.Field("v_nom"), errs.Msg("name and email are required"))
	}
	if p := PasswordProblem(password); p != "" {
		return "", errs.E(errs.Op(op), errs.Invalid, errs.Field("password"), errs.Msg(p))
	}
	if password != confirmation {
		return "", errs.E(errs.Op(op), errs.Invalid, errs.Field("passwordConfirmation"), errs.Msg("differs from the password"))
	}
	form := c.creds(url.Values{"x_rsi_token": {token}, "v_passe": {password}, "v_passec": {confirmation}, "creation_compte": {"1"}})
	if err := f.values(op, form); err != nil {
		return "", err
	}
	for _, l := range lists {
		form.Add("liste[]", strconv.Itoa(l))
	}
	var r struct {
		IDContact json.Number `json:"id_contact"`
	}
	if _, err := c.callJSON(ctx, "ws_ccontact", form, &r); err != nil {
		return "", err
	}
	return r.IDContact.String(), nil
}

// ChoiceUpdate is how a code envoi or an intérêt changes: 2 adds, 3 removes.
type ChoiceUpdate map[string]bool

// ModificationContact changes the signed-in visitor's record
// (ws_modification_contact with a session).
func (c *Client) ModificationContact(ctx context.Context, token string, f ContactFields, codesEnvoi, interets ChoiceUpdate) error {
	const op = "billetterie.ws_modification_contact"
	if err := needToken(op, token); err != nil {
		return err
	}
	form := url.Values{"x_rsi_token": {token}}
	if err := f.values(op, form); err != nil {
		return err
	}
	addChoices(form, "liste_maj_code_envoi", codesEnvoi)
	addChoices(form, "liste_maj_interet", interets)
	_, err := c.callJSON(ctx, "ws_modification_contact", form, nil)
	return err
}

// ModificationContactBackOffice changes any contact by id (without session).
func (c *Client) ModificationContactBackOffice(ctx context.Context, idContact string, f ContactFields, codesEnvoi, interets ChoiceUpdate) error {
	const op = "billetterie.ws_modification_contact"
	form := c.creds(url.Values{"id_contact": {idContact}})
	if err := f.values(op, form); err != nil {
		return err
	}
	addChoices(form, "liste_maj_code_envoi", codesEnvoi)
	addChoices(form, "liste_maj_interet", interets)
	_, err := c.callJSON(ctx, "ws_modification_contact", form, nil)
	return err
}

func addChoices(form url.Values, name string, m ChoiceUpdate) {
	for id, on := range m {
		v := "3"
		if on {
			v = "2"
		}
		form.Set(name+"["+id+"]", v)
	}
}

// ModificationPwd changes the signed-in visitor's password (ws_modification_pwd).
func (c *Client) ModificationPwd(ctx context.Context, token, current, next string) error {
	const op = "billetterie.ws_modification_pwd"
	if err := needToken(op, token); err != nil {
		return err
	}
	if p := PasswordProblem(next); p != "" {
		return errs.E(errs.Op(op), errs.Invalid, errs.Field("newPassword"), errs.Msg(p))
	}
	form := url.Values{"x_rsi_token": {token}, "x_rsi_pwd_key": {c.cfg.PwdKey}, "v_passe_actuel": {current}, "v_passe": {next}, "v_passec": {next}}
	_, err := c.callJSON(ctx, "ws_modification_pwd", form, nil)
	return err
}

// SuppressionCompte deletes the signed-in visitor's account.
func (c *Client) SuppressionCompte(ctx context.Context, token string) error {
	if err := needToken("billetterie.ws_suppression_compte", token); err != nil {
		return err
	}
	_, err := c.callJSON(ctx, "ws_suppression_compte", url.Values{"x_rsi_token": {token}}, nil)
	return err
}

// PasswordProblem checks the rules of annex 4.7 before any call.
func PasswordProblem(pw string) string {
	var up, low, dig bool
	for _, r := range pw {
		switch {
		case r >= 'A' && r <= 'Z' || r >= 'À' && r <= 'Þ':
			up = true
		case r >= 'a' && r <= 'z' || r >= 'ß' && r <= 'ÿ':
			low = true
		case r >= '0' && r <= '9':
			dig = true
		}
	}
	switch {
	case len([]rune(pw)) < 8:
		return "needs at least 8 characters"
	case strings.Contains(pw, "@"):
		return "must not contain @"
	case !up || !low || !dig:
		return "needs an upper-case letter, a lower-case letter and a digit"
	}
	return ""
}

func b64JSON(v any) string {
	b, _ := json.Marshal(v)
	return base64.StdEncoding.EncodeToString(b)
}
