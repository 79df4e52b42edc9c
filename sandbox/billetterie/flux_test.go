package billetterie

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

type fluxDoc struct {
	XMLName xml.Name `xml:"PROGRAMMATION"`
	Erreur  *struct {
		Message string `xml:"MESSAGE"`
	} `xml:"ERREUR"`
	Salles []struct {
		ID   string `xml:"SALLE_ID,attr"`
		Mere string `xml:"SALLE_MERE_ID,attr"`
		Nom  string `xml:"NOM,attr"`
	} `xml:"SALLES>SALLE"`
	Grilles []struct {
		Libelle string `xml:"libelle"`
	} `xml:"GRILLES>GRILLE"`
	Spectacles []struct {
		ID      string `xml:"IDENT,attr"`
		Nom     string `xml:"NOM,attr"`
		TSModif string `xml:"TS_MODIF"`
		Reps    []struct {
			ID    string `xml:"IDENT,attr"`
			Date  string `xml:"REP_DATE,attr"`
			Heure string `xml:"REP_HEURE,attr"`
			Dispo *int   `xml:"REP_DISPO,attr"`
		} `xml:"REPRESENTATIONS>REPRESENTATION"`
	} `xml:"SPECTACLES>SPECTACLE"`
	Abonnements []struct {
		ID string `xml:"IDENT,attr"`
	} `xml:"ABONNEMENTS>ABONNEMENT"`
	Articles []struct {
		ID string `xml:"IDENT,attr"`
	} `xml:"ARTICLES>ARTICLE"`
}

func parseFlux(t *testing.T, body []byte) fluxDoc {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if !strings.EqualFold(label, "ISO-8859-1") {
			return nil, fmt.Errorf("charset %q", label)
		}
		return charmap.ISO8859_1.NewDecoder().Reader(in), nil
	}
	var doc fluxDoc
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("flux: %v in %.200s", err, body)
	}
	return doc
}

func (e *env) flux(service string, kv ...string) fluxDoc {
	e.t.Helper()
	code, body := e.post(service, e.creds(kv...))
	if code != 200 {
		e.t.Fatalf("%s: HTTP %d", service, code)
	}
	return parseFlux(e.t, body)
}

func TestProgrammationCatalogue(t *testing.T) {
	e := newEnv(t)
	doc := e.flux("ws_programmation")
	if doc.Erreur != nil {
		t.Fatal(doc.Erreur.Message)
	}
	sites := 0
	for _, s := range doc.Salles {
		if s.Mere == "" {
			sites++
		}
	}
	if sites != 5 || len(doc.Salles) != 15 || len(doc.Grilles) != 4 || len(doc.Abonnements) != 4 || len(doc.Articles) != 6 {
		t.Fatalf("sites %d salles %d grilles %d abos %d articles %d", sites, len(doc.Salles), len(doc.Grilles), len(doc.Abonnements), len(doc.Articles))
	}
	ids := e.srv.ShowIDs()
	if len(doc.Spectacles) != len(ids) {
		t.Fatalf("flux has %d shows, ShowIDs %d", len(doc.Spectacles), len(ids))
	}
	reps := 0
	for i, sp := range doc.Spectacles {
		if sp.ID != ids[i] || sp.Nom != e.srv.ShowTitle(sp.ID) {
			t.Fatalf("show %d: %s %q", i, sp.ID, sp.Nom)
		}
		for _, r := range sp.Reps {
			if r.Dispo != nil {
				t.Fatal("REP_DISPO belongs to the detail services only")
			}
		}
		reps += len(sp.Reps)
	}
	if reps < 300 {
		t.Fatalf("performances = %d", reps)
	}
	if got := e.srv.ShowTitle(ids[1]); got != "Bérénice" {
		t.Fatalf("ShowTitle(%s) = %q", ids[1], got)
	}
}

