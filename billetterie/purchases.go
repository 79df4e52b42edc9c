package billetterie

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/url"
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
	Zonee              string      `json:"Zonee"`
	CodeRep            json.Number `json:"Code_rep"`
	NumDetail          string      `json:"num_detail"`
	Texte              string      `json:"texte"`
	Prix               Cents       `json:"prix"`
	IDDetail           json.Number `json:"id_detail"`
	Libelle            string      `json:"libelle"`
	NumSpectacle       json.Number `json:"Num_Spectacle"`
	NomPourBillet      string      `json:"Nom_pour_Billet"`
	BilletAtHome       int         `json:"billet_at_home"` // 0 box office; 2, 3 print at home
	ZoneTarifaire      string      `json:"Zone_Tarifaire"`
	NumeroDePlace      string      `json:"Numero_de_place"`
	Acces              string      `json:"Acces"`
	Ville              string      `json:"Ville"`
	Statut             int         `json:"statut"` // 0, 100 waiting for a proof, 101 proof accepted
	Emplacement        string      `json:"Emplacement"`
	Numerote           bool        `json:"Numerote"`
	DTSTART            string      `json:"DTSTART"` // 20190709T203000, Paris
	DTEND              string      `json:"DTEND"`
	Commande           string      `json:"commande"`
	Spectacle          string      `json:"spectacle"`
	Representation     string      `json:"representation"`
	Nature             string      `json:"nature"`
	Type               int         `json:"type"` // 1 card, 2 subscriber ticket, 3 single ticket
	Lien               string      `json:"lien"`
	StrQRCode          string      `json:"str_qrcode"`
	QRCode             string      `json:"-"` // = StrQRCode (kept for existing callers)
	StatutJustificatif int         `json:"statut_justificatif"`
	SalleZone          string      `json:"salle_zone"`
	IDSalle            json.Number `json:"id_salle"`
}

// Start is DTSTART in Europe/Paris.
func (t Telechargement) Start() (time.Time, error) { return ParseISOLocal(t.DTSTART) }

// Telechargements are the visitor's active tickets.
type Telechargements struct {
	Telechargeables    []Telechargement `json:"liste_telechargement"`
	NonTelechargeables []Telechargement `json:"liste_non_telechargeable"`
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
	DateHeure   string      `json:"dateheure"`
	IDCarte     json.Number `json:"id_carte"`
	IDRep       json.Number `json:"Id_rep"`
	IDSpectacle json.Number `json:"id_spectacle"`
	SalleNom    string      `json:"salle_nom"`
	Spectacle   string      `json:"spectacle"`
}

// CarteHistorique is a card sold to the visitor (less than 3 years old).
type CarteHistorique struct {
	Active            bool          `json:"active"`
	Consommation      int           `json:"consommation"`
	Credit            int           `json:"credit"`
	DateAchat         string        `json:"date_achat"` // RFC 3339 UTC or ""
	End               string        `json:"end"`
	ID                json.Number   `json:"id"`
	IDCateg           json.Number   `json:"id_categ"`
	Libelle           string        `json:"libelle"`
	ListeBillets      []BilletCarte `json:"liste_billets"`
	Prix              Cents         `json:"prix"`
	RenouvelerLaCarte int           `json:"renouveler_la_carte"` // "Renouveler_la_carte" in the table: JSON matching ignores case
	Saison            int           `json:"saison"`
	Solde             int           `json:"solde"`
	Start             string        `json:"start"`
	TypeSaison        string        `json:"type_saison"`
	Valide            bool          `json:"valide"`
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
		Historique []CarteHistorique `json:"historique"`
	}
	if err := decodePart("ws_historique_contact", env.Retour, &h); err != nil {
		return nil, err
	}
	return h.Historique, nil
}

