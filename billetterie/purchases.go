package billetterie

import (
	"context"
	"encoding/json"
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

// Telechargement is one product of ws_info_telechargement (names as sent).
type Telechargement struct {
	CodeRep       json.Number `json:"Code_rep"`
	NumDetail     string      `json:"num_detail"`
	Texte         string      `json:"texte"`
	Prix          Cents       `json:"prix"`
	IDDetail      json.Number `json:"id_detail"`
	Libelle       string      `json:"libelle"`
	NumSpectacle  json.Number `json:"Num_Spectacle"`
	NomPourBillet string      `json:"Nom_pour_Billet"`
	BilletAtHome  int         `json:"billet_at_home"`
	ZoneTarifaire string      `json:"Zone_Tarifaire"`
	NumeroDePlace string      `json:"Numero_de_place"`
	Acces         string      `json:"Acces"`
	Ville         string      `json:"Ville"`
	Statut        int         `json:"statut"`
	Emplacement   string      `json:"Emplacement"`
	Numerote      bool        `json:"Numerote"`
	DTSTART       string      `json:"DTSTART"`
	Commande      string      `json:"commande"`
	Spectacle     string      `json:"spectacle"`
	Type          int         `json:"type"`
	Lien          string      `json:"lien"`
	QRCode        string      `json:"qrcode"` // GUESS: the QR string, when the site sends it
	Zonee         string      `json:"Zonee"`
}

// Telechargements are the visitor's active tickets.
type Telechargements struct {
	Telechargeables    []Telechargement `json:"liste_telechargement"`
	NonTelechargeables []Telechargement `json:"liste_non_telechargeable"`
}

// InfoTelechargement lists the visitor's active tickets. Its statut sits at
// the top of retour, as the spec documents.
func (c *Client) InfoTelechargement(ctx context.Context, token string) (*Telechargements, error) {
	if err := needToken("billetterie.ws_info_telechargement", token); err != nil {
		return nil, err
	}
	var t Telechargements
	if _, err := c.callJSON(ctx, "ws_info_telechargement", url.Values{"x_rsi_token": {token}}, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// DetailCaddy is one line of ws_recap_achat.
type DetailCaddy struct {
	RefArticle         json.Number `json:"ref_article"`
	ModeRetrait        string      `json:"mode_retrait"`
	LienTelechargement string      `json:"lien_telechargement"`
	IDCaddy            string      `json:"id_caddy"`
	Frais              Cents       `json:"frais"`
	TypeProduit        int         `json:"type_produit"`
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

// RecapAchat lists a contact's web purchases, line by line.
func (c *Client) RecapAchat(ctx context.Context, idContact string) ([]DetailCaddy, error) {
	if _, err := strconv.ParseInt(idContact, 10, 64); err != nil {
		return nil, errs.E(errs.Op("billetterie.ws_recap_achat"), errs.Invalid, errs.Field("id_contact"), errs.Msg("must be a number"))
	}
	var lines []DetailCaddy
	form := c.creds(url.Values{"id_contact": {idContact}, "format": {"tableau"}})
	if _, err := c.callJSON(ctx, "ws_recap_achat", form, &lines); err != nil {
		return nil, err
	}
	return lines, nil
}

// Purchase XML (ws_det_achat, ws_cat_histo_achat, the card-printing push).

// Prestation is a fee or a delivery line, amounts in cents.
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

// Caddy is an order.
type Caddy struct {
	ID         string `xml:"id"`
	XRsiOption string `xml:"x_rsi_option"`
	Contact    struct {
		Genre       string `xml:"genre"`
		Nom         string `xml:"nom"`
		Prenom      string `xml:"prenom"`
		Email       string `xml:"email"`
		Identifiant string `xml:"identifiant"`
	} `xml:"contact"`
	Transaction struct {
		DateVente string `xml:"datevente"`
		Montant   int64  `xml:"montant"`
		Paye      string `xml:"paye"`
	} `xml:"transaction"`
	Produits struct {
		Cartes      []Carte        `xml:"cartes>carte"`
		Billets     []Billet       `xml:"billets>billet"`
		Articles    []ArticleAchat `xml:"articles>article"`
		Prestations []Prestation   `xml:"prestations>prestation"`
	} `xml:"produits"`
}

// ParseCaddy reads a <caddy> document (ws_det_achat, or its notification).
func ParseCaddy(b []byte) (*Caddy, error) {
	var probe struct {
		XMLName xml.Name
		Message string `xml:"MESSAGE"`
		Erreur  *struct {
			Message string `xml:"MESSAGE"`
		} `xml:"ERREUR"`
	}
	if err := unmarshalXML(b, &probe); err != nil {
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
	if err := unmarshalXML(b, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

func unmarshalXML(b []byte, v any) error {
	dec := xml.NewDecoder(strings.NewReader(string(b)))
	dec.CharsetReader = charsetReader
	return dec.Decode(v)
}

// DetAchat reads an order with its products (ws_det_achat).
func (c *Client) DetAchat(ctx context.Context, idCaddy string) (*Caddy, error) {
	const op = "billetterie.ws_det_achat"
	if strings.TrimSpace(idCaddy) == "" {
		return nil, errs.E(errs.Op(op), errs.Invalid, errs.Field("id_caddy"), errs.Msg("is required"))
	}
	raw, err := c.fetch(ctx, c.base, "ws_det_achat", c.creds(url.Values{"id_caddy": {idCaddy}}), false)
	if err != nil {
		return nil, err
	}
	cd, err := ParseCaddy(raw)
	if doc, ok := err.(*ErrorDocument); ok {
		return nil, errs.E(errs.Op(op), errs.NotFound, errs.Msg("no such order"), doc)
	}
	if err != nil {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered a malformed order"), err)
	}
	return cd, nil
}

// HistoFilter selects orders of ws_cat_histo_achat.
type HistoFilter struct {
	Invalid  bool      // etat_caddy=A instead of V
	From, To time.Time // zero From: the vendor's default (the last three days)
}

// CatHistoAchat lists orders of a period.
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
			return nil, errs.E(errs.Op(op), errs.Invalid, errs.Field("date_fin"), errs.Msg("needs date_debut before it"))
		}
		form.Set("date_fin", f.To.In(Paris).Format("02/01/2006"))
	}
	raw, err := c.fetch(ctx, c.base, "ws_cat_histo_achat", form, false)
	if err != nil {
		return nil, err
	}
	var doc struct {
		XMLName xml.Name
		Caddies []Caddy `xml:"caddy"`
		Erreur  *struct {
			Message string `xml:"MESSAGE"`
		} `xml:"ERREUR"`
	}
	if err := unmarshalXML(raw, &doc); err != nil || (doc.XMLName.Local != "xmlrequest" && doc.Erreur == nil) {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered a malformed order list"))
	}
	if doc.Erreur != nil {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered an error document"), &ErrorDocument{Message: doc.Erreur.Message})
	}
	return doc.Caddies, nil
}
