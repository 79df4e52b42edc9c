package billetterie

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/guichet/guichet/errs"
)

// ParseISOLocal reads the vendor's compact ISO 8601 local time
// (20140731T105352) in Europe/Paris; empty gives the zero time.
func ParseISOLocal(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation("20060102T150405", s, Paris)
}

// Telechargement is one product of ws_info_telechargement (names as sent,
// capitals and all).
type Telechargement struct {
	Zonee              Text  `json:"Zonee"`
	CodeRep            ID    `json:"Code_rep"`
	NumDetail          Text  `json:"num_detail"`
	Texte              Text  `json:"texte"`
	Prix               Cents `json:"prix"`
	IDDetail           ID    `json:"id_detail"`
	Libelle            Text  `json:"libelle"`
	NumSpectacle       ID    `json:"Num_Spectacle"`
	NomPourBillet      Text  `json:"Nom_pour_Billet"`
	BilletAtHome       Int   `json:"billet_at_home"` // 0 box office; 2, 3 print at home
	ZoneTarifaire      Text  `json:"Zone_Tarifaire"`
	NumeroDePlace      Text  `json:"Numero_de_place"`
	Acces              Text  `json:"Acces"`
	Ville              Text  `json:"Ville"`
	Statut             Int   `json:"statut"` // 0, 100 waiting for a proof, 101 proof accepted
	Emplacement        Text  `json:"Emplacement"`
	Numerote           Bool  `json:"Numerote"`
	DTSTART            Text  `json:"DTSTART"` // 20190709T203000, Paris
	DTEND              Text  `json:"DTEND"`
	Commande           ID    `json:"commande"`
	Spectacle          Text  `json:"spectacle"`
	Representation     Text  `json:"representation"`
	Nature             Text  `json:"nature"`
	Type               Int   `json:"type"` // 1 card, 2 subscriber ticket, 3 single ticket
	Lien               Text  `json:"lien"`
	StrQRCode          Text  `json:"str_qrcode"`
	QRCode             Text  `json:"-"` // = StrQRCode (kept for existing callers)
	StatutJustificatif Int   `json:"statut_justificatif"`
	SalleZone          Text  `json:"salle_zone"`
	IDSalle            ID    `json:"id_salle"` // the spec prints the key "id_salle " (UnmarshalJSON)
}

// UnmarshalJSON reads a ticket, also under the key "id_salle " that the
// spec prints with a trailing space.
func (t *Telechargement) UnmarshalJSON(b []byte) error {
	type plain Telechargement
	var p struct {
		plain
		IDSalleSpaced ID `json:"id_salle "`
	}
	if err := object(b, &p); err != nil {
		return err
	}
	*t = Telechargement(p.plain)
	if t.IDSalle == "" {
		t.IDSalle = p.IDSalleSpaced
	}
	return nil
}

// Start is DTSTART in Europe/Paris.
func (t Telechargement) Start() (time.Time, error) { return ParseISOLocal(string(t.DTSTART)) }

// Telechargements are the visitor's active tickets.
type Telechargements struct {
	Telechargeables    List[Telechargement] `json:"liste_telechargement"`
	NonTelechargeables List[Telechargement] `json:"liste_non_telechargeable"`
}

// InfoTelechargement lists the visitor's active tickets. Its status sits at
// the top of retour, as the spec documents.
func (c *Client) InfoTelechargement(ctx context.Context, token string) (*Telechargements, error) {
	if err := needToken("billetterie.ws_info_telechargement", token); err != nil {
		return nil, err
	}
	env, err := c.callJSON(ctx, "ws_info_telechargement", url.Values{"x_rsi_token": {token}})
	if err != nil {
		return nil, err
	}
	var t Telechargements
	if err := decodePart("ws_info_telechargement", env.Retour, &t); err != nil {
		return nil, err
	}
	for _, l := range [][]Telechargement{t.Telechargeables, t.NonTelechargeables} {
		for i := range l {
			l[i].QRCode = l[i].StrQRCode
		}
	}
	return &t, nil
}