func TestProgrammationDateModif(t *testing.T) {
	e := newEnv(t)
	all := e.flux("ws_programmation")
	day := testNow.AddDate(0, 0, -20).Format("2006-01-02")
	want := map[string]bool{}
	for _, sp := range all.Spectacles {
		if sp.TSModif >= day {
			want[sp.ID] = true
		}
	}
	if len(want) == 0 || len(want) == len(all.Spectacles) {
		t.Fatalf("seed should modify some but not all shows in the last 20 days: %d", len(want))
	}
	param := testNow.AddDate(0, 0, -20).Format("20060102")
	got := e.flux("ws_programmation", "filtre", "1", "date_modif", param)
	if len(got.Salles) != 15 || len(got.Grilles) != 4 {
		t.Fatal("filtered flux must still carry SALLES and GRILLES")
	}
	if len(got.Spectacles) != len(want) {
		t.Fatalf("filtered %d shows, want %d", len(got.Spectacles), len(want))
	}
	for _, sp := range got.Spectacles {
		if !want[sp.ID] {
			t.Fatalf("show %s (TS_MODIF %s) not modified since %s", sp.ID, sp.TSModif, day)
		}
	}
	// TouchShow brings an old show into the filter.
	var old string
	for _, sp := range all.Spectacles {
		if !want[sp.ID] {
			old = sp.ID
			break
		}
	}
	e.clk.Add(time.Hour)
	e.srv.TouchShow(old)
	got = e.flux("ws_programmation", "filtre", "1", "date_modif", testNow.Format("20060102"))
	found := false
	for _, sp := range got.Spectacles {
		found = found || sp.ID == old
	}
	if !found {
		t.Fatalf("touched show %s missing from date_modif=today", old)
	}
	// Bad filters answer the ERREUR document with HTTP 200.
	for _, kv := range [][]string{{"filtre", "1"}, {"filtre", "1", "date_modif", "2026-13-45x"}, {"filtre", "9"}} {
		if d := e.flux("ws_programmation", kv...); d.Erreur == nil || d.Erreur.Message == "" {
			t.Fatalf("%v: no ERREUR", kv)
		}
	}
}

func TestProgrammationDateRange(t *testing.T) {
	e := newEnv(t)
	got := e.flux("ws_programmation", "date_debut", "01/12/2026", "date_fin", "31/12/2026")
	if len(got.Spectacles) == 0 {
		t.Fatal("no show in December")
	}
	for _, sp := range got.Spectacles {
		for _, r := range sp.Reps {
			if !strings.HasSuffix(r.Date, "/12/2026") {
				t.Fatalf("show %s performance on %s outside range", sp.ID, r.Date)
			}
		}
	}
}

func TestDetSpectacleFutureWithDispo(t *testing.T) {
	e := newEnv(t)
	all := e.flux("ws_programmation")
	dropped := false
	for _, sp := range all.Spectacles {
		var future []string
		for _, r := range sp.Reps {
			at, err := time.ParseInLocation("02/01/2006 15:04:05", r.Date+" "+r.Heure, paris)
			if err != nil {
				t.Fatal(err)
			}
			if at.After(testNow) {
				future = append(future, r.ID)
			}
		}
		det := e.flux("ws_det_spectacle", "id_spectacle", sp.ID)
		if len(det.Spectacles) != 1 {
			t.Fatalf("det_spectacle %s: %d shows", sp.ID, len(det.Spectacles))
		}
		reps := det.Spectacles[0].Reps
		if len(reps) != len(future) {
			t.Fatalf("show %s: %d performances, want %d future", sp.ID, len(reps), len(future))
		}
		for i, r := range reps {
			if r.ID != future[i] || r.Dispo == nil {
				t.Fatalf("show %s rep %s: want %s with REP_DISPO", sp.ID, r.ID, future[i])
			}
		}
		dropped = dropped || len(future) < len(sp.Reps)
	}
	if !dropped {
		t.Fatal("no show had a past performance: the test proves nothing")
	}
	e.srv.SetSeatsLeft("50010", 7)
	det := e.flux("ws_det_representation", "id_representation", "50010")
	if len(det.Spectacles) != 1 || len(det.Spectacles[0].Reps) != 1 || *det.Spectacles[0].Reps[0].Dispo != 7 {
		t.Fatalf("det_representation: %+v", det.Spectacles)
	}
	if d := e.flux("ws_det_representation", "id_representation", "50009"); *d.Spectacles[0].Reps[0].Dispo != 0 {
		t.Fatal("every 9th performance is sold out")
	}
	if d := e.flux("ws_det_spectacle", "id_spectacle", "999"); d.Erreur == nil {
		t.Fatal("unknown show: no ERREUR")
	}
}
