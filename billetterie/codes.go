package billetterie

import (
	"strconv"

	"github.com/guichet/guichet/errs"
)

// codeInfo is one row of the vendor's table 4.2: its own message, whether the
// vendor marks it "ok", and the kind of error a "ko" becomes.
type codeInfo struct {
	Message string
	OK      bool
	Kind    errs.Kind
}

// Kinds used by the table, named for what the caller can do.
const (
	kInvalid   = errs.Invalid         // the request was wrong: fix the input
	kNotFound  = errs.NotFound        // no such record
	kUnauth    = errs.Unauthenticated // the visitor's session or credentials
	kUpstream  = errs.UpstreamAuth    // Guichet's own web-service credentials
	kConflict  = errs.Conflict        // state forbids it (sold out, exists…)
	kForbidden = errs.Forbidden       // locked record
	kDown      = errs.Unavailable     // the vendor failed
)

// codes is the vendor's table 4.2, in full: every code, its message, its
// traitement. Codes absent from it (the vendor adds some) are Unavailable.
var codes = map[int]codeInfo{
	// Générique
	1: {"Une erreur s'est produite", false, kDown},
	2: {"Traitement effectué", true, 0},
	3: {"Accès web service refusé", false, kUpstream},
	4: {"Problème de paramètre", false, kInvalid},
	5: {"Pas de communication avec le serveur", false, kDown},
	6: {"Problème taille requête", false, kInvalid},
	7: {"Le site est actuellement en maintenance", false, kDown},
	// Abonnement
	101: {"Pas de vente d'abonnement", false, kConflict},
	102: {"Abonnement non trouvé", false, kNotFound},
	103: {"Abonnement non disponible", false, kConflict},
	104: {"Abonnement trouvé", true, 0},
	// Spectacle
	201: {"Pas de vente de billet", false, kConflict},
	202: {"Spectacle non trouvé", false, kNotFound},
	203: {"Spectacle non disponible à la vente", false, kConflict},
	204: {"Représentation non trouvée", false, kNotFound},
	205: {"Représentation non disponible à la vente", false, kConflict},
	206: {"Représentation plus disponible à la vente", false, kConflict},
	207: {"Pas de vente de billet", false, kConflict},
	208: {"Plus de place", false, kConflict},
	209: {"Plus de place dans la zone tarifaire", false, kConflict},
	210: {"Billet créé", false, kConflict}, // the table says "ko" for it; we obey
	211: {"Liste d’attente non autorisée pour la représentation", false, kConflict},
	// Article
	301: {"Pas de vente d'article", false, kConflict},
	302: {"Article non trouvé", false, kNotFound},
	303: {"Article non disponible à la vente", false, kConflict},
	// Prestation
	401: {"Pas de vente de prestation", false, kConflict},
	402: {"Prestation non trouvée", false, kNotFound},
	403: {"Prestation non disponible à la vente", false, kConflict},
	// Contact
	501: {"Pas de création de contact", false, kConflict},
	502: {"Pas d'identification de contact", false, kUnauth},
	503: {"Pas de contact trouvé", false, kNotFound},
	504: {"Données d'identification incorrectes", false, kUnauth},
	505: {"Champs non renseignés", false, kInvalid},
	506: {"Contact déjà identifié", false, kConflict},
	507: {"Mauvais contexte de recherche", false, kInvalid},
	508: {"Modification enregistrée", true, 0},
	509: {"Envoi identification par mail", true, 0},
	510: {"Plusieurs réponses trouvées", false, kConflict},
	511: {"Identification impossible", false, kUnauth},
	512: {"Identification impossible", false, kUnauth},
	513: {"Contact créé", true, 0},
	514: {"Contact identifié", true, 0},
	515: {"Identifiant déjà existant", false, kConflict},
	516: {"Il existe plusieurs fiches ayant cet identifiant", false, kConflict},
	517: {"La fiche a été initialisée", false, kConflict},
	518: {"Adresse mail existe déjà", false, kConflict},
	519: {"Mot de passe non initialisé", false, kConflict},
	520: {"Paramètre mail non égal à celui demandé", false, kInvalid},
	521: {"Délai dépassé pour mise à jour mot de passe", false, kConflict},
	522: {"Paramètre mot de passe absent", false, kInvalid},
	523: {"Mot de passe ne respecte pas les règles", false, kInvalid},
	524: {"Mot de passe et confirmation différents", false, kInvalid},
	525: {"Fiche verrouillée", false, kForbidden},
	526: {"Contact trouvé", true, 0},
	527: {"Adresse mail incorrecte", false, kInvalid},
	528: {"Ancien mot de passe incorrect", false, kUnauth},
	529: {"Il faut choisir un autre mot de passe différent de l'ancien", false, kInvalid},
	534: {"Compte supprimé avec succès", true, 0}, // printed in 2.3.6, missing from 4.2
	// Session
	601: {"Session non initialisée", false, kUnauth},
	602: {"Session non identifiée", false, kUnauth},
	603: {"Session initialisée", true, 0},
	604: {"Session identifiée", true, 0},
	605: {"Session invalide", false, kUnauth},
	606: {"Place indisponible", false, kConflict},
	607: {"Il manque l'identifiant", false, kInvalid},
	608: {"Jeton créé", true, 0},
	609: {"Session déjà identifiée", false, kConflict},
	610: {"Impossible de créer la session mauvais identifiant", false, kUpstream},
	611: {"Session déconnectée", true, 0},
	// Panier
	701: {"Acces au paiement", true, 0},
	702: {"Pas de produit dans la commande", false, kInvalid},
	703: {"Problème attribution billet", false, kConflict},
	704: {"Produits insérés dans le panier", true, 0},
	705: {"Produits non insérés dans le panier", false, kConflict},
	706: {"Test valide sur les produits à insérer", true, 0},
	707: {"Test non valide sur les produits à insérer", false, kInvalid},
	// Bons cadeaux
	800: {"Erreur requête", false, kInvalid},
	801: {"Ce bon est déjà utilisé", false, kConflict},
	802: {"Ce bon n’est plus valide", false, kConflict},
	803: {"Le montant payé en bons dépasse le montant du panier", false, kInvalid},
	804: {"Bon inexistant", false, kNotFound},
	805: {"Bon inséré dans le panier", true, 0},
	806: {"Impossible d’acheter des bons cadeaux avec des bons cadeaux", false, kInvalid},
	// Organisme
	900: {"Erreur requête", false, kInvalid},
	901: {"Organisme créé", true, 0},
	902: {"Organisme mis à jour", true, 0},
	903: {"Les attributs obligatoires ne sont pas présents", false, kInvalid},
	904: {"La fiche organisme n’a pas été trouvée", false, kNotFound},
	905: {"La fiche organisme a été supprimée", false, kNotFound},
	906: {"La fiche organisme a été trouvée", true, 0},
	907: {"Criteres :l'id_formulaire est incorrecte", false, kInvalid},
	908: {"Criteres: liste des champs envoyée est incorrecte", false, kInvalid},
	909: {"Criteres: l'objet liste_champs n'est pas envoyé", false, kInvalid},
	910: {"Criteres: le paramètre nom et/ou valeur n'est pas envoyé", false, kInvalid},
	// Adresse
	1000: {"En modification, les attributs id_adresse, id_organisme et id_contact ne correspondent pas", false, kInvalid},
	// Attachement
	1100: {"Les champs [id_organisme] et [contacts] sont obligatoires.", false, kInvalid},
	1101: {"Le champ [id_organisme] est obligatoire.", false, kInvalid},
	1102: {"L'objet [contact] est obligatoire.", false, kInvalid},
	1103: {"Le champ [id_contact] est obligatoire dans l’objet [contact].", false, kInvalid},
	1104: {"Au moins un des champs suivants est obligatoire [action_attachement] ou [action_fonction].", false, kInvalid},
	1105: {"Valeur incorrecte pour le champ [action_attachement]. Valeurs acceptées [attacher] ou [detacher].", false, kInvalid},
	1106: {"Valeur incorrecte pour le champ [action_fonction]. Valeurs acceptées [attacher] ou [detacher].", false, kInvalid},
	1107: {"Le champ [fonction] est obligatoire lorsque le champ [action_fonction] est présent.", false, kInvalid},
	1108: {"Le champ [action_fonction] est obligatoire lorsque la fonction est présente.", false, kInvalid},
	1109: {"Impossible de détacher la fonction d'un contact qui n'est pas attaché à la structure.", false, kConflict},
	1110: {"La fonction à détacher n'existe pas.", false, kNotFound},
	1111: {"Il y a eu un problème dans la requête (voir en retour le tableau errors des contacts ou de l’organisme)", false, kConflict},
	1112: {"Impossible de détacher un contact qui n'est pas attaché à l’organisme.", false, kConflict},
	1113: {"Impossible de détacher la fonction d'un contact qui n'est pas attaché à l’organisme.", false, kConflict},
	1114: {"La fonction à détacher n'existe pas.", false, kNotFound},
	1115: {"Requête réalisée avec succès (retour si aucune erreur n’est retournée).", true, 0},
	1116: {"Contact attaché avec succès.", true, 0},
	1117: {"Contact détaché avec succès.", true, 0},
	1118: {"Fonction du contact attachée avec succès.", true, 0},
	1119: {"Fonction du contact détachée avec succès.", true, 0},
	// Film
	1300: {"Pas de vente de film", false, kConflict},
	1301: {"Film non trouvé", false, kNotFound},
	1302: {"Film non disponible à la vente", false, kConflict},
}

