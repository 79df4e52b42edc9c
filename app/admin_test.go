package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/config"
)

func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// Ensure the admin port carries /metrics (with the build-info gauge) and
// pprof only when asked, the API port no longer serves /metrics, both
// serve the probes, and SIGTERM (ctx cancelled) first turns /readyz to 503
// while queries are still answered for the drain, then shuts down.
func TestAdminListenerAndDrain(t *testing.T) {
	api, adm := freeAddr(t), freeAddr(t)
	cfg, err := config.Load(testEnv(t, map[string]string{"GUICHET_ADDR": api, "GUICHET_ADMIN_ADDR": adm,
		"GUICHET_DRAIN": "1500ms", "GUICHET_PPROF": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	cfg, sb := sandboxed(t, cfg)
	go func() { done <- Run(ctx, cfg, sb, slog.New(slog.DiscardHandler)) }()
	apiURL, admURL := "http://"+api, "http://"+adm
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if res, err := http.Get(apiURL + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("not ready in 30 s")
		}
	}
	if code, _ := httpGet(t, apiURL+"/metrics"); code != http.StatusNotFound {
		t.Fatalf("API port /metrics: %d, want 404 when GUICHET_ADMIN_ADDR is set", code)
	}
	code, body := httpGet(t, admURL+"/metrics")
	if code != 200 || !strings.Contains(body, `guichet_build_info{goversion="go`) {
		t.Fatalf("admin /metrics: %d, build info missing", code)
	}
	for _, p := range []string{"/healthz", "/readyz"} {
		if c, _ := httpGet(t, admURL+p); c != 200 {
			t.Fatalf("admin %s: %d", p, c)
		}
	}
	if c, b := httpGet(t, admURL+"/debug/pprof/cmdline"); c != 200 || !strings.Contains(b, "guichet") && !strings.Contains(b, ".test") {
		t.Fatalf("admin pprof: %d", c)
	}
	if c, _ := httpGet(t, apiURL+"/debug/pprof/cmdline"); c == 200 {
		t.Fatal("pprof on the API port")
	}

	query := apiURL + "/graphql?query=" + url.QueryEscape(`{ venues { id } }`)
	cancel() // what SIGTERM does through signal.NotifyContext
	start := time.Now()
	for deadline := start.Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
		if c, b := httpGet(t, apiURL+"/readyz"); c == http.StatusServiceUnavailable && strings.Contains(b, "draining") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz still ready 1 s after SIGTERM")
		}
	}
	if c, _ := httpGet(t, admURL+"/readyz"); c != http.StatusServiceUnavailable {
		t.Fatalf("admin /readyz while draining: %d", c)
	}
	served := 0
	for time.Since(start) < time.Second {
		if c, b := httpGet(t, query); c != 200 || !strings.Contains(b, `"venues"`) {
			t.Fatalf("query while draining: %d %s", c, b)
		}
		served++
	}
	select {
	case err := <-done:
		t.Fatalf("stopped %v after SIGTERM, before the 1.5 s drain (err %v)", time.Since(start), err)
	default:
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no shutdown 10 s after the drain")
	}
	if _, err := http.Get(apiURL + "/healthz"); err == nil {
		t.Fatal("API port still open after shutdown")
	}
	t.Logf("%d queries served during the first second of the drain", served)
}

func TestPprofNeedsAdminAddr(t *testing.T) {
	_, err := config.Load(testEnv(t, map[string]string{"GUICHET_PPROF": "true"}))
	if err == nil || !strings.Contains(err.Error(), "GUICHET_ADMIN_ADDR") {
		t.Fatalf("pprof without an admin port: %v", err)
	}
}

func TestVersionCommand(t *testing.T) {
	v, r, g := BuildVersion()
	if v == "" || r == "" || !strings.HasPrefix(g, "go") {
		t.Fatalf("version %q revision %q go %q", v, r, g)
	}
}

// Ensure refusals of the per-replica buckets (no Redis) reach /metrics.
func TestLocalRefusalsCounted(t *testing.T) {
	e := boot(t)
	codes := map[string]int{}
	for range 6 {
		r := e.do(nil, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
			map[string]any{"e": "counted@exemple.fr", "p": "Wrong-guess-1"}, nil)
		codes[r.Code()]++
	}
	if codes["RATE_LIMITED"] != 1 {
		t.Fatalf("outcomes %v, want one RATE_LIMITED after the 5-attempt account budget", codes)
	}
	_, body := httpGet(t, e.srv.URL+"/metrics")
	if !strings.Contains(body, `guichet_rate_limit_refusals_total{action="login",store="local"} 1`) {
		t.Fatal("local refusal not counted in /metrics")
	}
}
