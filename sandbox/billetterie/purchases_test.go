package billetterie

import (
	"encoding/json"
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

type recapLine struct {
	IDCaddy      string      `json:"id_caddy"`
	TypeProduit  int         `json:"type_produit"`
	PrixTotal    json.Number `json:"prix_total"`
	PrixUnitaire json.Number `json:"prix_unitaire"`
	Frais        json.Number `json:"frais"`
	Spectacle    string      `json:"spectacle"`
	DateHeure    string      `json:"dateheure"`
	RefRep       json.Number `json:"ref_rep"`
	RefSpect     json.Number `json:"ref_spect"`
	Libelle      string      `json:"libelle"`
	IDDetail     json.Number `json:"id_detail"`
	Carte        bool        `json:"carte"`
}

type caddyDoc struct {
	ID          string `xml:"id"`
	Transaction struct {
		DateVente string `xml:"datevente"`
		Montant   int    `xml:"montant"`
		Paye      string `xml:"paye"`
	} `xml:"transaction"`
	Cartes []struct {
		PrixTotal int `xml:"prix_total"`
		Billets   []struct {
			PrixTotal int `xml:"prix_total"`
		} `xml:"billets>billet"`
	} `xml:"produits>cartes>carte"`
	Billets []struct {
		PrixTotal int    `xml:"prix_total"`
		RefRep    string `xml:"ref_rep"`
		Spectacle string `xml:"spectacle"`
	} `xml:"produits>billets>billet"`
	Prestations []struct {
		PrixTotal int    `xml:"prix_total"`
		Type      string `xml:"type"`
	} `xml:"produits>prestations>prestation"`
}

func TestPurchases(t *testing.T) {
	e := newEnv(t)
	env := e.expect("ws_recap_achat", e.creds("id_contact", "20001", "format", "tableau"), 2, "ok")
	if !strings.Contains(string(env.Retour.Message), `"prix_total":2.4`) {
		t.Fatalf("web booking fee not 2.4 euros: %.300s", env.Retour.Message)
	}
	var lines []recapLine
	if err := json.Unmarshal(env.Retour.Message, &lines); err != nil {
		t.Fatal(err)
	}
	caddies := map[string]bool{}
	cards := 0
	for _, l := range lines {
		caddies[l.IDCaddy] = true
		if len(l.IDCaddy) != 12 {
			t.Fatalf("id_caddy %q", l.IDCaddy)
		}
		if l.TypeProduit == produitBillet && !l.Carte {
			// Tickets are on real catalogue performances.
			p := e.srv.perfByID[l.RefRep.String()]
			if p == nil || p.show.id != l.RefSpect.String() || p.show.title != l.Spectacle || vendorDate(p.at) != l.DateHeure {
				t.Fatalf("ticket line inconsistent with the catalogue: %+v", l)
			}
		}
		if l.Carte && l.Libelle == "Carte Saison" {
			cards++
		}
	}
	if len(caddies) < 3 || cards != 1 {
		t.Fatalf("demo: %d orders, %d cards", len(caddies), cards)
	}
	// ws_det_achat of each order: amounts in cents add up to montant.
	for id := range caddies {
		code, body := e.post("ws_det_achat", e.creds("id_caddy", id))
		var c caddyDoc
		if err := xml.Unmarshal(body, &c); code != 200 || err != nil {
			t.Fatalf("det_achat %s: %d %v", id, code, err)
		}
		sum := 0
		for _, cd := range c.Cartes {
			sum += cd.PrixTotal
			for _, b := range cd.Billets {
				sum += b.PrixTotal
			}
		}
		for _, b := range c.Billets {
			sum += b.PrixTotal
		}
		for _, p := range c.Prestations {
			sum += p.PrixTotal
			if p.PrixTotal != 240 || p.Type != "3" {
				t.Fatalf("prestation %+v", p)
			}
		}
		if c.ID != id || sum != c.Transaction.Montant || c.Transaction.Paye != "OK" {
			t.Fatalf("caddy %s: sum %d montant %d paye %s", id, sum, c.Transaction.Montant, c.Transaction.Paye)
		}
	}
	_, body := e.post("ws_det_achat", e.creds("id_caddy", "000000000000"))
	if !strings.Contains(string(body), "<ERREUR><MESSAGE>Commande inconnue</MESSAGE></ERREUR>") {
		t.Fatalf("unknown caddy: %s", body)
	}
}

type histoDoc struct {
	Caddies []struct {
		ID          string `xml:"id"`
		Transaction struct {
			DateVente string `xml:"datevente"`
			Paye      string `xml:"paye"`
		} `xml:"transaction"`
	} `xml:"caddy"`
}

func (e *env) histo(kv ...string) histoDoc {
	e.t.Helper()
	_, body := e.post("ws_cat_histo_achat", e.creds(kv...))
	var d histoDoc
	if err := xml.Unmarshal(body, &d); err != nil {
		e.t.Fatalf("%v: %s", err, body)
	}
	return d
}

func TestCatHistoAchat(t *testing.T) {
	e := newEnv(t)
	from, to := "01/10/2026", "22/11/2026"
	v, a := e.histo("etat_caddy", "V", "date_debut", from, "date_fin", to), e.histo("etat_caddy", "A", "date_debut", from, "date_fin", to)
	if len(v.Caddies) == 0 || len(a.Caddies) == 0 || len(v.Caddies) < 5*len(a.Caddies) {
		t.Fatalf("V %d A %d", len(v.Caddies), len(a.Caddies))
	}
	for _, c := range v.Caddies {
		if c.Transaction.Paye != "OK" || c.Transaction.DateVente < "20261001" {
			t.Fatalf("V caddy %+v", c)
		}
	}
	for _, c := range a.Caddies {
		if c.Transaction.Paye != "KO" {
			t.Fatalf("A caddy %+v", c)
		}
	}
	recent := e.histo()
	if len(recent.Caddies) == 0 || len(recent.Caddies) >= len(v.Caddies) {
		t.Fatalf("default 3 days: %d", len(recent.Caddies))
	}
	for _, c := range recent.Caddies {
		if c.Transaction.DateVente < "20261119" {
			t.Fatalf("outside default range: %s", c.Transaction.DateVente)
		}
	}
}

func TestInfoTelechargement(t *testing.T) {
	e := newEnv(t)
	tok := e.loginDemo()
	code, body := e.post("ws_info_telechargement", url.Values{"x_rsi_token": {tok}})
	var r struct {
		Retour struct {
			Code int `json:"code"`
			Down []struct {
				IDDetail int    `json:"id_detail"`
				Type     int    `json:"type"`
				Lien     string `json:"lien"`
				QR       string `json:"qrcode"`
				BAH      int    `json:"billet_at_home"`
				DTSTART  string `json:"DTSTART"`
			} `json:"liste_telechargement"`
			NotDown []struct {
				Statut int `json:"statut"`
				Type   int `json:"type"`
			} `json:"liste_non_telechargeable"`
		} `json:"retour"`
	}
	if err := json.Unmarshal(body, &r); code != 200 || err != nil || r.Retour.Code != 102 {
		t.Fatalf("%d %v %.200s", code, err, body)
	}
	if len(r.Retour.Down)+len(r.Retour.NotDown) == 0 {
		t.Fatal("demo has no future tickets")
	}
	types := map[int]int{}
	for _, d := range r.Retour.Down {
		types[d.Type]++
	}
	for _, n := range r.Retour.NotDown {
		types[n.Type]++
	}
	if types[1] != 1 || types[2] == 0 || types[3] == 0 || len(r.Retour.NotDown) == 0 {
		t.Fatalf("demo download types %v (card 1, tickets on card 2, others 3)", types)
	}
	for _, d := range r.Retour.Down {
		id := strconv.Itoa(d.IDDetail)
		if d.BAH != 2 || d.QR != "GUICHET-"+id || !strings.HasSuffix(d.Lien, "/billetterie/impression?billet="+id) {
			t.Fatalf("e-ticket %+v", d)
		}
		if d.Type != 1 && d.DTSTART <= vendorDate(testNow.In(paris)) {
			t.Fatalf("past performance listed: %+v", d)
		}
	}
	for _, n := range r.Retour.NotDown {
		if n.Statut != 100 {
			t.Fatalf("non downloadable %+v", n)
		}
	}
	e.expect("ws_info_telechargement", url.Values{"x_rsi_token": {e.token()}}, 602, "ko")
}
