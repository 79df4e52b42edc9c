package billetterie

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// The push controls over HTTP: callbacks set at run time, a purchase that
// pushes ws_det_achat's bytes, a card print that pushes NOTIFY.
func TestAdminPushes(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	bodies := map[string][]string{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies[r.URL.Path] = append(bodies[r.URL.Path], string(b))
		mu.Unlock()
		if r.Header.Get("Content-Type") != "text/xml; charset=utf-8" || r.Method != http.MethodPost {
			http.Error(w, "bad push", http.StatusBadRequest)
		}
	}))
	t.Cleanup(hook.Close)
	admin := func(method, what, body string) (int, string) {
		req, _ := http.NewRequest(method, e.url+"/_sandbox/"+what, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := admin(http.MethodPut, "callbacks", `{"order":"`+hook.URL+`/order","card":"`+hook.URL+`/card"}`); code != 200 || !strings.Contains(body, hook.URL+"/card") {
		t.Fatalf("set callbacks: %d %s", code, body)
	}
	seed := e.srv.Seed()
	perf := seed.Shows[0].PerformanceIDs[len(seed.Shows[0].PerformanceIDs)-1]
	e.srv.SetAvailability(perf, 5)
	code, body := admin(http.MethodPost, "purchase", `{"id_contact":20001,"id_rep":"`+perf+`","qtte":2,"categorie":1,"carte":true}`)
	var res PurchaseResult
	if err := json.Unmarshal([]byte(body), &res); code != 200 || err != nil || !res.Pushed || res.OrderID == "" {
		t.Fatalf("purchase: %d %s", code, body)
	}
	_, pulled := e.post("ws_det_achat", e.creds("id_caddy", res.OrderID))
	mu.Lock()
	orders := bodies["/order"]
	mu.Unlock()
	if len(orders) != 1 || orders[0] != string(pulled) {
		t.Fatalf("pushed order differs from ws_det_achat:\n%v\n%s", orders, pulled)
	}
	code, body = admin(http.MethodPost, "print_card", `{"id_caddy":"`+res.OrderID+`"}`)
	mu.Lock()
	cards := bodies["/card"]
	mu.Unlock()
	if code != 200 || body != `{"pushed":1}` || len(cards) != 1 {
		t.Fatalf("print_card: %d %s %v", code, body, cards)
	}
	var n struct {
		XMLName   xml.Name
		IDCarte   string `xml:"idcarte"`
		IDContact int    `xml:"id_contact"`
		Nom       string `xml:"nom"`
	}
	if err := xml.Unmarshal([]byte(cards[0]), &n); err != nil || n.XMLName.Local != "NOTIFY" || !strings.HasPrefix(n.IDCarte, "/CA") || n.IDContact != 20001 || n.Nom == "" {
		t.Fatalf("NOTIFY %+v %v: %s", n, err, cards[0])
	}
	for _, tc := range []struct{ method, what, body string }{
		{http.MethodPost, "purchase", `{"id_contact":1,"id_rep":"` + perf + `","qtte":1}`},
		{http.MethodPost, "purchase", `{"id_contact":20001,"id_rep":"` + perf + `","qtte":4}`}, // 3 left
		{http.MethodPost, "purchase", `{"id_contact":20001,"id_rep":"nope","qtte":1}`},
		{http.MethodPost, "print_card", `{"id_caddy":"000"}`},
		{http.MethodPut, "callbacks", `[`},
	} {
		if code, body := admin(tc.method, tc.what, tc.body); code != http.StatusBadRequest {
			t.Errorf("%s %s: %d %s", tc.what, tc.body, code, body)
		}
	}
	if code, _ := admin(http.MethodDelete, "purchase", ""); code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE purchase: %d", code)
	}
	// The integrator answers 500: the order exists, the admin call says 502.
	hook.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", 500) })
	if code, body := admin(http.MethodPost, "purchase", `{"id_contact":20001,"id_rep":"`+perf+`","qtte":1}`); code != http.StatusBadGateway || !strings.Contains(body, `"id_caddy":"`) {
		t.Fatalf("failed push: %d %s", code, body)
	}
}
