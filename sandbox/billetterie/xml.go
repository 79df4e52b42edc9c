package billetterie

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// xw builds XML text; escaping follows encoding/xml.
type xw struct{ strings.Builder }

func (b *xw) esc(s string) {
	xml.EscapeText(b, []byte(s))
}

// el writes <name>text</name>, or <name/> when text is empty.
func (b *xw) el(name, text string) {
	if text == "" {
		b.WriteString("<" + name + "/>")
		return
	}
	b.WriteString("<" + name + ">")
	b.esc(text)
	b.WriteString("</" + name + ">")
}

func (b *xw) open(name string)  { b.WriteString("<" + name + ">") }
func (b *xw) close(name string) { b.WriteString("</" + name + ">") }

// attrs writes <name k="v"…/> or, when selfClose is false, the start tag only.
func (b *xw) tag(name string, selfClose bool, kv ...string) {
	b.WriteString("<" + name)
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString(" " + kv[i] + `="`)
		b.esc(kv[i+1])
		b.WriteString(`"`)
	}
	if selfClose {
		b.WriteString("/>")
	} else {
		b.WriteString(">")
	}
}

// charRefs turns the runes ISO-8859-1 cannot carry (—, œ, €…) into numeric
// character references, so the document stays well-formed XML with the same
// text once parsed.
func charRefs(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xFF {
			fmt.Fprintf(&b, "&#%d;", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// writeLatin1 sends a document declared and encoded ISO-8859-1, like the
// vendor's catalogue flux. body must be escaped XML.
func writeLatin1(w http.ResponseWriter, body string) {
	out, err := charmap.ISO8859_1.NewEncoder().String(`<?xml version="1.0" encoding="ISO-8859-1"?>` + charRefs(body))
	if err != nil {
		http.Error(w, "encoding", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=ISO-8859-1")
	w.Write([]byte(out))
}

// writeUTF8 sends the purchase documents (UTF-8, declared).
func writeUTF8(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + body))
}

func writeFluxError(w http.ResponseWriter, msg string) {
	var b xw
	b.open(fluxRoot)
	b.open("ERREUR")
	b.el("MESSAGE", msg)
	b.close("ERREUR")
	b.close(fluxRoot)
	writeLatin1(w, b.String())
}

func writeXMLError(w http.ResponseWriter, msg string) {
	var b xw
	b.open("ERREUR")
	b.el("MESSAGE", msg)
	b.close("ERREUR")
	writeUTF8(w, b.String())
}
