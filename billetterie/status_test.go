package billetterie

import (
	"fmt"
	"strings"
	"testing"

	"github.com/guichet/guichet/errs"
)

// Table 4.2 as printed, code by code, with the kind each "ko" must become.
// Written out independently of codes.go so a wrong row there fails here.
var table42 = []struct {
	code int
	ok   bool
	kind errs.Kind
	msg  string
}{
	{1, false, errs.Unavailable, "Une erreur s'est produite"}, {2, true, 0, "Traitement effectué"},
	{3, false, errs.UpstreamAuth, "Accès web service refusé"}, {4, false, errs.Invalid, "Problème de paramètre"},
	{5, false, errs.Unavailable, "Pas de communication avec le serveur"}, {6, false, errs.Invalid, "Problème taille requête"},
	{7, false, errs.Unavailable, "Le site est actuellement en maintenance"},
	{101, false, errs.Conflict, "Pas de vente d'abonnement"}, {102, false, errs.NotFound, "Abonnement non trouvé"},
	{103, false, errs.Conflict, "Abonnement non disponible"}, {104, true, 0, "Abonnement trouvé"},
	{201, false, errs.Conflict, "Pas de vente de billet"}, {202, false, errs.NotFound, "Spectacle non trouvé"},
	{203, false, errs.Conflict, "Spectacle non disponible à la vente"}, {204, false, errs.NotFound, "Représentation non trouvée"},
	{205, false, errs.Conflict, "Représentation non disponible à la vente"}, {206, false, errs.Conflict, "Représentation plus disponible à la vente"},
	{207, false, errs.Conflict, "Pas de vente de billet"}, {208, false, errs.Conflict, "Plus de place"},
	{209, false, errs.Conflict, "Plus de place dans la zone tarifaire"}, {210, false, errs.Conflict, "Billet créé"},
	{211, false, errs.Conflict, "Liste d’attente non autorisée pour la représentation"},
	{301, false, errs.Conflict, "Pas de vente d'article"}, {302, false, errs.NotFound, "Article non trouvé"},
	{303, false, errs.Conflict, "Article non disponible à la vente"},
	{401, false, errs.Conflict, "Pas de vente de prestation"}, {402, false, errs.NotFound, "Prestation non trouvée"},
	{403, false, errs.Conflict, "Prestation non disponible à la vente"},
	{501, false, errs.Conflict, "Pas de création de contact"}, {502, false, errs.Unauthenticated, "Pas d'identification de contact"},
	{503, false, errs.NotFound, "Pas de contact trouvé"}, {504, false, errs.Unauthenticated, "Données d'identification incorrectes"},
	{505, false, errs.Invalid, "Champs non renseignés"}, {506, false, errs.Conflict, "Contact déjà identifié"},
	{507, false, errs.Invalid, "Mauvais contexte de recherche"}, {508, true, 0, "Modification enregistrée"},
	{509, true, 0, "Envoi identification par mail"}, {510, false, errs.Conflict, "Plusieurs réponses trouvées"},
	{511, false, errs.Unauthenticated, "Identification impossible"}, {512, false, errs.Unauthenticated, "Identification impossible"},
	{513, true, 0, "Contact créé"}, {514, true, 0, "Contact identifié"}, {515, false, errs.Conflict, "Identifiant déjà existant"},
	{516, false, errs.Conflict, "Il existe plusieurs fiches ayant cet identifiant"}, {517, false, errs.Conflict, "La fiche a été initialisée"},
	{518, false, errs.Conflict, "Adresse mail existe déjà"}, {519, false, errs.Conflict, "Mot de passe non initialisé"},
	{520, false, errs.Invalid, "Paramètre mail non égal à celui demandé"}, {521, false, errs.Conflict, "Délai dépassé pour mise à jour mot de passe"},
	{522, false, errs.Invalid, "Paramètre mot de passe absent"}, {523, false, errs.Invalid, "Mot de passe ne respecte pas les règles"},
	{524, false, errs.Invalid, "Mot de passe et confirmation différents"}, {525, false, errs.Forbidden, "Fiche verrouillée"},
	{526, true, 0, "Contact trouvé"}, {527, false, errs.Invalid, "Adresse mail incorrecte"},
	{528, false, errs.Unauthenticated, "Ancien mot de passe incorrect"},
	{529, false, errs.Invalid, "Il faut choisir un autre mot de passe différent de l'ancien"},
	{601, false, errs.Unauthenticated, "Session non initialisée"}, {602, false, errs.Unauthenticated, "Session non identifiée"},
	{603, true, 0, "Session initialisée"}, {604, true, 0, "Session identifiée"}, {605, false, errs.Unauthenticated, "Session invalide"},
	{606, false, errs.Conflict, "Place indisponible"}, {607, false, errs.Invalid, "Il manque l'identifiant"}, {608, true, 0, "Jeton créé"},
	{609, false, errs.Conflict, "Session déjà identifiée"}, {610, false, errs.UpstreamAuth, "Impossible de créer la session mauvais identifiant"},
	{611, true, 0, "Session déconnectée"},
	{701, true, 0, "Acces au paiement"}, {702, false, errs.Invalid, "Pas de produit dans la commande"},
	{703, false, errs.Conflict, "Problème attribution billet"}, {704, true, 0, "Produits insérés dans le panier"},
	{705, false, errs.Conflict, "Produits non insérés dans le panier"}, {706, true, 0, "Test valide sur les produits à insérer"},
	{707, false, errs.Invalid, "Test non valide sur les produits à insérer"},
	{800, false, errs.Invalid, "Erreur requête"}, {801, false, errs.Conflict, "Ce bon est déjà utilisé"},
	{802, false, errs.Conflict, "Ce bon n’est plus valide"}, {803, false, errs.Invalid, "Le montant payé en bons dépasse le montant du panier"},
	{804, false, errs.NotFound, "Bon inexistant"}, {805, true, 0, "Bon inséré dans le panier"},
	{806, false, errs.Invalid, "Impossible d’acheter des bons cadeaux avec des bons cadeaux"},
	{900, false, errs.Invalid, "Erreur requête"}, {901, true, 0, "Organisme créé"}, {902, true, 0, "Organisme mis à jour"},
	{903, false, errs.Invalid, "Les attributs obligatoires ne sont pas présents"}, {904, false, errs.NotFound, "La fiche organisme n’a pas été trouvée"},
	{905, false, errs.NotFound, "La fiche organisme a été supprimée"}, {906, true, 0, "La fiche organisme a été trouvée"},
	{907, false, errs.Invalid, "Criteres :l'id_formulaire est incorrecte"}, {908, false, errs.Invalid, "Criteres: liste des champs envoyée est incorrecte"},
	{909, false, errs.Invalid, "Criteres: l'objet liste_champs n'est pas envoyé"}, {910, false, errs.Invalid, "Criteres: le paramètre nom et/ou valeur n'est pas envoyé"},
	{1000, false, errs.Invalid, "En modification, les attributs id_adresse, id_organisme et id_contact ne correspondent pas"},
	{1100, false, errs.Invalid, "Les champs [id_organisme] et [contacts] sont obligatoires."}, {1101, false, errs.Invalid, "Le champ [id_organisme] est obligatoire."},
	{1102, false, errs.Invalid, "L'objet [contact] est obligatoire."}, {1103, false, errs.Invalid, "Le champ [id_contact] est obligatoire dans l’objet [contact]."},
	{1104, false, errs.Invalid, "Au moins un des champs suivants est obligatoire [action_attachement] ou [action_fonction]."},
	{1105, false, errs.Invalid, "Valeur incorrecte pour le champ [action_attachement]. Valeurs acceptées [attacher] ou [detacher]."},
	{1106, false, errs.Invalid, "Valeur incorrecte pour le champ [action_fonction]. Valeurs acceptées [attacher] ou [detacher]."},
	{1107, false, errs.Invalid, "Le champ [fonction] est obligatoire lorsque le champ [action_fonction] est présent."},
	{1108, false, errs.Invalid, "Le champ [action_fonction] est obligatoire lorsque la fonction est présente."},
	{1109, false, errs.Conflict, "Impossible de détacher la fonction d'un contact qui n'est pas attaché à la structure."},
	{1110, false, errs.NotFound, "La fonction à détacher n'existe pas."},
	{1111, false, errs.Conflict, "Il y a eu un problème dans la requête (voir en retour le tableau errors des contacts ou de l’organisme)"},
	{1112, false, errs.Conflict, "Impossible de détacher un contact qui n'est pas attaché à l’organisme."},
	{1113, false, errs.Conflict, "Impossible de détacher la fonction d'un contact qui n'est pas attaché à l’organisme."},
	{1114, false, errs.NotFound, "La fonction à détacher n'existe pas."},
	{1115, true, 0, "Requête réalisée avec succès (retour si aucune erreur n’est retournée)."}, {1116, true, 0, "Contact attaché avec succès."},
	{1117, true, 0, "Contact détaché avec succès."}, {1118, true, 0, "Fonction du contact attachée avec succès."},
	{1119, true, 0, "Fonction du contact détachée avec succès."},
	{1300, false, errs.Conflict, "Pas de vente de film"}, {1301, false, errs.NotFound, "Film non trouvé"}, {1302, false, errs.Conflict, "Film non disponible à la vente"},
}

