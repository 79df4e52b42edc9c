package billetterie

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/guichet/guichet/catalogue"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/ianaindex"
)

// Paris is the zone of every vendor local time: the venue's.
var Paris = catalogue.Paris

// Salle is a room or a site (SALLE_MERE_ID empty).
type Salle struct {
	ID, MereID, Nom, Ville, Adresse string
}

// Tarif is one cell of a grid: a price and its fees, in cents.
type Tarif struct {
	Categorie, Zone string
	Prix, Frais     Cents
}

// Grille is a price grid, referenced by its label.
type Grille struct {
	Libelle, LibelleWeb string
	Tarifs              []Tarif
}

// Representation is a performance.
type Representation struct {
	Ident     string
	Debut     time.Time // REP_DATE + REP_HEURE in Paris
	Duree     time.Duration
	Salle     string
	Grille    string
	GrilleWeb string
	Dispo     int // REP_DISPO, -1 when absent
}

// Spectacle is a show with its performances.
type Spectacle struct {
	Ident, Nom                      string
	TitreLibre1, TitreLibre2        string
	ChampLibre1, ChampLibre2        string
	Type, CategorieWeb, Description string
	CategoriesSecondaires           []string
	TSModif                         time.Time
	Representations                 []Representation
}

// Abonnement is a pass: abonnement or adhésion.
type Abonnement struct {
	Ident, Nom, Type string
	Prix             Cents
	// The catalogue page filters of 3.3 (CATEGORIE_WEB…CODE_REGROUP).
	CategorieWeb, CategorieSecondaireUn, CategorieSecondaireDeux, CodeRegroup string
}

// Article is a shop article or a gift voucher.
type Article struct {
	Ident, Nom, Famille string
	Prix                Cents
	BonCadeau           bool
}

// Item is one element of the flux, exactly one field set.
type Item struct {
	Salle      *Salle
	Grille     *Grille
	Spectacle  *Spectacle
	Abonnement *Abonnement
	Article    *Article
}

// Flux is a whole catalogue document collected in memory.
type Flux struct {
	Salles      []Salle
	Grilles     []Grille
	Spectacles  []Spectacle
	Abonnements []Abonnement
	Articles    []Article
}

