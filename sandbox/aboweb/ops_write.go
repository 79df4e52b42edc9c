package aboweb

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func opCreateOrUpdateClientEx(s *Server, p params) (string, *soapFault) {
	code, f := s.saveClient(p, false)
	if f != nil {
		return "", f
	}
	return "<codeClient>" + strconv.Itoa(code) + "</codeClient>", nil
}

// opUpdateClient is createOrUpdateClientEx restricted to existing clients
// (GUESS: the spec names it without details).
func opUpdateClient(s *Server, p params) (string, *soapFault) {
	code, f := s.saveClient(p, true)
	if f != nil {
		return "", f
	}
	return "<codeClient>" + strconv.Itoa(code) + "</codeClient>", nil
}

// saveClient creates (no or 0 codeClient) or updates a client. On update,
// fields sent replace the stored ones; fields not sent are kept or erased
// according to WS_FORCE_UPDATE_ONLY_SENDING_PARAMS. Read-only fields are
// ignored. The merged client is then checked as a whole.
func (s *Server) saveClient(p params, updateOnly bool) (int, *soapFault) {
	el := p.elem("client")
	if el == nil || el.isNil() {
		return 0, invalid("client obligatoire")
	}
	in := params{el}
	code, _, f := intParam(in, "codeClient")
	if f != nil {
		return 0, f
	}
	if code == 0 && updateOnly {
		return 0, invalid("codeClient obligatoire")
	}

	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	var rec *record
	var wasType int
	if code != 0 {
		old := s.st.byCode[code]
		if old == nil {
			return 0, notFound()
		}
		rec, wasType = old.clone(), old.typ()
	} else {
		rec = &record{f: map[string]string{}}
		wasType = -1
	}
	for _, fs := range clientFields {
		if fs.readOnly || fs.name == "codeClient" {
			continue
		}
		v, sent := in.get(fs.name)
		null := !sent
		if sent {
			if v, null, f = normalize(fs, v); f != nil {
				return 0, f
			}
		}
		switch {
		case !null:
			rec.f[fs.name] = v
		case !s.cfg.UpdateOnlySentParams:
			delete(rec.f, fs.name) // not sent = erased
		}
	}
	if _, ok := rec.f["typeClient"]; !ok {
		rec.f["typeClient"] = strconv.Itoa(TypeNormal)
	}
	if f := s.st.checkLocked(rec, wasType); f != nil {
		return 0, f
	}
	now := s.cfg.Now().Truncate(time.Second) // stored as a DATETIME: whole seconds
	rec.modification = now
	if code == 0 {
		rec.code, rec.creation = s.st.next, now
		s.st.next++
		s.st.codes = append(s.st.codes, rec.code) // next is above every code: order kept
	}
	s.st.byCode[rec.code] = rec
	return rec.code, nil
}

// checkLocked is the vendor's global coherence check before saving
// (fault 202), plus the one functional rule (fault 200): a tiers still
// paying for clients cannot change type.
func (st *store) checkLocked(r *record, wasType int) *soapFault {
	if strings.TrimSpace(r.f["nom"]) == "" && strings.TrimSpace(r.f["societe"]) == "" {
		return invalid("nom obligatoire")
	}
	if e := strings.TrimSpace(r.f["email"]); e != "" && !validEmail(e) {
		return invalid("email mal formé")
	}
	if utf8.RuneCountInString(r.f["adresse3"]) > 40 {
		return invalid("adresse3 dépasse 40 caractères")
	}
	if c, ok := r.f["codeIsoPays"]; ok && c != "" && !isoCountries[c] {
		return invalid("codeIsoPays n'est pas un code pays ISO 3166-1")
	}
	if x, err := strconv.ParseFloat(r.f["tauxRemiseAbo"], 64); err == nil && (x < 0 || x > 100) {
		return invalid("tauxRemiseAbo hors de 0..100")
	}
	t := r.typ()
	if t < TypeNormal || t > TypePrescripteur {
		return invalid("typeClient inconnu")
	}
	if t == TypePayePar {
		tiers := st.byCode[r.tiers()]
		if r.tiers() == 0 {
			return invalid("codeTiers obligatoire pour un client payé par")
		}
		if tiers == nil || tiers.typ() != TypeTiers || tiers.code == r.code {
			return invalid("codeTiers ne désigne pas un tiers")
		}
	}
	if wasType == TypeTiers && t != TypeTiers {
		for _, c := range st.codes {
			if o := st.byCode[c]; o.typ() == TypePayePar && o.tiers() == r.code {
				return vendorFault(codeFunctional, "Erreur fonctionnelle : ce tiers paie encore pour des clients")
			}
		}
	}
	return nil
}

// opUpdateStatut sets typeClient to one of the documented statuses
// (0 normal, 1 tiers, 2 payé par, 3 prospect). GUESS (as our WSDL):
// codeClient and statut in, <result>true</result> out. Statut 2 needs a
// codeTiers already on the client (set it with createOrUpdateClientEx).
func opUpdateStatut(s *Server, p params) (string, *soapFault) {
	code, _, f := intParam(p, "codeClient")
	if f != nil {
		return "", f
	}
	statut, present, f := intParam(p, "statut")
	if f != nil {
		return "", f
	}
	if !present {
		return "", invalid("statut obligatoire")
	}
	if statut < TypeNormal || statut > TypeProspect {
		return "", invalid("statut inconnu")
	}
	s.st.mu.Lock()
	defer s.st.mu.Unlock()
	old := s.st.byCode[code]
	if old == nil {
		return "", notFound()
	}
	rec := old.clone()
	rec.f["typeClient"] = strconv.Itoa(statut)
	if f := s.st.checkLocked(rec, old.typ()); f != nil {
		return "", f
	}
	rec.modification = s.cfg.Now().Truncate(time.Second)
	s.st.byCode[code] = rec
	return "<result>true</result>", nil
}

// opAuthenticateEncrypteByEmail checks a subscriber's portal password sent
// as base64(SHA-1(password)) (GUESS: the parameters of authenticateByEmail
// as PNP sent them, email and encryptedPassword). Wrong password: false;
// unknown email: fault 204.
func opAuthenticateEncrypteByEmail(s *Server, p params) (string, *soapFault) {
	email, f := requiredText(p, "email")
	if f != nil {
		return "", f
	}
	enc, _ := p.get("encryptedPassword")
	r := s.st.byEmail(email)
	if r == nil {
		return "", notFound()
	}
	pw, has := r.f["motPasseAbm"]
	ok := has && pw != "" && equal(strings.TrimSpace(enc), sha1Base64(pw))
	return "<result>" + strconv.FormatBool(ok) + "</result>", nil
}

// opSendPassword mails the subscriber their password (spec example:
// refSociete 1 and email; result true, or fault 204 "Client inexistant").
func opSendPassword(s *Server, p params) (string, *soapFault) {
	ref, present, f := intParam(p, "refSociete")
	if f != nil {
		return "", f
	}
	if present && ref != 1 { // "on considère qu'il n'y a qu'une société"
		return "", invalid("refSociete inconnue")
	}
	email, f := requiredText(p, "email")
	if f != nil {
		return "", f
	}
	if s.st.byEmail(email) == nil {
		return "", notFound()
	}
	s.st.mu.Lock()
	s.st.mails[normEmail(email)]++
	s.st.mu.Unlock()
	return "<result>true</result>", nil
}