func TestTable42EveryCode(t *testing.T) {
	for _, tc := range table42 {
		tr := map[bool]string{true: "ok", false: "ko"}[tc.ok]
		body := fmt.Sprintf(`{"retour":{"statut":{"code":%d,"traitement":%q,"message":%q},"message":{},"detail":"champ v_nom"}}`, tc.code, tr, tc.msg)
		env, err := DecodeEnvelope("ws_test", []byte(body))
		if CodeMessage(tc.code) != tc.msg {
			t.Errorf("%d: table message %q, want %q", tc.code, CodeMessage(tc.code), tc.msg)
		}
		if tc.ok {
			if err != nil || env.Status.Code != tc.code || env.Status.Message != tc.msg {
				t.Errorf("%d ok: %v %+v", tc.code, err, env)
			}
			continue
		}
		e := errs.Find(err)
		if e == nil || e.Kind != tc.kind || e.Code != fmt.Sprint(tc.code) || e.Op != "billetterie.ws_test" || e.Message == "" {
			t.Errorf("%d: got %v (kind %v), want kind %v", tc.code, err, errs.KindOf(err), tc.kind)
			continue
		}
		v := Vendor(err)
		if v == nil || v.Code != tc.code || v.Message != tc.msg || v.Detail != "champ v_nom" {
			t.Errorf("%d: vendor %+v", tc.code, v)
		}
	}
	if len(table42) != len(codes)-1 { // codes also holds 534, printed in 2.3.6 only
		t.Errorf("table 4.2 has %d rows, codes.go %d", len(table42), len(codes))
	}
}