// HistoriqueFilter narrows ws_historique_contact's cards by their public
// category (2.4.5.3); the zero value asks for all.
type HistoriqueFilter struct {
	Categorie    string // categorie
	CategSecUn   string // categ_sec_un
	CategSecDeux string // categ_sec_deux
	CodeRegroup  string // code_regroup
}

// BilletCarte is a ticket bought with a card.
type BilletCarte struct {
	DateHeure   Text `json:"dateheure"`
	IDCarte     ID   `json:"id_carte"`
	IDRep       ID   `json:"Id_rep"`
	IDSpectacle ID   `json:"id_spectacle"`
	SalleNom    Text `json:"salle_nom"`
	Spectacle   Text `json:"spectacle"`
}

// CarteHistorique is a card sold to the visitor (less than 3 years old).
type CarteHistorique struct {
	Active            Bool              `json:"active"`
	Consommation      Int               `json:"consommation"`
	Credit            Int               `json:"credit"`
	DateAchat         Text              `json:"date_achat"` // RFC 3339 UTC or ""
	End               Text              `json:"end"`
	ID                ID                `json:"id"`
	IDCateg           ID                `json:"id_categ"`
	Libelle           Text              `json:"libelle"`
	ListeBillets      List[BilletCarte] `json:"liste_billets"`
	Prix              Cents             `json:"prix"`
	RenouvelerLaCarte Int               `json:"renouveler_la_carte"` // "Renouveler_la_carte" in the table: JSON matching ignores case
	Saison            Int               `json:"saison"`
	Solde             Int               `json:"solde"`
	Start             Text              `json:"start"`
	TypeSaison        Text              `json:"type_saison"`
	Valide            Bool              `json:"valide"`
}

// HistoriqueContact lists the cards sold to the signed-in visitor
// (ws_historique_contact; the status sits at the top of retour).
func (c *Client) HistoriqueContact(ctx context.Context, token string, f HistoriqueFilter) ([]CarteHistorique, error) {
	const op = "billetterie.ws_historique_contact"
	if err := needToken(op, token); err != nil {
		return nil, err
	}
	form := url.Values{"x_rsi_token": {token}}
	for k, v := range map[string]string{"categorie": f.Categorie, "categ_sec_un": f.CategSecUn, "categ_sec_deux": f.CategSecDeux, "code_regroup": f.CodeRegroup} {
		if v != "" {
			form.Set(k, v)
			form.Set("filtre", "1")
		}
	}
	env, err := c.callJSON(ctx, "ws_historique_contact", form)
	if err != nil {
		return nil, err
	}
	var h struct {
		Historique List[CarteHistorique] `json:"historique"`
	}
	if err := decodePart("ws_historique_contact", env.Retour, &h); err != nil {
		return nil, err
	}
	return h.Historique, nil
}

// DetailCaddy is one line of ws_recap_achat (euros read exactly into cents).
type DetailCaddy struct {
	RefArticle         ID    `json:"ref_article"`
	ModeRetrait        Text  `json:"mode_retrait"`
	LienTelechargement Text  `json:"lien_telechargement"`
	IDCaddy            ID    `json:"id_caddy"`
	Frais              Cents `json:"frais"`
	TypeProduit        Int   `json:"type_produit"` // 1 product … 5 prestation, 6 ticketing
	ETicket            Bool  `json:"eticket"`
	PrixTotal          Cents `json:"prix_total"`
	PrixUnitaire       Cents `json:"prix_unitaire"`
	Spectacle          Text  `json:"spectacle"`
	DateHeure          Text  `json:"dateheure"`
	ListePlace         Text  `json:"liste_place"`
	LibelleComplet     Text  `json:"libelle_complet"`
	RefRep             ID    `json:"ref_rep"`
	Libelle            Text  `json:"libelle"`
	Qtte               Int   `json:"qtte"`
	NumDossier         ID    `json:"num_dossier"`
	RefPrest           ID    `json:"ref_prest"`
	IDDetail           ID    `json:"id_detail"`
	RefSpect           ID    `json:"ref_spect"`
	Numerote           Bool  `json:"numerote"`
	RefCateg           ID    `json:"ref_categ"`
	Carte              Bool  `json:"carte"`
}

