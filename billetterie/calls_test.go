package billetterie

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/upstream"
)

// describedCalls records the call description each request carries.
type describedCalls struct {
	mu    sync.Mutex
	calls []upstream.Call
	next  http.RoundTripper
}

func (d *describedCalls) RoundTrip(r *http.Request) (*http.Response, error) {
	c, ok := upstream.CallFrom(r.Context())
	if !ok {
		c = upstream.Call{Operation: "(none)"}
	}
	d.mu.Lock()
	d.calls = append(d.calls, c)
	d.mu.Unlock()
	return d.next.RoundTrip(r)
}

// Ensure every call tells the transport what it is, as the client knows
// it: the service, the programme of ws_execute_programme, and whether it
// only reads (the only calls ever retried).
func TestCallsDescribeThemselves(t *testing.T) {
	s := newSite(t, map[string][]byte{})
	rec := &describedCalls{next: http.DefaultTransport}
	c := s.client(t, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: rec} })
	ctx := context.Background()
	c.SessionStatus(ctx, "T")
	c.CreateSession(ctx)
	c.Login(ctx, "T", "a@exemple.fr", "pw")
	c.ListeFichesModifiees(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, Paris))
	c.InfoFormulaire(ctx, 3)
	want := []upstream.Call{
		{Backend: "billetterie", Operation: "ws_status_session", Read: true},
		{Backend: "billetterie", Operation: "ws_idsession"},
		{Backend: "billetterie", Operation: "ws_login"},
		{Backend: "billetterie", Operation: "ws_liste_fiches_modifiees", Read: true},
		{Backend: "billetterie", Operation: "ws_info_formulaire", Read: true},
	}
	if len(rec.calls) != len(want) {
		t.Fatalf("calls %+v", rec.calls)
	}
	for i := range want {
		if rec.calls[i] != want[i] {
			t.Errorf("call %d: %+v, want %+v", i, rec.calls[i], want[i])
		}
	}
}

// Ensure the read rule: catalogues, details, infos and the listed reads;
// never a session creation, a login, a change, or an unknown programme.
func TestReadServices(t *testing.T) {
	for op, read := range map[string]bool{
		"ws_programmation": true, "ws_cat_histo_achat": true, "ws_det_achat": true, "ws_info_organisme": true,
		"ws_status_session": true, "ws_recap_achat": true, "ws_historique_contact": true, "ws_cat_contacts_liste": true,
		"ws_login": false, "ws_idsession": false, "ws_modification_pwd": false, "ws_organisme_contacts": false, "ws_ccontact": false,
	} {
		if readService(op) != read {
			t.Errorf("%s: read %t", op, !read)
		}
	}
	for modele, want := range map[string]upstream.Call{
		"ws_liste_fiches_modifiees": {Backend: "billetterie", Operation: "ws_liste_fiches_modifiees", Read: true},
		"ws_autre_programme":        {Backend: "billetterie", Operation: "ws_autre_programme"},
		"":                          {Backend: "billetterie", Operation: "ws_execute_programme"},
	} {
		got, _ := upstream.CallFrom(describe(context.Background(), "ws_execute_programme", map[string][]string{"x_rsi_modele": {modele}}))
		if got != want {
			t.Errorf("programme %q: %+v, want %+v", modele, got, want)
		}
	}
}
