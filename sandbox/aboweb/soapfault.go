package aboweb

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// Vendor fault codes (spec: "Erreurs" of every service).
const (
	codeTechnical  = 100 // Erreur technique (also: service unavailable)
	codeAuth       = 101 // Erreur d'authentification
	codeFunctional = 200 // Erreur fonctionnelle
	codeInvalid    = 202 // Donnée invalide
	codeNotFound   = 204 // Client inexistant
)

const (
	msgAuth     = "Erreur d'authentification"
	msgNotFound = "Client inexistant"
	msgInvalid  = "Donnée invalide"
)

// soapFault is what an operation answers instead of a result.
type soapFault struct {
	code string // faultcode text: a bare number for AboWeb's own faults
	msg  string
}

func vendorFault(code int, msg string) *soapFault {
	return &soapFault{code: strconv.Itoa(code), msg: msg}
}

// invalid is fault 202 naming what is wrong, so integrators can fix it.
func invalid(detail string) *soapFault {
	return vendorFault(codeInvalid, msgInvalid+" : "+detail)
}

func notFound() *soapFault { return vendorFault(codeNotFound, msgNotFound) }

// runtimeFault is a fault from the JAX-WS runtime itself (unreadable
// envelope, unknown operation): those carry standard QName fault codes.
func runtimeFault(qname, msg string) *soapFault { return &soapFault{code: qname, msg: msg} }

// writeFault renders the vendor's fault exactly as the spec's sendPassword
// example shows it: no Header, an unused ns4 declaration on S:Fault, an
// unprefixed numeric faultcode, HTTP 500.
func writeFault(w http.ResponseWriter, f *soapFault) {
	var b strings.Builder
	b.WriteString(`<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="` + nsSOAP11 + `"><S:Body><S:Fault xmlns:ns4="` + nsSOAP12 + `"><faultcode>`)
	xml.EscapeText(&b, []byte(f.code))
	b.WriteString(`</faultcode><faultstring>`)
	xml.EscapeText(&b, []byte(f.msg))
	b.WriteString(`</faultstring></S:Fault></S:Body></S:Envelope>`)
	w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write([]byte(b.String()))
}

// writeResponse wraps an operation's result as the spec's sendPassword
// example: S: and SOAP-ENV: both bound to SOAP 1.1, an empty SOAP-ENV:Header,
// the ns2-prefixed <op>Response with unqualified children.
func writeResponse(w http.ResponseWriter, op string, inner string) {
	var b strings.Builder
	b.WriteString(`<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="` + nsSOAP11 + `" xmlns:SOAP-ENV="` + nsSOAP11 + `"><SOAP-ENV:Header/><S:Body><ns2:`)
	b.WriteString(op)
	b.WriteString(`Response xmlns:ns2="` + nsGesmag + `">`)
	b.WriteString(inner)
	b.WriteString(`</ns2:`)
	b.WriteString(op)
	b.WriteString(`Response></S:Body></S:Envelope>`)
	w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	w.Write([]byte(b.String()))
}

// elem appends <name>text</name>, escaped.
func elem(b *strings.Builder, name, text string) {
	b.WriteString("<" + name + ">")
	xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">")
}
