package billetterie

import (
	"net/http"
	"strings"
	"time"
)

// fluxFilter is the optional filtre=1 selection of the catalogue services:
// date_modif keeps what changed since a day, date_debut+date_fin the shows
// playing in a range of days (both ends inclusive).
type fluxFilter struct {
	byMod, byRange bool
	modSince       time.Time
	from, to       time.Time // to is exclusive: the day after date_fin
}

// parseFluxFilter reads filtre, date_modif, date_debut and date_fin; msg is
// the ERREUR text when they are inconsistent.
func parseFluxFilter(r *http.Request, loc *time.Location) (f fluxFilter, msg string) {
	filtre := strings.TrimSpace(r.FormValue("filtre"))
	if filtre != "" && filtre != "0" && filtre != "1" {
		return f, "Valeur de filtre invalide"
	}
	mod := strings.TrimSpace(r.FormValue("date_modif"))
	d, e := strings.TrimSpace(r.FormValue("date_debut")), strings.TrimSpace(r.FormValue("date_fin"))
	if filtre == "1" && mod == "" && d == "" && e == "" {
		return f, "Filtre sans date : date_modif ou date_debut/date_fin attendus"
	}
	if mod != "" {
		t, ok := parseFluxDay(mod, loc)
		if !ok {
			return f, "Paramètre date_modif invalide (AAAAMMJJ)"
		}
		f.modSince, f.byMod = t, true
	}
	if d != "" || e != "" {
		from, okd := parseFluxDay(d, loc)
		to, oke := parseFluxDay(e, loc)
		if !okd || !oke || to.Before(from) {
			return f, "Paramètres date_debut/date_fin invalides"
		}
		f.from, f.to, f.byRange = from, to.AddDate(0, 0, 1), true
	}
	return f, ""
}

// perfsOf returns the performances of sh the filter keeps, and whether the
// show is kept at all.
func (f fluxFilter) perfsOf(sh *show) ([]*perf, bool) {
	if f.byMod && sh.modified.Before(f.modSince) {
		return nil, false
	}
	if !f.byRange {
		return sh.perfs, true
	}
	var out []*perf
	for _, p := range sh.perfs {
		if !p.at.Before(f.from) && p.at.Before(f.to) {
			out = append(out, p)
		}
	}
	return out, len(out) > 0
}

// writeShows writes the SPECTACLES section the filter keeps.
func (s *Server) writeShows(b *xw, f fluxFilter) {
	b.open("SPECTACLES")
	for _, sh := range s.shows {
		if perfs, keep := f.perfsOf(sh); keep {
			s.writeShow(b, sh, perfs, false)
		}
	}
	b.close("SPECTACLES")
}

// catSpectacle is ws_cat_spectacle: ws_programmation without the passes and
// articles (rooms and grids stay, since performances refer to them).
func (s *Server) catSpectacle(w http.ResponseWriter, r *http.Request) {
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
	b.close(fluxRoot)
	writeLatin1(w, b.String())
}

// The pass and article services share one shape: the whole section, or with
// the id parameter a single entry (unknown → the spec's 102/302 message in an
// ERREUR document).
func (s *Server) catAbonnement(w http.ResponseWriter, r *http.Request) { s.servePasses(w, r, false) }
func (s *Server) detAbonnement(w http.ResponseWriter, r *http.Request) { s.servePasses(w, r, true) }
func (s *Server) catArticle(w http.ResponseWriter, r *http.Request)    { s.serveItems(w, r, false) }
func (s *Server) detArticle(w http.ResponseWriter, r *http.Request)    { s.serveItems(w, r, true) }

func (s *Server) servePasses(w http.ResponseWriter, r *http.Request, one bool) {
	if !s.credsOKXML(w, r, true) {
		return
	}
	id := strings.TrimSpace(r.FormValue("id_abonnement"))
	if one && id == "" {
		writeFluxError(w, "Paramètre manquant : id_abonnement")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var b xw
	b.open(fluxRoot)
	b.open("ABONNEMENTS")
	found := false
	for _, p := range s.passes {
		if !one || p.id == id {
			writePass(&b, p)
			found = true
		}
	}
	if one && !found {
		writeFluxError(w, vendorMsg(102))
		return
	}
	b.close("ABONNEMENTS")
	b.close(fluxRoot)
	writeLatin1(w, b.String())
}

func (s *Server) serveItems(w http.ResponseWriter, r *http.Request, one bool) {
	if !s.credsOKXML(w, r, true) {
		return
	}
	id := strings.TrimSpace(r.FormValue("id_article"))
	if one && id == "" {
		writeFluxError(w, "Paramètre manquant : id_article")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var b xw
	b.open(fluxRoot)
	b.open(fluxArticles)
	found := false
	for _, it := range s.items {
		if !one || it.id == id {
			writeItem(&b, it)
			found = true
		}
	}
	if one && !found {
		writeFluxError(w, vendorMsg(302))
		return
	}
	b.close(fluxArticles)
	b.close(fluxRoot)
	writeLatin1(w, b.String())
}

func writePass(b *xw, p pass) {
	b.tag("ABONNEMENT", true, "IDENT", p.id, passNom, p.name, passType, p.typ, passPrix, decimalComma(p.price),
		passCatWeb, p.catWeb, passCatSecUn, p.catSecUn, passCatSecDeux, p.catSecDeux, passCodeRegroup, p.codeRegroup)
}

func writeItem(b *xw, it item) {
	gift := "0"
	if it.gift {
		gift = "1"
	}
	b.tag(fluxArticle, true, articleIdent, it.id, articleNom, it.name, articleFamille, it.family, articlePrix, decimalComma(it.price), articleBonCadeau, gift)
}
