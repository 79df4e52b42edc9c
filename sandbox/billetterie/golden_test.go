package billetterie

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// TestProgrammationGolden pins the wire bytes of the catalogue flux seeded at
// testNow; run with -update after an intended change.
func TestProgrammationGolden(t *testing.T) {
	e := newEnv(t)
	_, body := e.post("ws_programmation", e.creds())
	path := filepath.Join("testdata", "programmation.golden.xml")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(body, want) {
		t.Fatalf("flux differs from %s (run with -update if intended)", path)
	}
	// Characters outside Latin-1 travel as character references.
	if !bytes.Contains(body, []byte("Moli\xe8re &#8212; Cie du Rh\xf4ne")) {
		t.Fatal("em dash not sent as a character reference")
	}
	dec, _ := charmap.ISO8859_1.NewDecoder().Bytes(body)
	doc := parseFlux(t, body)
	if !strings.Contains(string(dec), "Cie du Rh") || doc.Spectacles[0].Nom != "Le Misanthrope" {
		t.Fatal("decoded flux")
	}
}

func TestConcurrentSessions(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	toks := make([]string, 16)
	for i := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			toks[i] = e.loginDemo()
			e.status(toks[i])
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, tok := range toks {
		if seen[tok] {
			t.Fatalf("duplicate token %s", tok)
		}
		seen[tok] = true
	}
}
