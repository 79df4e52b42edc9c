package billetterie

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (s *Server) orgJSON(o *organisation) map[string]any {
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
		"adresses": adr, "Niveau_de_relations": niveauxJSON(o.niveaux, 0, 0, o.id), "contacts": cs,
	}
}

// orgParams are the optional object parameters of ws_organisme_creation and
// ws_organisme_modification, decoded and checked before any change.
type orgParams struct {
	organisme    map[string]any
	hasOrganisme bool
	adresses     []addressInput
	niveaux      []niveauChange
	criteres     criteres
	contacts     []attachEntry
}

func readOrgParams(r *http.Request) (*orgParams, *paramErr) {
	p := &orgParams{}
	var pe *paramErr
	if p.hasOrganisme, pe = decodeB64(r, "organisme", &p.organisme); pe != nil {
		return nil, pe
	}
	if p.hasOrganisme && p.organisme == nil {
		return nil, &paramErr{4, "organisme : objet attendu"}
	}
	if p.adresses, pe = readAddresses(r); pe != nil {
		return nil, pe
	}
	if p.niveaux, pe = readNiveaux(r); pe != nil {
		return nil, pe
	}
	if p.criteres, pe = readCriteres(r); pe != nil {
		return nil, pe
	}
	var cs []map[string]any
	if _, pe = decodeB64(r, "contacts", &cs); pe != nil {
		return nil, pe
	}
	es, code := parseAttachments(cs)
	if code != 0 {
		return nil, &paramErr{code, "contacts"}
	}
	p.contacts = es
	return p, nil
}

// apply changes o once the organisme fields are in; the 1000 check of the
// addresses comes first so a refusal changes nothing.
func (s *Server) applyOrgParams(o *organisation, p *orgParams) ([]map[string]any, *paramErr) {
	var adr []address
	adr = append(adr, o.adresses...)
	if pe := s.applyAddresses(&adr, p.adresses, 0, o.id); pe != nil {
		return nil, pe
	}
	applyOrg(o, p.organisme)
	o.adresses = adr
	s.applyNiveaux(&o.niveaux, p.niveaux)
	if p.criteres != nil {
		if o.criteres == nil {
			o.criteres = criteres{}
		}
		for k, v := range p.criteres {
			o.criteres[k] = v
		}
	}
	res, _ := s.attach(o, p.contacts)
	return res, nil
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
	if r.FormValue("get_criteres") == "1" {
		m["criteres"] = criteresJSON(o.criteres)
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
}

func (s *Server) organismeCreation(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	p, pe := readOrgParams(r)
	if pe != nil {
		pe.write(w)
		return
	}
	in, _ := str(p.organisme, "intitule")
	na, _ := str(p.organisme, "nature")
	if in == "" || na == "" {
		ko(w, 903, vendorMsg(903), "")
		return
	}
	now := s.now().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	o := &organisation{id: s.nextOrg, created: now, modified: now}
	res, pe := s.applyOrgParams(o, p)
	if pe != nil {
		pe.write(w)
		return
	}
	s.nextOrg++
	s.orgs = append(s.orgs, o)
	s.orgByID[o.id] = o
	ok(w, 901, vendorMsg(901), map[string]any{"organisme": s.orgWithResults(o, res, len(p.contacts) > 0)})
}

func (s *Server) organismeModification(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	p, pe := readOrgParams(r)
	if pe != nil {
		pe.write(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgParam(w, r)
	if o == nil {
		return
	}
	if !p.hasOrganisme && p.adresses == nil && p.niveaux == nil && p.criteres == nil && len(p.contacts) == 0 {
		ko(w, 4, msgParam, "Paramètre manquant : organisme")
		return
	}
	res, pe := s.applyOrgParams(o, p)
	if pe != nil {
		pe.write(w)
		return
	}
	o.modified = s.now().Truncate(time.Second)
	ok(w, 902, vendorMsg(902), map[string]any{"organisme": s.orgWithResults(o, res, len(p.contacts) > 0)})
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
	if o.criteres != nil {
		m["criteres"] = criteresJSON(o.criteres)
	}
	return m
}
