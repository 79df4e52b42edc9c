package app

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/guichet/guichet/sandbox/fault"
)

type catalogueStatus struct {
	Ready       bool
	Version     string
	LastSync    string
	LastError   *string
	LastErrorAt *string
	AgeSeconds  *int
	FullLoads   int
	Pulls       int
	Failures    int
	Counts      struct{ Shows, Performances, Venues, PriceGrids, Passes, Articles int }
}

const statusFields = `ready version lastSync lastError lastErrorAt ageSeconds fullLoads pulls failures counts { shows performances venues priceGrids passes articles }`

// Ensure the back office sees the sync state and can ask for a pull or a
// full load, and that a failed sync keeps the previous catalogue serving.
func TestE2ECatalogueStatusAndRefresh(t *testing.T) {
	e := boot(t)
	sb := e.app.sandboxes.Ticketing.Sim
	bo := map[string]string{"Authorization": "Bearer " + e.key}

	// Back office only.
	if r := e.do(nil, `{ catalogueStatus { ready } }`, nil, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("catalogueStatus without a key: %s", r.Code())
	}
	if r := e.do(nil, `mutation { refreshCatalogue(full: true) { ready } }`, nil, nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("refreshCatalogue without a key: %s", r.Code())
	}
	if n := e.app.back.ticketing.client.Calls()["ws_programmation"]; n != 1 {
		t.Fatalf("ws_programmation calls = %d: a refused mutation must not sync", n)
	}

	var st struct{ CatalogueStatus catalogueStatus }
	e.ok(e.do(bo, `{ catalogueStatus { `+statusFields+` } }`, nil, &st))
	s0 := st.CatalogueStatus
	if !s0.Ready || s0.Version == "" || s0.FullLoads != 1 || s0.Pulls != 0 || s0.LastError != nil || s0.AgeSeconds == nil ||
		s0.Counts.Shows != len(sb.ShowIDs()) || s0.Counts.Performances < 300 || s0.Counts.Venues < 5 || s0.Counts.Passes == 0 || s0.Counts.Articles == 0 {
		t.Fatalf("status after the first load: %+v", s0)
	}

	// A show renamed upstream arrives with the next pull, asked for now.
	id := sb.ShowIDs()[3]
	var show struct{ Show struct{ Title string } }
	// Read first, so the public answer sits in the response cache: the new
	// snapshot version must make it unreachable.
	for range 2 {
		e.ok(e.do(nil, `query($id: ID!) { show(id: $id) { title } }`, map[string]any{"id": id}, &show))
	}
	if show.Show.Title != sb.ShowTitle(id) || e.app.responses.Stats().Hits == 0 {
		t.Fatalf("before the rename: %q, cache %+v", show.Show.Title, e.app.responses.Stats())
	}
	sb.RenameShow(id, "Les Fourberies de Scapin (reprise)")
	sb.Calls().Reset()
	var ref struct{ RefreshCatalogue catalogueStatus }
	e.ok(e.do(bo, `mutation { refreshCatalogue { `+statusFields+` } }`, nil, &ref))
	if r := ref.RefreshCatalogue; r.Pulls != 1 || r.FullLoads != 1 || r.Version == s0.Version {
		t.Fatalf("after a pull: %+v (before: version %s)", r, s0.Version)
	}
	if n := sb.Calls().Get("ws_programmation"); n != 1 {
		t.Fatalf("sandbox ws_programmation calls = %d, want 1 incremental pull", n)
	}
	e.ok(e.do(nil, `query($id: ID!) { show(id: $id) { title } }`, map[string]any{"id": id}, &show))
	if show.Show.Title != "Les Fourberies de Scapin (reprise)" {
		t.Fatalf("title after the pull: %q", show.Show.Title)
	}

	e.ok(e.do(bo, `mutation { refreshCatalogue(full: true) { `+statusFields+` } }`, nil, &ref))
	if r := ref.RefreshCatalogue; r.FullLoads != 2 || r.Counts.Shows != s0.Counts.Shows {
		t.Fatalf("after a full load: %+v", r)
	}

	// The ticketing system answers an ERREUR document: the mutation says
	// so, the status shows it, the catalogue keeps serving without error.
	sb.Faults().Set("ws_programmation", fault.Rule{Mode: fault.VendorErr})
	r := e.do(bo, `mutation { refreshCatalogue(full: true) { ready } }`, nil, nil)
	if r.Code() != "UPSTREAM_UNAVAILABLE" {
		t.Fatalf("refresh against an ERREUR document: code %q, errors %+v", r.Code(), r.Errors)
	}
	e.ok(e.do(bo, `{ catalogueStatus { `+statusFields+` } }`, nil, &st))
	if s := st.CatalogueStatus; !s.Ready || s.LastError == nil || s.LastErrorAt == nil || s.Failures != 1 || s.Counts.Shows != s0.Counts.Shows {
		t.Fatalf("status after a failed sync: %+v", s)
	}
	var list struct{ Shows struct{ TotalCount int } }
	e.ok(e.do(nil, `{ shows(first: 5) { totalCount } }`, nil, &list))
	if list.Shows.TotalCount != s0.Counts.Shows {
		t.Fatalf("shows while the upstream fails: %d, want %d", list.Shows.TotalCount, s0.Counts.Shows)
	}
	// Still ready, and the failure counted in the metrics.
	for path, want := range map[string]string{"/readyz": "ready", "/metrics": "guichet_catalogue_sync_errors_total 1"} {
		res, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Fatalf("%s while the sync fails: %d, want %q", path, res.StatusCode, want)
		}
	}
	sb.Faults().Reset()
	e.ok(e.do(bo, `mutation { refreshCatalogue { `+statusFields+` } }`, nil, &ref))
	if ref.RefreshCatalogue.LastError != nil {
		t.Fatalf("the error stays after a good sync: %+v", ref.RefreshCatalogue)
	}
}

