package aboweb

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/guichet/guichet/sandbox/fault"
	"github.com/guichet/guichet/soap"
)

func TestFaultInjection(t *testing.T) {
	s, url := start(t, testConfig())
	get := `<ges:getClient><codeClient>` + strconv.Itoa(DemoCode) + `</codeClient></ges:getClient>`
	s.Faults().Set("getClient", fault.Rule{Mode: fault.VendorErr})
	mustFault(t, call(t, url, get), "100")
	mustOK(t, call(t, url, `<ges:getNbClients/>`), "getNbClients") // other operations unaffected
	s.Faults().Set("getClient", fault.Rule{Mode: fault.AuthError})
	mustFault(t, call(t, url, get), "101")
	s.Faults().Set("getClient", fault.Rule{Mode: fault.HTTP500})
	if r := call(t, url, get); r.Status != 500 || strings.HasPrefix(r.ContentType, "text/xml") {
		t.Fatalf("http500 mode: HTTP %d %s", r.Status, r.ContentType)
	}
	s.Faults().Set("getClient", fault.Rule{Mode: fault.Garbage})
	if r := call(t, url, get); r.Status != 200 || !strings.Contains(r.Raw, "mysql") {
		t.Fatalf("garbage mode: HTTP %d %s", r.Status, r.Raw)
	}
	s.Faults().Reset()
	mustOK(t, call(t, url, get), "getClient")
	if n := s.Calls().Get("getClient"); n != 5 {
		t.Fatalf("getClient counted %d times, want 5", n)
	}
}

