package soap

import (
	"context"
	"encoding/xml"
	"math"
	"strconv"
	"testing"

	"github.com/guichet/guichet/errs"
	cs "github.com/guichet/guichet/soap/clientservice"
)

// Ensure a pre-encoded getClient whose answer the fast reader declines is
// read by the generated decoder from the bytes already received: one
// request on the wire, the same record, the same typed fault.
func TestEncodedCallFallsBackWithoutResending(t *testing.T) {
	answers := map[string]string{
		// A CR in a value: the fast reader leaves line-end normalisation
		// to encoding/xml.
		"1": respond("getClient", "<client><codeClient>1</codeClient><nom>Mo\r\nrel</nom><prenom>Léa</prenom></client>"),
		"2": `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>` +
			`<S:Fault><faultcode>S:Server</faultcode><faultstring>204</faultstring></S:Fault></S:Body></S:Envelope>`,
	}
	f := newFake(t, func(r request) (int, string) {
		if r.params["codeClient"] == "2" {
			return 500, answers["2"]
		}
		return 200, answers[r.params["codeClient"]]
	})
	c := newTestClient(t, f.URL, nil)
	s, err := c.Subscriber(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if s.LastName != "Mo\nrel" || s.FirstName != "Léa" {
		t.Fatalf("read %q %q", s.LastName, s.FirstName)
	}
	if n := len(f.requests()); n != 1 {
		t.Fatalf("%d requests for one call", n)
	}
	if _, err := c.Subscriber(context.Background(), 2); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("fault 204: %v", err)
	}
	if n := len(f.requests()); n != 2 {
		t.Fatalf("%d requests for two calls", n)
	}
	if got := c.Calls()["getClient"]; got != 2 {
		t.Fatalf("counted %d getClient calls", got)
	}
}

// Ensure the cached security header follows the credentials it was
// encoded for.
func TestEncodedHeaderFollowsCredentials(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", nil)
	h1, _ := c.header(context.Background())
	a := string(c.encodedHeader(h1))
	h2, _ := c.header(WithCredentials(context.Background(), "autre@exemple.fr", "x"))
	b := string(c.encodedHeader(h2))
	if a == b || string(c.encodedHeader(h1)) != a {
		t.Fatalf("headers:\n%s\n%s", a, b)
	}
}

// Ensure getClient's cut body is the generated marshaller's, whatever the
// code.
func TestGetClientBodyAsGenerated(t *testing.T) {
	if !getClientAround.ok {
		t.Fatal("the generated getClient body could not be cut around its code")
	}
	for _, code := range []int32{0, 1, -1, 240001, math.MaxInt32, math.MinInt32} {
		want, err := xml.Marshal(&cs.GetClient{CodeClient: code})
		if err != nil {
			t.Fatal(err)
		}
		got := getClientAround.before + strconv.Itoa(int(code)) + getClientAround.after
		if got != string(want) {
			t.Fatalf("code %d:\n got %s\nwant %s", code, got, want)
		}
	}
}
