package billetterie

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/guichet/guichet/sandbox/fault"
)

// Server is the simulator; it is an http.Handler.
type Server struct {
	cfg    Config
	faults fault.Injector
	calls  fault.Counter

	mu            sync.Mutex
	salt          string
	sessionSeq    int
	sessions      map[string]*session
	sites         []site
	rooms         []room
	grids         []grid
	shows         []*show
	showByID      map[string]*show
	perfs         []*perf
	perfByID      map[string]*perf
	passes        []pass
	items         []item
	contacts      []*contact
	contactByID   map[int]*contact
	contactByMail map[string]*contact
	nextContact   int
	orders        []*order
	orderByID     map[string]*order
	nextDetail    int
	orgs          []*organisation
	orgByID       map[int]*organisation
	nextOrg       int
	nextAddress   int // last id_adresse given
	nextNiveau    int // last Num_id_unique given
	nextOrder     int // orders simulated at run time
	lists         []*mailingList
	callbacks     Callbacks
	lastForms     map[string]url.Values // per service, secrets removed (LastForm)
}

type handler func(s *Server, w http.ResponseWriter, r *http.Request)

// kind tells how a service renders vendor faults.
type kind int

const (
	kindJSON kind = iota
	kindXMLFlux
	kindXMLPlain
	kindAPI
)

type service struct {
	kind kind
	h    handler
}

var services map[string]service

func init() {
	services = map[string]service{
		"ws_idsession":              {kindJSON, (*Server).idSession},
		"ws_status_session":         {kindJSON, (*Server).statusSession},
		"ws_deconnexion_session":    {kindJSON, (*Server).deconnexion},
		"ws_login":                  {kindJSON, (*Server).login},
		"ws_ccontact":               {kindJSON, (*Server).ccontact},
		"ws_info_contact":           {kindJSON, (*Server).infoContact},
		"ws_modification_contact":   {kindJSON, (*Server).modificationContact},
		"ws_modification_pwd":       {kindJSON, (*Server).modificationPwd},
		"ws_suppression_compte":     {kindJSON, (*Server).suppressionCompte},
		"ws_info_telechargement":    {kindJSON, (*Server).infoTelechargement},
		"ws_recap_achat":            {kindJSON, (*Server).recapAchat},
		"ws_det_achat":              {kindXMLPlain, (*Server).detAchat},
		"ws_cat_histo_achat":        {kindXMLPlain, (*Server).catHistoAchat},
		"ws_programmation":          {kindXMLFlux, (*Server).programmation},
		"ws_det_representation":     {kindXMLFlux, (*Server).detRepresentation},
		"ws_det_spectacle":          {kindXMLFlux, (*Server).detSpectacle},
		"ws_cat_spectacle":          {kindXMLFlux, (*Server).catSpectacle},
		"ws_cat_abonnement":         {kindXMLFlux, (*Server).catAbonnement},
		"ws_det_abonnement":         {kindXMLFlux, (*Server).detAbonnement},
		"ws_cat_article":            {kindXMLFlux, (*Server).catArticle},
		"ws_det_article":            {kindXMLFlux, (*Server).detArticle},
		"ws_info_formulaire":        {kindJSON, (*Server).infoFormulaire},
		"ws_historique_contact":     {kindJSON, (*Server).historiqueContact},
		"ws_cat_listes":             {kindJSON, (*Server).catListes},
		"ws_cat_contacts_liste":     {kindJSON, (*Server).catContactsListe},
		"ws_info_organisme":         {kindJSON, (*Server).infoOrganisme},
		"ws_organisme_creation":     {kindJSON, (*Server).organismeCreation},
		"ws_organisme_modification": {kindJSON, (*Server).organismeModification},
		"ws_organisme_contacts":     {kindJSON, (*Server).organismeContacts},
		"ws_execute_programme":      {kindAPI, (*Server).executeProgramme},
	}
}

