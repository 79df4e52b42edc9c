package billetterie

import (
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"unicode"
)

// passwordOK is the site's password rule: at least 8 characters with an
// upper-case letter, a lower-case letter and a digit, and no '@'.
func passwordOK(p string) bool {
	if len([]rune(p)) < 8 || strings.ContainsRune(p, '@') {
		return false
	}
	var up, lo, dig bool
	for _, r := range p {
		switch {
		case unicode.IsUpper(r):
			up = true
		case unicode.IsLower(r):
			lo = true
		case unicode.IsDigit(r):
			dig = true
		}
	}
	return up && lo && dig
}

func emailOK(e string) bool {
	a, err := mail.ParseAddress(e)
	// No dot required: the spec's own address is assistance@ressources-sfr.
	return err == nil && a.Address == e
}

// contactFields maps annex 4.1's sent names onto a contact (v_tel_perso
// is the client's GUESS for tel_perso, which annex 4.1 lists only as
// received).
var contactFields = []struct {
	name string
	ptr  func(c *contact) *string
}{
	{"web_civil", func(c *contact) *string { return &c.civilite }},
	{"v_nom", func(c *contact) *string { return &c.nom }},
	{"v_prenom", func(c *contact) *string { return &c.prenom }},
	{"v_tel_perso", func(c *contact) *string { return &c.telPerso }},
	{"v_tel_port", func(c *contact) *string { return &c.telPort }},
	{"v_adr1", func(c *contact) *string { return &c.adress1 }},
	{"v_adr2", func(c *contact) *string { return &c.adress2 }},
	{"v_adr3", func(c *contact) *string { return &c.adress3 }},
	{"v_adr4", func(c *contact) *string { return &c.adress4 }},
	{"v_cp", func(c *contact) *string { return &c.codePostal }},
	{"v_ville", func(c *contact) *string { return &c.ville }},
	{"v_pays", func(c *contact) *string { return &c.pays }},
}

func applyFields(c *contact, r *http.Request) {
	for _, f := range contactFields {
		if vs, present := r.Form[f.name]; present && len(vs) > 0 {
			*f.ptr(c) = strings.TrimSpace(vs[0])
		}
	}
}

// ccontact is ws_ccontact: the session token is the only credential the
// spec lists (§2.3.1.2).
func (s *Server) ccontact(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se, _ := s.withSession(w, r, false)
	if se == nil {
		return
	}
	if pe := checkAnnex41(r); pe != nil {
		pe.write(w)
		return
	}
	nom, email := strings.TrimSpace(r.FormValue("v_nom")), strings.TrimSpace(r.FormValue("v_mail"))
	if nom == "" || email == "" {
		missing := "v_nom"
		if nom != "" {
			missing = "v_mail"
		}
		ko(w, 505, vendorMsg(505), missing)
		return
	}
	if !emailOK(email) {
		ko(w, 527, vendorMsg(527), "v_mail")
		return
	}
	if s.contactByMail[lower(email)] != nil {
		ko(w, 518, vendorMsg(518), "v_mail")
		return
	}
	adr, niv, pe := readContactParams(r)
	if pe != nil {
		pe.write(w)
		return
	}
	pwd := r.FormValue("v_passe")
	if r.FormValue("creation_compte") == "1" || pwd != "" {
		if pwd != r.FormValue("v_passec") {
			ko(w, 524, vendorMsg(524), "v_passec")
			return
		}
		if !passwordOK(pwd) {
			ko(w, 523, vendorMsg(523), "v_passe")
			return
		}
	}
	c := &contact{
		id: s.nextContact, lien: 700000 + s.nextContact, mail: email, pwd: pwd,
		envoi: map[int]bool{}, interet: map[int]bool{}, modified: s.now().Truncate(1e9),
	}
	s.nextContact++
	applyFields(c, r)
	applyChoices(r, "code_envoi", codesEnvoi, c.envoi)
	applyChoices(r, "interet", interets, c.interet)
	for _, v := range r.Form["liste[]"] {
		id, err := strconv.Atoi(v)
		if err != nil {
			continue
		}
		for _, o := range codesEnvoi {
			if o.id == id {
				c.envoi[id] = true
			}
		}
		for _, l := range s.lists {
			if l.id == id {
				l.members = append(l.members, c.id)
			}
		}
	}
	// §4.3.1: the optional objects come once the record exists; a new
	// record has no address to contradict, so no 1000 here.
	s.applyAddresses(&c.adresses, adr, c.id, 0)
	s.applyNiveaux(&c.niveaux, niv)
	s.addContact(c)
	se.contact = c.id
	// The spec answers the created contact (§2.3.1.4); wire.md reads id_contact.
	m := contactRecord(c)
	m["id_contactlist"] = 0
	ok(w, 513, vendorMsg(513), map[string]any{"id_contact": c.id, "contact": m})
}

