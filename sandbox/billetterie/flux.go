package billetterie

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseFluxDay accepts YYYYMMDD and dd/mm/yyyy.
func parseFluxDay(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{"20060102", "02/01/2006", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// writeHeader writes SALLES and GRILLES, which every flux carries.
func (s *Server) writeVenues(b *xw) {
	b.open(fluxSalles)
	for _, st := range s.sites {
		b.tag("SALLE", true, "SALLE_ID", st.id, "SALLE_MERE_ID", "", salleNom, st.name, salleVille, st.city, salleAdresse, st.address)
	}
	for _, rm := range s.rooms {
		b.tag("SALLE", true, "SALLE_ID", rm.id, "SALLE_MERE_ID", rm.siteID, salleNom, rm.name, salleVille, "", salleAdresse, rm.address)
	}
	b.close(fluxSalles)
	b.open(fluxGrilles)
	for _, g := range s.grids {
		b.open("GRILLE")
		b.el("libelle", g.label)
		b.el("libelle_web", g.label+" WEB")
		for c, cat := range categories {
			b.tag("CATEGORIE_PUBLIQUE", false, labelAttr, cat)
			for z, zn := range zones {
				b.tag("ZONE", false, labelAttr, zn)
				b.tag(priceCell, false, "FRAIS", decimalComma(g.frais))
				b.esc(decimalComma(g.prices[c][z]))
				b.close(priceCell)
				b.close("ZONE")
			}
			b.close("CATEGORIE_PUBLIQUE")
		}
		b.close("GRILLE")
	}
	b.close(fluxGrilles)
}

// writeShow writes one SPECTACLE with the given performances; withDispo adds
// REP_DISPO (the detail services only).
func (s *Server) writeShow(b *xw, sh *show, perfs []*perf, withDispo bool) {
	b.tag("SPECTACLE", false, "IDENT", sh.id, "NOM", sh.title)
	b.el("TITRE_LIBRE1", "")
	b.el("TITRE_LIBRE2", sh.subtitle)
	b.el("CHAMP_LIBRE1", "")
	b.el("CHAMP_LIBRE2", sh.festival)
	b.el("TYPE", sh.typ)
	b.el(showCategorieWeb, sh.catWeb)
	b.el(showDescription, sh.desc)
	b.el("TS_MODIF", sh.modified.Format(tsModifLayout))
	b.open("REPRESENTATIONS")
	for _, p := range perfs {
		g := s.grids[p.grid].label
		kv := []string{repIdent, p.id, "REP_DATE", p.at.Format("02/01/2006"), "REP_HEURE", p.at.Format("15:04:05"),
			"REP_DUREE", p.duration, "REP_SALLE", p.room, "REP_GRILLE", g, "REP_GRILLE_WEB", g + " WEB"}
		if withDispo {
			kv = append(kv, "REP_DISPO", strconv.Itoa(p.seats))
		}
		b.tag("REPRESENTATION", true, kv...)
	}
	b.close("REPRESENTATIONS")
	b.close("SPECTACLE")
}

func (s *Server) writeProducts(b *xw) {
	b.open("ABONNEMENTS")
	for _, p := range s.passes {
		writePass(b, p)
	}
	b.close("ABONNEMENTS")
	b.open(fluxArticles)
	for _, it := range s.items {
		writeItem(b, it)
	}
	b.close(fluxArticles)
}

func (s *Server) programmation(w http.ResponseWriter, r *http.Request) {
	if !s.credsOKXML(w, r, true) {
		return
	}
	f, msg := parseFluxFilter(r, s.now().Location())
	if msg != "" {
		writeFluxError(w, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var b xw
	b.open(fluxRoot)
	s.writeVenues(&b)
	s.writeShows(&b, f)
	s.writeProducts(&b)
	b.close(fluxRoot)
	writeLatin1(w, b.String())
}

func (s *Server) detRepresentation(w http.ResponseWriter, r *http.Request) {
	if !s.credsOKXML(w, r, true) {
		return
	}
	id := strings.TrimSpace(r.FormValue("id_representation"))
	if id == "" {
		writeFluxError(w, "Paramètre manquant : id_representation")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.perfByID[id]
	if p == nil {
		writeFluxError(w, vendorMsg(204))
		return
	}
	var b xw
	b.open(fluxRoot)
	s.writeVenues(&b)
	b.open("SPECTACLES")
	s.writeShow(&b, p.show, []*perf{p}, true)
	b.close("SPECTACLES")
	b.close(fluxRoot)
	writeLatin1(w, b.String())
}

func (s *Server) detSpectacle(w http.ResponseWriter, r *http.Request) {
	if !s.credsOKXML(w, r, true) {
		return
	}
	id := strings.TrimSpace(r.FormValue("id_spectacle"))
	if id == "" {
		writeFluxError(w, "Paramètre manquant : id_spectacle")
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := s.showByID[id]
	if sh == nil {
		writeFluxError(w, vendorMsg(202))
		return
	}
	var future []*perf
	for _, p := range sh.perfs {
		if p.at.After(now) {
			future = append(future, p)
		}
	}
	var b xw
	b.open(fluxRoot)
	s.writeVenues(&b)
	b.open("SPECTACLES")
	s.writeShow(&b, sh, future, true)
	b.close("SPECTACLES")
	b.close(fluxRoot)
	writeLatin1(w, b.String())
}
