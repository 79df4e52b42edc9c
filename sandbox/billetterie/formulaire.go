package billetterie

import (
	"net/http"
	"strings"
)

// formField is one entry of ws_info_formulaire's "formulaire" array.
type formField struct {
	name, typ, label string
	required         bool
	options          []option
}

// contactForm is form n°1, the only one the sandbox knows. Field names are
// those of annex 4.1 ("champs à envoyer").
var contactForm = []formField{
	{name: "web_civil", typ: "select", label: "Civilité", options: []option{{1, "M.", "M."}, {2, "Mme", "Mme"}}},
	{name: "v_nom", typ: "text", label: "Nom", required: true},
	{name: "v_prenom", typ: "text", label: "Prénom", required: true},
	{name: "v_mail", typ: "email", label: "E-mail", required: true},
	{name: "v_passe", typ: "password", label: "Mot de passe", required: true},
	{name: "v_passec", typ: "password", label: "Confirmation du mot de passe", required: true},
	{name: "v_tel_port", typ: "text", label: "Téléphone portable"},
	{name: "v_adr1", typ: "text", label: "Adresse"},
	{name: "v_adr2", typ: "text", label: "Complément d'adresse"},
	{name: "v_adr3", typ: "text", label: "Bâtiment, lieu-dit"},
	{name: "v_cp", typ: "text", label: "Code postal"},
	{name: "v_ville", typ: "text", label: "Ville"},
	{name: "v_pays", typ: "text", label: "Pays"},
	{name: "code_envoi[]", typ: "checkbox", label: "Je souhaite recevoir", options: codesEnvoi},
	{name: "interet[]", typ: "checkbox", label: "Centres d'intérêt", options: interets},
}

// infoFormulaire is ws_info_formulaire: no credentials, only id_formulaire.
func (s *Server) infoFormulaire(w http.ResponseWriter, r *http.Request) {
	id, okp := required(w, r, "id_formulaire")
	if !okp {
		return
	}
	if strings.TrimLeft(id, "0") != "1" {
		ko(w, 4, msgParam, "id_formulaire inconnu")
		return
	}
	fields := make([]map[string]any, 0, len(contactForm))
	for i, f := range contactForm {
		values, labels, codes := []any{}, []string{}, []string{}
		for _, o := range f.options {
			values = append(values, o.id)
			labels = append(labels, o.label)
			codes = append(codes, o.code)
		}
		fields = append(fields, map[string]any{
			"name": f.name, "option_value": values, "index": i + 1, "checked": false, "type": f.typ, "label": f.label,
			"value": "", "option": labels, "option_code": codes, "action_fieldset": []any{},
			"required": f.required, "visible": true, "disabled": false,
		})
	}
	ok(w, 2, vendorMsg(2), map[string]any{
		"id_formulaire": 1,
		"formulaire":    fields,
		"libelles": map[string]any{
			"libelle_info_cnil":        "www.cnil.fr",
			"libelle_legend_oblig":     "Les champs obligatoires sont en rouge",
			"libelle_description_haut": "",
			"libelle_description_bas":  "",
			"libelle_regle_mdp":        "Votre mot de passe de compte doit contenir au moins 8 caractères, une majuscule, une minuscule et un chiffre ; l'arobase (@) n'est pas acceptée.",
		},
	})
}