// New seeds a simulator from cfg (zero fields take DefaultConfig values).
func New(cfg Config) *Server {
	def := DefaultConfig()
	if cfg.Login == "" && cfg.Password == "" && cfg.Client == "" {
		cfg.Login, cfg.Password, cfg.Client = def.Login, def.Password, def.Client
	}
	if cfg.APILogin == "" && cfg.APIKey == "" {
		cfg.APILogin, cfg.APIKey = def.APILogin, def.APIKey
	}
	if cfg.PwdKey == "" {
		cfg.PwdKey = def.PwdKey
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = def.SessionTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	now := cfg.Now().In(paris)
	s := &Server{
		cfg:           cfg,
		sessions:      map[string]*session{},
		showByID:      map[string]*show{},
		perfByID:      map[string]*perf{},
		contactByID:   map[int]*contact{},
		contactByMail: map[string]*contact{},
		orderByID:     map[string]*order{},
		orgByID:       map[int]*organisation{},
		nextContact:   30001,
		nextNiveau:    70000,
		callbacks:     cfg.Callbacks,
	}
	s.salt = fmt.Sprintf("%x", sha256.Sum256([]byte(now.UTC().Format(time.RFC3339Nano)+cfg.Client)))
	s.seedCatalogue(now)
	s.seedPeople(now)
	return s
}

// secretParams are never kept by remember.
var secretParams = []string{"x_rsi_ws_mdp", "x_rsi_api_key", "x_rsi_pwd_key", "web_passe", "v_passe", "v_passec", "v_ancien_passe"}

func (s *Server) remember(service string, form url.Values) {
	kept := url.Values{}
	for k, v := range form {
		kept[k] = append([]string(nil), v...)
	}
	for _, k := range secretParams {
		delete(kept, k)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastForms == nil {
		s.lastForms = map[string]url.Values{}
	}
	s.lastForms[service] = kept
}

// LastForm returns the parameters of the last call of a service, passwords
// and keys removed; nil before any call. Tests read which ids went upstream.
func (s *Server) LastForm(service string) url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastForms[service]
}

// Faults is the fault injector, keyed by service name ("ws_programmation") or "*".
func (s *Server) Faults() *fault.Injector { return &s.faults }

// Calls counts calls per service name.
func (s *Server) Calls() *fault.Counter { return &s.calls }

// ShowIDs returns the seeded show ids in catalogue order (by first performance).
func (s *Server) ShowIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.shows))
	for i, sh := range s.shows {
		out[i] = sh.id
	}
	return out
}

// ShowTitle returns the title of a show, or "" when unknown.
func (s *Server) ShowTitle(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sh := s.showByID[id]; sh != nil {
		return sh.title
	}
	return ""
}

// SetAvailability overrides the seats left (REP_DISPO) of a performance; it
// reports false for an unknown id.
func (s *Server) SetAvailability(performanceID string, n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.perfByID[performanceID]
	if p != nil {
		p.seats = n
	}
	return p != nil
}

// SetSeatsLeft is SetAvailability under its first name.
func (s *Server) SetSeatsLeft(performanceID string, n int) { s.SetAvailability(performanceID, n) }

// TouchShow marks a show modified now, for date_modif filtering.
func (s *Server) TouchShow(id string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if sh := s.showByID[id]; sh != nil {
		sh.modified = now.Truncate(time.Second)
	}
}

// firstContactID is the id_contact of fixture person 0, the demo account;
// person i is firstContactID+i.
const firstContactID = 20001

// DemoContactID is the id_contact of fixture person 0.
func (s *Server) DemoContactID() string { return strconv.Itoa(firstContactID) }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case strings.HasSuffix(path, "/_sandbox/faults"):
		s.faults.Handler().ServeHTTP(w, r)
		return
	case strings.HasSuffix(path, "/_sandbox/calls"):
		s.serveCalls(w, r)
		return
	}
	for _, a := range []string{"callbacks", "purchase", "print_card"} {
		if strings.HasSuffix(path, "/_sandbox/"+a) {
			s.serveAdmin(w, r, a)
			return
		}
	}
	name := path[strings.LastIndex(path, "/")+1:]
	svc, ok := services[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	s.calls.Inc(name)
	s.remember(name, r.Form)
	mode := s.faults.Decide(r, name)
	// Transport faults go to the connection itself (a reset hijacks it).
	if fault.Apply(w, r, mode) {
		return
	}
	rw := &replyWriter{ResponseWriter: w, service: name}
	defer rw.flush(s.cfg.Quirks)
	w = rw
	switch mode {
	case fault.VendorErr:
		s.vendorError(w, svc.kind, 5, "Pas de communication avec le serveur")
		return
	case fault.AuthError:
		s.vendorError(w, svc.kind, 3, msgAccess)
		return
	}
	svc.h(s, w, r)
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
	writeJSON(w, s.calls.Snapshot())
}

