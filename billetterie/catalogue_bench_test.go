package billetterie_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/catalogue"
	sandbox "github.com/guichet/guichet/sandbox/billetterie"
)

const (
	benchShows        = 5000
	benchPerfsPerShow = 10 // 50,000 performances
)

var (
	fluxOnce  sync.Once
	fluxBytes []byte
	fluxErr   error
)

// syntheticFlux is a ws_programmation flux of 5,000 shows and 50,000
// performances, made from the simulator's own document (so it follows the
// names the parser expects) with its first show repeated under new ids.
func syntheticFlux(b *testing.B) []byte {
	fluxOnce.Do(func() {
		cfg := sandbox.DefaultConfig()
		srv := sandbox.New(cfg)
		form := url.Values{"x_rsi_ws_login": {cfg.Login}, "x_rsi_ws_mdp": {cfg.Password}, "x_rsi_client": {cfg.Client}}
		req := httptest.NewRequest("POST", "/ws_programmation", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		doc := rec.Body.String() // ISO-8859-1 bytes; only ASCII is rewritten
		i, j := strings.Index(doc, "<SPECTACLE "), strings.Index(doc, "</SPECTACLES>")
		if i < 0 || j < 0 {
			fluxErr = fmt.Errorf("unexpected flux from the simulator: %.200q", doc)
			return
		}
		show := doc[i : strings.Index(doc[i:], "</SPECTACLE>")+i+len("</SPECTACLE>")]
		ri := strings.Index(show, "<REPRESENTATION ")
		re := strings.Index(show[ri:], "/>") + ri + 2
		rep := show[ri:re]
		head, tail := show[:strings.Index(show, "<REPRESENTATIONS>")+len("<REPRESENTATIONS>")], show[strings.Index(show, "</REPRESENTATIONS>"):]
		oldShowID := attrOf(head, "IDENT")
		oldRepID, oldDate := attrOf(rep, "IDENT"), attrOf(rep, "REP_DATE")
		var out strings.Builder
		out.WriteString(doc[:i])
		day0 := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
		for s := range benchShows {
			out.WriteString(strings.Replace(head, `IDENT="`+oldShowID+`"`, fmt.Sprintf(`IDENT="%d"`, 100000+s), 1))
			for p := range benchPerfsPerShow {
				d := day0.AddDate(0, 0, (s+p*7)%300).Format("02/01/2006")
				r := strings.Replace(rep, `IDENT="`+oldRepID+`"`, fmt.Sprintf(`IDENT="%d"`, 1000000+s*benchPerfsPerShow+p), 1)
				out.WriteString(strings.Replace(r, `REP_DATE="`+oldDate+`"`, `REP_DATE="`+d+`"`, 1))
			}
			out.WriteString(tail)
		}
		out.WriteString(doc[j:])
		fluxBytes = []byte(out.String())
	})
	if fluxErr != nil {
		b.Fatal(fluxErr)
	}
	return fluxBytes
}

func attrOf(el, name string) string {
	i := strings.Index(el, name+`="`)
	if i < 0 {
		return ""
	}
	v := el[i+len(name)+2:]
	return v[:strings.IndexByte(v, '"')]
}

func benchParts(b *testing.B) catalogue.Parts {
	f, err := billetterie.Collect(bytes.NewReader(syntheticFlux(b)))
	if err != nil {
		b.Fatal(err)
	}
	p := billetterie.FromFlux(f)
	if len(p.Shows) != benchShows {
		b.Fatalf("synthetic flux has %d shows", len(p.Shows))
	}
	return p
}

func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// heapCost measures, outside the timed loop, how much the heap grows while
// fn runs (an upper bound of its peak, garbage included) and how much of it
// stays live while its result is held.
func heapCost(fn func() any) (growthMB, liveMB float64) {
	runtime.GC()
	base := heapInUse()
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the heap while fn runs
		defer close(done)
		for {
			if h := heapInUse(); h > peak {
				peak = h
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	keep := fn()
	close(stop)
	<-done
	if h := heapInUse(); h > peak {
		peak = h
	}
	runtime.GC()
	live := heapInUse()
	runtime.KeepAlive(keep)
	mb := func(n uint64) float64 { return float64(n) / (1 << 20) }
	return mb(peak - base), mb(live - base)
}

// BenchmarkFluxToSnapshot parses the synthetic flux and builds the snapshot:
// what a full load costs Guichet once the bytes have arrived.
func BenchmarkFluxToSnapshot(b *testing.B) {
	flux := syntheticFlux(b)
	build := func() *catalogue.Snapshot {
		f, err := billetterie.Collect(bytes.NewReader(flux))
		if err != nil {
			b.Fatal(err)
		}
		return catalogue.New("bench", time.Now(), billetterie.FromFlux(f))
	}
	growth, live := heapCost(func() any { return build() })
	b.SetBytes(int64(len(flux)))
	b.ReportAllocs()
	b.ResetTimer()
	var s *catalogue.Snapshot
	for b.Loop() {
		s = build()
	}
	if c := s.Totals(); c.Shows != benchShows || c.Performances != benchShows*benchPerfsPerShow {
		b.Fatalf("built %+v", c)
	}
	b.ReportMetric(float64(len(flux))/(1<<20), "flux-MB")
	b.ReportMetric(growth, "peak-heap-MB")
	b.ReportMetric(live, "live-heap-MB")
}

// BenchmarkSnapshotBuild is New alone: indexes over parts already parsed.
func BenchmarkSnapshotBuild(b *testing.B) {
	p := benchParts(b)
	b.ReportAllocs()
	for b.Loop() {
		catalogue.New("bench", time.Now(), p)
	}
}

// BenchmarkSave writes the snapshot file the way the syncer does (temp
// file, fsync, rename, directory fsync).
func BenchmarkSave(b *testing.B) {
	s := catalogue.New("bench", time.Now(), benchParts(b))
	fp := catalogue.FilePersister{Dir: b.TempDir()}
	var size bytes.Buffer
	if err := catalogue.EncodeSnapshot(&size, s, catalogue.SyncState{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := fp.Save(context.Background(), s, catalogue.SyncState{Version: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size.Len())/(1<<20), "file-MB")
}

// BenchmarkLoad is a restart: read, check and decode the file, rebuild the
// indexes. The spec's bound is one second.
func BenchmarkLoad(b *testing.B) {
	fp := catalogue.FilePersister{Dir: b.TempDir()}
	if err := fp.Save(context.Background(), catalogue.New("bench", time.Now(), benchParts(b)), catalogue.SyncState{Version: "bench"}); err != nil {
		b.Fatal(err)
	}
	load := func() *catalogue.Snapshot {
		s, _, err := fp.Load(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	growth, live := heapCost(func() any { return load() })
	b.ReportAllocs()
	b.ResetTimer()
	var s *catalogue.Snapshot
	for b.Loop() {
		s = load()
	}
	if s.Totals().Performances != benchShows*benchPerfsPerShow {
		b.Fatalf("loaded %+v", s.Totals())
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/load")
	b.ReportMetric(growth, "peak-heap-MB")
	b.ReportMetric(live, "live-heap-MB")
}

// BenchmarkMerge applies a 50-show delta to the full catalogue, as a pull does.
func BenchmarkMerge(b *testing.B) {
	p := benchParts(b)
	s := catalogue.New("bench", time.Now(), p)
	delta := catalogue.Parts{Venues: p.Venues, Grids: p.Grids}
	for _, sh := range p.Shows[:50] {
		c := *sh
		c.Title += " (modifié)"
		delta.Shows = append(delta.Shows, &c)
	}
	b.ReportAllocs()
	for b.Loop() {
		if s.Changes(delta) != 50 {
			b.Fatal("changes")
		}
		s.Merge(delta, "v2", time.Now())
	}
}
