package billetterie

import (
	"context"
	"net/url"
	"strings"

	"github.com/guichet/guichet/errs"
)

// Commande is the order attached to a session. Status: 1 in progress,
// 2 paid, -1 invalid, -2 timed out.
type Commande struct {
	ID           ID  `json:"id"`
	TempsRestant Int `json:"temps_restant"`
	Status       Int `json:"status"` // the spec's own example prints no value: 0
}

// SessionContact is the signed-in visitor of a session.
type SessionContact struct {
	ID        ID `json:"id"`         // fiche lien (id_clistru): never a contact id
	IDContact ID `json:"id_contact"` // fiche contact: the signed-in visitor
}

// SessionInfo is ws_idsession's and ws_status_session's message.
type SessionInfo struct {
	Jeton        string          `json:"jeton"`
	Duree        Text            `json:"duree"` // ISO 8601 duration, "PT48H"
	TempsRestant Int             `json:"temps_restant"`
	IDSession    ID              `json:"id_session"`
	Status       Int             `json:"status"` // 0 expired, 1 running
	Login        Bool            `json:"login"`
	Commande     *Commande       `json:"commande"`
	Contact      *SessionContact `json:"contact"`
}

func needToken(op, token string) error {
	if strings.TrimSpace(token) == "" {
		return errs.E(errs.Op(op), errs.Unauthenticated, errs.Field("x_rsi_token"), errs.Msg("a session token is required"))
	}
	return nil
}

// CreateSession opens a visitor session (ws_idsession) and returns its token.
func (c *Client) CreateSession(ctx context.Context) (*SessionInfo, error) {
	var s SessionInfo
	if _, err := c.callMessage(ctx, "ws_idsession", c.creds(nil), &s); err != nil {
		return nil, err
	}
	if s.Jeton == "" {
		return nil, errs.E(errs.Op("billetterie.ws_idsession"), errs.Unavailable, errs.Msg("the ticketing system opened a session without a token"))
	}
	return &s, nil
}

// SessionStatus reads a session's state (ws_status_session: token only).
func (c *Client) SessionStatus(ctx context.Context, token string) (*SessionInfo, error) {
	if err := needToken("billetterie.ws_status_session", token); err != nil {
		return nil, err
	}
	var s SessionInfo
	if _, err := c.callMessage(ctx, "ws_status_session", url.Values{"x_rsi_token": {token}}, &s); err != nil {
		return nil, err
	}
	s.Jeton = token
	return &s, nil
}

// Logout signs the visitor out (ws_deconnexion_session: credentials and token).
func (c *Client) Logout(ctx context.Context, token string) error {
	if err := needToken("billetterie.ws_deconnexion_session", token); err != nil {
		return err
	}
	_, err := c.callJSON(ctx, "ws_deconnexion_session", c.creds(url.Values{"x_rsi_token": {token}}))
	return err
}

// IDSession is CreateSession. Deprecated: use CreateSession.
func (c *Client) IDSession(ctx context.Context) (*SessionInfo, error) { return c.CreateSession(ctx) }

// StatusSession is SessionStatus. Deprecated: use SessionStatus.
func (c *Client) StatusSession(ctx context.Context, token string) (*SessionInfo, error) {
	return c.SessionStatus(ctx, token)
}

// DeconnexionSession is Logout. Deprecated: use Logout.
func (c *Client) DeconnexionSession(ctx context.Context, token string) error {
	return c.Logout(ctx, token)
}

// LoginContact is ws_login's contact.
type LoginContact struct {
	Name      Text `json:"name"`
	Surname   Text `json:"surname"`
	IDClistru ID   `json:"id_clistru"` // fiche lien: never a contact id
	IDContact ID   `json:"id_contact"`
}

// LoginResult is ws_login's message.
type LoginResult struct {
	Contact LoginContact `json:"contact"`
}

// Login signs a visitor in on a session (ws_login: x_rsi_token, web_ident,
// web_passe).
func (c *Client) Login(ctx context.Context, token, email, password string) (*LoginResult, error) {
	const op = "billetterie.ws_login"
	if err := needToken(op, token); err != nil {
		return nil, err
	}
	if strings.TrimSpace(email) == "" {
		return nil, invalid(op, "web_ident", "is required")
	}
	if password == "" {
		return nil, invalid(op, "web_passe", "is required")
	}
	var r struct {
		LoginResult
		// Some sites answer the contact's ids flat in message.
		IDContact ID `json:"id_contact"`
		ID        ID `json:"id"` // the link record, as in ws_info_contact
	}
	form := url.Values{"x_rsi_token": {token}, "web_ident": {email}, "web_passe": {password}}
	if _, err := c.callMessage(ctx, "ws_login", form, &r); err != nil {
		return nil, err
	}
	if r.Contact.IDContact == "" {
		r.Contact.IDContact = r.IDContact
	}
	if r.Contact.IDClistru == "" {
		r.Contact.IDClistru = r.ID
	}
	return &r.LoginResult, nil
}
