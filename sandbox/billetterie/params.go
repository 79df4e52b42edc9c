package billetterie

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The optional object parameters of the contact and organisation services:
// adresses and Niveau_de_relations (base64 of minified JSON, annexes 4.3.1
// and 4.5.1) and criteres (raw JSON, annex 4.6). Each is decoded and checked
// in full before anything changes, so a refused request leaves no trace.

// paramErr is a refused parameter: a table 4.2 code and the detail naming
// the culprit.
type paramErr struct {
	code   int
	detail string
}

func (p *paramErr) write(w http.ResponseWriter) { ko(w, p.code, vendorMsg(p.code), p.detail) }

// decodeB64 reads a base64(JSON) parameter into v. An absent or empty
// parameter reports false. Undecodable base64 or JSON is code 4 (the spec
// names no dedicated code; "Problème de paramètre" is its generic one).
func decodeB64(r *http.Request, name string, v any) (bool, *paramErr) {
	raw := strings.TrimSpace(r.FormValue(name))
	if raw == "" {
		return false, nil
	}
	// The spec's examples wrap base64 over several lines: whitespace is noise.
	raw = strings.Join(strings.Fields(raw), "")
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		if b, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(raw, "=")); err != nil {
			return true, &paramErr{4, name + " : base64 invalide"}
		}
	}
	if err := json.Unmarshal(b, v); err != nil {
		return true, &paramErr{4, name + " : JSON invalide"}
	}
	return true, nil
}

// Annex 4.3 maximum lengths, by attribute.
var adresseMax = map[string]int{"adress1": 38, "adress2": 38, "adress3": 38, "adress4": 38, "cedex": 10, "code_postal": 10,
	"fax": 20, "pays": 38, "tel1": 20, "tel2": 20, "type_adresse": 40, "ville": 38}

// addressText maps annex 4.3's text attributes onto an address.
var addressText = map[string]func(a *address) *string{
	"adress1": func(a *address) *string { return &a.Adress1 }, "adress2": func(a *address) *string { return &a.Adress2 },
	"adress3": func(a *address) *string { return &a.Adress3 }, "adress4": func(a *address) *string { return &a.Adress4 },
	"cedex": func(a *address) *string { return &a.Cedex }, "code_postal": func(a *address) *string { return &a.CodePostal },
	"date_debut": func(a *address) *string { return &a.DateDebut }, "date_fin": func(a *address) *string { return &a.DateFin },
	"fax": func(a *address) *string { return &a.Fax }, "pays": func(a *address) *string { return &a.Pays },
	"tel1": func(a *address) *string { return &a.Tel1 }, "tel2": func(a *address) *string { return &a.Tel2 },
	"type_adresse": func(a *address) *string { return &a.Type }, "ville": func(a *address) *string { return &a.Ville },
}

// addressInput is one checked element of the adresses parameter: only the
// attributes present are applied ("Les attributs non présents ne seront pas
// mis à jour").
type addressInput struct {
	fields                       map[string]any
	idAdresse, idContact, idOrga int
}

// readAddresses decodes and checks the adresses parameter (annex 4.3.1's
// name; §2.3.1.2 prints "Adresses", which the sandbox does not take).
func readAddresses(r *http.Request) ([]addressInput, *paramErr) {
	var raw []map[string]any
	if present, pe := decodeB64(r, "adresses", &raw); pe != nil || !present {
		return nil, pe
	}
	out := make([]addressInput, 0, len(raw))
	for i, m := range raw {
		at := fmt.Sprintf("adresses[%d].", i)
		if m == nil {
			return nil, &paramErr{4, "adresses[" + strconv.Itoa(i) + "] : objet attendu"}
		}
		if t, _ := m["type_adresse"].(string); strings.TrimSpace(t) == "" {
			return nil, &paramErr{4, at + "type_adresse : obligatoire"}
		}
		for k, v := range m {
			if _, known := addressText[k]; !known {
				continue
			}
			s, isText := v.(string)
			if v != nil && !isText {
				return nil, &paramErr{4, at + k + " : texte attendu"}
			}
			if max := adresseMax[k]; max > 0 && utf8.RuneCountInString(s) > max {
				return nil, &paramErr{4, fmt.Sprintf("%s%s : %d caractères max.", at, k, max)}
			}
			if (k == "date_debut" || k == "date_fin") && s != "" {
				if _, err := time.Parse("2006-01-02", s); err != nil {
					return nil, &paramErr{4, at + k + " : date AAAA-MM-JJ attendue"}
				}
			}
		}
		if p, has := m["prioritaire"]; has && p != nil {
			if _, isBool := p.(bool); !isBool {
				return nil, &paramErr{4, at + "prioritaire : booléen attendu"}
			}
		}
		in := addressInput{fields: m}
		for k, p := range map[string]*int{"id_adresse": &in.idAdresse, "id_contact": &in.idContact, "id_organisme": &in.idOrga} {
			v, has := m[k]
			if !has || v == nil {
				continue
			}
			f, isNum := v.(float64)
			if !isNum || f != float64(int(f)) || f < 0 {
				return nil, &paramErr{4, at + k + " : entier attendu"}
			}
			*p = int(f)
		}
		out = append(out, in)
	}
	return out, nil
}