// RecapAchat lists a contact's web purchases, line by line (ws_recap_achat).
func (c *Client) RecapAchat(ctx context.Context, idContact string) ([]DetailCaddy, error) {
	if err := checkID("billetterie.ws_recap_achat", "id_contact", idContact); err != nil {
		return nil, err
	}
	var lines List[DetailCaddy]
	form := c.creds(url.Values{"id_contact": {strings.TrimSpace(idContact)}, "format": {"tableau"}})
	if _, err := c.callMessage(ctx, "ws_recap_achat", form, &lines); err != nil {
		return nil, err
	}
	return lines, nil
}

// Purchase XML (ws_det_achat, ws_cat_histo_achat and their notification):
// amounts are integer cents ("000" is 0), dates 20140731T105352 in Paris.

// Prestation is a fee or a delivery line. Type: 1 attached to an article or
// a card, 2 postage, 3 booking fee.
type Prestation struct {
	Libelle      string `xml:"libelle"`
	PrixTotal    XInt   `xml:"prix_total"`
	PrixUnitaire XInt   `xml:"prix_unitaire"`
	Qtte         XInt   `xml:"qtte"`
	RefPrest     string `xml:"ref_prest"`
	Type         XInt   `xml:"type"`
	IDDetail     string `xml:"id_detail"`
}

// Billet is a ticket line.
type Billet struct {
	DateHeure    string `xml:"dateheure"`
	Frais        XInt   `xml:"frais"`
	Libelle      string `xml:"libelle"`
	ListePlace   string `xml:"liste_place"`
	ModeRetrait  string `xml:"mode_retrait"`
	PrixTotal    XInt   `xml:"prix_total"`
	PrixUnitaire XInt   `xml:"prix_unitaire"`
	Qtte         XInt   `xml:"qtte"`
	RefCateg     string `xml:"ref_categ"`
	RefRep       string `xml:"ref_rep"`
	RefSpect     string `xml:"ref_spect"`
	Spectacle    string `xml:"spectacle"`
	IDDetail     string `xml:"id_detail"`
}

// Start is dateheure in Europe/Paris.
func (b Billet) Start() (time.Time, error) { return ParseISOLocal(b.DateHeure) }

// Carte is a pass line with its tickets and fees.
type Carte struct {
	Libelle      string       `xml:"libelle"`
	PrixTotal    XInt         `xml:"prix_total"`
	PrixUnitaire XInt         `xml:"prix_unitaire"`
	Qtte         XInt         `xml:"qtte"`
	RefCateg     string       `xml:"ref_categ"`
	IDDetail     string       `xml:"id_detail"`
	Billets      []Billet     `xml:"billets>billet"`
	Prestations  []Prestation `xml:"prestations>prestation"`
}

// ArticleAchat is a shop line with its fees.
type ArticleAchat struct {
	Libelle      string       `xml:"libelle"`
	PrixTotal    XInt         `xml:"prix_total"`
	PrixUnitaire XInt         `xml:"prix_unitaire"`
	Qtte         XInt         `xml:"qtte"`
	RefArticle   string       `xml:"ref_article"`
	IDDetail     string       `xml:"id_detail"`
	Prestations  []Prestation `xml:"prestations>prestation"`
}

// CaddyContact is the buyer.
type CaddyContact struct {
	Genre       string `xml:"genre"`
	Nom         string `xml:"nom"`
	Prenom      string `xml:"prenom"`
	Email       string `xml:"email"`
	Identifiant string `xml:"identifiant"`
}

// Transaction is the order's payment.
type Transaction struct {
	DateVente string `xml:"datevente"`
	Montant   XInt   `xml:"montant"` // cents
	Paye      string `xml:"paye"`    // OK paid, KO not paid
}

