package billetterie

// Element and attribute names of the XML catalogue flux. SEEN names come
// from public integrations; GUESS ones are our reconstruction, kept here so
// that one edit fixes them when a real flux is captured.
const (
	elSalle          = "SALLE"                     // SEEN
	attrSalleID      = "SALLE_ID"                  // SEEN
	attrSalleMere    = "SALLE_MERE_ID"             // SEEN
	attrSalleNom     = "NOM"                       // GUESS
	attrSalleVille   = "VILLE"                     // GUESS
	attrSalleAdresse = "ADRESSE"                   // GUESS
	elGrille         = "GRILLE"                    // SEEN
	elLibelle        = "libelle"                   // SEEN (lower case)
	elLibelleWeb     = "libelle_web"               // SEEN
	elCategorie      = "CATEGORIE_PUBLIQUE"        // SEEN
	elZone           = "ZONE"                      // SEEN
	attrLibelle      = "LIBELLE"                   // GUESS: labels of categories and zones
	attrFrais        = "FRAIS"                     // SEEN
	elSpectacle      = "SPECTACLE"                 // SEEN
	attrIdent        = "IDENT"                     // SEEN on SPECTACLE and ABONNEMENT; GUESS on REPRESENTATION and ARTICLE
	attrNom          = "NOM"                       // SEEN
	elRepresentation = "REPRESENTATION"            // SEEN
	attrRepDate      = "REP_DATE"                  // SEEN dd/mm/yyyy
	attrRepHeure     = "REP_HEURE"                 // SEEN hh:mm:ss
	attrRepDuree     = "REP_DUREE"                 // SEEN hh:mm:ss
	attrRepSalle     = "REP_SALLE"                 // SEEN
	attrRepGrille    = "REP_GRILLE"                // SEEN
	attrRepGrilleWeb = "REP_GRILLE_WEB"            // SEEN
	attrRepDispo     = "REP_DISPO"                 // SEEN
	elAbonnement     = "ABONNEMENT"                // SEEN
	attrType         = "TYPE"                      // GUESS: ABONNEMENT or ADHESION
	attrPrix         = "PRIX"                      // GUESS
	attrCatWeb       = "CATEGORIE_WEB"             // GUESS place: ABONNEMENT attribute (named by the spec's page filters)
	attrCatSecUn     = "CATEGORIE_SECONDAIRE_UN"   // GUESS place, idem
	attrCatSecDeux   = "CATEGORIE_SECONDAIRE_DEUX" // GUESS place, idem
	attrCodeRegroup  = "CODE_REGROUP"              // GUESS place, idem
	elArticle        = "ARTICLE"                   // GUESS
	attrFamille      = "FAMILLE"                   // GUESS
	attrBonCadeau    = "BON_CADEAU"                // GUESS
	elErreur         = "ERREUR"                    // SEEN
	elMessage        = "MESSAGE"                   // SEEN
	tsModifLayout    = "2006-01-02 15:04:05"       // GUESS: strtotime-parsable
)
