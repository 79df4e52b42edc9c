package billetterie

import (
	"bufio"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// specParams reads the base64/JSON parameters printed in the spec, kept by
// the client package's testdata.
func specParams(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("../../billetterie/testdata/spec/base64_params.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " "); ok && !strings.HasPrefix(k, "#") {
			out[k] = v
		}
	}
	return out
}

type orgFull struct {
	Organisme struct {
		ID       int `json:"id_organisme"`
		Adresses []struct {
			IDAdresse   int    `json:"id_adresse"`
			IDOrganisme int    `json:"id_organisme"`
			Type        string `json:"type_adresse"`
			Adress1     string `json:"adress1"`
			Ville       string `json:"ville"`
		} `json:"adresses"`
		Niveaux []struct {
			Name string `json:"Niveau_relation"`
			Org  int    `json:"Num_Organisme"`
			ID   int    `json:"Num_id_unique"`
		} `json:"Niveau_de_relations"`
		Criteres *struct {
			IDFormulaire int `json:"id_formulaire"`
			Champs       []struct {
				Nom    string          `json:"nom"`
				Multi  int             `json:"multi_valeur"`
				Valeur json.RawMessage `json:"valeur"`
			} `json:"liste_champs"`
		} `json:"criteres"`
	} `json:"organisme"`
}

// The spec's own printed parameters, wrapped over lines as the document
// prints them, create an organisation with its address, levels and criteria.
func TestOrganisationSpecParameters(t *testing.T) {
	e := newEnv(t)
	p := specParams(t)
	wrapped := func(s string) string { // the PDF's line breaks
		var b strings.Builder
		for i := 0; i < len(s); i += 76 {
			b.WriteString(s[i:min(i+76, len(s))] + "\r\n")
		}
		return b.String()
	}
	created := decode[orgFull](t, e.expect("ws_organisme_creation", e.creds(
		"organisme", b64(map[string]string{"intitule": "Ministère de la Culture", "nature": "Administration"}),
		"adresses", wrapped(p["adresses_4.3"]), "Niveau_de_relations", p["Niveau_de_relations_4.5"], "criteres", p["criteres_2.6.2"]), 901, "ok"))
	id := strconv.Itoa(created.Organisme.ID)
	got := decode[orgFull](t, e.expect("ws_info_organisme", e.creds("id_organisme", id, "get_criteres", "1"), 2, "ok"))
	o := got.Organisme
	// Fournisseur checked is added, Relais unchecked removes nothing.
	if len(o.Adresses) != 1 || o.Adresses[0].Ville != "GUYANCOURT" || o.Adresses[0].IDOrganisme != created.Organisme.ID || o.Adresses[0].IDAdresse == 123 ||
		len(o.Niveaux) != 1 || o.Niveaux[0].Name != "Fournisseur" || o.Niveaux[0].Org != created.Organisme.ID || o.Niveaux[0].ID == 0 {
		t.Fatalf("organisation: %+v", o)
	}
	if o.Criteres == nil || o.Criteres.IDFormulaire != 6869 || len(o.Criteres.Champs) != 3 || o.Criteres.Champs[1].Multi != 1 ||
		string(o.Criteres.Champs[2].Valeur) != `"Commentaire"` || !strings.Contains(string(o.Criteres.Champs[0].Valeur), `"id":603`) {
		t.Fatalf("criteres: %+v", o.Criteres)
	}
	// Without get_criteres there are none.
	if plain := decode[orgFull](t, e.expect("ws_info_organisme", e.creds("id_organisme", id), 2, "ok")); plain.Organisme.Criteres != nil {
		t.Fatal("criteres without get_criteres=1")
	}
	// Table 4.2's criteria codes.
	org := b64(map[string]string{"intitule": "x", "nature": "y"})
	for crit, code := range map[string]int{
		`{"id_formulaire":1,"liste_champs":[{"nom":"champ_1","valeur":603}]}`:    907,
		`{"id_formulaire":6869,"liste_champs":"champ_1"}`:                        908,
		`{"id_formulaire":6869,"liste_champs":[{"nom":"champ_1","valeur":999}]}`: 908,
		`{"id_formulaire":6869,"liste_champs":[{"nom":"champ_2","valeur":603}]}`: 908,
		`{"id_formulaire":6869}`:                                    909,
		`{"id_formulaire":6869,"liste_champs":[{"valeur":603}]}`:    910,
		`{"id_formulaire":6869,"liste_champs":[{"nom":"champ_1"}]}`: 910,
		`not json`: 4,
	} {
		e.expect("ws_organisme_creation", e.creds("organisme", org, "criteres", crit), code, "ko")
	}
	before := len(e.srv.Seed().OrganisationIDs)
	e.expect("ws_organisme_creation", e.creds("organisme", org, "Niveau_de_relations", "!!"), 4, "ko")
	e.expect("ws_organisme_creation", e.creds("organisme", org, "adresses", b64(map[string]string{"type_adresse": "P"})), 4, "ko") // an object, not an array
	e.expect("ws_organisme_creation", e.creds("organisme", org, "adresses", b64([]map[string]any{{"type_adresse": "P", "prioritaire": "oui"}})), 4, "ko")
	e.expect("ws_organisme_creation", e.creds("organisme", org, "adresses", b64([]map[string]any{{"type_adresse": "P", "date_fin": "31/12/2026"}})), 4, "ko")
	if after := len(e.srv.Seed().OrganisationIDs); after != before {
		t.Fatalf("refused creations left %d organisations", after-before)
	}
}

