package aboweb

import (
	"fmt"
	"strconv"
	"time"

	"github.com/guichet/guichet/sandbox/fixture"
)

// Seeded base: fixture.At(0..519), the first 200 sharing their email with the
// ticketing contacts. Everything derives from the index and Now, so two
// servers built with the same clock hold the same base.

// SeedCode is the codeClient of fixture person i. Codes are not contiguous
// (step 13) so a client cannot confuse a position with a code.
func SeedCode(i int) int { return 240001 + 13*i }

// DemoCode is the demo subscriber's code (fixture person 0, a normal client).
var DemoCode = SeedCode(0)

// seedType is the typeClient of person i:
//   - i%8 == 3: payé par (65 clients), paid by one of the 3 payers in turn;
//   - i%40 == 5: tiers (13 clients; the first three pay for the payés par);
//   - i%40 == 21: prescripteur (13);
//   - i%8 == 6: prospect (65);
//   - otherwise normal (364), person 0 included.
func seedType(i int) int {
	switch {
	case i%8 == 3:
		return TypePayePar
	case i%40 == 5:
		return TypeTiers
	case i%40 == 21:
		return TypePrescripteur
	case i%8 == 6:
		return TypeProspect
	}
	return TypeNormal
}

// payerIndexes are the fixture indexes of the three paying tiers: the three
// lowest-coded tiers.
var payerIndexes = [3]int{5, 45, 85}

// Origins (origineAbm) and codes de sélection in use in the seeded base.
var (
	seedOrigins    = []string{"ABM", "WEB", "SALON", "PARRAIN", "BOUTIQUE", "PARTENAIRE"}
	seedSelections = []string{"ABO-THEATRE", "ABO-DANSE", "NEWSLETTER", "JEUNE", "SENIOR", "CE"}
	tiersNames     = []string{"CE Lumière Industries", "Mairie de Villeurbanne", "Association Les Amis du Théâtre", "Lycée Ampère", "Fondation Rhône Culture"}
	prescNames     = []string{"Librairie Passages", "Office de tourisme", "Conservatoire régional", "Médiathèque Lacassagne"}
)

func seed(now time.Time) []*record {
	now = now.Truncate(time.Second)
	start := now.Add(-730 * 24 * time.Hour)
	step := ((729 * 24 * time.Hour) / fixture.Subscribers).Truncate(time.Second)
	recs := make([]*record, 0, fixture.Subscribers)
	paidBy := 0
	for i := 0; i < fixture.Subscribers; i++ {
		p := fixture.At(i)
		t := seedType(i)
		r := &record{code: SeedCode(i), f: map[string]string{}}
		r.creation = start.Add(time.Duration(i)*step + time.Duration(i*7919%3600)*time.Second)
		r.modification = r.creation.Add(time.Duration(i*37%400) * 24 * time.Hour)
		if limit := now.Add(-time.Hour); r.modification.After(limit) {
			r.modification = limit.Add(-time.Duration(i) * time.Minute)
		}
		civ := "M"
		if p.Title == "Mme" {
			civ = "MME"
		}
		set := func(k, v string) { r.f[k] = v }
		set("adresse1", "")
		set("adresse2", p.Street)
		set("civilite", civ)
		set("codeIsoPays", p.Country)
		set("cp", p.PostalCode)
		set("email", p.Email)
		set("erreurAel", strconv.FormatBool(i%60 == 23))
		set("motPasseAbm", p.Password)
		set("nbNpai", "0")
		set("nePasDiffuser", strconv.FormatBool(i%7 == 0))
		set("nom", p.LastName)
		set("npai", "false")
		set("origineAbm", seedOrigins[i%len(seedOrigins)])
		set("pasEmailing", strconv.FormatBool(i%9 == 0))
		set("pasMailing", strconv.FormatBool(i%11 == 0))
		set("portable", p.Mobile)
		set("prenom", p.FirstName)
		set("reaboAuto", strconv.FormatBool(i%3 == 1))
		set("relancerPaye", "false")
		set("societe", "")
		set("tauxRemiseAbo", "0.0")
		set("telephone", p.Phone)
		set("typeClient", strconv.Itoa(t))
		set("ville", p.City)
		if i%10 == 4 {
			set("adresse3", fmt.Sprintf("Bâtiment %c", 'A'+rune(i%5)))
		}
		if i%50 == 17 {
			set("npai", "true")
			set("nbNpai", "1")
		}
		if i%3 == 0 {
			set("ancienCode", fmt.Sprintf("A%06d", 500000+i))
		}
		if i%4 == 1 { // pairs of clients share a partner id (duplicates imported twice)
			set("codeClientTransco", fmt.Sprintf("%04dHG", i/8))
		}
		switch t {
		case TypeTiers:
			set("societe", tiersNames[(i/40)%len(tiersNames)])
			set("siret", fmt.Sprintf("%014d", 40212345600017+int64(i)*1000))
			set("codeNii", fmt.Sprintf("FR%011d", 40212345600+int64(i)))
		case TypePayePar:
			set("codeTiers", strconv.Itoa(SeedCode(payerIndexes[paidBy%3])))
			set("relancerPaye", strconv.FormatBool(paidBy%2 == 0))
			paidBy++
		case TypePrescripteur:
			set("societe", prescNames[(i/40)%len(prescNames)])
			set("tauxRemiseAbo", "10.0")
		}
		if i%2 == 0 {
			r.selections = append(r.selections, seedSelections[i%len(seedSelections)])
		}
		if s := seedSelections[(i/3)%len(seedSelections)]; i%5 == 0 && (len(r.selections) == 0 || r.selections[0] != s) {
			r.selections = append(r.selections, s)
		}
		recs = append(recs, r)
	}
	return recs
}
