package soap

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/guichet/guichet/errs"
)

// PasswordMode says how the UsernameToken carries the password.
type PasswordMode string

const (
	// PasswordSHA1 sends base64(SHA-1(password)) over the raw digest, no Type
	// attribute: what the vendor's own samples send. The default.
	PasswordSHA1 PasswordMode = "sha1"
	// PasswordText sends the password in clear with Type PasswordText.
	PasswordText PasswordMode = "text"
	// PasswordDigest is the standard WSS PasswordDigest with Nonce and Created.
	PasswordDigest PasswordMode = "digest"
)

// Config configures a Client. Only URL, Username and Password are required.
type Config struct {
	URL, Username, Password string       // ABOWEB_URL, ABOWEB_USERNAME, ABOWEB_PASSWORD (plain; hashed by the client)
	PasswordMode            PasswordMode // ABOWEB_PASSWORD_MODE
	// UpdateSendsAll mirrors the vendor's WS_FORCE_UPDATE_ONLY_SENDING_PARAMS=False:
	// fields omitted from an update are erased, so partial updates are done as
	// read-modify-write (ABOWEB_UPDATE_SENDS_ALL).
	UpdateSendsAll bool
	HTTPClient     *http.Client  // shared by every call; nil builds one with explicit timeouts
	Timeout        time.Duration // per-call deadline; 0 means 10s (ABOWEB_TIMEOUT)
	RefSociete     int           // sendPassword's refSociete; 0 means 1 (single company)
	Logger         *slog.Logger  // operator alerts (upstream auth failures); nil means slog.Default()
	// AuthFallback retries a customer authentication with authenticateByEmail,
	// the name public code called in 2015-16, when the server does not know the
	// documented authenticateEncrypteByEmail (ABOWEB_AUTH_FALLBACK).
	AuthFallback bool
	// OnLenientField is called each time a client-record field is read
	// leniently (text that does not convert: served as empty), with the wire
	// field name; metrics count it. Never the value. Nil: not counted.
	OnLenientField func(field string)

	// Clock and nonce of the digest mode, injectable for golden tests.
	Now   func() time.Time
	Nonce func() ([]byte, error)
}

// DefaultTimeout is the per-call deadline when Config.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// ConfigFromEnv reads the ABOWEB_* variables through getenv (os.Getenv).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		URL:          getenv("ABOWEB_URL"),
		Username:     getenv("ABOWEB_USERNAME"),
		Password:     getenv("ABOWEB_PASSWORD"),
		PasswordMode: PasswordMode(strings.ToLower(getenv("ABOWEB_PASSWORD_MODE"))),
	}
	if v := getenv("ABOWEB_UPDATE_SENDS_ALL"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, errs.E(errs.Op("soap.config"), errs.Invalid, errs.Field("ABOWEB_UPDATE_SENDS_ALL"), errs.Msg("must be true or false"))
		}
		c.UpdateSendsAll = b
	}
	if v := getenv("ABOWEB_AUTH_FALLBACK"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, errs.E(errs.Op("soap.config"), errs.Invalid, errs.Field("ABOWEB_AUTH_FALLBACK"), errs.Msg("must be true or false"))
		}
		c.AuthFallback = b
	}
	if v := getenv("ABOWEB_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, errs.E(errs.Op("soap.config"), errs.Invalid, errs.Field("ABOWEB_TIMEOUT"), errs.Msg("must be a positive duration such as 10s"))
		}
		c.Timeout = d
	}
	return c, nil
}

func (c *Config) normalise() error {
	op := errs.Op("soap.New")
	if c.URL == "" || !(strings.HasPrefix(c.URL, "http://") || strings.HasPrefix(c.URL, "https://")) {
		return errs.E(op, errs.Invalid, errs.Field("ABOWEB_URL"), errs.Msg("an http(s) URL is required"))
	}
	if c.Username == "" || c.Password == "" {
		return errs.E(op, errs.Invalid, errs.Field("ABOWEB_USERNAME"), errs.Msg("username and password are required"))
	}
	switch c.PasswordMode {
	case "":
		c.PasswordMode = PasswordSHA1
	case PasswordSHA1, PasswordText, PasswordDigest:
	default:
		return errs.E(op, errs.Invalid, errs.Field("ABOWEB_PASSWORD_MODE"), errs.Msg("must be sha1, text or digest"))
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.RefSociete == 0 {
		c.RefSociete = 1
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Nonce == nil {
		c.Nonce = func() ([]byte, error) {
			b := make([]byte, 16)
			_, err := rand.Read(b)
			return b, err
		}
	}
	if c.HTTPClient == nil {
		c.HTTPClient = newHTTPClient(c.Timeout)
	}
	return nil
}

// String hides the credentials: a Config may end up in a log line.
func (c Config) String() string {
	return fmt.Sprintf("soap.Config{URL:%q Username:<redacted> Password:<redacted> PasswordMode:%s UpdateSendsAll:%t Timeout:%s}",
		c.URL, c.PasswordMode, c.UpdateSendsAll, c.Timeout)
}

// GoString hides the credentials from %#v too.
func (c Config) GoString() string { return c.String() }

// LogValue hides the credentials from slog.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("url", c.URL), slog.String("password_mode", string(c.PasswordMode)),
		slog.Bool("update_sends_all", c.UpdateSendsAll), slog.Duration("timeout", c.Timeout))
}
