// Package billetterie is the client of the L@billetterie (Ressources SI)
// web services: form-encoded calls to <site>/ws_<name>, answered by a JSON
// envelope or an XML flux. It knows nothing of GraphQL: callers get vendor
// records (field names kept in the tags) and typed errs errors.
package billetterie

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/guichet/guichet/errs"
)

// Config is how Guichet reaches a venue's ticketing system.
type Config struct {
	BaseURL, Login, Password, Client string // BILLETTERIE_URL, _LOGIN, _PASSWORD, _CLIENT
	APIURL, APILogin, APIKey         string // ws_execute_programme host (BILLETTERIE_API_*)
	PwdKey                           string // x_rsi_pwd_key of ws_modification_pwd
	UseGET                           bool
	HTTPClient                       *http.Client
	Timeout                          time.Duration // per-call deadline; 0 means 10 s
}

// String never shows the secrets.
func (c Config) String() string {
	return fmt.Sprintf("billetterie.Config{BaseURL:%s Login:%s Client:%s Password:(masked) APIKey:(masked) PwdKey:(masked)}", c.BaseURL, c.Login, c.Client)
}

// GoString keeps %#v as safe as %v.
func (c Config) GoString() string { return c.String() }

// LogValue keeps slog as safe as %v.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Client calls one venue's web services. Safe for concurrent use.
type Client struct {
	cfg   Config
	base  string
	api   string
	http  *http.Client
	mu    sync.Mutex
	calls map[string]int
}

// maxBody caps what a JSON service may answer; the XML flux is streamed.
const maxBody = 16 << 20

// New checks the configuration and builds a client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errs.E(errs.Op("billetterie.New"), errs.Invalid, errs.Field("BILLETTERIE_URL"), errs.Msg("must be an http(s) URL"))
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	c := &Client{cfg: cfg, base: strings.TrimRight(cfg.BaseURL, "/") + "/", calls: map[string]int{}}
	if cfg.APIURL != "" {
		c.api = strings.TrimRight(cfg.APIURL, "/") + "/"
	}
	c.http = cfg.HTTPClient
	if c.http == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 32
		tr.ResponseHeaderTimeout = cfg.Timeout
		c.http = &http.Client{Transport: tr, Timeout: cfg.Timeout + 5*time.Second}
	}
	return c, nil
}

// Calls returns how many calls each service received.
func (c *Client) Calls() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.calls))
	for k, v := range c.calls {
		out[k] = v
	}
	return out
}

// SiteURL is the sales site's base URL, with a trailing slash.
func (c *Client) SiteURL() string { return c.base }

func (c *Client) creds(v url.Values) url.Values {
	if v == nil {
		v = url.Values{}
	}
	v.Set("x_rsi_ws_login", c.cfg.Login)
	v.Set("x_rsi_ws_mdp", c.cfg.Password)
	v.Set("x_rsi_client", c.cfg.Client)
	return v
}

// do sends one call and returns the body, open, for the caller to decode.
func (c *Client) do(ctx context.Context, base, service string, form url.Values, get bool) (io.ReadCloser, context.CancelFunc, error) {
	op := "billetterie." + service
	c.mu.Lock()
	c.calls[service]++
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	var req *http.Request
	var err error
	target := base + service
	if get || c.cfg.UseGET {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, target+"?"+form.Encode(), nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		cancel()
		return nil, nil, errs.E(errs.Op(op), errs.Internal, err)
	}
	res, err := c.http.Do(req)
	if err != nil {
		cancel()
		// The URL error carries the query string (credentials on GET): keep only its kind.
		return nil, nil, errs.Transport(op, stripURL(err))
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		cancel()
		return nil, nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg(fmt.Sprintf("the ticketing system answered HTTP %d", res.StatusCode)))
	}
	return res.Body, cancel, nil
}

func stripURL(err error) error {
	var ue *url.Error
	if e, ok := err.(*url.Error); ok {
		ue = e
		return ue.Err
	}
	return err
}

// statut is the vendor's status object.
type statut struct {
	Code       json.Number `json:"code"`
	Traitement string      `json:"traitement"`
	Message    string      `json:"message"`
}

type envelope struct {
	Retour struct {
		Statut  *statut         `json:"statut"`
		Message json.RawMessage `json:"message"`
		Erreur  struct {
			Detail string `json:"détail"`
		} `json:"erreur"`
		Detail json.RawMessage `json:"detail"`
		// Services whose statut sits at the top of retour.
		Code       json.Number `json:"code"`
		Traitement string      `json:"traitement"`
	} `json:"retour"`
}

// callJSON sends a JSON service call and decodes retour.message into out.
// A "ko" traitement is an error whatever the HTTP status.
func (c *Client) callJSON(ctx context.Context, service string, form url.Values, out any) (int, error) {
	raw, err := c.fetch(ctx, c.base, service, form, false)
	if err != nil {
		return 0, err
	}
	return decodeEnvelope(service, raw, out)
}

func (c *Client) fetch(ctx context.Context, base, service string, form url.Values, get bool) ([]byte, error) {
	body, cancel, err := c.do(ctx, base, service, form, get)
	if err != nil {
		return nil, err
	}
	defer cancel()
	defer body.Close()
	raw, err := io.ReadAll(io.LimitReader(body, maxBody))
	if err != nil {
		return nil, errs.Transport("billetterie."+service, err)
	}
	return raw, nil
}

// decodeEnvelope reads {"retour":{...}} and maps the statut.
func decodeEnvelope(service string, raw []byte, out any) (int, error) {
	op := "billetterie." + service
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		return 0, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered something that is not its JSON envelope"))
	}
	st := env.Retour.Statut
	if st == nil {
		if env.Retour.Code == "" && env.Retour.Traitement == "" {
			return 0, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered without a status"))
		}
		st = &statut{Code: env.Retour.Code, Traitement: env.Retour.Traitement}
		json.Unmarshal(env.Retour.Message, &st.Message)
	}
	code64, _ := st.Code.Int64()
	code := int(code64)
	if !strings.EqualFold(st.Traitement, "ok") {
		return code, statusError(op, code, st.Message, env.Retour.Erreur.Detail)
	}
	if out != nil {
		src := []byte(env.Retour.Message)
		if len(src) == 0 || src[0] == '"' {
			// Services whose payload sits beside the statut in retour.
			var whole struct {
				Retour json.RawMessage `json:"retour"`
			}
			json.Unmarshal(raw, &whole)
			src = whole.Retour
		}
		if err := json.Unmarshal(src, out); err != nil {
			return code, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system's answer has an unexpected shape"))
		}
	}
	return code, nil
}
