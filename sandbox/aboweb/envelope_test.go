package aboweb

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestNamespacePrefixVariants(t *testing.T) {
	_, url := start(t, testConfig())
	code := strconv.Itoa(DemoCode)
	sec := `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken><wsse:Username>` +
		DemoUsername + `</wsse:Username><wsse:Password>` + hashB64(DemoPassword) + `</wsse:Password></wsse:UsernameToken></wsse:Security>`
	cases := []struct{ name, payload string }{
		{"soapenv + ges (vendor doc)", gesEnv(demoHeader, `<ges:getClient><codeClient>`+code+`</codeClient></ges:getClient>`)},
		{"SOAP-ENV + ns1 (PHP SoapClient)", `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.gesmag.com/"><SOAP-ENV:Header>` + sec + `</SOAP-ENV:Header><SOAP-ENV:Body><ns1:getClient><codeClient>` + code + `</codeClient></ns1:getClient></SOAP-ENV:Body></SOAP-ENV:Envelope>`},
		{"soap + tns declared on the wrapper", `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>` + sec + `</soap:Header><soap:Body><tns:getClient xmlns:tns="http://www.gesmag.com/"><codeClient>` + code + `</codeClient></tns:getClient></soap:Body></soap:Envelope>`},
		{"default namespace, children reset to none", `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Header>` + sec + `</Header><Body><getClient xmlns="http://www.gesmag.com/"><codeClient xmlns="">` + code + `</codeClient></getClient></Body></Envelope>`},
		{"whitespace and comments", gesEnv(demoHeader, "\n  <ges:getClient>\n    <!-- code -->\n    <codeClient> "+code+" </codeClient>\n  </ges:getClient>\n")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustOK(t, post(t, url, "text/xml; charset=utf-8", c.payload), "getClient")
			if len(r.Clients) != 1 || r.Clients[0]["codeClient"] != code {
				t.Fatalf("got %v", r.Clients)
			}
		})
	}
}

// A JAX-WS server binds only unqualified children (elementFormDefault
// unqualified): qualified ones are unknown elements, dropped, so the
// parameter is null and getClient finds no client.
func TestQualifiedChildrenAreDropped(t *testing.T) {
	_, url := start(t, testConfig())
	code := strconv.Itoa(DemoCode)
	for name, body := range map[string]string{
		"prefixed child":             `<ges:getClient><ges:codeClient>` + code + `</ges:codeClient></ges:getClient>`,
		"default namespace (gowsdl)": `<getClient xmlns="http://www.gesmag.com/"><codeClient>` + code + `</codeClient></getClient>`,
	} {
		t.Run(name, func(t *testing.T) {
			mustFault(t, call(t, url, body), "204")
		})
	}
	// createOrUpdateClientEx with qualified fields inside <client>: all null, nom missing.
	r := mustFault(t, call(t, url, `<ges:createOrUpdateClientEx><client><ges:nom>Dupont</ges:nom></client></ges:createOrUpdateClientEx>`), "202")
	if !strings.Contains(r.FaultString, "nom") {
		t.Fatalf("fault string %q does not name the field", r.FaultString)
	}
}

func TestEnvelopeErrors(t *testing.T) {
	_, url := start(t, testConfig())
	code := strconv.Itoa(DemoCode)
	t.Run("POST with ?wsdl left on", func(t *testing.T) {
		mustOK(t, post(t, url+"?wsdl", "text/xml", gesEnv(demoHeader, `<ges:getClient><codeClient>`+code+`</codeClient></ges:getClient>`)), "getClient")
	})
	t.Run("SOAPAction ignored", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(gesEnv(demoHeader, `<ges:getClient><codeClient>`+code+`</codeClient></ges:getClient>`)))
		req.Header.Set("Content-Type", "text/xml")
		req.Header.Set("SOAPAction", "urn:findClientByEmail")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("HTTP %d", resp.StatusCode)
		}
	})
	for _, c := range []struct{ name, payload, code string }{
		{"malformed XML", `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><x>`, "S:Client"},
		{"undeclared prefix", `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ges:getClient/></soapenv:Body></soapenv:Envelope>`, "S:Client"},
		{"DTD", `<!DOCTYPE x [<!ENTITY a "b">]>` + gesEnv(demoHeader, `<ges:getClient/>`), "S:Client"},
		{"SOAP 1.2 envelope", `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><ges:getClient xmlns:ges="http://www.gesmag.com/"/></env:Body></env:Envelope>`, "S:VersionMismatch"},
		{"not an envelope", `<getClient/>`, "S:VersionMismatch"},
		{"empty body", gesEnv(demoHeader, ``), "S:Client"},
		{"unknown operation", gesEnv(demoHeader, `<ges:deleteClient><codeClient>1</codeClient></ges:deleteClient>`), "S:Client"},
		{"operation in another namespace", gesEnv(demoHeader, `<x:getClient xmlns:x="http://example.org/"><codeClient>`+code+`</codeClient></x:getClient>`), "S:Client"},
		{"operation name is case-sensitive", gesEnv(demoHeader, `<ges:updateStatut><codeClient>`+code+`</codeClient><statut>0</statut></ges:updateStatut>`), "S:Client"},
	} {
		t.Run(c.name, func(t *testing.T) {
			mustFault(t, post(t, url, "text/xml", c.payload), c.code)
		})
	}
	t.Run("SOAP 1.2 media type", func(t *testing.T) {
		r := post(t, url, "application/soap+xml; charset=utf-8", gesEnv(demoHeader, `<ges:getClient/>`))
		if r.Status != http.StatusUnsupportedMediaType {
			t.Fatalf("HTTP %d", r.Status)
		}
	})
	t.Run("other methods", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPut, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("HTTP %d", resp.StatusCode)
		}
	})
}

func TestResponseShape(t *testing.T) {
	_, url := start(t, testConfig())
	r := mustOK(t, call(t, url, `<ges:sendPassword><refSociete>1</refSociete><email>camille.martin@exemple.fr</email></ges:sendPassword>`), "sendPassword")
	// The spec's example answer, byte for byte apart from indentation.
	want := `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/><S:Body><ns2:sendPasswordResponse xmlns:ns2="http://www.gesmag.com/"><result>true</result></ns2:sendPasswordResponse></S:Body></S:Envelope>`
	if r.Raw != want || r.ContentType != "text/xml;charset=utf-8" {
		t.Fatalf("got %s (%s)", r.Raw, r.ContentType)
	}
	f := mustFault(t, call(t, url, `<ges:sendPassword><refSociete>1</refSociete><email>personne@nulle.part</email></ges:sendPassword>`), "204")
	wantFault := `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault xmlns:ns4="http://www.w3.org/2003/05/soap-envelope"><faultcode>204</faultcode><faultstring>Client inexistant</faultstring></S:Fault></S:Body></S:Envelope>`
	if f.Raw != wantFault {
		t.Fatalf("got %s", f.Raw)
	}
}