// ws_ccontact takes adresses (annex 4.3.1's name) and the levels; the
// contact answers carry adresses, Niveau_de_relations and Adress4.
func TestContactObjectParameters(t *testing.T) {
	e := newEnv(t)
	p := specParams(t)
	tok := e.token()
	env := e.expect("ws_ccontact", e.creds("x_rsi_token", tok, "v_nom", "Lacascade", "v_mail", "lacascade@exemple.fr", "v_adr4", "BAT C",
		"v_passe", "Del457DEL", "v_passec", "Del457DEL", "creation_compte", "1",
		"adresses", p["adresses_4.3"], "Niveau_de_relations", p["Niveau_de_relations_4.5"]), 513, "ok")
	var m struct {
		Contact struct {
			IDContact int    `json:"id_contact"`
			Adress4   string `json:"Adress4"`
			Adresses  []struct {
				IDContact   int    `json:"id_contact"`
				IDOrganisme int    `json:"id_organisme"`
				Type        string `json:"type_adresse"`
				Tel1        string `json:"tel1"`
			} `json:"adresses"`
			Niveaux []struct {
				Name    string `json:"Niveau_relation"`
				Contact int    `json:"Num_contact"`
			} `json:"Niveau_de_relations"`
		} `json:"contact"`
	}
	if err := json.Unmarshal(env.Retour.Message, &m); err != nil {
		t.Fatal(err)
	}
	c := m.Contact
	if c.Adress4 != "BAT C" || len(c.Adresses) != 1 || c.Adresses[0].IDContact != c.IDContact || c.Adresses[0].IDOrganisme != 0 ||
		c.Adresses[0].Tel1 != "0102030405" || len(c.Niveaux) != 1 || c.Niveaux[0].Name != "Fournisseur" || c.Niveaux[0].Contact != c.IDContact {
		t.Fatalf("created contact: %s", env.Retour.Message)
	}
	// A bad parameter refuses the creation: the e-mail stays free.
	e.expect("ws_ccontact", e.creds("x_rsi_token", e.token(), "v_nom", "Roux", "v_mail", "roux@exemple.fr", "adresses", "@@"), 4, "ko")
	e.expect("ws_ccontact", e.creds("x_rsi_token", e.token(), "v_nom", "Roux", "v_mail", "roux@exemple.fr"), 513, "ok")
	// Back-office modification with a contradicting id_contact: 1000.
	e.expect("ws_modification_contact", e.creds("id_contact", strconv.Itoa(c.IDContact), "v_nom", "Changé",
		"adresses", b64([]map[string]any{{"type_adresse": "principale", "id_contact": 1}})), 1000, "ko")
	info := e.expect("ws_info_contact", e.creds("id_contact", strconv.Itoa(c.IDContact)), 2, "ok")
	if !strings.Contains(string(info.Retour.Message), `"name":"Lacascade"`) {
		t.Fatalf("refused modification applied: %s", info.Retour.Message)
	}
}
