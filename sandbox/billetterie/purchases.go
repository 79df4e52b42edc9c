package billetterie

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// type_produit values of ws_recap_achat lines, from the spec's table
// (§2.4.3.3: 1 produit, 2 nourriture, 3 alcool, 4 librairie, 5 prestation,
// 6 billetterie) and examples: a card is a ticketing product too, told apart
// by "carte": true and ref_spect -2.
const (
	produitBillet     = 6
	produitPrestation = 5
	produitCarte      = 6
)

// baseURL is the simulator's own address as the caller sees it, prefix included.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	p := r.URL.Path
	if i := strings.LastIndex(strings.TrimSuffix(p, "/"), "/"); i >= 0 {
		p = p[:i]
	}
	return scheme + "://" + r.Host + p
}

func (s *Server) roomOf(p *perf) (room, site) {
	for _, rm := range s.rooms {
		if rm.id == p.room {
			for _, st := range s.sites {
				if st.id == rm.siteID {
					return rm, st
				}
			}
			return rm, site{}
		}
	}
	return room{}, site{}
}

func (s *Server) ordersOf(contactID int, paidOnly bool) []*order {
	var out []*order
	for _, o := range s.orders {
		if o.contact == contactID && (o.paid || !paidOnly) {
			out = append(out, o)
		}
	}
	return out
}

