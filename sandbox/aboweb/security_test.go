package aboweb

import (
	"crypto/sha1"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
)

// nodeSoapHeader is what node-soap 0.23's WSSecurity sends by default
// (ebdo, in production): wsu Timestamp, wsu:Id, Type PasswordText, Created.
func nodeSoapHeader(user, hashed string) string {
	return `<soap:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">` +
		`<wsu:Timestamp wsu:Id="Timestamp-2026-03-15T10:30:00Z"><wsu:Created>2026-03-15T10:30:00Z</wsu:Created><wsu:Expires>2026-03-15T10:40:00Z</wsu:Expires></wsu:Timestamp>` +
		`<wsse:UsernameToken xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" wsu:Id="SecurityToken-2026-03-15T10:30:00Z">` +
		`<wsse:Username>` + user + `</wsse:Username>` +
		`<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">` + hashed + `</wsse:Password>` +
		`<wsu:Created>2026-03-15T10:30:00Z</wsu:Created></wsse:UsernameToken></wsse:Security></soap:Header>`
}

func digestHeader(user, pw, created string, nonce []byte) string {
	h := sha1.Sum(append(append(append([]byte{}, nonce...), created...), pw...))
	return `<soap:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">` +
		`<wsse:UsernameToken><wsse:Username>` + user + `</wsse:Username>` +
		`<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">` + base64.StdEncoding.EncodeToString(h[:]) + `</wsse:Password>` +
		`<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">` + base64.StdEncoding.EncodeToString(nonce) + `</wsse:Nonce>` +
		`<wsu:Created>` + created + `</wsu:Created></wsse:UsernameToken></wsse:Security></soap:Header>`
}

func soapEnv(header, body string) string {
	return `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="http://www.gesmag.com/">` + header +
		`<soap:Body>` + body + `</soap:Body></soap:Envelope>`
}

func TestSecurityHeaderVariants(t *testing.T) {
	cfg := testConfig()
	_, url := start(t, cfg)
	body := `<ges:getClient><codeClient>` + strconv.Itoa(DemoCode) + `</codeClient></ges:getClient>`
	tbody := `<tns:getClient><codeClient>` + strconv.Itoa(DemoCode) + `</codeClient></tns:getClient>`
	nonce := []byte("0123456789abcdef")
	cases := []struct {
		name    string
		payload string
		ok      bool
	}{
		{"vendor minimal form", gesEnv(minimalHeader(DemoUsername, DemoPassword), body), true},
		{"node-soap full form", soapEnv(nodeSoapHeader(DemoUsername, hashB64(DemoPassword)), tbody), true},
		{"wsse as default namespace", gesEnv(`<soapenv:Header><Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" soapenv:mustUnderstand="1"><UsernameToken><Username>`+DemoUsername+`</Username><Password>`+hashB64(DemoPassword)+`</Password></UsernameToken></Security></soapenv:Header>`, body), true},
		{"wrong password", gesEnv(minimalHeader(DemoUsername, "nope"), body), false},
		{"plain password instead of hash", gesEnv(strings.Replace(demoHeader, hashB64(DemoPassword), DemoPassword, 1), body), false},
		{"node-soap with plain password", soapEnv(nodeSoapHeader(DemoUsername, DemoPassword), tbody), false},
		{"wrong username", gesEnv(minimalHeader("intrus", DemoPassword), body), false},
		{"missing header", gesEnv("", body), false},
		{"empty header", gesEnv("<soapenv:Header/>", body), false},
		{"unqualified token", gesEnv(`<soapenv:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken><Username>`+DemoUsername+`</Username><Password>`+hashB64(DemoPassword)+`</Password></UsernameToken></wsse:Security></soapenv:Header>`, body), false},
		{"digest not accepted by default", soapEnv(digestHeader(DemoUsername, DemoPassword, "2026-03-15T10:30:00Z", nonce), tbody), false},
		{"unknown password type", gesEnv(strings.Replace(demoHeader, "<wsse:Password>", `<wsse:Password Type="urn:x#Other">`, 1), body), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := post(t, url, "text/xml;charset=UTF-8", c.payload)
			if c.ok {
				r = mustOK(t, r, "getClient")
				if len(r.Clients) != 1 || r.Clients[0]["codeClient"] != strconv.Itoa(DemoCode) {
					t.Fatalf("got %v", r.Clients)
				}
				return
			}
			r = mustFault(t, r, "101")
			if strings.Contains(r.Raw, DemoPassword) || strings.Contains(r.Raw, hashB64(DemoPassword)) {
				t.Fatal("fault echoes a credential")
			}
		})
	}
}

func TestSecurityDigestWhenConfigured(t *testing.T) {
	cfg := testConfig()
	cfg.AcceptPasswordDigest = true
	_, url := start(t, cfg)
	body := `<tns:getClient><codeClient>` + strconv.Itoa(DemoCode) + `</codeClient></tns:getClient>`
	nonce := []byte("0123456789abcdef")
	mustOK(t, post(t, url, "text/xml", soapEnv(digestHeader(DemoUsername, DemoPassword, "2026-03-15T10:30:00Z", nonce), body)), "getClient")
	mustFault(t, post(t, url, "text/xml", soapEnv(digestHeader(DemoUsername, "wrong", "2026-03-15T10:30:00Z", nonce), body)), "101")
	// The digest covers Created: a tampered Created fails.
	h := digestHeader(DemoUsername, DemoPassword, "2026-03-15T10:30:00Z", nonce)
	h = strings.Replace(h, "<wsu:Created>2026-03-15T10:30:00Z", "<wsu:Created>2026-03-15T10:31:00Z", 1)
	mustFault(t, post(t, url, "text/xml", soapEnv(h, body)), "101")
	// The minimal form still works.
	mustOK(t, call(t, url, `<ges:getClient><codeClient>`+strconv.Itoa(DemoCode)+`</codeClient></ges:getClient>`), "getClient")
}