func options(opts []option, set map[int]bool) []map[string]any {
	out := make([]map[string]any, 0, len(opts))
	for _, o := range opts {
		out = append(out, map[string]any{"id": o.id, "code": o.code, "label": o.label, "checked": set[o.id]})
	}
	return out
}

func (s *Server) infoContact(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var c *contact
	if r.FormValue("x_rsi_token") != "" {
		// The visitor's form: id_formulaire is mandatory (§2.3.5.2); the
		// sandbox knows form 1 only.
		if id, okp := required(w, r, "id_formulaire"); !okp {
			return
		} else if strings.TrimLeft(id, "0") != "1" {
			ko(w, 4, msgParam, "id_formulaire inconnu")
			return
		}
		var se *session
		if se, c = s.withSession(w, r, true); se == nil {
			return
		}
	} else {
		if !s.credsOK(w, r) {
			return
		}
		v, okp := required(w, r, "id_contact")
		if !okp {
			return
		}
		id, err := strconv.Atoi(v)
		if err != nil {
			ko(w, 4, msgParam, "id_contact")
			return
		}
		if c = s.contactByID[id]; c == nil {
			ko(w, 503, vendorMsg(503), "")
			return
		}
	}
	m := contactRecord(c)
	m["code_envoi"], m["interet"] = options(codesEnvoi, c.envoi), options(interets, c.interet)
	ok(w, 2, vendorMsg(2), map[string]any{"contact": m})
}

// applyFlags reads liste_maj_<field>[<id>]=2|3 (2 adds, 3 removes).
func applyFlags(r *http.Request, field string, opts []option, set map[int]bool) {
	for _, o := range opts {
		switch r.FormValue(field + "[" + strconv.Itoa(o.id) + "]") {
		case "2":
			set[o.id] = true
		case "3":
			set[o.id] = false
		}
	}
}

// applyChoices updates a contact's codes envoi or intérêts (§2.3.3.2): with
// maj_<field>=1 only the liste_maj_<field>[id] entries change (2 check,
// 3 uncheck, 1 nothing); otherwise a <field>[] list, when sent, is the whole
// new selection.
func applyChoices(r *http.Request, field string, opts []option, set map[int]bool) {
	if r.FormValue("maj_"+field) == "1" {
		applyFlags(r, "liste_maj_"+field, opts, set)
		return
	}
	applyFlags(r, "liste_maj_"+field, opts, set) // lenient: wire.md sends the entries without the flag
	vs, sent := r.Form[field+"[]"]
	if !sent {
		return
	}
	chosen := map[string]bool{}
	for _, v := range vs {
		chosen[strings.TrimSpace(v)] = true
	}
	for _, o := range opts {
		set[o.id] = chosen[strconv.Itoa(o.id)]
	}
}

