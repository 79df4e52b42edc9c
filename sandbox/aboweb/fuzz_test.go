package aboweb

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// FuzzRequest feeds arbitrary bodies through the whole endpoint (parse,
// security, dispatch, operation): it must answer with XML and never panic.
func FuzzRequest(f *testing.F) {
	code := strconv.Itoa(DemoCode)
	for _, seed := range []string{
		gesEnv(demoHeader, `<ges:getClient><codeClient>`+code+`</codeClient></ges:getClient>`),
		gesEnv(demoHeader, `<ges:createOrUpdateClientEx><client><codeClient>`+code+`</codeClient><nom>X</nom><typeClient>2</typeClient><codeTiers>1</codeTiers></client></ges:createOrUpdateClientEx>`),
		gesEnv(demoHeader, `<ges:getClientsWithCriteria><criteria><typeClient>0</typeClient></criteria><offset>50</offset></ges:getClientsWithCriteria>`),
		gesEnv(demoHeader, `<ges:getClientsModifiedBetween><date1>2025-01-01T00:00:00.000Z</date1></ges:getClientsModifiedBetween>`),
		`<?xml version="1.0" encoding="ISO-8859-1"?>` + gesEnv(demoHeader, `<ges:findClientByEmail><email>a@b.fr</email></ges:findClientByEmail>`),
		`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>`,
	} {
		f.Add(seed)
	}
	s := New(testConfig())
	f.Fuzz(func(t *testing.T, body string) {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/aboweb/ClientService", strings.NewReader(body)))
		if w.Code != http.StatusOK && w.Code != http.StatusInternalServerError {
			t.Fatalf("HTTP %d", w.Code)
		}
		if !strings.HasPrefix(w.Body.String(), "<?xml version='1.0' encoding='UTF-8'?><S:Envelope") {
			t.Fatalf("not a SOAP answer: %q", w.Body.String())
		}
	})
}

func TestLatin1Request(t *testing.T) {
	s, url := start(t, testConfig())
	body := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + gesEnv(demoHeader,
		"<ges:createOrUpdateClientEx><client><nom>L\xe9on</nom><ville>Orl\xe9ans</ville></client></ges:createOrUpdateClientEx>")
	r := mustOK(t, post(t, url, "text/xml; charset=ISO-8859-1", body), "createOrUpdateClientEx")
	code, _ := strconv.Atoi(r.CodeClient)
	if c, _ := s.Client(code); c.Nom != "Léon" || c.Ville != "Orléans" {
		t.Fatalf("stored %q %q", c.Nom, c.Ville)
	}
}
