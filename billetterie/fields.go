package billetterie

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/errs"
)

// Annex 4.1: the names a contact field is SENT under (they differ from the
// names received) and their maximum lengths; 0 means no stated limit.
const (
	fIdentifiant   = "w_identifiant"
	fCivilite      = "web_civil"
	fNom           = "v_nom"
	fPrenom        = "v_prenom"
	fNaissance     = "v_naissance" // AAAA-MM-JJ
	fMail          = "v_mail"
	fTelPort       = "v_tel_port"
	fTelPro        = "TelPro"
	fTelPerso      = "v_tel_perso" // GUESS: annex 4.1 lists tel_perso only as received
	fAdr1          = "v_adr1"
	fAdr2          = "v_adr2"
	fAdr3          = "v_adr3"
	fAdr4          = "v_adr4"
	fCP            = "v_cp"
	fVille         = "v_ville"
	fPays          = "v_pays"
	fDesinscrire   = "demande_desinscription_tout"
	fCodeLibreCon  = "Code_Libre_Con"
	fCommentaire   = "vW_Commentaire"
	fModConnaiss   = "ModConnaiss"
	fCritereLibres = "Criterelibres"
	fRegulier      = "Reguliercontact"
	fSelectionne   = "Selectionne"
	fRk            = "Rk"
	fAdresses      = "adresses"            // base64(JSON), annex 4.3 (2.3.1.2 prints "Adresses": GUESS lower case as in 4.3.1)
	fNiveaux       = "Niveau_de_relations" // base64(JSON), annex 4.5
)

// maxLengths are the fields the API has taken from boxoffice.ContactMax,
// the rule's one home, and the others from annex 4.1.
var maxLengths = map[string]int{
	fIdentifiant: 80, fCivilite: boxoffice.ContactMax["title"], fNom: boxoffice.ContactMax["lastName"],
	fPrenom: boxoffice.ContactMax["firstName"], fMail: boxoffice.ContactMax["email"], fTelPort: boxoffice.ContactMax["mobile"],
	fTelPro: 20, fTelPerso: boxoffice.ContactMax["phone"], fAdr1: boxoffice.ContactMax["addressLines"],
	fAdr2: boxoffice.ContactMax["addressLines"], fAdr3: boxoffice.ContactMax["addressLines"], fAdr4: 38,
	fCP: boxoffice.ContactMax["postalCode"], fVille: boxoffice.ContactMax["city"], fPays: boxoffice.ContactMax["country"],
	fCodeLibreCon: 40, fModConnaiss: 40, fCritereLibres: 80,
}

// champLibreSent maps champ_libre_N (received) to the vW_Commentaire it is
// sent as: annex 4.1 swaps 6/7 with 14/15 "for historical reasons".
var champLibreSent = map[int]string{
	1: "vW_Commentaire1", 2: "vW_Commentaire2", 3: "vW_Commentaire3", 4: "vW_Commentaire4", 5: "vW_Commentaire5",
	6: "vW_Commentaire14", 7: "vW_Commentaire15", 8: "vW_Commentaire8", 9: "vW_Commentaire9",
	10: "vW_Commentaire10", 11: "vW_Commentaire11", 12: "vW_Commentaire12", 13: "vW_Commentaire13",
	14: "vW_Commentaire6", 15: "vW_Commentaire7",
}

// champLibreKind: 'n' numeric, 'd' date AAAA-MM-JJ, otherwise text of 80.
var champLibreKind = map[int]byte{6: 'n', 7: 'n', 8: 'n', 9: 'd'}

// Annex 4.3 (address) and 4.4 (organisation) limits, by JSON attribute.
var adresseMax = map[string]int{"adress1": 38, "adress2": 38, "adress3": 38, "adress4": 38, "cedex": 10, "code_postal": 10,
	"fax": 20, "pays": 38, "tel1": 20, "tel2": 20, "type_adresse": 40, "ville": 38}

var organismeMax = map[string]int{"champ_libre1": 80, "champ_libre2": 80, "champ_libre3": 80, "champ_libre4": 80, "champ_libre5": 80,
	"champ_libre9": 80, "champ_libre10": 80, "champ_libre11": 80, "champ_libre12": 80, "code_libre_stru": 40, "detail_type": 40,
	"intitule": boxoffice.OrganisationMax["name"], "intitule2": boxoffice.OrganisationMax["name2"],
	"nature": boxoffice.OrganisationMax["nature"], "num_internet": 80, "sous_detail_type": 40, "type": boxoffice.OrganisationMax["type"]}

const niveauMax = 40 // Niveau_relation, annex 4.5

func invalid(op, field, msg string) error {
	return errs.E(errs.Op(op), errs.Invalid, errs.Field(field), errs.Msg(field+": "+msg))
}

func checkLen(op, field, v string, max int) error {
	if max > 0 && utf8.RuneCountInString(v) > max {
		return invalid(op, field, "is longer than "+strconv.Itoa(max)+" characters")
	}
	return nil
}

func checkDate(op, field, v string) error {
	if v == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return invalid(op, field, "must be a date AAAA-MM-JJ")
	}
	return nil
}

// checkEmail asks only for local@domain: the vendor's own example address
// (assistance@ressources-sfr) has no dot in its domain.
func checkEmail(op, field, v string) error {
	at := strings.LastIndexByte(v, '@')
	if at < 1 || at == len(v)-1 || strings.ContainsAny(v, " \t\r\n") {
		return invalid(op, field, "is not an email address")
	}
	return nil
}

func checkID(op, field, v string) error {
	if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err != nil || n <= 0 {
		return invalid(op, field, "must be a positive number")
	}
	return nil
}

func checkPassword(op, field, pw string) error {
	if p := boxoffice.PasswordProblem(pw); p != "" {
		return invalid(op, field, p)
	}
	return nil
}
