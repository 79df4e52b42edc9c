package billetterie

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is an adjustable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var testNow = time.Date(2026, time.November, 22, 10, 0, 0, 0, time.UTC)

type env struct {
	t   *testing.T
	srv *Server
	url string
	clk *clock
	cfg Config
}

func newEnv(t *testing.T) *env {
	t.Helper()
	clk := &clock{t: testNow}
	cfg := DefaultConfig()
	cfg.Now = clk.Now
	s := New(cfg)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return &env{t: t, srv: s, url: hs.URL + "/billetterie", clk: clk, cfg: cfg}
}

func (e *env) creds(kv ...string) url.Values {
	v := url.Values{"x_rsi_ws_login": {e.cfg.Login}, "x_rsi_ws_mdp": {e.cfg.Password}, "x_rsi_client": {e.cfg.Client}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// post sends a form and returns the status and raw body.
func (e *env) post(service string, form url.Values) (int, []byte) {
	e.t.Helper()
	resp, err := http.PostForm(e.url+"/"+service, form)
	if err != nil {
		e.t.Fatalf("%s: %v", service, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s: read: %v", service, err)
	}
	return resp.StatusCode, b
}

type envelope struct {
	Retour struct {
		Statut struct {
			Code       int    `json:"code"`
			Traitement string `json:"traitement"`
			Message    string `json:"message"`
		} `json:"statut"`
		Message json.RawMessage `json:"message"`
		Erreur  struct {
			Detail string `json:"détail"`
		} `json:"erreur"`
	} `json:"retour"`
}

// call posts and decodes the JSON envelope.
func (e *env) call(service string, form url.Values) envelope {
	e.t.Helper()
	code, b := e.post(service, form)
	if code != http.StatusOK {
		e.t.Fatalf("%s: HTTP %d: %s", service, code, b)
	}
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		e.t.Fatalf("%s: %v in %s", service, err, b)
	}
	return env
}

func (e *env) expect(service string, form url.Values, code int, trait string) envelope {
	e.t.Helper()
	env := e.call(service, form)
	if env.Retour.Statut.Code != code || env.Retour.Statut.Traitement != trait {
		e.t.Fatalf("%s: got %d %s (%s), want %d %s", service, env.Retour.Statut.Code, env.Retour.Statut.Traitement, env.Retour.Statut.Message, code, trait)
	}
	return env
}

func (e *env) token() string {
	e.t.Helper()
	env := e.expect("ws_idsession", e.creds(), 603, "ok")
	var m struct {
		Jeton string `json:"jeton"`
	}
	if err := json.Unmarshal(env.Retour.Message, &m); err != nil {
		e.t.Fatal(err)
	}
	return m.Jeton
}

func (e *env) loginDemo() string {
	e.t.Helper()
	tok := e.token()
	e.expect("ws_login", e.creds("x_rsi_token", tok, "web_ident", "camille.martin@exemple.fr", "web_passe", "Guichet2026"), 514, "ok")
	return tok
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
