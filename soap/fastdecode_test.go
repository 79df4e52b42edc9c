package soap_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/guichet/guichet/crm"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/soap"
	cs "github.com/guichet/guichet/soap/clientservice"
)

// sameAnswer checks the fast reader against the generated decoder on body:
// when the fast reader accepts, the generated decoder must accept too and
// give the same records. It reports whether the fast reader accepted.
func sameAnswer(t testing.TB, op string, body []byte) bool {
	t.Helper()
	fast, ok := soap.FastDecode(op, body)
	if !ok {
		return false
	}
	want, err := soap.GenericDecode(op, body)
	if err != nil {
		t.Fatalf("%s: fast reader accepted what the generated decoder refuses (%v):\n%s", op, err, body)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Fatalf("%s: fast reader differs from the generated decoder:\nfast %s\nwant %s\nbody %s", op, dump(fast), dump(want), body)
	}
	return true
}

func dump(cl []*cs.WsClient) string {
	var b strings.Builder
	for _, c := range cl {
		if c == nil {
			b.WriteString("<nil> ")
			continue
		}
		v := reflect.ValueOf(c).Elem()
		b.WriteString("{")
		for i := range v.NumField() {
			if p := v.Field(i).Interface().(*string); p != nil {
				b.WriteString(v.Type().Field(i).Name + "=" + *p + " ")
			}
		}
		b.WriteString("} ")
	}
	return b.String()
}

// TestFastDecoderCoversRecord: the reader's tables come from the generated
// types; a regenerated client whose record or answers change shape switches
// the fast path off, which this test reports.
func TestFastDecoderCoversRecord(t *testing.T) {
	if n, want := soap.RecordFieldCount(), reflect.TypeFor[cs.WsClient]().NumField(); n != want {
		t.Fatalf("fast reader knows %d of WsClient's %d fields: the generated record changed shape", n, want)
	}
	want := []string{"findClientByEmail", "getClient", "getClientByAncienCode", "getClients", "getClientsByCodeClientTransco",
		"getClientsByCodeSelection", "getClientsByOrigine", "getClientsByType", "getClientsModifiedBetween", "getClientsWithCriteria"}
	if got := soap.FastOps(); !reflect.DeepEqual(got, want) {
		t.Fatalf("fast operations %v, want %v", got, want)
	}
}

// sandboxAnswers records every answer the sandbox gives for its whole base:
// getClient of each code, findClientByEmail and getClientByAncienCode where
// the record has them, every page of getClients and getClientsByType.
func sandboxAnswers(t testing.TB) map[string][][]byte {
	ctx := context.Background()
	srv := abosandbox.New(abosandbox.DefaultConfig())
	rec := &recordingTransport{h: srv}
	c := benchClient(t, rec)
	out := map[string][][]byte{}
	keep := func(op string, err error) {
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		out[op] = append(out[op], bytes.Clone(rec.last))
	}
	for _, cl := range srv.Clients() {
		_, err := c.GetClient(ctx, cl.Code)
		keep("getClient", err)
		if cl.Email != "" {
			if _, err := c.GetClientByEmail(ctx, cl.Email); err == nil {
				out["findClientByEmail"] = append(out["findClientByEmail"], bytes.Clone(rec.last))
			}
		}
		if cl.AncienCode != "" {
			if _, err := c.GetClientByLegacyCode(ctx, cl.AncienCode); err == nil {
				out["getClientByAncienCode"] = append(out["getClientByAncienCode"], bytes.Clone(rec.last))
			}
		}
	}
	for _, f := range []struct {
		op string
		f  crm.Filter
	}{{"getClients", crm.Filter{}}, {"getClientsByType", crm.Filter{Type: crm.TypeOf(crm.TypePaidBy)}},
		{"getClientsByType", crm.Filter{Type: crm.TypeOf(crm.TypeNormal)}}} {
		for off := 0; ; off += soap.PageSize {
			p, err := c.FindClientsPage(ctx, f.f, off)
			keep(f.op, err)
			if len(p) < soap.PageSize {
				break
			}
		}
	}
	return out
}

// TestFastDecoderSandboxBase: over the sandbox's whole base and the recorded
// answers of testdata/, the fast reader accepts every answer and reads it
// exactly as the generated decoder does.
func TestFastDecoderSandboxBase(t *testing.T) {
	n := 0
	for op, bodies := range sandboxAnswers(t) {
		for _, b := range bodies {
			if !sameAnswer(t, op, b) {
				t.Fatalf("%s: fast reader declined a sandbox answer:\n%.600s", op, b)
			}
			n++
		}
	}
	files, _ := filepath.Glob("testdata/response/getClient_*.xml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !sameAnswer(t, "getClient", b) {
			t.Fatalf("fast reader declined %s", f)
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d answers compared", n)
	}
	t.Logf("%d answers read identically", n)
}

const (
	envOpen  = `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>`
	envClose = `</S:Body></S:Envelope>`
)

