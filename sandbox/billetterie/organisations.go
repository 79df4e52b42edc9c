package billetterie

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (s *Server) orgJSON(o *organisation) map[string]any {
	niv := []map[string]any{}
	for _, n := range niveauxRelation {
		niv = append(niv, map[string]any{"Niveau_relation": n, "checked": o.niveaux[n]})
	}
	cs := []map[string]any{}
	for _, oc := range o.contacts {
		cs = append(cs, map[string]any{"id": linkID(oc.contact), "id_contact": oc.contact, "fonction": oc.fonction, "service": oc.service,
			"telephone": oc.tel, "portable": oc.port, "email": oc.em})
	}
	adr := append([]address{}, o.adresses...)
	return map[string]any{
		"id_organisme": o.id, "intitule": o.intitule, "intitule2": o.intitule2, "nature": o.nature, "type": o.typ,
		"raison_sociale": o.raison, "email_structure": o.email, "remarque_struc": o.remarque,
		"date_creation": o.created.Format("2006-01-02"), "date_modif": o.modified.Format("2006-01-02T15:04:05"), // §4.4 formats
		"adresses": adr, "Niveau_de_relations": niv, "contacts": cs,
	}
}

// b64JSON decodes a base64(JSON) parameter into v; absent parameters leave v
// untouched and report false without error.
func b64JSON(r *http.Request, name string, v any) (present bool, err error) {
	raw := strings.TrimSpace(r.FormValue(name))
	if raw == "" {
		return false, nil
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		if b, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(raw, "=")); err != nil {
			return true, err
		}
	}
	return true, json.Unmarshal(b, v)
}

func str(m map[string]any, k string) (string, bool) {
	v, ok := m[k]
	if !ok || v == nil {
		return "", false
	}
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return fmt.Sprint(v), true
}

func (s *Server) orgParam(w http.ResponseWriter, r *http.Request) *organisation {
	v, okp := required(w, r, "id_organisme")
	if !okp {
		return nil
	}
	id, err := strconv.Atoi(v)
	if err != nil {
		ko(w, 4, msgParam, "id_organisme")
		return nil
	}
	o := s.orgByID[id]
	if o == nil {
		ko(w, 904, vendorMsg(904), "")
	}
	return o
}

func (s *Server) infoOrganisme(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgParam(w, r)
	if o == nil {
		return
	}
	m := s.orgJSON(o)
	if r.FormValue("get_contact") != "1" {
		delete(m, "contacts")
	}
	if r.FormValue("get_criteres") != "1" {
		delete(m, "Niveau_de_relations")
	}
	ok(w, 2, vendorMsg(2), map[string]any{"organisme": m})
}

func applyOrg(o *organisation, m map[string]any) {
	set := func(k string, p *string) {
		if v, ok := str(m, k); ok {
			*p = v
		}
	}
	set("intitule", &o.intitule)
	set("intitule2", &o.intitule2)
	set("nature", &o.nature)
	set("type", &o.typ)
	set("raison_sociale", &o.raison)
	set("email_structure", &o.email)
	set("remarque_struc", &o.remarque)
	if nv, ok := m["Niveau_de_relations"].([]any); ok {
		for _, x := range nv {
			if e, ok := x.(map[string]any); ok {
				name, _ := str(e, "Niveau_relation")
				chk, _ := e["checked"].(bool)
				if c, _ := str(e, "checked"); c == "1" {
					chk = true
				}
				if name != "" {
					o.niveaux[name] = chk
				}
			}
		}
	}
}

func (s *Server) organismeCreation(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	var m map[string]any
	var adr []address
	var cs []map[string]any
	for _, p := range []struct {
		name string
		v    any
	}{{"organisme", &m}, {"adresses", &adr}, {"contacts", &cs}} {
		if _, err := b64JSON(r, p.name, p.v); err != nil {
			ko(w, 4, msgParam, p.name+" : base64(JSON) attendu")
			return
		}
	}
	in, _ := str(m, "intitule")
	na, _ := str(m, "nature")
	if in == "" || na == "" {
		ko(w, 903, vendorMsg(903), "")
		return
	}
	es, code := parseAttachments(cs)
	if code != 0 {
		ko(w, code, vendorMsg(code), "contacts")
		return
	}
	now := s.now().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	o := &organisation{id: s.nextOrg, created: now, modified: now, niveaux: map[string]bool{}, adresses: adr}
	s.nextOrg++
	applyOrg(o, m)
	res, _ := s.attach(o, es)
	s.orgs = append(s.orgs, o)
	s.orgByID[o.id] = o
	ok(w, 901, vendorMsg(901), map[string]any{"organisme": s.orgWithResults(o, res, len(es) > 0)})
}

func (s *Server) organismeModification(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	var m map[string]any
	var adr []address
	present, err := b64JSON(r, "organisme", &m)
	if err != nil {
		ko(w, 4, msgParam, "organisme : base64(JSON) attendu")
		return
	}
	hasAdr, err := b64JSON(r, "adresses", &adr)
	if err != nil {
		ko(w, 4, msgParam, "adresses : base64(JSON) attendu")
		return
	}
	var cs []map[string]any
	if _, err := b64JSON(r, "contacts", &cs); err != nil {
		ko(w, 4, msgParam, "contacts : base64(JSON) attendu")
		return
	}
	es, code := parseAttachments(cs)
	if code != 0 {
		ko(w, code, vendorMsg(code), "contacts")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgParam(w, r)
	if o == nil {
		return
	}
	if !present && !hasAdr && len(es) == 0 {
		ko(w, 4, msgParam, "Paramètre manquant : organisme")
		return
	}
	applyOrg(o, m)
	if hasAdr {
		o.adresses = adr
	}
	res, _ := s.attach(o, es)
	o.modified = s.now().Truncate(time.Second)
	ok(w, 902, vendorMsg(902), map[string]any{"organisme": s.orgWithResults(o, res, len(es) > 0)})
}

func (s *Server) catListes(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, l := range s.lists {
		out = append(out, map[string]any{"id": l.id, "titre_court": l.titre, "type": "liste", "web": true, "liste": true})
	}
	okTraitement(w, 2, out)
}

func (s *Server) catContactsListe(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	v, okp := required(w, r, "id_liste")
	if !okp {
		return
	}
	id, _ := strconv.Atoi(v)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.lists {
		if l.id != id {
			continue
		}
		out := []map[string]any{}
		for k, m := range l.members {
			c := s.contactByID[m]
			if c == nil {
				continue
			}
			st := map[string]any{"id": 0, "structure": ""}
			for _, o := range s.orgs {
				for _, oc := range o.contacts {
					if oc.contact == c.id {
						st = map[string]any{"id": o.id, "structure": o.intitule}
					}
				}
			}
			out = append(out, map[string]any{"id": 600000 + l.id*1000 + k, "clistru_id": c.lien, "mail_envoi": c.mail,
				"contact": map[string]any{"id": c.id, "genre": c.civilite, "nom": c.nom, "prenom": c.prenom}, "structure": st})
		}
		okTraitement(w, 2, out)
		return
	}
	ko(w, 4, msgParam, "id_liste inconnu")
}

// orgWithResults is the organisme object of ws_organisme_creation and
// ws_organisme_modification: when contacts were sent, its "contacts" are the
// per-contact results (§2.6.2.5), not the links.
func (s *Server) orgWithResults(o *organisation, res []map[string]any, sent bool) map[string]any {
	m := s.orgJSON(o)
	if sent {
		m["contacts"] = res
	}
	return m
}