// Produits are the order's lines.
type Produits struct {
	Cartes      []Carte        `xml:"cartes>carte"`
	Billets     []Billet       `xml:"billets>billet"`
	Articles    []ArticleAchat `xml:"articles>article"`
	Prestations []Prestation   `xml:"prestations>prestation"`
}

// Caddy is an order.
type Caddy struct {
	ID          string       `xml:"id"`
	XRsiOption  string       `xml:"x_rsi_option"`
	Contact     CaddyContact `xml:"contact"`
	Transaction Transaction  `xml:"transaction"`
	Produits    Produits     `xml:"produits"`
}

// SoldAt is datevente in Europe/Paris.
func (c Caddy) SoldAt() (time.Time, error) { return ParseISOLocal(c.Transaction.DateVente) }

// Paid reports paye == OK.
func (c Caddy) Paid() bool { return strings.EqualFold(strings.TrimSpace(c.Transaction.Paye), "OK") }

func newXMLDecoder(b []byte) *xml.Decoder {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.CharsetReader = charsetReader
	return dec
}

// ParseCaddy reads a <caddy> document (ws_det_achat, or its notification);
// an ERREUR/MESSAGE document gives an *ErrorDocument.
func ParseCaddy(b []byte) (*Caddy, error) {
	var probe struct {
		XMLName xml.Name
		Message string `xml:"MESSAGE"`
		Erreur  *struct {
			Message string `xml:"MESSAGE"`
		} `xml:"ERREUR"`
	}
	if err := newXMLDecoder(b).Decode(&probe); err != nil {
		return nil, err
	}
	switch {
	case probe.XMLName.Local == elErreur:
		return nil, &ErrorDocument{Message: strings.TrimSpace(probe.Message)}
	case probe.Erreur != nil:
		return nil, &ErrorDocument{Message: strings.TrimSpace(probe.Erreur.Message)}
	case probe.XMLName.Local != "caddy":
		return nil, errs.E(errs.Op("billetterie.caddy"), errs.Invalid, errs.Msg("not a caddy document"))
	}
	var c Caddy
	if err := newXMLDecoder(b).Decode(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

// ParseCaddies reads an <xmlrequest> list of caddies (ws_cat_histo_achat).
func ParseCaddies(b []byte) ([]Caddy, error) {
	var doc struct {
		XMLName xml.Name
		Caddies []Caddy `xml:"caddy"`
		Message string  `xml:"MESSAGE"`
		Erreur  *struct {
			Message string `xml:"MESSAGE"`
		} `xml:"ERREUR"`
	}
	if err := newXMLDecoder(b).Decode(&doc); err != nil {
		return nil, err
	}
	switch {
	case doc.XMLName.Local == elErreur:
		return nil, &ErrorDocument{Message: strings.TrimSpace(doc.Message)}
	case doc.Erreur != nil:
		return nil, &ErrorDocument{Message: strings.TrimSpace(doc.Erreur.Message)}
	case doc.XMLName.Local != "xmlrequest":
		return nil, errs.E(errs.Op("billetterie.caddy"), errs.Invalid, errs.Msg("not an xmlrequest document"))
	}
	return doc.Caddies, nil
}

// DetAchat reads an order with its products (ws_det_achat).
func (c *Client) DetAchat(ctx context.Context, idCaddy string) (*Caddy, error) {
	const op = "billetterie.ws_det_achat"
	idCaddy = strings.TrimSpace(idCaddy)
	if idCaddy == "" {
		return nil, invalid(op, "id_caddy", "is required")
	}
	raw, err := c.fetch(ctx, c.base, "ws_det_achat", c.creds(url.Values{"id_caddy": {idCaddy}}), false)
	if err != nil {
		return nil, err
	}
	cd, err := ParseCaddy(raw)
	if doc, ok := err.(*ErrorDocument); ok {
		return nil, docError(op, doc, errs.NotFound, "no such order")
	}
	if err != nil {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered a malformed order"), err)
	}
	return cd, nil
}

// HistoFilter selects orders of ws_cat_histo_achat.
type HistoFilter struct {
	Invalid  bool      // etat_caddy=A (invalidated) instead of V (paid)
	From, To time.Time // zero From: the vendor's default (the last three days); To needs From
}

// CatHistoAchat lists the orders of a period (ws_cat_histo_achat).
func (c *Client) CatHistoAchat(ctx context.Context, f HistoFilter) ([]Caddy, error) {
	const op = "billetterie.ws_cat_histo_achat"
	form := c.creds(url.Values{"etat_caddy": {"V"}})
	if f.Invalid {
		form.Set("etat_caddy", "A")
	}
	if !f.From.IsZero() {
		form.Set("date_debut", f.From.In(Paris).Format("02/01/2006"))
	}
	if !f.To.IsZero() {
		// §2.4.1.2: date_fin goes with date_debut and is a later day.
		if f.From.IsZero() || !laterDay(f.To, f.From) {
			return nil, invalid(op, "date_fin", "must be a later day than date_debut")
		}
		form.Set("date_fin", f.To.In(Paris).Format("02/01/2006"))
	}
	raw, err := c.fetch(ctx, c.base, "ws_cat_histo_achat", form, false)
	if err != nil {
		return nil, err
	}
	list, err := ParseCaddies(raw)
	if doc, ok := err.(*ErrorDocument); ok {
		return nil, docError(op, doc, errs.Unavailable, "the ticketing system answered an error document")
	}
	if err != nil {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered a malformed order list"), err)
	}
	return list, nil
}

// laterDay reports whether a falls on a later calendar day than b in Paris.
func laterDay(a, b time.Time) bool {
	return a.In(Paris).Format(time.DateOnly) > b.In(Paris).Format(time.DateOnly)
}

// docError maps an ERREUR/MESSAGE document: the credentials message is ours
// to fix, anything else takes the caller's kind.
func docError(op string, doc *ErrorDocument, kind errs.Kind, msg string) error {
	if strings.EqualFold(doc.Message, codes[3].Message) {
		return errs.E(errs.Op(op), errs.UpstreamAuth, errs.Code("3"), errs.Msg(safeMessages[3]), doc)
	}
	if strings.EqualFold(doc.Message, codes[5].Message) || strings.EqualFold(doc.Message, codes[7].Message) {
		kind, msg = errs.Unavailable, "the ticketing system is unavailable"
	}
	// A document naming a "ko" code of table 4.2 (by its text, or its number
	// in front: "202 Spectacle non trouvé") takes that code's kind: a show
	// that is not on sale is NOT_FOUND, not a vendor outage.
	if code := codeOfMessage(doc.Message); code != 0 {
		if k := CodeKind(code); k == errs.NotFound || k == errs.Conflict || k == errs.Invalid {
			m := safeMessages[code]
			if m == "" {
				m = codes[code].Message
			}
			return errs.E(errs.Op(op), k, errs.Code(strconv.Itoa(code)), errs.Msg(m), doc)
		}
	}
	return errs.E(errs.Op(op), kind, errs.Msg(msg), doc)
}

// codeOfMessage finds the table 4.2 code an error document speaks of: a
// leading code number, or the code's own text; 0 when none.
func codeOfMessage(m string) int {
	m = strings.TrimSpace(m)
	if m == "" {
		return 0
	}
	lead := m
	if i := strings.IndexFunc(m, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		lead = m[:i]
	}
	if n, err := strconv.Atoi(lead); err == nil {
		if _, ok := codes[n]; ok {
			return n
		}
	}
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("’", "'", "é", "e", "è", "e", "ê", "e").Replace(strings.TrimSpace(s)))
	}
	nm := norm(m)
	best, bestLen := 0, 0
	for n, ci := range codes {
		// The longest matching text wins ("Représentation non trouvée" over
		// a shorter one it contains); ties go to the lower code.
		if t := norm(ci.Message); t != "" && !ci.OK && strings.Contains(nm, t) && (len(t) > bestLen || len(t) == bestLen && n < best) {
			best, bestLen = n, len(t)
		}
	}
	return best
}