func (s *Server) vendorError(w http.ResponseWriter, k kind, code int, msg string) {
	switch k {
	case kindXMLFlux:
		writeFluxError(w, msg)
	case kindXMLPlain:
		writeXMLError(w, msg)
	case kindAPI:
		writeJSON(w, map[string]any{"statut": statut{code, "ko", msg}})
	default:
		ko(w, code, msg, "")
	}
}

const (
	msgAccess  = "Accès web service refusé"
	msgParam   = "Problème de paramètre"
	msgSession = "Session invalide"
	msgNoLogin = "Session non identifiée"
)

type statut struct {
	Code       int    `json:"code"`
	Traitement string `json:"traitement"`
	Message    string `json:"message"`
}

type erreur struct {
	Detail string `json:"détail"`
}

type retour struct {
	Statut     statut  `json:"statut"`
	Message    any     `json:"message,omitempty"`
	Detail     string  `json:"detail,omitempty"` // ws_ccontact, ws_organisme_creation/_modification
	Erreur     *erreur `json:"erreur,omitempty"`
	Traitement string  `json:"traitement,omitempty"` // beside statut in some services' examples
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
}

func ok(w http.ResponseWriter, code int, msg string, payload any) {
	writeJSON(w, map[string]retour{"retour": {Statut: statut{code, "ok", msg}, Message: payload}})
}

// okTraitement is ok for the services whose spec example repeats
// "traitement":"ok" beside statut (ws_modification_pwd, ws_cat_listes,
// ws_cat_contacts_liste).
func okTraitement(w http.ResponseWriter, code int, payload any) {
	writeJSON(w, map[string]retour{"retour": {Statut: statut{code, "ok", vendorMsg(code)}, Message: payload, Traitement: "ok"}})
}

// ko writes a "ko" answer, its detail where the spec puts it for the
// service: inside message for ws_info_contact (§2.3.5.3, "l'objet erreur"
// of message), retour.detail for ws_ccontact and the organisation writes
// (§2.3.1.4, §2.6.2.5), retour.erreur.détail elsewhere (§2.3.6.3).
func ko(w http.ResponseWriter, code int, msg, detail string) {
	rt := retour{Statut: statut{code, "ko", msg}}
	if detail != "" {
		service := ""
		if rw, ok := w.(*replyWriter); ok {
			service = rw.service
		}
		switch service {
		case "ws_info_contact":
			rt.Message = map[string]any{"erreur": erreur{detail}}
		case "ws_ccontact", "ws_organisme_creation", "ws_organisme_modification":
			rt.Detail = detail
		default:
			rt.Erreur = &erreur{detail}
		}
	}
	writeJSON(w, map[string]retour{"retour": rt})
}

// credsOK checks the web-service credentials, answering code 3 when wrong.
func (s *Server) credsOK(w http.ResponseWriter, r *http.Request) bool {
	if r.FormValue("x_rsi_ws_login") == s.cfg.Login && r.FormValue("x_rsi_ws_mdp") == s.cfg.Password && r.FormValue("x_rsi_client") == s.cfg.Client {
		return true
	}
	ko(w, 3, msgAccess, "")
	return false
}

// credsOKXML is credsOK for XML services, which answer an ERREUR document.
func (s *Server) credsOKXML(w http.ResponseWriter, r *http.Request, flux bool) bool {
	if r.FormValue("x_rsi_ws_login") == s.cfg.Login && r.FormValue("x_rsi_ws_mdp") == s.cfg.Password && r.FormValue("x_rsi_client") == s.cfg.Client {
		return true
	}
	if flux {
		writeFluxError(w, msgAccess)
	} else {
		writeXMLError(w, msgAccess)
	}
	return false
}

// required returns the named parameter or answers code 4 naming it.
func required(w http.ResponseWriter, r *http.Request, name string) (string, bool) {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		ko(w, 4, msgParam, "Paramètre manquant : "+name)
		return "", false
	}
	return v, true
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// vendorDate is the vendor's compact local timestamp, 20190709T203000.
func vendorDate(t time.Time) string { return t.Format("20060102T150405") }

// euros turns cents into the JSON number the JSON services use (24.5).
func euros(c int) json.Number {
	if c%100 == 0 {
		return json.Number(fmt.Sprint(c / 100))
	}
	return json.Number(strings.TrimRight(fmt.Sprintf("%d.%02d", c/100, c%100), "0"))
}

// decimalComma renders cents as "22,00", the flux's price format.
func decimalComma(c int) string { return fmt.Sprintf("%d,%02d", c/100, c%100) }
