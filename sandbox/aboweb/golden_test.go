package aboweb

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGoldenWire pins the exact bytes of a few answers (record layout, value
// formats, envelope and fault shapes): run with -update after a deliberate
// change and review the diff.
func TestGoldenWire(t *testing.T) {
	_, url := start(t, testConfig())
	for name, body := range map[string]string{
		"getClient-demo":       `<ges:getClient><codeClient>` + strconv.Itoa(DemoCode) + `</codeClient></ges:getClient>`,
		"getClient-payer":      `<ges:getClient><codeClient>` + strconv.Itoa(PayerCodes()[0]) + `</codeClient></ges:getClient>`,
		"getNbPayesPar":        `<ges:getNbPayesPar><codeTiers>` + strconv.Itoa(PayerCodes()[0]) + `</codeTiers></ges:getNbPayesPar>`,
		"fault-202-adresse3":   `<ges:createOrUpdateClientEx><client><nom>X</nom><adresse3>0123456789012345678901234567890123456789+</adresse3></client></ges:createOrUpdateClientEx>`,
		"fault-unknown-method": `<ges:deleteClient/>`,
	} {
		t.Run(name, func(t *testing.T) {
			got := []byte(call(t, url, body).Raw)
			path := filepath.Join("testdata", name+".golden.xml")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update once)", err)
			}
			if string(got) != string(want) {
				t.Fatalf("answer differs from %s:\ngot  %s\nwant %s", path, got, want)
			}
		})
	}
}

// TestGoldenQuirks pins the vendor-quirks form of client records: the demo,
// one flagged NPAI, a prescriber (with a discount) and a payer's page.
func TestGoldenQuirks(t *testing.T) {
	cfg := testConfig()
	cfg.Quirks = true
	s, url := start(t, cfg)
	odd, presc := 0, 0
	for _, c := range s.Clients() {
		if odd == 0 && c.Fields["npai"] == "true" {
			odd = c.Code
		}
		if presc == 0 && c.Type == TypePrescripteur {
			presc = c.Code
		}
	}
	if odd == 0 || presc == 0 {
		t.Fatal("no NPAI client or no prescriber in the seed")
	}
	for name, body := range map[string]string{
		"quirks-getClient-demo":  `<ges:getClient><codeClient>` + strconv.Itoa(DemoCode) + `</codeClient></ges:getClient>`,
		"quirks-getClient-npai":  `<ges:getClient><codeClient>` + strconv.Itoa(odd) + `</codeClient></ges:getClient>`,
		"quirks-getClient-presc": `<ges:getClient><codeClient>` + strconv.Itoa(presc) + `</codeClient></ges:getClient>`,
		"quirks-getPayesPar":     `<ges:getPayesPar><codeTiers>` + strconv.Itoa(PayerCodes()[0]) + `</codeTiers><offset>0</offset></ges:getPayesPar>`,
	} {
		t.Run(name, func(t *testing.T) {
			op, _, _ := strings.Cut(strings.TrimPrefix(name, "quirks-"), "-")
			r := mustOK(t, call(t, url, body), op)
			got := []byte(r.Raw)
			path := filepath.Join("testdata", name+".golden.xml")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update once)", err)
			}
			if string(got) != string(want) {
				t.Fatalf("answer differs from %s:\ngot  %s\nwant %s", path, got, want)
			}
		})
	}
}
