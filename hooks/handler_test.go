package hooks

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/boxoffice"
)

const testSecret = "s3cret-path-segment-0123"

// A card NOTIFY as the spec shows it (2.4.6).
const notifyDoc = `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?><NOTIFY><idcarte>/CA0000000000938</idcarte><type_public>PASS</type_public>` +
	`<nom>Martin</nom><prenom>Camille</prenom><civilite>Mme</civilite><organisme></organisme><id_clistru>0</id_clistru>` +
	`<id_contact>20001</id_contact><id_organisme>0</id_organisme></NOTIFY>`

type applied struct {
	mu    sync.Mutex
	cards []string
}

func (a *applied) apply(_ context.Context, p boxoffice.Push) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if p.Card != nil {
		a.cards = append(a.cards, p.Card.ID)
	}
	return nil
}

func (a *applied) count() int { a.mu.Lock(); defer a.mu.Unlock(); return len(a.cards) }

func newTestReceiver(t *testing.T, allow string) (*Receiver, *applied, *FileLog) {
	t.Helper()
	log, err := OpenFileLog(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { log.Close() })
	nets, err := ParseCIDRs(allow)
	if err != nil {
		t.Fatal(err)
	}
	a := &applied{}
	r, err := NewReceiver(Options{Secret: testSecret, Allow: nets, Log: log, Apply: a.apply})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go r.Run(ctx)
	return r, a, log
}

func serve(r *Receiver, method, target, remote string, body io.Reader) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = remote
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

// Ensure the source allow-list: a push from outside it is a 404, counted
// apart from bad secrets, and nothing is logged; single addresses and
// networks, IPv4 and IPv6, are accepted.
func TestReceiverAllowList(t *testing.T) {
	r, a, log := newTestReceiver(t, "203.0.113.0/24, 2001:db8::1")
	path := Prefix + testSecret + "/card"
	if w := serve(r, http.MethodPost, path, "198.51.100.7:4000", strings.NewReader(notifyDoc)); w.Code != http.StatusNotFound {
		t.Fatalf("outside source: %d", w.Code)
	}
	if r.Count("requests", "forbidden_source") != 1 || r.Count("requests", "bad_secret") != 0 || log.Pending() != 0 {
		t.Fatal("a refused source was not counted as such, or was logged")
	}
	for _, remote := range []string{"203.0.113.9:5000", "[2001:db8::1]:5000"} {
		if w := serve(r, http.MethodPost, path, remote, strings.NewReader(notifyDoc)); w.Code != http.StatusOK || w.Body.String() != "OK" {
			t.Fatalf("%s: %d %s", remote, w.Code, w.Body)
		}
	}
	for deadline := time.Now().Add(2 * time.Second); r.Count("processed", "duplicate") != 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the second push of the same card was not a duplicate")
		}
	}
	if a.count() != 1 {
		t.Fatalf("card applied %d times", a.count())
	}
	if _, err := ParseCIDRs("10.0.0.0/33"); err == nil {
		t.Fatal("a bad network was accepted")
	}
}

// Ensure the request shapes: GET with the document in a query parameter
// (the spec allows GET), a form-encoded POST, an unknown path segment and
// a wrong method; a declared length over the cap is refused unread.
func TestReceiverRequests(t *testing.T) {
	r, a, log := newTestReceiver(t, "")
	base := Prefix + testSecret
	get := base + "/card?doc=" + url.QueryEscape(notifyDoc)
	if w := serve(r, http.MethodGet, get, "192.0.2.1:1", nil); w.Code != http.StatusOK {
		t.Fatalf("GET push: %d %s", w.Code, w.Body)
	}
	form := "xml=" + url.QueryEscape(strings.Replace(notifyDoc, "938", "939", 1))
	req := httptest.NewRequest(http.MethodPost, base+"/card", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("form push: %d %s", w.Code, w.Body)
	}
	for deadline := time.Now().Add(2 * time.Second); a.count() != 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("applied %d cards, want 2", a.count())
		}
	}
	if w := serve(r, http.MethodPost, base+"/other", "192.0.2.1:1", strings.NewReader(notifyDoc)); w.Code != http.StatusNotFound {
		t.Fatalf("unknown kind: %d", w.Code)
	}
	if w := serve(r, http.MethodPut, base+"/card", "192.0.2.1:1", strings.NewReader(notifyDoc)); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("PUT: %d", w.Code)
	}
	req = httptest.NewRequest(http.MethodPost, base+"/purchase", strings.NewReader("<caddy/>"))
	req.ContentLength = 10 << 20
	w = httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge || r.Count("requests", "too_large") != 1 {
		t.Fatalf("declared 10 MB: %d", w.Code)
	}
	// A malformed push is refused for a retry and kept, its first 64 KiB.
	junk := "<caddy>" + strings.Repeat("x", 300<<10)
	if w := serve(r, http.MethodPost, base+"/purchase", "192.0.2.1:1", strings.NewReader(junk)); w.Code != http.StatusBadRequest {
		t.Fatalf("malformed push: %d %s", w.Code, w.Body)
	}
	var kept []Entry
	readLines(filepath.Join(log.dir, "rejected.log"), func(b []byte) {
		var e Entry
		if json.Unmarshal(b, &e) == nil {
			kept = append(kept, e)
		}
	})
	if len(kept) != 1 {
		t.Fatalf("kept %d rejections, want 1", len(kept))
	}
	if len(kept[0].Body) != maxKeptBody || !strings.HasPrefix(junk, string(kept[0].Body)) {
		t.Fatalf("kept %d bytes of a %d-byte push, want its first %d", len(kept[0].Body), len(junk), maxKeptBody)
	}
	if _, err := NewReceiver(Options{Secret: "short"}); err == nil {
		t.Fatal("a short secret was accepted")
	}
}