// charsetReader honours the declared encoding: ISO-8859-1 and windows-1252
// are as likely as UTF-8 from the vendor's stack; other IANA names are
// looked up too.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "", "utf-8", "utf8":
		return in, nil
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
		return charmap.ISO8859_1.NewDecoder().Reader(in), nil
	case "windows-1252", "cp1252", "x-cp1252":
		return charmap.Windows1252.NewDecoder().Reader(in), nil
	case "iso-8859-15", "latin9", "latin-9":
		return charmap.ISO8859_15.NewDecoder().Reader(in), nil
	}
	if enc, err := ianaindex.IANA.Encoding(label); err == nil && enc != nil {
		return enc.NewDecoder().Reader(in), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// ErrorDocument is the vendor's ERREUR/MESSAGE answer, sent with HTTP 200.
type ErrorDocument struct{ Message string }

func (e *ErrorDocument) Error() string { return "ERREUR: " + e.Message }

// ParseFlux streams a flux, calling fn for each element found by name at
// any depth; memory stays bounded by one show at a time.
func ParseFlux(r io.Reader, fn func(Item) error) error {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charsetReader
	dec.Strict = true
	root := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if !root {
				return errors.New("flux: no XML element")
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("flux: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		root = true
		var it Item
		switch se.Name.Local {
		case elSalle:
			it.Salle = &Salle{ID: attr(se, attrSalleID), MereID: attr(se, attrSalleMere), Nom: attr(se, attrSalleNom), Ville: attr(se, attrSalleVille), Adresse: attr(se, attrSalleAdresse)}
			if err := dec.Skip(); err != nil {
				return fmt.Errorf("flux: %w", err)
			}
		case elGrille:
			g, err := decodeGrille(dec)
			if err != nil {
				return err
			}
			it.Grille = g
		case elSpectacle:
			s, err := decodeSpectacle(dec, se)
			if err != nil {
				return err
			}
			it.Spectacle = s
		case elAbonnement:
			p, err := ParseEuros(attr(se, attrPrix))
			if err != nil {
				return fmt.Errorf("flux ABONNEMENT %s: %w", attr(se, attrIdent), err)
			}
			it.Abonnement = &Abonnement{Ident: attr(se, attrIdent), Nom: attr(se, attrNom), Type: attr(se, attrType), Prix: p,
				CategorieWeb: attr(se, attrCatWeb), CategorieSecondaireUn: attr(se, attrCatSecUn),
				CategorieSecondaireDeux: attr(se, attrCatSecDeux), CodeRegroup: attr(se, attrCodeRegroup)}
			if err := dec.Skip(); err != nil {
				return fmt.Errorf("flux: %w", err)
			}
		case elArticle:
			p, err := ParseEuros(attr(se, attrPrix))
			if err != nil {
				return fmt.Errorf("flux ARTICLE %s: %w", attr(se, attrIdent), err)
			}
			it.Article = &Article{Ident: attr(se, attrIdent), Nom: attr(se, attrNom), Famille: attr(se, attrFamille), Prix: p, BonCadeau: attr(se, attrBonCadeau) == "1"}
			if err := dec.Skip(); err != nil {
				return fmt.Errorf("flux: %w", err)
			}
		case elErreur:
			var e struct {
				Message string `xml:"MESSAGE"`
			}
			if err := dec.DecodeElement(&e, &se); err != nil {
				return fmt.Errorf("flux ERREUR: %w", err)
			}
			return &ErrorDocument{Message: strings.TrimSpace(e.Message)}
		default:
			continue
		}
		if err := fn(it); err != nil {
			return err
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

func decodeGrille(dec *xml.Decoder) (*Grille, error) {
	g := &Grille{}
	var cat, zone string
	var text strings.Builder
	var frais string
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("flux GRILLE: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			text.Reset()
			switch t.Name.Local {
			case elCategorie:
				cat = attr(t, attrLibelle)
			case elZone:
				zone = attr(t, attrLibelle)
			default:
				frais = attr(t, attrFrais)
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case elLibelle:
				g.Libelle = strings.TrimSpace(text.String())
			case elLibelleWeb:
				g.LibelleWeb = strings.TrimSpace(text.String())
			case elCategorie, elZone, elGrille:
			default:
				if depth == 3 { // a price cell inside CATEGORIE_PUBLIQUE/ZONE
					p, err := ParseEuros(text.String())
					if err != nil {
						return nil, fmt.Errorf("flux GRILLE %q: %w", g.Libelle, err)
					}
					f, err := ParseEuros(frais)
					if err != nil {
						return nil, fmt.Errorf("flux GRILLE %q: %w", g.Libelle, err)
					}
					g.Tarifs = append(g.Tarifs, Tarif{Categorie: cat, Zone: zone, Prix: p, Frais: f})
				}
			}
			text.Reset()
		}
	}
	return g, nil
}

func decodeSpectacle(dec *xml.Decoder, start xml.StartElement) (*Spectacle, error) {
	s := &Spectacle{Ident: attr(start, attrIdent), Nom: attr(start, attrNom)}
	var text strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("flux SPECTACLE %s: %w", s.Ident, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			text.Reset()
			if t.Name.Local == elRepresentation {
				rep, err := parseRepresentation(t)
				if err != nil {
					return nil, fmt.Errorf("flux SPECTACLE %s: %w", s.Ident, err)
				}
				s.Representations = append(s.Representations, rep)
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			depth--
			v := strings.TrimSpace(text.String())
			switch t.Name.Local {
			case "TITRE_LIBRE1":
				s.TitreLibre1 = v
			case "TITRE_LIBRE2":
				s.TitreLibre2 = v
			case "CHAMP_LIBRE1":
				s.ChampLibre1 = v
			case "CHAMP_LIBRE2":
				s.ChampLibre2 = v
			case "TYPE":
				s.Type = v
			case "CATEGORIE_WEB":
				s.CategorieWeb = v
			case "CATEGORIE_SECONDAIRE_UN", "CATEGORIE_SECONDAIRE_DEUX":
				if v != "" {
					s.CategoriesSecondaires = append(s.CategoriesSecondaires, v)
				}
			case "DESCRIPTION":
				s.Description = v
			case "TS_MODIF":
				if ts, err := time.ParseInLocation(tsModifLayout, v, Paris); err == nil {
					s.TSModif = ts
				}
			}
			text.Reset()
		}
	}
	return s, nil
}

func parseRepresentation(se xml.StartElement) (Representation, error) {
	r := Representation{Ident: attr(se, attrIdent), Salle: attr(se, attrRepSalle), Grille: attr(se, attrRepGrille), GrilleWeb: attr(se, attrRepGrilleWeb), Dispo: -1}
	day, hour := attr(se, attrRepDate), attr(se, attrRepHeure)
	if hour == "" {
		hour = "00:00:00"
	}
	t, err := time.ParseInLocation("02/01/2006 15:04:05", day+" "+hour, Paris)
	if err != nil {
		return r, fmt.Errorf("REPRESENTATION %s: date %q %q", r.Ident, day, hour)
	}
	r.Debut = t
	if d := attr(se, attrRepDuree); d != "" {
		var h, m, s int
		if _, err := fmt.Sscanf(d, "%d:%d:%d", &h, &m, &s); err == nil {
			r.Duree = time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
		}
	}
	if v := attr(se, attrRepDispo); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return r, fmt.Errorf("REPRESENTATION %s: REP_DISPO %q", r.Ident, v)
		}
		r.Dispo = n
	}
	return r, nil
}

// Collect gathers a streamed flux into a Flux.
func Collect(r io.Reader) (*Flux, error) {
	f := &Flux{}
	err := ParseFlux(r, func(it Item) error {
		f.Add(it)
		return nil
	})
	return f, err
}

// FluxItems is ParseFlux as an iterator: for it, err := range FluxItems(r).
// A parse error is yielded once, last.
func FluxItems(r io.Reader) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		stop := errors.New("stop")
		err := ParseFlux(r, func(it Item) error {
			if !yield(it, nil) {
				return stop
			}
			return nil
		})
		if err != nil && err != stop {
			yield(Item{}, err)
		}
	}
}

// Add appends one streamed element to the document.
func (f *Flux) Add(it Item) {
	switch {
	case it.Salle != nil:
		f.Salles = append(f.Salles, *it.Salle)
	case it.Grille != nil:
		f.Grilles = append(f.Grilles, *it.Grille)
	case it.Spectacle != nil:
		f.Spectacles = append(f.Spectacles, *it.Spectacle)
	case it.Abonnement != nil:
		f.Abonnements = append(f.Abonnements, *it.Abonnement)
	case it.Article != nil:
		f.Articles = append(f.Articles, *it.Article)
	}
}