// safeMessages say in English what a visitor or integrator can do; where a
// code has none the vendor's own (generic, personal-data free) text is used.
var safeMessages = map[int]string{
	3:   "the ticketing system refused Guichet's web service credentials",
	4:   "a parameter was refused by the ticketing system",
	5:   "the ticketing system cannot reach its server",
	7:   "the ticketing system is in maintenance",
	503: "no such contact",
	504: "wrong email or password",
	505: "required fields are missing",
	515: "an account already exists with this login",
	518: "an account already exists with this email",
	523: "the password breaks the rules: 8 characters or more, an upper-case letter, a lower-case letter, a digit, no @",
	524: "the password and its confirmation differ",
	527: "the email address is not valid",
	528: "the current password is wrong",
	529: "the new password must differ from the old one",
	601: "the session is not initialised",
	602: "no visitor is signed in on this session",
	605: "the session is invalid or has expired; create a new one",
	903: "the organisation needs a name (intitule) and a nature",
	904: "no such organisation",
	905: "the organisation was deleted",
}

// codeFields names the input a code is about, for BAD_USER_INPUT errors.
var codeFields = map[int]string{
	515: "w_identifiant", 518: "v_mail", 522: "v_passe", 523: "v_passe", 524: "v_passec", 527: "v_mail",
	528: "v_ancien_passe", 529: "v_passe", 607: "w_identifiant", 903: "organisme", 1101: "id_organisme", 1102: "contacts",
}

