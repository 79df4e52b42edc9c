package soap_test

import (
	"bytes"
	"context"
	"github.com/guichet/guichet/crm"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/soap"
)

// cannedTransport answers every call with one recorded AboWeb reply, so a
// benchmark measures the client's envelope encoding and decoding alone (no
// network, no simulator).
type cannedTransport struct{ body []byte }

func (c cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	io.Copy(io.Discard, req.Body)
	req.Body.Close()
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/xml; charset=utf-8"}},
		Body: io.NopCloser(bytes.NewReader(c.body)), Request: req}, nil
}

// recordingTransport keeps the last reply of the simulator.
type recordingTransport struct {
	h    http.Handler
	last []byte
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	r.last = rec.Body.Bytes()
	return rec.Result(), nil
}

func benchClient(b testing.TB, rt http.RoundTripper) *soap.Client {
	b.Helper()
	cfg := abosandbox.DefaultConfig()
	c, err := soap.New(soap.Config{URL: "http://aboweb.invalid/aboweb/ClientService", Username: cfg.Username, Password: cfg.Password,
		HTTPClient: &http.Client{Transport: rt}})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkSOAPRoundTrip measures what one AboWeb call costs Guichet's CPU
// on each side of the wire: building the envelope with its WS-Security
// header, then decoding the reply, for one subscriber (getClient) and for a
// page of 50 (getClientsByType).
//
//	go test ./soap -run '^$' -bench SOAPRoundTrip -benchmem
func BenchmarkSOAPRoundTrip(b *testing.B) {
	ctx := context.Background()
	rec := &recordingTransport{h: abosandbox.New(abosandbox.DefaultConfig())}
	live := benchClient(b, rec)
	if _, err := live.GetClient(ctx, abosandbox.DemoCode); err != nil {
		b.Fatal(err)
	}
	one := bytes.Clone(rec.last)
	page, err := live.FindClientsPage(ctx, crm.Filter{Type: crm.TypeOf(crm.TypePaidBy)}, 0)
	if err != nil || len(page) != 50 {
		b.Fatalf("page of %d, %v", len(page), err)
	}
	fifty := bytes.Clone(rec.last)

	b.Run("getClient", func(b *testing.B) {
		c := benchClient(b, cannedTransport{one})
		b.SetBytes(int64(len(one)))
		b.ReportAllocs()
		for b.Loop() {
			if s, err := c.GetClient(ctx, abosandbox.DemoCode); err != nil || s.Code != abosandbox.DemoCode {
				b.Fatal(s, err)
			}
		}
	})
	b.Run("getClientsByType-50", func(b *testing.B) {
		c := benchClient(b, cannedTransport{fifty})
		b.SetBytes(int64(len(fifty)))
		b.ReportAllocs()
		for b.Loop() {
			if p, err := c.FindClientsPage(ctx, crm.Filter{Type: crm.TypeOf(crm.TypePaidBy)}, 0); err != nil || len(p) != 50 {
				b.Fatal(len(p), err)
			}
		}
	})
}
