package soap_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/guichet/guichet/soap"
	"github.com/guichet/guichet/upstream"
)

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

// Ensure every AboWeb call tells the transport its operation and whether it
// only reads (get*, find*), so nothing parses the envelope back.
func TestCallsDescribeThemselves(t *testing.T) {
	_, url := sandbox(t, nil)
	rec := &describedCalls{next: http.DefaultTransport}
	c := sandboxClient(t, url, func(cfg *soap.Config) { cfg.HTTPClient = &http.Client{Transport: rec} })
	c.GetClient(soap.Bg, 240001)
	c.GetClientByEmail(soap.Bg, "camille.martin@exemple.fr")
	c.Authenticate(soap.Bg, "camille.martin@exemple.fr", "wrong")
	c.SendPassword(soap.Bg, "nobody@exemple.fr")
	want := []upstream.Call{
		{Backend: "aboweb", Operation: "getClient", Read: true},
		{Backend: "aboweb", Operation: "findClientByEmail", Read: true},
		{Backend: "aboweb", Operation: "authenticateEncrypteByEmail"},
		{Backend: "aboweb", Operation: "sendPassword"},
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
