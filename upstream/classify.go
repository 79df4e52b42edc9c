package upstream

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Backend says how to read the requests and answers of one back office.
type Backend struct {
	Name string
	// Classify names the operation of a request (for metrics) and says
	// whether it is an idempotent read, the only kind ever sent twice. It
	// may read the body through r.GetBody, never r.Body.
	Classify func(r *http.Request) (op string, read bool)
	// VendorAnswer reports whether a 5xx answer is in fact the vendor's
	// error document: an answer, neither retried nor counted against the
	// back office's health. Nil when the vendor never does that.
	VendorAnswer func(status int, body []byte) bool
}

// Billetterie is L@billetterie: the service is the last path segment
// (<site>/ws_<name>); ws_execute_programme runs the programme named by
// x_rsi_modele. Vendor errors come with HTTP 200, so a 5xx is always the
// server's.
//
// ws_idsession is not retried although it carries no visitor data: it
// creates a session on the engine, the issue allows replays of idempotent
// reads only, and its callers (createSession, login, registerContact) go on
// with mutations that are never replayed either, so a retry would buy little
// and add sessions to an engine that is already struggling.
var Billetterie = Backend{Name: "billetterie", Classify: classifyBilletterie}

// billetterieReads are the services that only read; ws_cat_*, ws_det_* and
// ws_info_* are reads by the vendor's naming (catalogues, details, infos).
var billetterieReads = map[string]bool{
	"ws_programmation":      true,
	"ws_status_session":     true,
	"ws_recap_achat":        true,
	"ws_historique_contact": true,
}

var billetterieReadPrefixes = []string{"ws_cat_", "ws_det_", "ws_info_"}

// billetterieReadProgrammes are the ws_execute_programme models that read.
var billetterieReadProgrammes = map[string]bool{"ws_liste_fiches_modifiees": true}

func classifyBilletterie(r *http.Request) (string, bool) {
	p := strings.TrimSuffix(r.URL.Path, "/")
	svc := p[strings.LastIndex(p, "/")+1:]
	if !strings.HasPrefix(svc, "ws_") {
		return "unknown", false
	}
	if svc == "ws_execute_programme" {
		m := formValue(r, "x_rsi_modele")
		if !strings.HasPrefix(m, "ws_") {
			return svc, false
		}
		return m, billetterieReadProgrammes[m]
	}
	if billetterieReads[svc] {
		return svc, true
	}
	for _, pre := range billetterieReadPrefixes {
		if strings.HasPrefix(svc, pre) {
			return svc, true
		}
	}
	return svc, false
}

// formValue reads a parameter from the query string, else from a
// form-encoded body (through GetBody, leaving the request untouched).
func formValue(r *http.Request, key string) string {
	if v := r.URL.Query().Get(key); v != "" {
		return v
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return ""
	}
	b := peekBody(r, 1<<20)
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return ""
	}
	return v.Get(key)
}

// AboWeb is the SOAP CRM. The operation is the first element of the SOAP
// Body (the client sends SOAPAction ""; a non-empty one is the fallback).
// get*/find* only read (getClient, getClients*, getNb* counts,
// findClientByEmail). Everything else is never retried: createOrUpdate*,
// update*/UpdateStatut and sendPassword change data or send mail, and
// authenticate* is a credential check the vendor may count towards a lockout.
// AboWeb answers SOAP faults with HTTP 500: those are vendor answers.
var AboWeb = Backend{Name: "aboweb", Classify: classifyAboWeb, VendorAnswer: soapFault}

func classifyAboWeb(r *http.Request) (string, bool) {
	op := soapOperation(peekBody(r, 64<<10))
	if op == "" {
		a := strings.Trim(r.Header.Get("SOAPAction"), `"`)
		op = a[strings.LastIndexAny(a, "/#")+1:]
	}
	if op == "" {
		return "unknown", false
	}
	return op, strings.HasPrefix(op, "get") || strings.HasPrefix(op, "find")
}

// soapOperation returns the local name of the first element inside the
// envelope's Body, or "".
func soapOperation(b []byte) string {
	d := xml.NewDecoder(bytes.NewReader(b))
	inBody := false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			if inBody {
				return se.Name.Local
			}
			inBody = se.Name.Local == "Body"
		}
	}
}

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

// peekBody returns up to limit bytes of the request body without consuming
// it, or nil when the body cannot be replayed.
func peekBody(r *http.Request, limit int64) []byte {
	if r.GetBody == nil {
		return nil
	}
	rc, err := r.GetBody()
	if err != nil {
		return nil
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, limit))
	return b
}
