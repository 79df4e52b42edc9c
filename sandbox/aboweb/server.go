package aboweb

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/guichet/guichet/sandbox/fault"
)

// Config sets the simulated account and the publisher's system variables.
type Config struct {
	// Username and Password are the accepted WS-Security credentials; the
	// password is held in plain, the wire carries base64(SHA-1(password)).
	Username, Password string
	// UpdateOnlySentParams is the vendor's WS_FORCE_UPDATE_ONLY_SENDING_PARAMS:
	// true keeps fields an update does not send, false erases them.
	UpdateOnlySentParams bool
	// AcceptPasswordDigest also accepts a PasswordDigest token
	// (base64(SHA-1(nonce+created+password))). No evidence shows AboWeb
	// accepting it, so it is off by default; it exists to exercise a client's
	// digest mode.
	AcceptPasswordDigest bool
	// Quirks answers with the liberties a real server may take where the
	// vendor documents no type (quirks.go): noteEtat as a word, numbers
	// empty, padded or with a decimal comma, booleans as digits, dates
	// without offset, extra unknown elements. Off by default; on in the
	// contract tests, so the client's tolerance is exercised (GUICHET_SANDBOX_QUIRKS).
	Quirks bool
	// Now is the clock; nil means time.Now. The seeded dates are spread over
	// the two years before Now() at construction.
	Now func() time.Time
}

// Demo credentials of the sandbox account.
const (
	DemoUsername = "guichet-demo"
	DemoPassword = "Abo-demo-2026"
)

// DefaultConfig is the demo account, with the post-2019 default of the
// update variable (true).
func DefaultConfig() Config {
	return Config{Username: DemoUsername, Password: DemoPassword, UpdateOnlySentParams: true, Now: time.Now}
}

// Server is the simulated ClientService endpoint (an http.Handler). It
// answers on any path, so it can be mounted at /aboweb/ClientService.
type Server struct {
	cfg    Config
	st     *store
	faults fault.Injector
	calls  fault.Counter
	hash   string // base64(SHA-1(cfg.Password)), what the wire carries
}

// New seeds the base and returns the endpoint.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Server{cfg: cfg, st: newStore(seed(cfg.Now())), hash: sha1Base64(cfg.Password)}
}

// Faults is the fault injector, keyed by operation name (e.g. "getClient"),
// or "*" for every operation.
func (s *Server) Faults() *fault.Injector { return &s.faults }

// Calls counts requests per operation name (every POST whose operation was
// read, whatever its outcome) and "wsdl" for WSDL downloads.
func (s *Server) Calls() *fault.Counter { return &s.calls }

const maxRequest = 4 << 20

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, "/_sandbox/faults"):
		s.faults.Handler().ServeHTTP(w, r)
		return
	case strings.HasSuffix(r.URL.Path, "/_sandbox/calls"):
		s.serveCalls(w, r)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if hasWSDLQuery(r) {
			s.calls.Inc("wsdl")
			s.serveWSDL(w, r)
			return
		}
		// What a JAX-WS servlet shows a browser: a page pointing at the WSDL.
		w.Header().Set("Content-Type", "text/html;charset=utf-8")
		io.WriteString(w, `<html><head><title>Web Services</title></head><body><h1>Web Services</h1><p>ClientService: <a href="?wsdl">WSDL</a></p></body></html>`)
	case http.MethodPost:
		s.serveSOAP(w, r) // the query string (?wsdl left on) is ignored on POST
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
	}
}

func hasWSDLQuery(r *http.Request) bool {
	for k := range r.URL.Query() {
		if strings.EqualFold(k, "wsdl") {
			return true
		}
	}
	return false
}

func (s *Server) serveCalls(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodDelete:
		s.calls.Reset()
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(s.calls.Snapshot())
}

func (s *Server) serveSOAP(w http.ResponseWriter, r *http.Request) {
	// A SOAP 1.1 port refuses SOAP 1.2's media type before reading anything.
	if ct := strings.ToLower(r.Header.Get("Content-Type")); strings.Contains(ct, "application/soap+xml") {
		http.Error(w, "Unsupported Content-Type: "+ct+" Supported ones are: [text/xml]", http.StatusUnsupportedMediaType)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequest))
	if err != nil {
		writeFault(w, runtimeFault("S:Client", "Couldn't read the request: "+err.Error()))
		return
	}
	env, err := parseEnvelope(body)
	switch {
	case errors.Is(err, errVersion):
		writeFault(w, runtimeFault("S:VersionMismatch", "Couldn't create SOAP message. Expected Envelope in namespace "+nsSOAP11))
		return
	case err != nil:
		writeFault(w, runtimeFault("S:Client", "Couldn't create SOAP message due to exception: "+err.Error()))
		return
	}
	op := env.Op.Local
	h, known := operations[op]
	if env.Op.Space != nsGesmag || !known {
		writeFault(w, runtimeFault("S:Client", "Cannot find dispatch method for {"+env.Op.Space+"}"+op))
		return
	}
	s.calls.Inc(op)
	switch mode := s.faults.Decide(r, op); mode {
	case fault.None:
	case fault.VendorErr:
		writeFault(w, vendorFault(codeTechnical, "Service momentanément indisponible"))
		return
	case fault.AuthError:
		writeFault(w, vendorFault(codeAuth, msgAuth))
		return
	default:
		if fault.Apply(w, r, mode) {
			return
		}
	}
	if !s.authenticated(env.Header) {
		writeFault(w, vendorFault(codeAuth, msgAuth))
		return
	}
	resp, f := h(s, params{env.Op})
	if f != nil {
		writeFault(w, f)
		return
	}
	writeResponse(w, op, resp)
}