// CodeKind reports the error kind of a vendor code; ok codes report
// errs.Other, unknown codes errs.Unavailable.
func CodeKind(code int) errs.Kind {
	if ci, ok := codes[code]; ok {
		if ci.OK {
			return errs.Other
		}
		return ci.Kind
	}
	return errs.Unavailable
}

// StatusKind is CodeKind for the "ko" codes (kept for existing callers).
func StatusKind(code int) errs.Kind { return CodeKind(code) }

// CodeMessage is the vendor's own text for a code ("" when unknown).
func CodeMessage(code int) string { return codes[code].Message }

// VendorError is the cause kept in every status error: the vendor's code,
// message and detail, for the operator's logs. Its text may hold form
// feedback, never credentials.
type VendorError struct {
	Code    int
	Message string
	Detail  string
}

func (e *VendorError) Error() string {
	s := "vendor code " + strconv.Itoa(e.Code) + ": " + e.Message
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// statusError builds the typed error of a "ko" statut.
func statusError(op string, code int, vendorMsg, detail string) error {
	kind := CodeKind(code)
	if kind == errs.Other { // an "ok" code sent with traitement "ko"
		kind = errs.Unavailable
	}
	msg := safeMessages[code]
	if msg == "" {
		msg = codes[code].Message
	}
	if msg == "" {
		msg = "the ticketing system refused the request"
	}
	args := []any{errs.Op(op), kind, errs.Code(strconv.Itoa(code)), errs.Msg(msg)}
	if f := codeFields[code]; f != "" {
		args = append(args, errs.Field(f))
	}
	if vendorMsg == "" {
		vendorMsg = codes[code].Message
	}
	return errs.E(append(args, &VendorError{Code: code, Message: vendorMsg, Detail: detail})...)
}

// Vendor returns the vendor's code, message and detail carried by err.
func Vendor(err error) *VendorError {
	for err != nil {
		if v, ok := err.(*VendorError); ok {
			return v
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return nil
		}
		err = u.Unwrap()
	}
	return nil
}
