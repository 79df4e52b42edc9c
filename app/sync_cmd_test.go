package app

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/billetterie"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
)

// Ensure `guichet sync` loads the season once, then pulls increments with
// filtre=1&date_modif=, and `--full` reloads everything; all saved to the
// data directory a server then starts from.
func TestSyncCommand(t *testing.T) {
	sc := bilsandbox.DefaultConfig()
	sb := bilsandbox.New(sc)
	var mu sync.Mutex
	var calls []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "ws_programmation") {
			r.ParseForm()
			mu.Lock()
			calls = append(calls, r.Form)
			mu.Unlock()
		}
		sb.ServeHTTP(w, r)
	}))
	defer srv.Close()
	env := map[string]string{
		"BILLETTERIE_URL": srv.URL + "/", "BILLETTERIE_LOGIN": sc.Login, "BILLETTERIE_PASSWORD": sc.Password, "BILLETTERIE_CLIENT": sc.Client,
		"GUICHET_DATA_DIR":    t.TempDir(),
		"BILLETTERIE_API_URL": srv.URL + "/", "BILLETTERIE_API_LOGIN": sc.APILogin, "BILLETTERIE_API_KEY": sc.APIKey, "BILLETTERIE_PWD_KEY": sc.PwdKey,
	}
	run := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := SyncCommand(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut); code != 0 {
			t.Fatalf("guichet sync %v: exit %d\n%s%s", args, code, out.String(), errOut.String())
		}
		return out.String()
	}
	shows := len(sb.ShowIDs())

	out := run()
	if !strings.Contains(out, "Full load") || !strings.Contains(out, "42 shows, 333 performances") || len(calls) != 1 || calls[0].Get("filtre") != "" {
		t.Fatalf("first sync: %d calls %v\n%s", len(calls), calls, out)
	}
	if shows != 42 {
		t.Fatalf("sandbox season has %d shows", shows)
	}

	out = run()
	today := time.Now().In(billetterie.Paris).Format("02/01/2006")
	if !strings.Contains(out, "Saved catalogue") || !strings.Contains(out, "Incremental pull") || len(calls) != 2 ||
		calls[1].Get("filtre") != "1" || calls[1].Get("date_modif") == "" {
		t.Fatalf("second sync: calls %v\n%s", calls, out)
	}
	if got := calls[1].Get("date_modif"); got != today && got != time.Now().In(billetterie.Paris).Format("20060102") {
		t.Fatalf("date_modif %q, want the day of the last sync (%s)", got, today)
	}

	out = run("--full")
	if !strings.Contains(out, "Full load") || len(calls) != 3 || calls[2].Get("filtre") != "" {
		t.Fatalf("--full: calls %v\n%s", calls, out)
	}

	var errOut bytes.Buffer
	if code := SyncCommand(context.Background(), []string{"--bogus"}, func(string) string { return "" }, &errOut, &errOut); code != 2 {
		t.Fatalf("unknown flag: exit %d", code)
	}
}