// DetailCaddy is one line of ws_recap_achat (euros read exactly into cents).
type DetailCaddy struct {
	RefArticle         json.Number `json:"ref_article"`
	ModeRetrait        string      `json:"mode_retrait"`
	LienTelechargement string      `json:"lien_telechargement"`
	IDCaddy            string      `json:"id_caddy"`
	Frais              Cents       `json:"frais"`
	TypeProduit        int         `json:"type_produit"` // 1 product … 5 prestation, 6 ticketing
	ETicket            bool        `json:"eticket"`
	PrixTotal          Cents       `json:"prix_total"`
	PrixUnitaire       Cents       `json:"prix_unitaire"`
	Spectacle          string      `json:"spectacle"`
	DateHeure          string      `json:"dateheure"`
	ListePlace         string      `json:"liste_place"`
	LibelleComplet     string      `json:"libelle_complet"`
	RefRep             json.Number `json:"ref_rep"`
	Libelle            string      `json:"libelle"`
	Qtte               int         `json:"qtte"`
	NumDossier         json.Number `json:"num_dossier"`
	RefPrest           json.Number `json:"ref_prest"`
	IDDetail           json.Number `json:"id_detail"`
	RefSpect           json.Number `json:"ref_spect"`
	Numerote           bool        `json:"numerote"`
	RefCateg           json.Number `json:"ref_categ"`
	Carte              bool        `json:"carte"`
}

// RecapAchat lists a contact's web purchases, line by line (ws_recap_achat).
func (c *Client) RecapAchat(ctx context.Context, idContact string) ([]DetailCaddy, error) {
	if err := checkID("billetterie.ws_recap_achat", "id_contact", idContact); err != nil {
		return nil, err
	}
	var lines []DetailCaddy
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
	PrixTotal    int64  `xml:"prix_total"`
	PrixUnitaire int64  `xml:"prix_unitaire"`
	Qtte         int    `xml:"qtte"`
	RefPrest     string `xml:"ref_prest"`
	Type         int    `xml:"type"`
	IDDetail     string `xml:"id_detail"`
}

// Billet is a ticket line.
type Billet struct {
	DateHeure    string `xml:"dateheure"`
	Frais        int64  `xml:"frais"`
	Libelle      string `xml:"libelle"`
	ListePlace   string `xml:"liste_place"`
	ModeRetrait  string `xml:"mode_retrait"`
	PrixTotal    int64  `xml:"prix_total"`
	PrixUnitaire int64  `xml:"prix_unitaire"`
	Qtte         int    `xml:"qtte"`
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
	PrixTotal    int64        `xml:"prix_total"`
	PrixUnitaire int64        `xml:"prix_unitaire"`
	Qtte         int          `xml:"qtte"`
	RefCateg     string       `xml:"ref_categ"`
	IDDetail     string       `xml:"id_detail"`
	Billets      []Billet     `xml:"billets>billet"`
	Prestations  []Prestation `xml:"prestations>prestation"`
}

// ArticleAchat is a shop line with its fees.
type ArticleAchat struct {
	Libelle      string       `xml:"libelle"`
	PrixTotal    int64        `xml:"prix_total"`
	PrixUnitaire int64        `xml:"prix_unitaire"`
	Qtte         int          `xml:"qtte"`
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
	Montant   int64  `xml:"montant"` // cents
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
		if f.From.IsZero() || !f.To.After(f.From) {
			return nil, invalid(op, "date_fin", "needs a date_debut before it")
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

// docError maps an ERREUR/MESSAGE document: the credentials message is ours
// to fix, anything else takes the caller's kind.
func docError(op string, doc *ErrorDocument, kind errs.Kind, msg string) error {
	if strings.EqualFold(doc.Message, codes[3].Message) {
		return errs.E(errs.Op(op), errs.UpstreamAuth, errs.Code("3"), errs.Msg(safeMessages[3]), doc)
	}
	if strings.EqualFold(doc.Message, codes[5].Message) || strings.EqualFold(doc.Message, codes[7].Message) {
		kind, msg = errs.Unavailable, "the ticketing system is unavailable"
	}
	return errs.E(errs.Op(op), kind, errs.Msg(msg), doc)
}