// TestFastDecoderVariants: what the vendor may send differently is read the
// same way, and what the reader does not handle is left to the generated
// decoder (declined), faults included.
func TestFastDecoderVariants(t *testing.T) {
	wrap := func(s string) []byte {
		return []byte(envOpen + `<ns2:getClientResponse xmlns:ns2="http://www.gesmag.com/">` + s + `</ns2:getClientResponse>` + envClose)
	}
	accepted := map[string][]byte{
		"plain":          wrap(`<client><codeClient>12</codeClient><nom>Morel</nom></client>`),
		"entities":       wrap(`<client><nom>A &amp; B &lt;&gt; &quot;&apos; &#233;&#xE9;</nom></client>`),
		"cdata":          wrap(`<client><nom><![CDATA[<b>x</b>]]> et suite</nom></client>`),
		"nested":         wrap(`<client><nom>av<x><y>caché</y></x>ap</nom><codesSelection><refCs>1</refCs></codesSelection></client>`),
		"comments":       wrap(`<!-- a --><client><!-- b --><nom>x<!-- c -->y</nom></client>`),
		"empty":          wrap(`<client><iban/><nom></nom><email xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></client>`),
		"prefixed":       wrap(`<client><p:nom xmlns:p="urn:x">x</p:nom><q:ville>y</q:ville></client>`),
		"two records":    wrap(`<client><nom>a</nom><ville>v</ville></client><client><nom>b</nom></client>`),
		"repeated field": wrap(`<client><nom>a</nom><nom>b</nom></client>`),
		"no record":      wrap(`<serverVersion>7</serverVersion>`),
		"empty record":   wrap(`<client/>`),
		"whitespace":     wrap("\n  <client >\n\t<nom> a b </nom >\n</client>\n"),
		"default ns": []byte(`<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body>` +
			`<getClientResponse xmlns="http://www.gesmag.com/"><client><nom>x</nom></client></getClientResponse></Body></Envelope>`),
		"no declaration": []byte(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
			`<g:getClientResponse xmlns:g="http://www.gesmag.com/"><client><nom>x</nom></client></g:getClientResponse></soapenv:Body></soapenv:Envelope>trailing`),
		"empty header": []byte(`<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Header/><S:Header><w:Security xmlns:w="urn:w"><a>b</a></w:Security></S:Header><S:Body>` +
			`<ns2:getClientResponse xmlns:ns2="http://www.gesmag.com/"><client/></ns2:getClientResponse></S:Body></S:Envelope>`),
		"attributes": wrap(`<client a="1" b='&amp;2'><nom lang="fr">x</nom></client>`),
	}
	for name, b := range accepted {
		if !sameAnswer(t, "getClient", b) {
			t.Errorf("%s: declined:\n%s", name, b)
		}
	}
	declined := map[string][]byte{
		"fault":           []byte(envOpen + `<S:Fault><faultcode>S:Server</faultcode><faultstring>204</faultstring></S:Fault>` + envClose),
		"other wrapper":   []byte(envOpen + `<ns2:getClientsResponse xmlns:ns2="http://www.gesmag.com/"></ns2:getClientsResponse>` + envClose),
		"wrong namespace": []byte(envOpen + `<ns2:getClientResponse xmlns:ns2="http://other/"></ns2:getClientResponse>` + envClose),
		"soap 1.2":        []byte(`<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body><ns2:getClientResponse xmlns:ns2="http://www.gesmag.com/"/></S:Body></S:Envelope>`),
		"latin-1":         []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + string(wrap(`<client/>`))[len(`<?xml version='1.0' encoding='UTF-8'?>`):]),
		"cr":              wrap("<client><nom>a\r\nb</nom></client>"),
		"doctype":         []byte(`<!DOCTYPE x>` + string(wrap(`<client/>`))),
		"entity":          wrap(`<client><nom>&eacute;</nom></client>`),
		"truncated":       wrap(`<client><nom>x</nom></client>`)[:120],
		"mismatch":        wrap(`<client><nom>x</ville></client>`),
		"header entry": []byte(`<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Header><Headers>x</Headers></S:Header><S:Body>` +
			`<ns2:getClientResponse xmlns:ns2="http://www.gesmag.com/"/></S:Body></S:Envelope>`),
		"empty body": []byte(envOpen + envClose),
		"two bodies": []byte(envOpen + `<ns2:getClientResponse xmlns:ns2="http://www.gesmag.com/"/>` + `</S:Body><S:Body>` +
			`<ns2:getClientResponse xmlns:ns2="http://www.gesmag.com/"/>` + envClose),
		"latin-1 bytes":  wrap("<client><nom>L\xe9o</nom></client>"),
		"unbound prefix": []byte(`<S:Envelope><S:Body/></S:Envelope>`),
	}
	for name, b := range declined {
		if _, ok := soap.FastDecode("getClient", b); ok {
			t.Errorf("%s: accepted, should be left to the generated decoder:\n%s", name, b)
		}
	}
}

// FuzzFastDecoder: whatever the bytes, the fast reader either declines or
// reads exactly what the generated decoder reads. Seeded with the sandbox's
// single-record answers (pages are compared whole in
// TestFastDecoderSandboxBase).
//
//	go test ./soap -run '^$' -fuzz FuzzFastDecoder -fuzztime 60s
func FuzzFastDecoder(f *testing.F) {
	for op, bodies := range sandboxAnswers(f) {
		for i, b := range bodies {
			if i < 3 && len(b) < 4<<10 { // pages of 50 (45 KB) make minimising crawl
				f.Add(op, b)
			}
		}
	}
	f.Add("getClient", []byte(envOpen+`<ns2:getClientResponse xmlns:ns2="http://www.gesmag.com/"><client><nom>a&amp;<![CDATA[x]]><!--c--><i>j</i></nom></client></ns2:getClientResponse>`+envClose))
	ops := soap.FastOps()
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		for _, o := range ops {
			if o == op {
				sameAnswer(t, op, body)
				return
			}
		}
		sameAnswer(t, "getClient", body)
	})
}
