package main

import (
	"bytes"
	"go/format"
	"os"
	"testing"

	gen "github.com/hooklift/gowsdl"
)

// go generate ./soap/... must give back the committed files byte for byte:
// run gowsdl v0.5.0 (as a library, exactly as its command does) and this
// fixer, and compare.
func TestGeneratedCodeIsReproducible(t *testing.T) {
	if raceEnabled {
		t.Skip("gowsdl v0.5.0 races on its own output map; run without -race")
	}
	const wsdlPath = "../../ClientService.wsdl"
	g, err := gen.NewGoWSDL(wsdlPath, "clientservice", false, true)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := g.Start()
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	for _, k := range []string{"header", "types", "operations", "soap"} {
		raw.Write(parts[k])
	}
	src, err := format.Source(raw.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	wsdl, err := os.ReadFile(wsdlPath)
	if err != nil {
		t.Fatal(err)
	}
	fixed, wrappers, err := Fix(wsdl, src)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"../../clientservice/clientservice.go": fixed, "../../clientservice/wrappers_gen.go": wrappers} {
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what go generate produces: run go generate ./soap/...", name)
		}
	}
	// Running the fixer on its own output must be refused, not applied twice.
	if _, _, err := Fix(wsdl, fixed); err == nil {
		t.Error("Fix accepted already-fixed code")
	}
}