// Ensure totalCount counts the filtered shows across pages.
func TestE2EShowsTotalCount(t *testing.T) {
	e := boot(t)
	var all, page struct {
		Shows struct {
			TotalCount, Count int
			Edges             []struct{ Node struct{ Type string } }
		}
	}
	e.ok(e.do(nil, `{ shows(first: 100) { totalCount count edges { node { type } } } }`, nil, &all))
	typ := all.Shows.Edges[0].Node.Type
	want := 0
	for _, ed := range all.Shows.Edges {
		if ed.Node.Type == typ {
			want++
		}
	}
	e.ok(e.do(nil, `query($t: String) { shows(first: 1, filter: {type: $t}) { totalCount count } }`, map[string]any{"t": typ}, &page))
	if all.Shows.TotalCount != all.Shows.Count || page.Shows.Count != 1 || page.Shows.TotalCount != want || want < 2 {
		t.Fatalf("all %d/%d, type %q: page %+v, want totalCount %d", all.Shows.TotalCount, all.Shows.Count, typ, page.Shows, want)
	}
}

// Ensure the rest of the public catalogue over HTTP: venues with their
// parent site, passes and articles (by family too) and single lookups,
// all read from the snapshot without an upstream call.
func TestE2ECatalogueLookups(t *testing.T) {
	e := boot(t)
	before := e.app.back.ticketing.client.Calls()
	var data struct {
		Venues []struct {
			ID, Name string
			Parent   *struct{ ID string }
		}
		Passes []struct {
			ID, Name, Kind string
			Prices         []struct{ Total struct{ Cents int } }
		}
		Articles []struct {
			ID, Name string
			Family   *string
			Price    struct{ Cents int }
		}
	}
	e.ok(e.do(nil, `{ venues { id name parent { id } } passes { id name kind prices { total { cents } } } articles { id name family price { cents } } }`, nil, &data))
	parents := 0
	for _, v := range data.Venues {
		if v.Parent != nil {
			parents++
		}
	}
	if len(data.Venues) < 5 || parents == 0 || len(data.Passes) == 0 || len(data.Articles) == 0 {
		t.Fatalf("catalogue: %d venues (%d with a parent), %d passes, %d articles", len(data.Venues), parents, len(data.Passes), len(data.Articles))
	}
	kinds := map[string]bool{}
	for _, p := range data.Passes {
		kinds[p.Kind] = true
		if len(p.Prices) == 0 || p.Prices[0].Total.Cents <= 0 {
			t.Fatalf("pass without a price: %+v", p)
		}
	}
	if !kinds["SUBSCRIPTION"] || !kinds["MEMBERSHIP"] {
		t.Fatalf("pass kinds %v: want abonnements and adhésions", kinds)
	}

	pass, art := data.Passes[0], data.Articles[0]
	var one struct {
		Pass     struct{ Name string }
		Article  struct{ Name string }
		Articles []struct{ ID string }
		Missing  *struct{ ID string }
		NoPass   *struct{ ID string }
		Show     struct {
			Performances []struct{ ID string }
		}
	}
	family := ""
	if art.Family != nil {
		family = *art.Family
	}
	show := e.app.sandboxes.Ticketing.Sim.ShowIDs()[0]
	e.ok(e.do(nil, `query($p: ID!, $a: ID!, $f: String, $s: ID!) { pass(id: $p) { name } article(id: $a) { name } articles(family: $f) { id }
		missing: article(id: "nope") { id } noPass: pass(id: "nope") { id } show(id: $s) { performances { id } } }`,
		map[string]any{"p": pass.ID, "a": art.ID, "f": family, "s": show}, &one))
	if one.Pass.Name != pass.Name || one.Article.Name != art.Name || one.Missing != nil || one.NoPass != nil || len(one.Articles) == 0 {
		t.Fatalf("lookups: %+v", one)
	}
	for _, a := range one.Articles {
		found := false
		for _, all := range data.Articles {
			if all.ID == a.ID && all.Family != nil && *all.Family == family {
				found = true
			}
		}
		if !found {
			t.Fatalf("article %s is not of family %q", a.ID, family)
		}
	}
	perfID := one.Show.Performances[0].ID
	var perf struct {
		Performance struct {
			ID   string
			Show struct{ ID string }
		}
		Gone *struct{ ID string }
	}
	e.ok(e.do(nil, `query($id: ID!) { performance(id: $id) { id show { id } } gone: performance(id: "0") { id } }`, map[string]any{"id": perfID}, &perf))
	if perf.Performance.ID != perfID || perf.Performance.Show.ID != show || perf.Gone != nil {
		t.Fatalf("performance: %+v", perf)
	}
	after := e.app.back.ticketing.client.Calls()
	for svc, n := range after {
		if n != before[svc] {
			t.Fatalf("catalogue lookups called %s upstream (%d → %d)", svc, before[svc], n)
		}
	}
}
