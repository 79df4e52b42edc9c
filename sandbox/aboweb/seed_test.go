package aboweb

import (
	"reflect"
	"testing"
	"time"

	"github.com/guichet/guichet/sandbox/fixture"
)

func TestSeedInvariants(t *testing.T) {
	s := New(testConfig())
	all := s.Clients()
	if len(all) != fixture.Subscribers || len(all) < 500 {
		t.Fatalf("%d clients, want %d", len(all), fixture.Subscribers)
	}
	counts := map[int]int{}
	for i, c := range all {
		if c.Code != SeedCode(i) || (i > 0 && c.Code <= all[i-1].Code) {
			t.Fatalf("client %d has code %d, want %d ascending", i, c.Code, SeedCode(i))
		}
		if p := fixture.At(i); c.Email != p.Email || c.Nom != p.LastName || c.Prenom != p.FirstName || c.Cp != p.PostalCode {
			t.Fatalf("client %d does not carry fixture person %d", c.Code, i)
		}
		if c.Creation.Before(fixedNow.Add(-731*24*time.Hour)) || c.Modification.After(fixedNow) || c.Modification.Before(c.Creation) {
			t.Fatalf("client %d dates %v / %v outside the two years before now", c.Code, c.Creation, c.Modification)
		}
		if c.Origine == "" || !isoCountries[c.CodeIsoPays] {
			t.Fatalf("client %d lacks origin or country", c.Code)
		}
		counts[c.Type]++
	}
	if c, _ := s.Client(DemoCode); c.Email != fixture.DemoEmail || c.Type != TypeNormal {
		t.Fatalf("demo client %d is %q type %d", DemoCode, c.Email, c.Type)
	}
	for typ := TypeNormal; typ <= TypePrescripteur; typ++ {
		if counts[typ] == 0 || len(s.Codes(typ)) != counts[typ] {
			t.Fatalf("type %d: %d clients, Codes gives %d", typ, counts[typ], len(s.Codes(typ)))
		}
	}
	want := map[int]int{TypeNormal: 364, TypeTiers: 13, TypePayePar: 65, TypeProspect: 65, TypePrescripteur: 13}
	if !reflect.DeepEqual(counts, want) {
		t.Fatalf("type counts %v, want %v", counts, want)
	}
	// Spread: the oldest creation is close to two years ago, the newest modification recent.
	if d := fixedNow.Sub(all[0].Creation); d < 700*24*time.Hour {
		t.Fatalf("oldest creation only %v ago", d)
	}
	// Selection codes, transco duplicates, ancient codes exist.
	transco := map[string]int{}
	for _, c := range all {
		if c.Transco != "" {
			transco[c.Transco]++
		}
	}
	if len(transco) == 0 || transco["0000HG"] != 2 {
		t.Fatalf("transco codes %d distinct, 0000HG held by %d", len(transco), transco["0000HG"])
	}
}

func TestSeedPayers(t *testing.T) {
	s := New(testConfig())
	payers := PayerCodes()
	paid := s.Codes(TypePayePar)
	if len(paid) < 60 {
		t.Fatalf("%d payés par, want ≥ 60", len(paid))
	}
	seen := map[int]bool{}
	for k, code := range paid {
		c, _ := s.Client(code)
		if c.CodeTiers != payers[k%3] {
			t.Fatalf("payé par #%d (%d) paid by %d, want %d (round-robin)", k, code, c.CodeTiers, payers[k%3])
		}
		if k < 50 {
			seen[c.CodeTiers] = true
		}
	}
	if len(seen) != 3 {
		t.Fatalf("first 50 payés par share %d payers, want 3", len(seen))
	}
	total := 0
	for _, p := range payers {
		c, ok := s.Client(p)
		if !ok || c.Type != TypeTiers || c.Societe == "" {
			t.Fatalf("payer %d is not a tiers company: %+v", p, c.Type)
		}
		total += len(s.PaidBy(p))
	}
	if total != len(paid) {
		t.Fatalf("payers pay for %d clients, %d payés par exist", total, len(paid))
	}
	if len(s.Codes(TypeTiers)) <= 3 {
		t.Fatal("want tiers that pay for nobody as well")
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b := New(testConfig()).Clients(), New(testConfig()).Clients()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two servers with the same clock hold different bases")
	}
	later := testConfig()
	later.Now = func() time.Time { return fixedNow.Add(24 * time.Hour) }
	c := New(later).Clients()
	if c[0].Email != a[0].Email || c[0].Creation.Equal(a[0].Creation) {
		t.Fatal("dates should follow the clock, people should not")
	}
}
