package aboweb

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"

	"github.com/guichet/guichet/soap"
)

// wsdlSource is the contract published by the soap package: the simulator
// serves the same bytes the client is generated from (only the bytes; it
// uses none of the client's code).
var wsdlSource = soap.WSDL

// addressRE finds the location of <soap:address> (any prefix).
var addressRE = regexp.MustCompile(`(<[A-Za-z0-9_.-]*:?address\b[^>]*\blocation=")[^"]*(")`)

// serveWSDL serves our WSDL with the endpoint address rewritten to the URL
// the caller used, as a JAX-WS servlet does.
func (s *Server) serveWSDL(w http.ResponseWriter, r *http.Request) {
	if len(wsdlSource) == 0 {
		http.Error(w, "WSDL not available", http.StatusNotFound)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	loc := scheme + "://" + r.Host + r.URL.Path
	var esc strings.Builder
	xml.EscapeText(&esc, []byte(loc))
	out := addressRE.ReplaceAllFunc(wsdlSource, func(m []byte) []byte {
		sub := addressRE.FindSubmatchIndex(m)
		return append(append(append([]byte{}, m[:sub[3]]...), esc.String()...), m[sub[4]:]...)
	})
	w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	w.Write(out)
}
