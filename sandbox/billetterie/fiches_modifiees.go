package billetterie

import (
	"net/http"
	"strings"
	"time"
)

// exportLists are the id lists each type_export value of
// ws_liste_fiches_modifiees returns (§2.7.3.2).
var exportLists = map[string][]string{
	"liste_contact":   {"liste_contacts_id"},
	"liste_organisme": {"liste_organismes_id"},
	"liste_lien":      {"liste_liens_id"},
	"liste_fiches": {"liste_contacts_id", "liste_organismes_id", "liste_adresses_id", "liste_liens_id",
		"liste_envois_id", "liste_interets_id", "liste_niveaux_relations_id"},
}

// linkID is the id of the "fiche lien" between a contact and an organisation.
func linkID(contact int) int { return 800000 + contact }

// contactRecord is a contact as the contact services answer it (annex 4.1,
// "champs reçus"): id is the fiche lien, id_contact the fiche contact.
func contactRecord(c *contact) map[string]any {
	return map[string]any{
		"id": c.lien, "id_contact": c.id, "civilite": c.civilite, "name": c.nom, "surname": c.prenom, "mail": c.mail,
		"web_identifiant": c.mail, "tel_perso": c.telPerso, "tel_port": c.telPort, "adress1": c.adress1,
		"adress2": c.adress2, "adress3": c.adress3, "Adress4": c.adress4, // sic, annex 4.1
		"code_postal": c.codePostal, "ville": c.ville, "pays": c.pays,
		"adresses": append([]address{}, c.adresses...), "Niveau_de_relations": niveauxJSON(c.niveaux, c.id, c.lien, 0),
		"date_modif": c.modified.Format("2006-01-02T15:04:05"),
	}
}

// executeProgramme is ws_execute_programme, the API host's entry point; the
// only model the sandbox installs is ws_liste_fiches_modifiees. Its statut
// sits at the top level, beside data.
func (s *Server) executeProgramme(w http.ResponseWriter, r *http.Request) {
	fail := func(code int, detail string) {
		writeJSON(w, map[string]any{"statut": statut{code, "ko", vendorMsg(code)}, "erreur": erreur{detail}})
	}
	if r.FormValue("x_rsi_login") != s.cfg.APILogin || r.FormValue("x_rsi_api_key") != s.cfg.APIKey || r.FormValue("x_rsi_client") != s.cfg.Client {
		fail(3, "")
		return
	}
	// §2.7.3: the API host is called in GET, its parameters in the query.
	if r.Method != http.MethodGet || r.URL.Query().Get("x_rsi_modele") == "" {
		fail(4, "ws_execute_programme : méthode GET attendue")
		return
	}
	if r.FormValue("x_rsi_modele") != "ws_liste_fiches_modifiees" {
		fail(4, "x_rsi_modele")
		return
	}
	// Filtre_client (§2.7.3.2): 1 keeps the records whose criterion champ_35
	// is true, 0 (or absent) those where it is false or unset. No sandbox
	// record sets champ_35, so 1 selects none.
	onlyClients := false
	switch strings.TrimSpace(r.FormValue("Filtre_client")) {
	case "", "0":
	case "1":
		onlyClients = true
	default:
		fail(4, "Filtre_client : 1 ou 0")
		return
	}
	export := strings.TrimSpace(r.FormValue("type_export"))
	if _, known := exportLists[export]; export != "" && !known {
		fail(4, "type_export")
		return
	}
	now := s.now()
	ts, err := time.ParseInLocation("2006-01-02T15:04:05", strings.TrimSpace(r.FormValue("ts")), now.Location())
	if err != nil {
		fail(4, "ts (AAAA-MM-JJTHH:MM:SS)")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var contacts []*contact
	var orgs []*organisation
	for _, c := range s.contacts {
		if !c.modified.Before(ts) && !onlyClients {
			contacts = append(contacts, c)
		}
	}
	for _, o := range s.orgs {
		if !o.modified.Before(ts) && !onlyClients {
			orgs = append(orgs, o)
		}
	}
	// A modified organisation's links and addresses count as modified.
	ids := map[string][]int{}
	full := map[string][]any{}
	for _, k := range exportLists["liste_fiches"] {
		ids[k] = []int{}
		full[strings.TrimSuffix(k, "_id")] = []any{}
	}
	for _, c := range contacts {
		ids["liste_contacts_id"] = append(ids["liste_contacts_id"], c.id)
		full["liste_contacts"] = append(full["liste_contacts"], contactRecord(c))
	}
	for _, o := range orgs {
		ids["liste_organismes_id"] = append(ids["liste_organismes_id"], o.id)
		full["liste_organismes"] = append(full["liste_organismes"], s.orgJSON(o))
		for _, a := range o.adresses {
			full["liste_adresses"] = append(full["liste_adresses"], a)
		}
		for _, l := range o.contacts {
			ids["liste_liens_id"] = append(ids["liste_liens_id"], linkID(l.contact))
			full["liste_liens"] = append(full["liste_liens"], map[string]any{
				"id": linkID(l.contact), "id_contact": l.contact, "id_organisme": o.id, "fonction": l.fonction,
				"service": l.service, "telephone": l.tel, "portable": l.port, "email": l.em,
			})
		}
	}
	data := map[string]any{}
	if export == "" {
		for k, v := range full {
			data[k] = v
		}
	} else {
		for _, k := range exportLists[export] {
			data[k] = ids[k]
		}
	}
	writeJSON(w, map[string]any{"statut": statut{2, "ok", vendorMsg(2)}, "data": data})
}
