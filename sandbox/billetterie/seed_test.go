package billetterie

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func TestSeedInvariants(t *testing.T) {
	e := newEnv(t)
	s := e.srv
	if n := len(s.ShowIDs()); n < 40 {
		t.Fatalf("shows = %d", n)
	}
	if n := len(s.perfs); n < 300 {
		t.Fatalf("performances = %d", n)
	}
	if n := len(s.contacts); n != 200 {
		t.Fatalf("contacts = %d", n)
	}
	for _, sh := range s.shows {
		if n := len(sh.perfs); n < 6 || n > 10 {
			t.Fatalf("show %s has %d performances", sh.id, n)
		}
	}
	if len(s.ordersOf(20001, true)) < 3 {
		t.Fatal("demo contact needs ≥3 paid orders")
	}
	code, body := e.post("ws_programmation", e.creds())
	if code != 200 || !bytes.HasPrefix(body, []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><PROGRAMMATION><SALLES>`)) {
		t.Fatalf("flux start: %d %.120s", code, body)
	}
	// Determinism: a second server at the same instant answers the same bytes.
	e2 := newEnv(t)
	_, body2 := e2.post("ws_programmation", e2.creds())
	if !bytes.Equal(body, body2) {
		t.Fatal("two servers seeded at the same instant differ")
	}
	// ISO-8859-1: "Bérénice" is one byte per accented letter, decodable.
	if !bytes.Contains(body, []byte("B\xe9r\xe9nice")) {
		t.Fatal("flux does not carry Latin-1 bytes for Bérénice")
	}
	dec, err := charmap.ISO8859_1.NewDecoder().Bytes(body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dec), `NOM="Bérénice"`) || !strings.Contains(string(dec), "Théâtre des Célestins") {
		t.Fatal("decoded flux lacks accented titles")
	}
}