func (s *Server) modificationContact(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var c *contact
	if r.FormValue("x_rsi_token") == "" && r.FormValue("id_contact") != "" {
		// Back-office form: web-service credentials and id_contact, no session.
		if !s.credsOK(w, r) {
			return
		}
		id, err := strconv.Atoi(strings.TrimSpace(r.FormValue("id_contact")))
		if err != nil {
			ko(w, 4, msgParam, "id_contact")
			return
		}
		if c = s.contactByID[id]; c == nil {
			ko(w, 503, vendorMsg(503), "")
			return
		}
	} else {
		var se *session
		if se, c = s.withSession(w, r, true); se == nil {
			return
		}
	}
	if pe := checkAnnex41(r); pe != nil {
		pe.write(w)
		return
	}
	adr, niv, pe := readContactParams(r)
	if pe != nil {
		pe.write(w)
		return
	}
	adresses := append([]address{}, c.adresses...)
	if pe := s.applyAddresses(&adresses, adr, c.id, 0); pe != nil {
		pe.write(w)
		return
	}
	if vs, present := r.Form["v_mail"]; present && len(vs) > 0 && lower(vs[0]) != lower(c.mail) {
		email := strings.TrimSpace(vs[0])
		if !emailOK(email) {
			ko(w, 527, vendorMsg(527), "v_mail")
			return
		}
		if s.contactByMail[lower(email)] != nil {
			ko(w, 518, vendorMsg(518), "v_mail")
			return
		}
		delete(s.contactByMail, lower(c.mail))
		c.mail = email
		s.contactByMail[lower(email)] = c
	}
	if vs, present := r.Form["v_nom"]; present && (len(vs) == 0 || strings.TrimSpace(vs[0]) == "") {
		ko(w, 505, vendorMsg(505), "v_nom")
		return
	}
	applyFields(c, r)
	applyChoices(r, "code_envoi", codesEnvoi, c.envoi)
	applyChoices(r, "interet", interets, c.interet)
	c.adresses = adresses
	s.applyNiveaux(&c.niveaux, niv)
	c.modified = s.now().Truncate(1e9)
	m := contactRecord(c)
	m["code_envoi"], m["interet"] = options(codesEnvoi, c.envoi), options(interets, c.interet)
	ok(w, 508, vendorMsg(508), map[string]any{"id_contact": c.id, "contact": m})
}

// modificationPwd is ws_modification_pwd as §2.3.4 draws it, and only so:
// the back-office key, the account's w_identifiant (required) and the new
// v_passe, with an optional v_ancien_passe.
func (s *Server) modificationPwd(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("x_rsi_pwd_key") != s.cfg.PwdKey {
		ko(w, 3, msgAccess, "")
		return
	}
	if strings.TrimSpace(r.FormValue("w_identifiant")) == "" {
		ko(w, 607, vendorMsg(607), "w_identifiant")
		return
	}
	if pe := checkAnnex41(r); pe != nil { // w_identifiant: 80 characters
		pe.write(w)
		return
	}
	s.modificationPwdByIdent(w, r)
}

func (s *Server) suppressionCompte(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se, c := s.withSession(w, r, true)
	if se == nil {
		return
	}
	delete(s.contactByID, c.id)
	delete(s.contactByMail, lower(c.mail))
	for i, x := range s.contacts {
		if x == c {
			s.contacts = append(s.contacts[:i:i], s.contacts[i+1:]...)
			break
		}
	}
	// Every session of the deleted visitor is logged out.
	for _, other := range s.sessions {
		if other.contact == c.id {
			other.contact = 0
		}
	}
	// §2.3.6.3: statut and an empty erreur, no message.
	writeJSON(w, map[string]retour{"retour": {Statut: statut{534, "ok", vendorMsg(534)}, Erreur: &erreur{}}})
}

// readContactParams decodes the optional adresses and Niveau_de_relations
// of ws_ccontact and ws_modification_contact before anything changes.
func readContactParams(r *http.Request) ([]addressInput, []niveauChange, *paramErr) {
	adr, pe := readAddresses(r)
	if pe != nil {
		return nil, nil, pe
	}
	niv, pe := readNiveaux(r)
	return adr, niv, pe
}
