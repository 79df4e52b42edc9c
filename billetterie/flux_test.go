package billetterie

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/guichet/guichet/errs"
)

func TestFluxLatin1DecimalCommasParisTime(t *testing.T) {
	f, err := Collect(bytes.NewReader(read(t, "flux_latin1.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Salles) != 1 || f.Salles[0].Nom != "Théâtre" || f.Salles[0].ID != "12" || f.Salles[0].MereID != "3" {
		t.Fatalf("salles %+v", f.Salles)
	}
	g := f.Grilles[0]
	if g.Libelle != "TARIF A" || g.LibelleWeb != "TARIF A WEB" || len(g.Tarifs) != 1 || g.Tarifs[0].Prix != 2200 || g.Tarifs[0].Frais != 150 ||
		g.Tarifs[0].Categorie != "Plein" || g.Tarifs[0].Zone != "Z1" {
		t.Fatalf("grille %+v", g)
	}
	s := f.Spectacles[0]
	if s.Ident != "1234" || s.Nom != "Titre été" || s.TitreLibre2 != "Sous-titre" || s.Type != "THEATRE" || len(s.Representations) != 1 ||
		!s.TSModif.Equal(time.Date(2025, 11, 10, 14, 32, 0, 0, Paris)) {
		t.Fatalf("spectacle %+v", s)
	}
	r := s.Representations[0]
	if r.Debut.Format(time.RFC3339) != "2026-06-21T21:30:00+02:00" || r.Duree != 90*time.Minute || r.Dispo != 0 || r.Ident != "9" ||
		r.Salle != "12" || r.Grille != "TARIF A" || r.GrilleWeb != "TARIF A WEB" {
		t.Fatalf("representation %+v", r)
	}
	if len(f.Abonnements) != 1 || f.Abonnements[0].Ident != "7" {
		t.Fatalf("abonnements %+v", f.Abonnements)
	}
	golden(t, "flux_latin1", f)
}

func TestFluxWindows1252AnyDepthUnknownElements(t *testing.T) {
	doc := `<?xml version="1.0" encoding="windows-1252"?>
<CATALOGUE><SAISON><X><Y><SALLE SALLE_ID="5" NOM="Salle Œuvre"/></Y></X>
<BLOC><GRILLE><libelle>B</libelle><CATEGORIE_PUBLIQUE LIBELLE="Réduit"><ZONE LIBELLE="1"><PRIX FRAIS="0,75">9,5</PRIX><PRIX FRAIS="">12</PRIX></ZONE></CATEGORIE_PUBLIQUE></GRILLE></BLOC>
<NOUVEAU attr="x"><SPECTACLE IDENT="77" NOM="Cœur – 5 €"><CATEGORIE_WEB>Jeune public</CATEGORIE_WEB><CATEGORIE_SECONDAIRE_UN>Danse</CATEGORIE_SECONDAIRE_UN>
<AUTRE><REPRESENTATION IDENT="501" REP_DATE="15/01/2027" REP_HEURE="20:00:00" REP_DISPO="42"/></AUTRE></SPECTACLE></NOUVEAU>
<ABONNEMENT IDENT="3" NOM="Abonnement 3 spectacles" TYPE="ADHESION" PRIX="120,50"><DETAIL/></ABONNEMENT>
<ARTICLE IDENT="16" NOM="Bon cadeau" FAMILLE="Bon cadeaux" PRIX="15,00" BON_CADEAU="1"/></SAISON></CATALOGUE>`
	enc, err := charmap.Windows1252.NewEncoder().String(doc)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Collect(strings.NewReader(enc))
	if err != nil {
		t.Fatal(err)
	}
	if f.Salles[0].Nom != "Salle Œuvre" || f.Spectacles[0].Nom != "Cœur – 5 €" || f.Spectacles[0].CategorieWeb != "Jeune public" ||
		len(f.Spectacles[0].CategoriesSecondaires) != 1 {
		t.Fatalf("text %+v %+v", f.Salles, f.Spectacles)
	}
	if tf := f.Grilles[0].Tarifs; len(tf) != 2 || tf[0].Prix != 950 || tf[0].Frais != 75 || tf[1].Prix != 1200 || tf[1].Frais != 0 || tf[0].Categorie != "Réduit" {
		t.Fatalf("tarifs %+v", tf)
	}
	r := f.Spectacles[0].Representations[0]
	if r.Debut.Format(time.RFC3339) != "2027-01-15T20:00:00+01:00" || r.Dispo != 42 || r.Ident != "501" {
		t.Fatalf("winter time %+v", r)
	}
	if a := f.Abonnements[0]; a.Prix != 12050 || a.Type != "ADHESION" || a.Nom != "Abonnement 3 spectacles" {
		t.Fatalf("abonnement %+v", a)
	}
	if a := f.Articles[0]; a.Prix != 1500 || !a.BonCadeau || a.Famille != "Bon cadeaux" {
		t.Fatalf("article %+v", a)
	}
}

func TestFluxErrors(t *testing.T) {
	_, err := Collect(strings.NewReader(`<?xml version="1.0" encoding="ISO-8859-1"?><PROGRAMMATION><ERREUR><MESSAGE>Client inconnu</MESSAGE></ERREUR></PROGRAMMATION>`))
	var doc *ErrorDocument
	if !errors.As(err, &doc) || doc.Message != "Client inconnu" {
		t.Fatalf("error document: %v", err)
	}
	for _, bad := range []string{`<ROOT><SPECTACLE IDENT="1"><REPRESENTATION REP_DATE="31/02/2026"/></SPECTACLE></ROOT>`,
		`<ROOT><GRILLE><CATEGORIE_PUBLIQUE><ZONE><TARIF>abc</TARIF></ZONE></CATEGORIE_PUBLIQUE></GRILLE></ROOT>`,
		`<?xml version="1.0" encoding="EBCDIC-XYZ"?><ROOT/>`, `<ROOT><SPECTACLE>`, `not xml`} {
		if _, err := Collect(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	s := newSite(t, map[string][]byte{
		"ws_programmation": []byte(`<?xml version="1.0"?><ROOT><ERREUR><MESSAGE>Le site est actuellement en maintenance</MESSAGE></ERREUR></ROOT>`),
		"ws_cat_spectacle": []byte(`<ROOT><ERREUR><MESSAGE>Accès web service refusé</MESSAGE></ERREUR></ROOT>`),
		"ws_det_achat":     []byte(`<ERREUR><MESSAGE>Commande inconnue</MESSAGE></ERREUR>`),
	})
	c := s.client(t, nil)
	ctx := context.Background()
	if _, err := c.Programmation(ctx, ProgrammationFilter{}); !errs.Is(errs.Unavailable, err) || !strings.Contains(err.Error(), "maintenance") {
		t.Fatalf("maintenance: %v", err)
	}
	if _, err := c.CatSpectacle(ctx, ProgrammationFilter{}); !errs.Is(errs.UpstreamAuth, err) {
		t.Fatalf("credentials: %v", err)
	}
	if _, err := c.DetAchat(ctx, "1"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("unknown order: %v", err)
	}
	stop := errors.New("enough")
	s.bodies["ws_programmation"] = read(t, "flux_latin1.xml")
	if err := c.StreamProgrammation(ctx, ProgrammationFilter{}, func(Item) error { return stop }); err != stop {
		t.Fatalf("callback error not returned as is: %v", err)
	}
}

func TestFluxIterator(t *testing.T) {
	n := 0
	for it, err := range FluxItems(bytes.NewReader(read(t, "flux_latin1.xml"))) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 2 {
			if it.Grille == nil {
				t.Fatalf("second item %+v", it)
			}
			break
		}
	}
	var last error
	for _, err := range FluxItems(strings.NewReader(`<ROOT><SALLE SALLE_ID="1"/><broken`)) {
		last = err
	}
	if last == nil {
		t.Fatal("parse error not yielded")
	}
}

// fluxGen writes a synthetic catalogue flux of n shows lazily, so a test can
// stream tens of megabytes without holding them.
type fluxGen struct {
	n, i int
	buf  bytes.Buffer
	done bool
}

func (g *fluxGen) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && !g.done {
		switch {
		case g.i == 0:
			g.buf.WriteString(`<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n<PROGRAMMATION><SALLES>")
			for s := 0; s < 20; s++ {
				fmt.Fprintf(&g.buf, `<SALLE SALLE_ID="%d" SALLE_MERE_ID="1" NOM="Salle %d"/>`, 100+s, s)
			}
			g.buf.WriteString(`</SALLES><GRILLES><GRILLE><libelle>TARIF A</libelle><CATEGORIE_PUBLIQUE LIBELLE="Plein"><ZONE LIBELLE="1"><TARIF FRAIS="1,50">22,00</TARIF></ZONE></CATEGORIE_PUBLIQUE></GRILLE></GRILLES><SPECTACLES>`)
			g.i++
		case g.i <= g.n:
			fmt.Fprintf(&g.buf, `<SPECTACLE IDENT="%d" NOM="Spectacle n°%d"><TITRE_LIBRE2>Sous-titre</TITRE_LIBRE2><TYPE>THEATRE</TYPE>`+
				`<DESCRIPTION>%s</DESCRIPTION><TS_MODIF>2026-10-01 12:00:00</TS_MODIF><REPRESENTATIONS>`, g.i, g.i, strings.Repeat("Une description. ", 12))
			for r := 0; r < 10; r++ {
				fmt.Fprintf(&g.buf, `<REPRESENTATION IDENT="%d" REP_DATE="%02d/%02d/2027" REP_HEURE="20:30:00" REP_DUREE="01:30:00" REP_SALLE="%d" REP_GRILLE="TARIF A"/>`,
					g.i*100+r, 1+r, 1+g.i%12, 100+r)
			}
			g.buf.WriteString(`</REPRESENTATIONS></SPECTACLE>`)
			g.i++
		default:
			g.buf.WriteString(`</SPECTACLES></PROGRAMMATION>`)
			g.done = true
		}
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	return g.buf.Read(p)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// A ~50 MB flux is parsed with the heap staying far below its size.
func TestFluxFiftyMegabytesBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB flux: skipped with -short")
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	src := &countingReader{r: &fluxGen{n: 28500}}
	var peak uint64
	shows, reps := 0, 0
	err := ParseFlux(src, func(it Item) error {
		if it.Spectacle != nil {
			shows++
			reps += len(it.Spectacle.Representations)
			if shows%500 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if shows != 28500 || reps != 285000 || src.n < 45<<20 {
		t.Fatalf("shows %d reps %d bytes %d", shows, reps, src.n)
	}
	growth := int64(peak) - int64(base)
	t.Logf("flux %d MB, heap in use grew by at most %d KB", src.n>>20, growth>>10)
	if growth > 16<<20 {
		t.Fatalf("heap grew by %d MB while streaming %d MB", growth>>20, src.n>>20)
	}
}

func BenchmarkParseFlux(b *testing.B) {
	var doc bytes.Buffer
	io.Copy(&doc, &fluxGen{n: 2500}) // ~5 MB
	b.SetBytes(int64(doc.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		if err := ParseFlux(bytes.NewReader(doc.Bytes()), func(Item) error { n++; return nil }); err != nil || n != 2521 {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkCollectFlux(b *testing.B) {
	var doc bytes.Buffer
	io.Copy(&doc, &fluxGen{n: 2500})
	b.SetBytes(int64(doc.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Collect(bytes.NewReader(doc.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