// applyAddresses merges checked inputs into an owner's addresses (§4.3.1):
// the match is on type_adresse; none found creates, one found updates. An
// update whose ids contradict the record is code 1000, checked for every
// element before any change.
func (s *Server) applyAddresses(list *[]address, in []addressInput, contactID, orgID int) *paramErr {
	find := func(typ string) int {
		for i, a := range *list {
			if strings.EqualFold(strings.TrimSpace(a.Type), strings.TrimSpace(typ)) {
				return i
			}
		}
		return -1
	}
	for _, e := range in {
		i := find(e.fields["type_adresse"].(string))
		if i < 0 {
			continue
		}
		a := (*list)[i]
		if (e.idAdresse != 0 && e.idAdresse != a.IDAdresse) || (contactID != 0 && e.idContact != 0 && e.idContact != contactID) ||
			(orgID != 0 && e.idOrga != 0 && e.idOrga != orgID) {
			return &paramErr{1000, "adresses : " + a.Type}
		}
	}
	for _, e := range in {
		i := find(e.fields["type_adresse"].(string))
		if i < 0 {
			s.nextAddress++
			*list = append(*list, address{IDAdresse: s.nextAddress, IDContact: contactID, IDOrganisme: orgID})
			i = len(*list) - 1
		}
		a := &(*list)[i]
		for k, v := range e.fields {
			if set, known := addressText[k]; known {
				t, _ := v.(string)
				*set(a) = strings.TrimSpace(t)
			}
		}
		if p, has := e.fields["prioritaire"].(bool); has {
			a.Prioritaire = p
		}
	}
	return nil
}

// niveauChange is one element of Niveau_de_relations: checked adds the
// level, unchecked removes it.
type niveauChange struct {
	name    string
	checked bool
}

const niveauMax = 40 // Niveau_relation, annex 4.5

func readNiveaux(r *http.Request) ([]niveauChange, *paramErr) {
	var raw []map[string]any
	if present, pe := decodeB64(r, "Niveau_de_relations", &raw); pe != nil || !present {
		return nil, pe
	}
	out := make([]niveauChange, 0, len(raw))
	for i, m := range raw {
		at := fmt.Sprintf("Niveau_de_relations[%d].", i)
		name, _ := m["Niveau_relation"].(string)
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, &paramErr{4, at + "Niveau_relation : obligatoire"}
		}
		if utf8.RuneCountInString(name) > niveauMax {
			return nil, &paramErr{4, fmt.Sprintf("%sNiveau_relation : %d caractères max.", at, niveauMax)}
		}
		var chk bool
		switch v := m["checked"].(type) {
		case bool:
			chk = v
		case float64:
			chk = v == 1
		case string:
			chk = v == "1" || strings.EqualFold(v, "true")
		default:
			return nil, &paramErr{4, at + "checked : obligatoire"}
		}
		out = append(out, niveauChange{name, chk})
	}
	return out, nil
}

// niveau is a relation level held by a contact or an organisation
// (annex 4.5: Num_id_unique is its record id).
type niveau struct {
	id   int
	name string
}

// applyNiveaux follows §4.5.1: the match ignores case; adding an existing
// level or removing a missing one does nothing.
func (s *Server) applyNiveaux(list *[]niveau, in []niveauChange) {
	for _, ch := range in {
		found := -1
		for i, n := range *list {
			if strings.EqualFold(n.name, ch.name) {
				found = i
				break
			}
		}
		switch {
		case ch.checked && found < 0:
			s.nextNiveau++
			*list = append(*list, niveau{s.nextNiveau, ch.name})
		case !ch.checked && found >= 0:
			*list = append((*list)[:found:found], (*list)[found+1:]...)
		}
	}
}

// niveauxJSON renders held levels as annex 4.5 objects.
func niveauxJSON(l []niveau, contactID, clistru, orgID int) []map[string]any {
	out := make([]map[string]any, 0, len(l))
	for _, n := range l {
		out = append(out, map[string]any{"Num_contact": contactID, "Num_clistru": clistru, "Num_id_unique": n.id,
			"Num_Organisme": orgID, "Niveau_relation": n.name})
	}
	return out
}

