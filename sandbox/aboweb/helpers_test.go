package aboweb

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fixedNow is the clock of every test server: seeded dates depend on it.
var fixedNow = time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)

func testConfig() Config {
	c := DefaultConfig()
	c.Now = func() time.Time { return fixedNow }
	return c
}

func start(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	s := New(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts.URL + "/aboweb/ClientService"
}

func hashB64(pw string) string {
	h := sha1.Sum([]byte(pw))
	return base64.StdEncoding.EncodeToString(h[:])
}

// minimalHeader is the vendor samples' header: Username + hashed Password, no Type.
func minimalHeader(user, pw string) string {
	return `<soapenv:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">` +
		`<wsse:UsernameToken><wsse:Username>` + user + `</wsse:Username><wsse:Password>` + hashB64(pw) + `</wsse:Password></wsse:UsernameToken>` +
		`</wsse:Security></soapenv:Header>`
}

var demoHeader = minimalHeader(DemoUsername, DemoPassword)

// gesEnv wraps a header and a body with the soapenv/ges prefixes of the
// vendor's documentation.
func gesEnv(header, body string) string {
	return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ges="http://www.gesmag.com/">` +
		header + `<soapenv:Body>` + body + `</soapenv:Body></soapenv:Envelope>`
}

// reply is a decoded SOAP answer, read with encoding/xml only.
type reply struct {
	Status      int
	ContentType string
	Raw         string
	FaultCode   string
	FaultString string
	Op          xml.Name // the response wrapper
	Clients     []map[string]string
	ClientOrder [][]string // element names of each client, in wire order
	Result      string
	CodeClient  string
}

type wireField struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

type wireEnvelope struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Body    struct {
		Fault *struct {
			Code   string `xml:"faultcode"`
			String string `xml:"faultstring"`
		} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Fault"`
		Resp *struct {
			XMLName xml.Name
			Clients []struct {
				Fields []wireField `xml:",any"`
			} `xml:"client"`
			Result     string `xml:"result"`
			CodeClient string `xml:"codeClient"`
		} `xml:",any"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

func post(t *testing.T, url, contentType, payload string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("SOAPAction", `""`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := reply{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Raw: string(b)}
	if !strings.HasPrefix(r.ContentType, "text/xml") {
		return r
	}
	var env wireEnvelope
	if err := xml.Unmarshal(b, &env); err != nil {
		t.Fatalf("answer is not a SOAP envelope: %v\n%s", err, b)
	}
	if f := env.Body.Fault; f != nil {
		r.FaultCode, r.FaultString = f.Code, f.String
		return r
	}
	if rs := env.Body.Resp; rs != nil {
		r.Op, r.Result, r.CodeClient = rs.XMLName, rs.Result, rs.CodeClient
		for _, c := range rs.Clients {
			m := map[string]string{}
			var order []string
			for _, f := range c.Fields {
				if f.XMLName.Space != "" {
					t.Fatalf("client field %s is qualified (%s)", f.XMLName.Local, f.XMLName.Space)
				}
				m[f.XMLName.Local] = f.Value
				order = append(order, f.XMLName.Local)
			}
			r.Clients = append(r.Clients, m)
			r.ClientOrder = append(r.ClientOrder, order)
		}
	}
	return r
}

// call sends body (an operation wrapper) with the demo header.
func call(t *testing.T, url, body string) reply {
	t.Helper()
	return post(t, url, "text/xml; charset=utf-8", gesEnv(demoHeader, body))
}

// mustOK fails unless the answer is an HTTP 200 <op>Response.
func mustOK(t *testing.T, r reply, op string) reply {
	t.Helper()
	if r.Status != http.StatusOK || r.FaultCode != "" {
		t.Fatalf("%s: HTTP %d fault %q %q\n%s", op, r.Status, r.FaultCode, r.FaultString, r.Raw)
	}
	if r.Op.Space != nsGesmag || r.Op.Local != op+"Response" {
		t.Fatalf("%s: answer wrapper is {%s}%s", op, r.Op.Space, r.Op.Local)
	}
	return r
}

// mustFault fails unless the answer is a SOAP fault with that faultcode and HTTP 500.
func mustFault(t *testing.T, r reply, code string) reply {
	t.Helper()
	if r.Status != http.StatusInternalServerError || r.FaultCode != code {
		t.Fatalf("want fault %s with HTTP 500, got HTTP %d fault %q %q\n%s", code, r.Status, r.FaultCode, r.FaultString, r.Raw)
	}
	return r
}
