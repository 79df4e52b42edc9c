package billetterie

// GUESS: the catalogue-flux names no public source shows (see
// /work/shared/reference/billetterie-xml-flux-and-calls-notes.md §1). They
// live here only, so one edit fixes the simulator once the vendor's
// SPT_RSI_XML document or a capture is at hand. The SEEN names (SALLE,
// SALLE_ID, SALLE_MERE_ID, GRILLE, libelle, libelle_web, CATEGORIE_PUBLIQUE,
// ZONE, FRAIS, SPECTACLES, SPECTACLE@IDENT/NOM, TITRE_LIBRE*, CHAMP_LIBRE*,
// TYPE, TS_MODIF, REPRESENTATIONS, REP_*, ABONNEMENTS, ABONNEMENT@IDENT,
// ERREUR/MESSAGE) stay literal where they are written.
const (
	fluxRoot    = "PROGRAMMATION" // root element of every flux, error documents included
	fluxSalles  = "SALLES"        // wrapper of SALLE
	fluxGrilles = "GRILLES"       // wrapper of GRILLE

	salleNom, salleVille, salleAdresse = "NOM", "VILLE", "ADRESSE" // SALLE attributes

	labelAttr = "LIBELLE" // label attribute of CATEGORIE_PUBLIQUE and ZONE
	priceCell = "TARIF"   // child of ZONE whose text is the price

	showCategorieWeb = "CATEGORIE_WEB" // named by the spec's page filters; its place here is a guess
	showDescription  = "DESCRIPTION"
	tsModifLayout    = "2006-01-02 15:04:05" // TS_MODIF: strtotime-parseable, Paris local time

	repIdent = "IDENT" // REPRESENTATION id attribute (the spec's id_representation)

	passNom, passType, passPrix = "NOM", "TYPE", "PRIX" // ABONNEMENT attributes; TYPE is ABONNEMENT or ADHESION
	// ABONNEMENT category attributes: the spec's page filters name the flux
	// fields (CATEGORIE_WEB…CODE_REGROUP), not where they sit.
	passCatWeb, passCatSecUn, passCatSecDeux, passCodeRegroup = "CATEGORIE_WEB", "CATEGORIE_SECONDAIRE_UN", "CATEGORIE_SECONDAIRE_DEUX", "CODE_REGROUP"

	fluxArticles, fluxArticle = "ARTICLES", "ARTICLE"
	articleIdent, articleNom  = "IDENT", "NOM"
	articleFamille            = "FAMILLE" // named by the spec's catalogue_boutique filter
	articlePrix               = "PRIX"
	articleBonCadeau          = "BON_CADEAU" // "1" for gift vouchers
)
