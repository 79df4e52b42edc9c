package billetterie

// vendorMessages is table 4.2 of the spec ("Tableau des codes retours"):
// every statut carries the message the vendor pairs with its code.
var vendorMessages = map[int]string{
	1: "Une erreur s'est produite", 2: "Traitement effectué", 3: "Accès web service refusé", 4: "Problème de paramètre",
	5: "Pas de communication avec le serveur", 6: "Problème taille requête", 7: "Le site est actuellement en maintenance",

	101: "Pas de vente d'abonnement", 102: "Abonnement non trouvé", 103: "Abonnement non disponible", 104: "Abonnement trouvé",

	201: "Pas de vente de billet", 202: "Spectacle non trouvé", 203: "Spectacle non disponible à la vente",
	204: "Représentation non trouvée", 205: "Représentation non disponible à la vente",
	206: "Représentation plus disponible à la vente", 207: "Pas de vente de billet", 208: "Plus de place",
	209: "Plus de place dans la zone tarifaire", 210: "Billet créé", 211: "Liste d’attente non autorisée pour la représentation",

	301: "Pas de vente d'article", 302: "Article non trouvé", 303: "Article non disponible à la vente",
	401: "Pas de vente de prestation", 402: "Prestation non trouvée", 403: "Prestation non disponible à la vente",

	501: "Pas de création de contact", 502: "Pas d'identification de contact", 503: "Pas de contact trouvé",
	504: "Données d'identification incorrectes", 505: "Champs non renseignés", 506: "Contact déjà identifié",
	507: "Mauvais contexte de recherche", 508: "Modification enregistrée", 509: "Envoi identification par mail",
	510: "Plusieurs réponses trouvées", 511: "Identification impossible", 512: "Identification impossible",
	513: "Contact créé", 514: "Contact identifié", 515: "Identifiant déjà existant",
	516: "Il existe plusieurs fiches ayant cet identifiant", 517: "La fiche a été initialisée",
	518: "Adresse mail existe déjà", 519: "Mot de passe non initialisé", 520: "Paramètre mail non égal à celui demandé",
	521: "Délai dépassé pour mise à jour mot de passe", 522: "Paramètre mot de passe absent",
	523: "Mot de passe ne respecte pas les règles", 524: "Mot de passe et confirmation différents",
	525: "Fiche verrouillée", 526: "Contact trouvé", 527: "Adresse mail incorrecte", 528: "Ancien mot de passe incorrect",
	529: "Il faut choisir un autre mot de passe différent de l'ancien", 534: "Compte supprimé avec succès",

	601: "Session non initialisée", 602: "Session non identifiée", 603: "Session initialisée", 604: "Session identifiée",
	605: "Session invalide", 606: "Place indisponible", 607: "Il manque l'identifiant", 608: "Jeton créé",
	609: "Session déjà identifiée", 610: "Impossible de créer la session mauvais identifiant", 611: "Session déconnectée",

	701: "Acces au paiement", 702: "Pas de produit dans la commande", 703: "Problème attribution billet",
	704: "Produits insérés dans le panier", 705: "Produits non insérés dans le panier",
	706: "Test valide sur les produits à insérer", 707: "Test non valide sur les produits à insérer",

	800: "Erreur requête", 801: "Ce bon est déjà utilisé", 802: "Ce bon n’est plus valide",
	803: "Le montant payé en bons dépasse le montant du panier", 804: "Bon inexistant", 805: "Bon inséré dans le panier",
	806: "Impossible d’acheter des bons cadeaux avec des bons cadeaux",

	900: "Erreur requête", 901: "Organisme créé", 902: "Organisme mis à jour", 903: "Les attributs obligatoires ne sont pas présents",
	904: "La fiche organisme n’a pas été trouvée", 905: "La fiche organisme a été supprimée", 906: "La fiche organisme a été trouvée",
	907: "Criteres :l'id_formulaire est incorrecte", 908: "Criteres: liste des champs envoyée est incorrecte",
	909: "Criteres: l'objet liste_champs n'est pas envoyé", 910: "Criteres: le paramètre nom et/ou valeur n'est pas envoyé",

	1000: "En modification, les attributs id_adresse, id_organisme et id_contact ne correspondent pas",

	1100: "Les champs [id_organisme] et [contacts] sont obligatoires.", 1101: "Le champ [id_organisme] est obligatoire.",
	1102: "L'objet [contact] est obligatoire.", 1103: "Le champ [id_contact] est obligatoire dans l’objet [contact].",
	1104: "Au moins un des champs suivants est obligatoire [action_attachement] ou [action_fonction].",
	1105: "Valeur incorrecte pour le champ [action_attachement]. Valeurs acceptées [attacher] ou [detacher].",
	1106: "Valeur incorrecte pour le champ [action_fonction]. Valeurs acceptées [attacher] ou [detacher].",
	1107: "Le champ [fonction] est obligatoire lorsque le champ [action_fonction] est présent.",
	1108: "Le champ [action_fonction] est obligatoire lorsque la fonction est présente.",
	1109: "Impossible de détacher la fonction d'un contact qui n'est pas attaché à la structure.",
	1110: "La fonction à détacher n'existe pas.",
	1111: "Il y a eu un problème dans la requête (voir en retour le tableau errors des contacts ou de l’organisme)",
	1112: "Impossible de détacher un contact qui n'est pas attaché à l’organisme.",
	1113: "Impossible de détacher la fonction d'un contact qui n'est pas attaché à l’organisme.",
	1114: "La fonction à détacher n'existe pas.", 1115: "Requête réalisée avec succès (retour si aucune erreur n’est retournée).",
	1116: "Contact attaché avec succès.", 1117: "Contact détaché avec succès.", 1118: "Fonction du contact attachée avec succès.",
	1119: "Fonction du contact détachée avec succès.",

	1300: "Pas de vente de film", 1301: "Film non trouvé", 1302: "Film non disponible à la vente",
}

// vendorMsg is the table 4.2 message of code.
func vendorMsg(code int) string { return vendorMessages[code] }