func TestSandboxEndpoints(t *testing.T) {
	s, url := start(t, testConfig())
	base := strings.TrimSuffix(url, "/aboweb/ClientService")
	// Faults over HTTP.
	resp, err := http.Post(base+"/_sandbox/faults", "application/json", strings.NewReader(`{"findClientByEmail":{"mode":"vendor"}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mustFault(t, call(t, url, `<ges:findClientByEmail><email>camille.martin@exemple.fr</email></ges:findClientByEmail>`), "100")
	call(t, url, `<ges:getNbClients/>`)
	call(t, url, `<ges:getNbClients/>`)
	// Calls as JSON.
	resp, err = http.Get(base + "/_sandbox/calls")
	if err != nil {
		t.Fatal(err)
	}
	var calls map[string]int
	json.NewDecoder(resp.Body).Decode(&calls)
	resp.Body.Close()
	if calls["findClientByEmail"] != 1 || calls["getNbClients"] != 2 {
		t.Fatalf("calls %v", calls)
	}
	req, _ := http.NewRequest(http.MethodDelete, base+"/_sandbox/calls", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(s.Calls().Snapshot()) != 0 {
		t.Fatal("DELETE did not reset the counts")
	}
}

func TestWSDLServing(t *testing.T) {
	_, url := start(t, testConfig())
	for _, q := range []string{"?wsdl", "?WSDL"} {
		resp, err := http.Get(url + q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
			t.Fatalf("%s: HTTP %d %s", q, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !bytes.Contains(b, []byte(`<soap:address location="`+url+`"/>`)) || bytes.Contains(b, []byte("preprod.aboweb.com/aboweb/ClientService\"")) {
			t.Fatalf("%s: soap:address not rewritten to %s", q, url)
		}
		// Apart from the address, the bytes are the published WSDL.
		if got, want := addressRE.ReplaceAll(b, []byte("${1}X${2}")), addressRE.ReplaceAll(soap.WSDL, []byte("${1}X${2}")); !bytes.Equal(got, want) {
			t.Fatalf("%s: served WSDL differs from soap.WSDL", q)
		}
	}
	resp, _ := http.Get(url)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET without ?wsdl: HTTP %d", resp.StatusCode)
	}
}

// wsdlSchema is the part of our WSDL the consistency test reads.
type wsdlSchema struct {
	Types []struct {
		Name     string `xml:"name,attr"`
		Elements []struct {
			Name string `xml:"name,attr"`
		} `xml:"sequence>element"`
	} `xml:"types>schema>complexType"`
	Ops []struct {
		Name string `xml:"name,attr"`
	} `xml:"portType>operation"`
}

// TestWSDLConsistency calls every operation the WSDL declares with a request
// built from the WSDL's own parameter names, and checks that the answer only
// uses the response children the WSDL declares and that the client record
// has exactly the WSDL's fields, in its order.
func TestWSDLConsistency(t *testing.T) {
	var w wsdlSchema
	if err := xml.Unmarshal(soap.WSDL, &w); err != nil {
		t.Fatal(err)
	}
	types := map[string][]string{}
	for _, ct := range w.Types {
		for _, e := range ct.Elements {
			types[ct.Name] = append(types[ct.Name], e.Name)
		}
	}
	var names []string
	for _, f := range clientFields {
		names = append(names, f.name)
	}
	if strings.Join(types["wsClient"], ",") != strings.Join(names, ",") {
		t.Fatalf("wsClient fields differ:\nwsdl %v\nsim  %v", types["wsClient"], names)
	}
	// The WSDL also declares authenticateByEmail, the 2015-16 name the client
	// may fall back to; the vendor documents only the 24 others, and only
	// those are served (TestAuthenticateAndSendPassword checks the refusal).
	undocumented := map[string]bool{"authenticateByEmail": true}
	if len(w.Ops) != len(operations)+len(undocumented) || len(w.Ops) < 25 {
		t.Fatalf("WSDL declares %d operations, simulator implements %d", len(w.Ops), len(operations))
	}
	_, url := start(t, testConfig())
	samples := map[string]string{
		"codeClient": strconv.Itoa(DemoCode), "offset": "0", "email": "camille.martin@exemple.fr",
		"encryptedPassword": hashB64("Guichet2026"), "ancienCode": "A500000", "codeClientTransco": "0000HG",
		"codeSelection": "NEWSLETTER", "origine": "WEB", "typeClient": "0", "date1": "2025-01-01T00:00:00Z",
		"date2": "2026-01-01T00:00:00Z", "codeTiers": strconv.Itoa(PayerCodes()[0]), "refSociete": "1", "statut": "0",
		"criteria": "<typeClient>0</typeClient><cp>69001</cp>", "client": "<codeClient>" + strconv.Itoa(DemoCode) + "</codeClient><ville>Lyon</ville>",
	}
	for _, op := range w.Ops {
		if undocumented[op.Name] {
			if operations[op.Name] != nil {
				t.Fatalf("%s is served", op.Name)
			}
			continue
		}
		if operations[op.Name] == nil {
			t.Fatalf("operation %s not implemented", op.Name)
		}
		var body strings.Builder
		for _, p := range types[op.Name] {
			v, ok := samples[p]
			if !ok {
				t.Fatalf("%s: parameter %s unknown to the simulator", op.Name, p)
			}
			body.WriteString("<" + p + ">" + v + "</" + p + ">")
		}
		r := mustOK(t, call(t, url, `<ges:`+op.Name+`>`+body.String()+`</ges:`+op.Name+`>`), op.Name)
		declared := strings.Join(types[op.Name+"Response"], ",")
		switch {
		case len(r.Clients) > 0 && declared != "client",
			r.Result != "" && declared != "result",
			r.CodeClient != "" && declared != "codeClient":
			t.Fatalf("%s answers children the WSDL does not declare (%s)", op.Name, declared)
		}
		if declared != "client" && r.Result == "" && r.CodeClient == "" {
			t.Fatalf("%s: empty answer, WSDL declares %s", op.Name, declared)
		}
		if declared == "client" && len(r.Clients) == 0 {
			t.Fatalf("%s: sample request found no client", op.Name)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	s := New(testConfig())
	ts := httptest.NewServer(s)
	defer ts.Close()
	var wg sync.WaitGroup
	codes := make(chan string, 40)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				body := gesEnv(demoHeader, `<ges:createOrUpdateClientEx><client><nom>Concurrent</nom><email>c`+strconv.Itoa(i*10+j)+`@exemple.fr</email></client></ges:createOrUpdateClientEx>`)
				resp, err := http.Post(ts.URL, "text/xml", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				i0, i1 := bytes.Index(b, []byte("<codeClient>")), bytes.Index(b, []byte("</codeClient>"))
				if i0 < 0 || i1 < i0 {
					t.Errorf("no code in %s", b)
					return
				}
				codes <- string(b[i0+12 : i1])
				http.Post(ts.URL, "text/xml", strings.NewReader(gesEnv(demoHeader, `<ges:getClients><offset>500</offset></ges:getClients>`)))
				s.Clients()
			}
		}(i)
	}
	wg.Wait()
	close(codes)
	seen := map[string]bool{}
	for c := range codes {
		if seen[c] {
			t.Fatalf("code %s handed out twice", c)
		}
		seen[c] = true
	}
	if len(seen) != 40 || len(s.Clients()) != 560 || s.Calls().Get("createOrUpdateClientEx") != 40 {
		t.Fatalf("%d codes, %d clients", len(seen), len(s.Clients()))
	}
}
