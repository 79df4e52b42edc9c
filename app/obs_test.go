package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/obs"
	"github.com/guichet/guichet/sandbox"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/sandbox/fault"
	"github.com/guichet/guichet/sandbox/fixture"
	"go.opentelemetry.io/otel"
)

// logSink collects the JSON log lines of an app; written from many goroutines.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *logSink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// lines decodes every line; a line that is not JSON fails the test.
func (s *logSink) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		out = append(out, m)
	}
	return out
}

// bootLogged boots the app as main does (JSON logger with redaction of the
// configuration's secrets) on env, with the log captured.
func bootLogged(t *testing.T, env map[string]string) (*e2e, *logSink) {
	t.Helper()
	cfg, err := config.Load(testEnv(t, env))
	if err != nil {
		t.Fatal(err)
	}
	cfg, sb := sandboxed(t, cfg)
	sink := &logSink{}
	logger := obs.NewLogger(sink, cfg.LogLevel, obs.NewSecrets(cfg.Secrets()...))
	// As main does: packages logging through slog's default (the error
	// presenter) write to the same redacted log.
	prev := slog.Default()
	slog.SetDefault(logger)
	t.Cleanup(func() { slog.SetDefault(prev) })
	return bootApp(t, cfg, sb, logger), sink
}

func get(t *testing.T, u string, h map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// Ensure /metrics exposes the operation, latency, batch, cache and sync
// series after a few queries over HTTP.
func TestObsMetricsAfterQueries(t *testing.T) {
	e, _ := bootLogged(t, nil)
	bo := map[string]string{"Authorization": "Bearer " + e.key}
	e.ok(e.do(bo, `query Sub($c: Int!) { subscriber(code: $c) { email } }`, map[string]any{"c": abosandbox.DemoCode}, nil))
	if r := e.do(nil, `query Me { me { email } }`, nil, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("me: %+v", r)
	}
	var s struct{ Login struct{ Token string } }
	e.ok(e.do(nil, `mutation Login($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`, map[string]any{"e": fixture.DemoEmail, "p": fixture.DemoPassword}, &s))
	e.ok(e.do(map[string]string{"X-Session-Token": s.Login.Token}, `query Me { me { email tickets { label } } }`, nil, nil))
	for range 2 {
		e.ok(e.do(nil, `query Venues { venues { id name } }`, nil, nil))
	}
	if r := e.do(nil, `query Broken { nope }`, nil, nil); r.Code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("broken: %+v", r)
	}
	res, out := get(t, e.srv.URL+"/metrics", nil)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`guichet_graphql_requests_total{operation="Sub",outcome="ok"} 1`,
		`guichet_graphql_requests_total{operation="Me",outcome="UNAUTHENTICATED"} 1`,
		`guichet_graphql_requests_total{operation="Me",outcome="ok"} 1`,
		`guichet_graphql_requests_total{operation="Login",outcome="ok"} 1`,
		`guichet_graphql_requests_total{operation="invalid",outcome="GRAPHQL_VALIDATION_FAILED"} 1`,
		`guichet_graphql_request_duration_seconds_count{operation="Sub"} 1`,
		`guichet_dataloader_batch_size_count{loader="subscriber"} 1`,
		`guichet_dataloader_batch_size_count{loader="me"} 1`,
		`guichet_response_cache_requests_total{outcome="hit"} 1`,
		`guichet_response_cache_requests_total{outcome="miss"} 1`,
		`guichet_catalogue_sync_errors_total 0`,
		`guichet_upstream_calls_total{backend="aboweb",operation="getClient",outcome="ok"} 1`,
		`guichet_upstream_calls_total{backend="billetterie",operation="ws_login",outcome="ok"} 1`,
		`guichet_upstream_calls_total{backend="billetterie",operation="ws_programmation",outcome="ok"} 1`,
		`guichet_upstream_breaker_state{backend="aboweb",state="closed"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %s in\n%s", want, grepLines(out, "guichet_"))
		}
	}
	age := regexp.MustCompile(`(?m)^guichet_catalogue_sync_age_seconds (\S+)$`).FindStringSubmatch(out)
	if age == nil || strings.HasPrefix(age[1], "-") {
		t.Fatalf("sync age after the first load: %v", age)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Ensure a request id round-trips (kept when plausible, else minted) and
// that the operation's log line carries it with the operation name,
// duration and error codes, never the variables.
func TestObsRequestIDAndOperationLog(t *testing.T) {
	e, sink := bootLogged(t, nil)
	body := `{"query":"mutation Login($e: String!, $p: String!) { login(email: $e, password: $p) { token } }","variables":{"e":"` + fixture.DemoEmail + `","p":"Mauvais2026"}}`
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "lb-7f3a2c91d0e4")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("X-Request-Id") != "lb-7f3a2c91d0e4" {
		t.Fatalf("request id not echoed: %q", res.Header.Get("X-Request-Id"))
	}
	res2, _ := get(t, e.srv.URL+"/healthz", nil)
	if id := res2.Header.Get("X-Request-Id"); len(id) != 24 {
		t.Fatalf("minted id %q", id)
	}
	var op, access map[string]any
	for _, l := range sink.lines(t) {
		if l["request_id"] != "lb-7f3a2c91d0e4" {
			continue
		}
		switch l["msg"] {
		case "graphql operation":
			op = l
		case "http request":
			access = l
		}
	}
	if op == nil || access == nil {
		t.Fatalf("no operation or access line with the request id in\n%s", sink.String())
	}
	codes, _ := op["error_codes"].([]any)
	if op["operation"] != "Login" || op["type"] != "mutation" || op["outcome"] != "UNAUTHENTICATED" || len(codes) != 1 || op["duration_ms"] == nil {
		t.Fatalf("operation line %v", op)
	}
	if access["status"] != 200.0 || access["path"] != "/graphql" || access["operation"] != "Login" {
		t.Fatalf("access line %v", access)
	}
	if strings.Contains(sink.String(), "Mauvais2026") || strings.Contains(sink.String(), fixture.DemoEmail) {
		t.Fatalf("variables logged:\n%s", sink.String())
	}
}

// Ensure CORS preflights through the app: a configured origin is granted
// the headers Guichet reads with a preflight cache age, another is not.
func TestObsCORSPreflight(t *testing.T) {
	e, _ := bootLogged(t, map[string]string{"GUICHET_CORS_ORIGINS": "https://www.theatre.example"})
	preflight := func(origin string) http.Header {
		req, _ := http.NewRequest(http.MethodOptions, e.srv.URL+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,x-session-token")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header
	}
	h := preflight("https://www.theatre.example")
	if h.Get("Access-Control-Allow-Origin") != "https://www.theatre.example" || h.Get("Access-Control-Max-Age") != "600" ||
		strings.ReplaceAll(h.Get("Access-Control-Allow-Headers"), " ", "") != "authorization,content-type,x-session-token" || h.Get("X-Request-Id") == "" {
		t.Fatalf("allowed origin: %v", h)
	}
	if h := preflight("https://attacker.example"); h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Headers") != "" {
		t.Fatalf("denied origin: %v", h)
	}
}

// leakCreds are distinctive values for every credential of a deployment.
// The two logins are not secrets (the startup log shows them with the
// configuration); they are set so the run uses no default.
const (
	leakWSLogin   = "fuite-ws-login"
	leakWSPass    = "FuiteWsMdp-4b7e1c"
	leakAPIKey    = "FuiteApiKey-9d2f6a"
	leakPwdKey    = "FuitePwdKey-1e8c3b"
	leakAboUser   = "fuite-abo-user"
	leakAboPass   = "FuiteAboPass-7a5d02"
	leakBOKey     = "FuiteGuichetKey-3c9e4f7b"
	leakWrongKey  = "FuiteWrongKey-6f1a8d2e"
	leakWrongPw   = "Fuite9Mauvais2026"
	leakNewPw     = "Fuite7Visiteur2026"
	leakChangedPw = "Fuite8Change2026"
)

type exchange struct {
	name    string
	sent    http.Header
	status  int
	headers http.Header
	body    string
}

// Ensure the acceptance's leak test: a representative run (sessions,
// sign-in, account, a failing sign-in, registration, password change,
// back-office subscriber and order queries over SOAP and the ticketing web
// services, a wrong key) with known values for every credential, and none
// of them in any response body or header, log line, metric or exported
// trace. Session tokens are the API's output: they may appear only in the
// answers of the request that made or carried them.
func TestObsLeak(t *testing.T) {
	bc := bilsandbox.DefaultConfig()
	bc.Login, bc.Password, bc.APIKey, bc.PwdKey = leakWSLogin, leakWSPass, leakAPIKey, leakPwdKey
	bilSB := bilsandbox.New(bc)
	bil, err := sandbox.Serve("127.0.0.1:0", bilSB)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bil.Close)
	ac := abosandbox.DefaultConfig()
	ac.Username, ac.Password = leakAboUser, leakAboPass
	aboSB := abosandbox.New(ac)
	abo, err := sandbox.Serve("127.0.0.1:0", aboSB)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(abo.Close)

	// A collector receiving the traces, to check them too.
	var traceMu sync.Mutex
	var traces bytes.Buffer
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var rd io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			if rd, err = gzip.NewReader(r.Body); err != nil {
				t.Error(err)
				return
			}
		}
		b, _ := io.ReadAll(rd)
		traceMu.Lock()
		traces.Write(b)
		traceMu.Unlock()
	}))
	t.Cleanup(collector.Close)
	prev := otel.GetTracerProvider()
	t.Cleanup(func() { otel.SetTracerProvider(prev) })
	shutdownTracing, err := obs.SetupTracing(context.Background(), collector.URL)
	if err != nil {
		t.Fatal(err)
	}

	e, sink := bootLogged(t, map[string]string{
		"BILLETTERIE_URL": bil.URL + "/", "BILLETTERIE_LOGIN": leakWSLogin, "BILLETTERIE_PASSWORD": leakWSPass, "BILLETTERIE_CLIENT": bc.Client,
		"BILLETTERIE_API_URL": bil.URL + "/", "BILLETTERIE_API_LOGIN": bc.APILogin, "BILLETTERIE_API_KEY": leakAPIKey, "BILLETTERIE_PWD_KEY": leakPwdKey,
		"ABOWEB_URL": abo.URL + "/aboweb/ClientService", "ABOWEB_USERNAME": leakAboUser, "ABOWEB_PASSWORD": leakAboPass,
		"GUICHET_API_KEYS": leakBOKey, "GUICHET_LOG_LEVEL": "debug", "GUICHET_CORS_ORIGINS": "https://www.theatre.example",
	})
	var log []exchange
	call := func(name string, h map[string]string, query string, vars map[string]any) gqlResp {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", "https://www.theatre.example")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		log = append(log, exchange{name: name, sent: req.Header, status: res.StatusCode, headers: res.Header, body: string(b)})
		var r gqlResp
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %s", name, b)
		}
		return r
	}
	bo := map[string]string{"Authorization": "Bearer " + leakBOKey}
	loginQ := `mutation Login($e: String!, $p: String!) { login(email: $e, password: $p) { token loggedIn } }`

	var anon struct{ CreateSession struct{ Token string } }
	r := call("createSession", nil, `mutation CreateSession { createSession { token } }`, nil)
	e.ok(r)
	json.Unmarshal(r.Data, &anon)
	var in struct{ Login struct{ Token string } }
	r = call("login", nil, loginQ, map[string]any{"e": fixture.DemoEmail, "p": fixture.DemoPassword})
	e.ok(r)
	json.Unmarshal(r.Data, &in)
	visitor := map[string]string{"X-Session-Token": in.Login.Token}
	e.ok(call("me", visitor, `query Me { me { email tickets { label } orderLines { kind show { title } } subscriber { code email } accountLinks { orders password } } }`, nil))
	if r := call("wrong password", nil, loginQ, map[string]any{"e": fixture.DemoEmail, "p": leakWrongPw}); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("wrong password: %+v", r)
	}
	var reg struct{ RegisterContact struct{ Token string } }
	r = call("register", nil, `mutation Register($i: RegisterContactInput!) { registerContact(input: $i) { token } }`,
		map[string]any{"i": map[string]any{"email": "fuite.test@exemple.fr", "password": leakNewPw, "passwordConfirmation": leakNewPw, "firstName": "Fuite", "lastName": "Test"}})
	e.ok(r)
	json.Unmarshal(r.Data, &reg)
	registered := map[string]string{"X-Session-Token": reg.RegisterContact.Token}
	e.ok(call("change password", registered, `mutation Change($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`,
		map[string]any{"c": leakNewPw, "n": leakChangedPw}))
	if r := call("wrong current password", registered, `mutation Change($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`,
		map[string]any{"c": leakWrongPw, "n": leakNewPw}); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("wrong current password: %+v", r)
	}
	e.ok(call("subscriber", bo, `query Sub($c: Int!) { subscriber(code: $c) { firstName email } }`, map[string]any{"c": abosandbox.DemoCode}))
	e.ok(call("subscriber by email", bo, `query SubByEmail($m: String!) { subscriberByEmail(email: $m) { code } }`, map[string]any{"m": fixture.DemoEmail}))
	e.ok(call("send subscriber password", bo, `mutation SendPw($m: String!) { sendSubscriberPassword(email: $m) }`, map[string]any{"m": fixture.DemoEmail}))
	now := time.Now()
	e.ok(call("orders", bo, `query Orders($f: Date!, $t: Date!) { orders(from: $f, to: $t) { id paid lines { kind } } }`,
		map[string]any{"f": now.AddDate(0, 0, -60).Format("2006-01-02"), "t": now.Format("2006-01-02")}))
	e.ok(call("catalogue", nil, `query Shows { shows(first: 3) { edges { node { id title } } } }`, nil))
	// The one call carrying x_rsi_api_key (in its URL), answered, then failing:
	// a failed call's error is where a URL would surface.
	changed := `query Changed($s: DateTime!) { changedRecords(since: $s) { contacts } }`
	since := map[string]any{"s": now.AddDate(0, 0, -7).Format(time.RFC3339)}
	e.ok(call("changed records", bo, changed, since))
	bilSB.Faults().Set("ws_execute_programme", fault.Rule{Mode: fault.HTTP500})
	if r := call("changed records, upstream failing", bo, changed, since); r.Code() != "UPSTREAM_UNAVAILABLE" {
		t.Fatalf("changed records with the API host failing: %+v", r.Errors)
	}
	bilSB.Faults().Reset()
	if r := call("wrong key", map[string]string{"Authorization": "Bearer " + leakWrongKey}, `query Orders2 { orders { id } }`, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("wrong key: %+v", r)
	}
	e.ok(call("logout", visitor, `mutation Logout { logout }`, nil))
	// A body that does not decode: gqlgen quotes it in its error message.
	broken := `{"query":"mutation { login(email: \"` + fixture.DemoEmail + `\", password: \"` + leakNewPw + `\") { token } }", `
	res, err := http.Post(e.srv.URL+"/graphql", "application/json", strings.NewReader(broken))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	log = append(log, exchange{name: "undecodable body", sent: http.Header{}, status: res.StatusCode, headers: res.Header, body: string(b)})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("undecodable body: %d %s", res.StatusCode, b)
	}
	if aboSB.Calls().Get("getClient")+aboSB.Calls().Get("getClientByEmail") == 0 {
		t.Fatalf("no SOAP call reached AboWeb: %v", aboSB.Calls().Snapshot())
	}

	_, metrics := get(t, e.srv.URL+"/metrics", nil)
	if err := shutdownTracing(context.Background()); err != nil {
		t.Fatal(err)
	}
	traceMu.Lock()
	exported := traces.String()
	traceMu.Unlock()
	logs := sink.String()
	if !strings.Contains(metrics, `guichet_graphql_requests_total{operation="Login",outcome="UNAUTHENTICATED"} 1`) ||
		!strings.Contains(exported, "graphql SendPw") || strings.Count(logs, `"msg":"graphql operation"`) < len(log) {
		t.Fatalf("the run was not observed: metrics %q, traces %d bytes, logs:\n%s", grepLines(metrics, "Login"), len(exported), logs)
	}

	sum := sha1.Sum([]byte(leakAboPass))
	secrets := map[string]string{
		"billetterie ws password": leakWSPass, "billetterie API key": leakAPIKey, "billetterie pwd key": leakPwdKey,
		"AboWeb password": leakAboPass, "AboWeb password digest": base64.StdEncoding.EncodeToString(sum[:]),
		"back-office key": leakBOKey, "wrong back-office key": leakWrongKey,
		"demo password": fixture.DemoPassword, "wrong password": leakWrongPw, "new password": leakNewPw, "changed password": leakChangedPw,
	}
	tokens := map[string]string{"anonymous session": anon.CreateSession.Token, "visitor session": in.Login.Token, "registered session": reg.RegisterContact.Token}
	for name, v := range tokens {
		if len(v) < 8 {
			t.Fatalf("%s token %q too short to test", name, v)
		}
	}
	check := func(where, text string, allowed map[string]bool) {
		t.Helper()
		for name, v := range secrets {
			if strings.Contains(text, v) || strings.Contains(text, url.QueryEscape(v)) {
				t.Errorf("%s in %s", name, where)
			}
		}
		for name, v := range tokens {
			if !allowed[v] && (strings.Contains(text, v) || strings.Contains(text, url.QueryEscape(v))) {
				t.Errorf("%s token in %s", name, where)
			}
		}
	}
	for _, x := range log {
		// A session token is the answer of the request that creates it, and
		// the account links of its own holder carry it.
		allowed := map[string]bool{x.sent.Get("X-Session-Token"): true}
		for _, v := range tokens {
			if strings.Contains(x.body, `"token":"`+v+`"`) {
				allowed[v] = true
			}
		}
		check("response body of "+x.name, x.body, allowed)
		var hs strings.Builder
		x.headers.Write(&hs)
		check("response headers of "+x.name, hs.String(), nil)
	}
	check("logs", logs, nil)
	check("/metrics", metrics, nil)
	check("exported traces", exported, nil)
}

// Ensure production switches: no introspection, no GraphiQL; and requests
// that cannot be cached are counted as bypasses.
func TestE2EProductionSwitches(t *testing.T) {
	e := bootWith(t, map[string]string{"GUICHET_INTROSPECTION": "false", "GUICHET_PLAYGROUND": "false"})
	if r := e.do(nil, `{ __schema { types { name } } }`, nil, nil); r.Code() != "FORBIDDEN" || len(r.Data) > 4 && string(r.Data) != "null" {
		t.Fatalf("introspection answered: %s %+v", r.Data, r.Errors)
	}
	res, _ := get(t, e.srv.URL+"/", nil)
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("GraphiQL served with GUICHET_PLAYGROUND=false: %d", res.StatusCode)
	}
	if r := e.do(nil, `{ me { email } }`, nil, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("me: %+v", r.Errors)
	}
	_, out := get(t, e.srv.URL+"/metrics", nil)
	if !strings.Contains(out, `guichet_response_cache_requests_total{outcome="bypass"}`) {
		t.Fatalf("no bypass counted:\n%s", grepLines(out, "response_cache"))
	}
}
