package billetterie

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// seasonCard is the pass the seeded season cards were sold as: its
// categories are what ws_historique_contact's filters compare, and its credit
// (4 shows) the cards' credit.
var seasonCard = passSeeds[0]

// cardCredit is how many performances a season card entitles to.
const cardCredit = 4

// isoUTC is the card dates' format: the Paris day's midnight in UTC with
// milliseconds, as in the spec's "2021-01-17T23:00:00.000Z".
func isoUTC(t time.Time) string {
	t = t.In(paris)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, paris)
	return d.UTC().Format("2006-01-02T15:04:05.000Z")
}

// historiqueContact is ws_historique_contact: the logged-in visitor's cards.
// Its envelope carries no statut object: {"retour":{"historique":[…],
// "traitement":"ok","message":"traitement réalisé"}}.
func (s *Server) historiqueContact(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	se, c := s.withSession(w, r, true)
	if se == nil {
		return
	}
	if r.FormValue("filtre") == "1" {
		cats := map[string]string{"categorie": seasonCard.catWeb, "categ_sec_un": seasonCard.catSecUn,
			"categ_sec_deux": seasonCard.catSecDeux, "code_regroup": seasonCard.codeRegroup}
		for k, v := range cats {
			if want := strings.TrimSpace(r.FormValue(k)); want != "" && !strings.EqualFold(want, v) {
				writeJSON(w, map[string]any{"retour": map[string]any{"historique": []any{}, "traitement": "ok", "message": "traitement réalisé"}})
				return
			}
		}
	}
	start := seasonStart(now)
	end := time.Date(start.Year()+1, time.June, 30, 0, 0, 0, 0, paris)
	cards := []map[string]any{}
	for _, o := range s.ordersOf(c.id, true) {
		for _, cd := range o.cards {
			used := 0
			billets := []map[string]any{}
			for _, t := range cd.tickets {
				if t.perf.at.Before(now) {
					used++
				}
				rm, _ := s.roomOf(t.perf)
				billets = append(billets, map[string]any{
					"dateheure": vendorDate(t.perf.at), "id_carte": cd.detail, "Id_rep": json.Number(t.perf.id),
					"id_spectacle": json.Number(t.perf.show.id), "salle_nom": rm.name, "spectacle": t.perf.show.title,
				})
			}
			// Only paid orders count (ordersOf), so every card listed is valid.
			solde := cardCredit - used
			cards = append(cards, map[string]any{
				"active": now.Before(end) && solde > 0, "consommation": used, "credit": cardCredit,
				"date_achat": isoUTC(o.sold), "end": isoUTC(end), "id": cd.detail, "id_categ": 10001442,
				"libelle": cd.label, "liste_billets": billets, "prix": euros(cd.price), "renouveler_la_carte": 1,
				"saison": start.Year() - 1988, "solde": solde, "start": isoUTC(start), "type_saison": "TH", "valide": true,
			})
		}
	}
	writeJSON(w, map[string]any{"retour": map[string]any{"historique": cards, "traitement": "ok", "message": "traitement réalisé"}})
}
