package soap

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"fmt"
)

const (
	nsWSSE         = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsWSU          = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	typeText       = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
	typeDigest     = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
	encodingBase64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// security is the wsse:Security header, built for one call only: gowsdl's
// client keeps headers as shared state, so it is never reused.
type security struct {
	XMLName xml.Name      `xml:"wsse:Security"`
	NSWSSE  string        `xml:"xmlns:wsse,attr"`
	NSWSU   string        `xml:"xmlns:wsu,attr,omitempty"`
	Token   usernameToken `xml:"wsse:UsernameToken"`
}

type usernameToken struct {
	Username string       `xml:"wsse:Username"`
	Password wssePassword `xml:"wsse:Password"`
	Nonce    *wsseNonce   `xml:"wsse:Nonce,omitempty"`
	Created  string       `xml:"wsu:Created,omitempty"`
}

type wssePassword struct {
	Type  string `xml:"Type,attr,omitempty"`
	Value string `xml:",chardata"`
}

type wsseNonce struct {
	EncodingType string `xml:"EncodingType,attr"`
	Value        string `xml:",chardata"`
}

// String keeps the header out of logs and errors.
func (s *security) String() string { return "wsse:Security{<redacted>}" }

// credentials are the account a call is made with.
type credentials struct {
	username, password string
}

type credentialsKey struct{}

// WithCredentials makes the calls under ctx use another AboWeb account than
// the configured one (one deployment serving several publishers). Each call
// builds its own header, so concurrent calls never see each other's account.
func WithCredentials(ctx context.Context, username, password string) context.Context {
	return context.WithValue(ctx, credentialsKey{}, credentials{username, password})
}

// SHA1Password is the vendor's password form: base64 of the raw SHA-1 digest.
func SHA1Password(plain string) string {
	sum := sha1.Sum([]byte(plain))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// header builds the security header of one call.
func (c *Client) header(ctx context.Context) (*security, error) {
	cr, ok := ctx.Value(credentialsKey{}).(credentials)
	if !ok {
		cr = credentials{c.cfg.Username, c.cfg.Password}
	}
	h := &security{NSWSSE: nsWSSE, Token: usernameToken{Username: cr.username}}
	switch c.cfg.PasswordMode {
	case PasswordText:
		h.Token.Password = wssePassword{Type: typeText, Value: cr.password}
	case PasswordDigest:
		nonce, err := c.cfg.Nonce()
		if err != nil {
			return nil, fmt.Errorf("nonce: %w", err)
		}
		created := c.cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z")
		d := sha1.New()
		d.Write(nonce)
		d.Write([]byte(created))
		d.Write([]byte(cr.password))
		h.NSWSU = nsWSU
		h.Token.Password = wssePassword{Type: typeDigest, Value: base64.StdEncoding.EncodeToString(d.Sum(nil))}
		h.Token.Nonce = &wsseNonce{EncodingType: encodingBase64, Value: base64.StdEncoding.EncodeToString(nonce)}
		h.Token.Created = created
	default:
		h.Token.Password = wssePassword{Value: SHA1Password(cr.password)}
	}
	return h, nil
}