func (s *Server) recapAchat(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	v, okp := required(w, r, "id_contact")
	if !okp {
		return
	}
	// format=tableau is mandatory "for historical reasons" (§2.4.3.2).
	if f, okp := required(w, r, "format"); !okp {
		return
	} else if f != "tableau" {
		ko(w, 4, msgParam, "format")
		return
	}
	id, err := strconv.Atoi(v)
	if err != nil {
		ko(w, 4, msgParam, "id_contact")
		return
	}
	base := baseURL(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.contactByID[id] == nil {
		ko(w, 503, vendorMsg(503), "")
		return
	}
	lines := []map[string]any{}
	line := func(o *order) map[string]any {
		return map[string]any{
			"ref_article": 0, "mode_retrait": "", "lien_telechargement": "", "id_caddy": o.id, "frais": euros(0),
			"type_produit": 0, "eticket": false, "prix_total": euros(0), "prix_unitaire": euros(0), "spectacle": "",
			"dateheure": "", "liste_place": "", "libelle_complet": "", "ref_rep": 0, "libelle": "", "qtte": 1,
			"num_dossier": json.Number(strings.TrimLeft(o.id, "0")), "ref_prest": 0, "id_detail": 0, "ref_spect": 0,
			"numerote": false, "ref_categ": 0, "carte": false,
		}
	}
	ticketLine := func(o *order, t ticket) map[string]any {
		l := line(o)
		l["type_produit"] = produitBillet
		l["mode_retrait"] = "Retrait au guichet"
		if t.eticket {
			l["mode_retrait"] = "E-ticket"
			l["lien_telechargement"] = base + "/impression?billet=" + strconv.Itoa(t.detail)
		}
		l["frais"], l["eticket"] = euros(t.frais), t.eticket
		l["prix_total"], l["prix_unitaire"] = euros(t.price+t.frais), euros(t.price)
		l["spectacle"], l["dateheure"], l["liste_place"] = t.perf.show.title, vendorDate(t.perf.at), t.seat
		// "spectacle dateheure libelle liste_place", as the spec's examples.
		l["libelle_complet"] = t.perf.show.title + " le " + t.perf.at.Format("02/01/2006 à 15:04") + " " + categories[t.categ] + " " + t.seat
		l["ref_rep"], l["ref_spect"] = json.Number(t.perf.id), json.Number(t.perf.show.id)
		l["libelle"], l["id_detail"], l["numerote"], l["ref_categ"], l["carte"] = categories[t.categ], t.detail, true, t.categ+1, false
		return l
	}
	for _, o := range s.ordersOf(id, true) {
		for _, c := range o.cards {
			l := line(o)
			l["type_produit"], l["libelle"], l["libelle_complet"] = produitCarte, c.label, c.label
			l["prix_total"], l["prix_unitaire"], l["id_detail"], l["carte"] = euros(c.price), euros(c.price), c.detail, true
			l["ref_spect"] = -2
			lines = append(lines, l)
			for _, t := range c.tickets {
				lines = append(lines, ticketLine(o, t))
			}
		}
		for _, t := range o.tickets {
			lines = append(lines, ticketLine(o, t))
		}
		for _, p := range o.prests {
			l := line(o)
			l["type_produit"], l["libelle"], l["libelle_complet"], l["ref_prest"] = produitPrestation, p.label, p.label, p.ref
			l["prix_total"], l["prix_unitaire"], l["id_detail"] = euros(p.price), euros(p.price), p.detail
			lines = append(lines, l)
		}
	}
	ok(w, 2, vendorMsg(2), lines)
}

func (s *Server) writeTicketXML(b *xw, t ticket) {
	b.open("billet")
	b.el("dateheure", vendorDate(t.perf.at))
	b.el("frais", strconv.Itoa(t.frais))
	b.el("libelle", categories[t.categ])
	b.el("liste_place", t.seat)
	if t.eticket {
		b.el("mode_retrait", "E-ticket")
	} else {
		b.el("mode_retrait", "Retrait au guichet")
	}
	b.el("prix_total", strconv.Itoa(t.price+t.frais))
	b.el("prix_unitaire", strconv.Itoa(t.price))
	b.el("qtte", "1")
	b.el("ref_categ", strconv.Itoa(t.categ+1))
	b.el("ref_rep", t.perf.id)
	b.el("ref_spect", t.perf.show.id)
	b.el("spectacle", t.perf.show.title)
	b.el("id_detail", strconv.Itoa(t.detail))
	b.close("billet")
}

func writePrestation(b *xw, p prestation) {
	b.open("prestation")
	b.el("libelle", p.label)
	b.el("prix_total", strconv.Itoa(p.price))
	b.el("prix_unitaire", strconv.Itoa(p.price))
	b.el("qtte", "1")
	b.el("ref_prest", strconv.Itoa(p.ref))
	b.el("type", strconv.Itoa(p.typ))
	b.el("id_detail", strconv.Itoa(p.detail))
	b.close("prestation")
}

func paye(o *order) string {
	if o.paid {
		return "OK"
	}
	return "KO"
}

func (s *Server) detAchat(w http.ResponseWriter, r *http.Request) {
	if !s.credsOKXML(w, r, false) {
		return
	}
	id := strings.TrimSpace(r.FormValue("id_caddy"))
	if id == "" {
		writeXMLError(w, "Paramètre manquant : id_caddy")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orderByID[id]
	if o == nil {
		writeXMLError(w, "Commande inconnue")
		return
	}
	writeUTF8(w, s.caddyXML(o))
}

// caddyXML is ws_det_achat's document for an order, also what the order
// notification pushes (2.4.2: "restituées à l'identique"). The caller holds s.mu.
func (s *Server) caddyXML(o *order) string {
	var b xw
	b.open("caddy")
	b.el("id", o.id)
	b.el("x_rsi_option", "")
	b.open("contact")
	if c := s.contactByID[o.contact]; c != nil {
		b.el("genre", c.civilite)
		b.el("nom", c.nom)
		b.el("prenom", c.prenom)
		b.el("email", c.mail)
		b.el("identifiant", c.mail)
	} else {
		for _, n := range []string{"genre", "nom", "prenom", "email", "identifiant"} {
			b.el(n, "")
		}
	}
	b.close("contact")
	writeTransaction(&b, o)
	b.open("produits")
	b.open("cartes")
	for _, c := range o.cards {
		b.open("carte")
		b.el("libelle", c.label)
		b.el("prix_total", strconv.Itoa(c.price))
		b.el("prix_unitaire", strconv.Itoa(c.price))
		b.el("qtte", "1")
		b.el("id_detail", strconv.Itoa(c.detail))
		b.open("billets")
		for _, t := range c.tickets {
			s.writeTicketXML(&b, t)
		}
		b.close("billets")
		b.el("prestations", "")
		b.close("carte")
	}
	b.close("cartes")
	b.open("billets")
	for _, t := range o.tickets {
		s.writeTicketXML(&b, t)
	}
	b.close("billets")
	b.el("articles", "")
	b.open("prestations")
	for _, p := range o.prests {
		writePrestation(&b, p)
	}
	b.close("prestations")
	b.close("produits")
	b.close("caddy")
	return b.String()
}

func writeTransaction(b *xw, o *order) {
	b.open("transaction")
	b.el("datevente", vendorDate(o.sold))
	b.el("montant", strconv.Itoa(o.total()))
	b.el("paye", paye(o))
	b.close("transaction")
}

// parseDay reads dd/mm/yyyy in the server's clock location.
func parseDay(v string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation("02/01/2006", strings.TrimSpace(v), loc)
	return t, err == nil
}

func (s *Server) catHistoAchat(w http.ResponseWriter, r *http.Request) {
	if !s.credsOKXML(w, r, false) {
		return
	}
	now := s.now()
	loc := now.Location()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	from, to := today.AddDate(0, 0, -3), today
	// §2.4.1.2: no date_debut → j-3 to j; date_debut alone → that day;
	// date_fin needs date_debut and must be a later day ("supérieur").
	deb, fin := strings.TrimSpace(r.FormValue("date_debut")), strings.TrimSpace(r.FormValue("date_fin"))
	if deb != "" {
		t, okd := parseDay(deb, loc)
		if !okd {
			writeXMLError(w, "Paramètre date_debut invalide (jj/mm/aaaa)")
			return
		}
		from, to = t, t
	}
	if fin != "" {
		t, okd := parseDay(fin, loc)
		switch {
		case !okd:
			writeXMLError(w, "Paramètre date_fin invalide (jj/mm/aaaa)")
			return
		case deb == "":
			writeXMLError(w, "Paramètre date_fin sans date_debut")
			return
		case !t.After(from):
			writeXMLError(w, "Paramètre date_fin non supérieur à date_debut")
			return
		}
		to = t
	}
	etat := strings.ToUpper(strings.TrimSpace(r.FormValue("etat_caddy")))
	if etat != "" && etat != "V" && etat != "A" {
		writeXMLError(w, "Paramètre etat_caddy invalide (V ou A)")
		return
	}
	end := to.AddDate(0, 0, 1) // date_fin is inclusive
	s.mu.Lock()
	defer s.mu.Unlock()
	var b xw
	b.open("xmlrequest")
	for _, o := range s.orders {
		if o.sold.Before(from) || !o.sold.Before(end) || (etat == "V" && !o.paid) || (etat == "A" && o.paid) {
			continue
		}
		b.open("caddy")
		b.el("id", o.id)
		b.el("x_rsi_option", "")
		b.open("contact")
		if c := s.contactByID[o.contact]; c != nil {
			b.el("nom", c.nom)
			b.el("prenom", c.prenom)
			b.el("email", c.mail)
		} else {
			b.el("nom", "")
			b.el("prenom", "")
			b.el("email", "")
		}
		b.close("contact")
		writeTransaction(&b, o)
		b.close("caddy")
	}
	b.close("xmlrequest")
	writeUTF8(w, b.String())
}

func (s *Server) infoTelechargement(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	se, c := s.withSession(w, r, true)
	if se == nil {
		return
	}
	down, notDown := []map[string]any{}, []map[string]any{}
	entry := func(o *order, t ticket, typ int) {
		rm, st := s.roomOf(t.perf)
		e := map[string]any{
			"Code_rep": json.Number(t.perf.id), "num_detail": strconv.Itoa(t.detail), "texte": t.perf.show.title,
			"prix": euros(t.price + t.frais), "id_detail": t.detail, "libelle": categories[t.categ],
			"Num_Spectacle": json.Number(t.perf.show.id), "Nom_pour_Billet": c.prenom + " " + c.nom,
			"billet_at_home": 0, "Zone_Tarifaire": zones[t.zone], "Numero_de_place": t.seat, "Acces": "Entrée principale",
			"Ville": st.city, "statut": 100, "Emplacement": rm.name, "Numerote": true, "DTSTART": vendorDate(t.perf.at),
			"commande": o.id, "spectacle": t.perf.show.title, "type": typ, "lien": "", "qrcode": "",
		}
		// The fields the spec added in V20_04_03_049 and V20_05_06.
		title := t.perf.show.title
		e["texte"] = title + " " + t.perf.at.Format("02/01/2006 15:04") + " " + decimalComma(t.price+t.frais) + " €"
		e["DTEND"], e["representation"], e["nature"] = vendorDate(t.perf.at.Add(hms(t.perf.duration))), title, "Représentation"
		e["id_salle"], e["salle_zone"], e["Zonee"], e["statut_justificatif"] = json.Number(rm.id), rm.name+" - "+zones[t.zone], "Niveau 1", 0
		if t.eticket {
			e["billet_at_home"], e["statut"] = 2, 0
			e["lien"] = base + "/impression?billet=" + strconv.Itoa(t.detail)
			e["qrcode"] = "GUICHET-" + strconv.Itoa(t.detail)
			down = append(down, e)
		} else {
			notDown = append(notDown, e)
		}
	}
	for _, o := range s.ordersOf(c.id, true) {
		for _, cd := range o.cards {
			var future []ticket
			for _, t := range cd.tickets {
				if t.perf.at.After(now) {
					future = append(future, t)
				}
			}
			if len(future) == 0 {
				continue
			}
			down = append(down, map[string]any{
				"Code_rep": 0, "num_detail": strconv.Itoa(cd.detail), "texte": cd.label, "prix": euros(cd.price),
				"id_detail": cd.detail, "libelle": cd.label, "Num_Spectacle": 0, "Nom_pour_Billet": c.prenom + " " + c.nom,
				"billet_at_home": 2, "Zone_Tarifaire": "", "Numero_de_place": "", "Acces": "", "Ville": "", "statut": 0,
				"Emplacement": "", "Numerote": false, "DTSTART": "", "commande": o.id, "spectacle": "", "type": 1,
				"lien": base + "/impression?billet=" + strconv.Itoa(cd.detail), "qrcode": "GUICHET-" + strconv.Itoa(cd.detail),
			})
			for _, t := range future {
				entry(o, t, 2)
			}
		}
		for _, t := range o.tickets {
			if t.perf.at.After(now) {
				entry(o, t, 3)
			}
		}
	}
	// str_qrcode is the spec's name of the access-control string, qrcode
	// wire.md's: both carry it.
	for _, l := range [][]map[string]any{down, notDown} {
		for _, e := range l {
			e["str_qrcode"] = e["qrcode"]
		}
	}
	writeJSON(w, map[string]any{"retour": map[string]any{
		"code": 102, "traitement": "ok", "message": "Traitement effectué",
		"liste_telechargement": down, "liste_non_telechargeable": notDown,
	}})
}

// hms reads a REP_DUREE-style "hh:mm:ss" duration (0 when malformed).
func hms(v string) time.Duration {
	var h, m, sec int
	if _, err := fmt.Sscanf(v, "%d:%d:%d", &h, &m, &sec); err != nil {
		return 0
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second
}
