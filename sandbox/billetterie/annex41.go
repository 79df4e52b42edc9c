package billetterie

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// annex41 is every contact field annex 4.1 lists as sent, with its type:
// 't' text of at most max characters (0: no stated limit), 'd' a date
// AAAA-MM-JJ, 'n' a number, 'b' a boolean (0/1, true/false). The sandbox
// reads each one the client sends and refuses a bad value with code 4 and
// the field in erreur.détail, as the site does for a parameter problem.
var annex41 = map[string]struct {
	kind byte
	max  int
}{
	"w_identifiant": {'t', 80}, "web_civil": {'t', 40}, "v_nom": {'t', 38}, "v_prenom": {'t', 38}, "v_naissance": {'d', 0},
	"v_mail": {'t', 80}, "v_tel_port": {'t', 20}, "TelPro": {'t', 20},
	"v_tel_perso": {'t', 20}, // GUESS of the client: annex 4.1 lists tel_perso only as received
	"v_adr1":      {'t', 38}, "v_adr2": {'t', 38}, "v_adr3": {'t', 38}, "v_adr4": {'t', 38}, "v_cp": {'t', 10},
	"v_ville": {'t', 38}, "v_pays": {'t', 38}, "demande_desinscription_tout": {'b', 0}, "Code_Libre_Con": {'t', 40},
	"vW_Commentaire": {'t', 0}, "vW_Commentaire1": {'t', 80}, "vW_Commentaire2": {'t', 80}, "vW_Commentaire3": {'t', 80},
	"vW_Commentaire4": {'t', 80}, "vW_Commentaire5": {'t', 80}, "vW_Commentaire14": {'n', 0}, "vW_Commentaire15": {'n', 0},
	"vW_Commentaire8": {'n', 0}, "vW_Commentaire9": {'d', 0}, "vW_Commentaire10": {'t', 80}, "vW_Commentaire11": {'t', 80},
	"vW_Commentaire12": {'t', 80}, "vW_Commentaire13": {'t', 80}, "vW_Commentaire6": {'t', 80}, "vW_Commentaire7": {'t', 80},
	"ModConnaiss": {'t', 40}, "Criterelibres": {'t', 80}, "Reguliercontact": {'b', 0}, "Selectionne": {'b', 0}, "Rk": {'t', 0},
}

// checkAnnex41 checks every annex 4.1 field present in the request.
func checkAnnex41(r *http.Request) *paramErr {
	for name, f := range annex41 {
		vs, present := r.Form[name]
		if !present {
			continue
		}
		if len(vs) != 1 {
			return &paramErr{4, name + " : une seule valeur attendue"}
		}
		v := vs[0]
		switch f.kind {
		case 't':
			if f.max > 0 && utf8.RuneCountInString(v) > f.max {
				return &paramErr{4, name + " : " + strconv.Itoa(f.max) + " caractères max."}
			}
		case 'd':
			if _, err := time.Parse("2006-01-02", v); v != "" && err != nil {
				return &paramErr{4, name + " : date au format AAAA-MM-JJ"}
			}
		case 'n':
			if _, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64); v != "" && err != nil {
				return &paramErr{4, name + " : numérique"}
			}
		case 'b':
			switch strings.ToLower(v) {
			case "0", "1", "true", "false":
			default:
				return &paramErr{4, name + " : booléen (0 ou 1)"}
			}
		}
	}
	for _, name := range []string{"interet[]", "code_envoi[]", "liste[]"} {
		for _, v := range r.Form[name] {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err != nil || n <= 0 {
				return &paramErr{4, name + " : identifiant attendu"}
			}
		}
	}
	return nil
}
