package upstream

import (
	"bytes"
	"encoding/xml"
	"net/http"
)

// Backend is one back office: its name and how to read its answers. What
// each call is (operation, read or not) comes from the client that makes
// it, in the request's context (Call); only what needs the answer's body
// is here.
type Backend struct {
	Name string
	// VendorAnswer reports whether a 5xx answer is in fact the vendor's
	// error document: an answer, neither retried nor counted against the
	// back office's health. Nil when the vendor never does that.
	VendorAnswer func(status int, body []byte) bool
}

// Billetterie is L@billetterie. Vendor errors come with HTTP 200, so a 5xx
// is always the server's.
var Billetterie = Backend{Name: "billetterie"}

// AboWeb is the SOAP CRM. It answers SOAP faults with HTTP 500: those are
// vendor answers.
var AboWeb = Backend{Name: "aboweb", VendorAnswer: soapFault}

// soapFault reports whether a 5xx body is a SOAP envelope carrying a Fault.
func soapFault(status int, b []byte) bool {
	if status != http.StatusInternalServerError {
		return false
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.RawToken()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Fault" {
			return true
		}
	}
}