func TestEnvelopeShapes(t *testing.T) {
	cases := []struct {
		name, body string
		kind       errs.Kind // 0: no error
		code       string
	}{
		{"ko with HTTP 200", `{"retour":{"statut":{"code":504,"traitement":"ko","message":"Données d'identification incorrectes"}}}`, errs.Unauthenticated, "504"},
		{"code as string", `{"retour":{"statut":{"code":"605","traitement":"ko","message":"Session invalide"}}}`, errs.Unauthenticated, "605"},
		{"top-level status ok", `{"retour":{"code":102,"traitement":"ok","message":"Traitement effectué","liste_telechargement":[]}}`, 0, ""},
		{"top-level status ko", `{"retour":{"code":605,"traitement":"ko","message":"Session invalide"}}`, errs.Unauthenticated, "605"},
		{"historique ko without code", `{"retour":{"historique":[],"traitement":"ko","message":"erreur"}}`, errs.Unavailable, "1"},
		{"pwd: outer ko wins", `{"retour":{"message":"x","statut":{"code":2,"traitement":"ok","message":"ok"},"traitement":"ko"}}`, errs.Unavailable, "2"},
		{"unknown code", `{"retour":{"statut":{"code":4242,"traitement":"ko","message":"?"}}}`, errs.Unavailable, "4242"},
		{"no status", `{"retour":{"message":{}}}`, errs.Unavailable, ""},
		{"not JSON", `<html><body>Bad Gateway</body></html>`, errs.Unavailable, ""},
		{"no retour", `{"statut":{"code":2}}`, errs.Unavailable, ""},
		{"retour not object", `{"retour":[1,2]}`, errs.Unavailable, ""},
		{"empty", ``, errs.Unavailable, ""},
		{"truncated", `{"retour":{"statut":{"code":2,"traite`, errs.Unavailable, ""},
	}
	for _, tc := range cases {
		_, err := DecodeEnvelope("ws_x", []byte(tc.body))
		if tc.kind == 0 {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e := errs.Find(err)
		if e == nil || e.Kind != tc.kind || e.Code != tc.code {
			t.Errorf("%s: %v (kind %v)", tc.name, err, errs.KindOf(err))
		}
		if e != nil && strings.Contains(e.Message, "<html") {
			t.Errorf("%s: raw body in the message", tc.name)
		}
	}
}

func TestDetailInsideMessage(t *testing.T) {
	_, err := DecodeEnvelope("ws_info_contact", []byte(`{"retour":{"statut":{"code":503,"traitement":"ko","message":"Pas de contact trouvé"},"message":{"erreur":{"détail":"id_contact 12 inconnu"}}}}`))
	if v := Vendor(err); !errs.Is(errs.NotFound, err) || v == nil || v.Detail != "id_contact 12 inconnu" {
		t.Fatalf("%v", err)
	}
}