// The criteria form of the fictional venue (annex 4.6): the only
// id_formulaire the sandbox knows and its fields, after the spec's example.
const critereForm = 6869

type enumValue struct {
	ID      int    `json:"id"`
	Libelle string `json:"libelle"`
	Code    string `json:"code"`
	Ordre   int    `json:"ordre"`
}

type critereDef struct {
	nom, libelle string
	enum, multi  bool
	values       []enumValue
}

var critereDefs = []critereDef{
	{nom: "champ_1", libelle: "Contexte", enum: true, values: []enumValue{{603, "Danse", "Dan", 1}, {604, "Théâtre", "The", 2}, {605, "Musique", "Mus", 3}}},
	{nom: "champ_2", libelle: "Type_lieu", enum: true, multi: true, values: []enumValue{{608, "conference", "conf", 1}, {607, "Concert", "conc", 2}, {609, "Exposition", "expo", 3}}},
	{nom: "champ_3", libelle: "Commentaire"},
}

func (d critereDef) value(id int) (enumValue, bool) {
	for _, v := range d.values {
		if v.ID == id {
			return v, true
		}
	}
	return enumValue{}, false
}

// criteres holds an organisation's criteria: champ name → int (single
// choice), []int (multiple choice) or string (text).
type criteres map[string]any

// readCriteres decodes and checks the raw JSON criteres parameter with the
// codes 907–910 of table 4.2; absent returns nil.
func readCriteres(r *http.Request) (criteres, *paramErr) {
	raw := strings.TrimSpace(r.FormValue("criteres"))
	if raw == "" {
		return nil, nil
	}
	var in map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		return nil, &paramErr{4, "criteres : JSON invalide"}
	}
	var form int
	if err := json.Unmarshal(in["id_formulaire"], &form); err != nil || form != critereForm {
		return nil, &paramErr{907, "criteres.id_formulaire"}
	}
	lc, has := in["liste_champs"]
	if !has || string(lc) == "null" {
		return nil, &paramErr{909, "criteres.liste_champs"}
	}
	var champs []map[string]json.RawMessage
	if err := json.Unmarshal(lc, &champs); err != nil || len(champs) == 0 {
		return nil, &paramErr{908, "criteres.liste_champs"}
	}
	out := criteres{}
	for i, ch := range champs {
		at := fmt.Sprintf("criteres.liste_champs[%d]", i)
		var nom string
		json.Unmarshal(ch["nom"], &nom)
		val, hasVal := ch["valeur"]
		if strings.TrimSpace(nom) == "" || !hasVal || string(val) == "null" {
			return nil, &paramErr{910, at}
		}
		var def *critereDef
		for k := range critereDefs {
			if strings.EqualFold(critereDefs[k].nom, strings.TrimSpace(nom)) {
				def = &critereDefs[k]
			}
		}
		if def == nil {
			return nil, &paramErr{908, at + ".nom : " + nom}
		}
		bad := &paramErr{908, at + ".valeur"}
		switch {
		case !def.enum:
			var t string
			if json.Unmarshal(val, &t) != nil {
				return nil, bad
			}
			out[def.nom] = t
		case def.multi:
			var ids []int
			if json.Unmarshal(val, &ids) != nil {
				return nil, bad
			}
			for _, id := range ids {
				if _, ok := def.value(id); !ok {
					return nil, bad
				}
			}
			out[def.nom] = ids
		default:
			var id int
			if json.Unmarshal(val, &id) != nil {
				return nil, bad
			}
			if _, ok := def.value(id); !ok {
				return nil, bad
			}
			out[def.nom] = id
		}
	}
	return out, nil
}

// criteresJSON renders an organisation's criteria as §4.6.1.2 answers them:
// every field of the form, unset ones with an empty value.
func criteresJSON(c criteres) map[string]any {
	champs := []map[string]any{}
	for _, d := range critereDefs {
		m := map[string]any{"nom": d.nom, "libelle": d.libelle, "type": "texte", "multi_valeur": 0}
		if d.enum {
			m["type"] = "enumeration"
		}
		if d.multi {
			m["multi_valeur"] = 1
		}
		switch v := c[d.nom].(type) {
		case string:
			m["valeur"] = v
		case int:
			m["valeur"], _ = d.value(v)
		case []int:
			vs := []enumValue{}
			for _, id := range v {
				ev, _ := d.value(id)
				vs = append(vs, ev)
			}
			m["valeur"] = vs
		default:
			switch {
			case d.multi:
				m["valeur"] = []enumValue{}
			case d.enum:
				m["valeur"] = nil
			default:
				m["valeur"] = ""
			}
		}
		champs = append(champs, m)
	}
	return map[string]any{"id_formulaire": critereForm, "liste_champs": champs}
}
