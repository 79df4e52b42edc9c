package aboweb

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func create(t *testing.T, url, fields string) int {
	t.Helper()
	r := mustOK(t, call(t, url, `<ges:createOrUpdateClientEx><client>`+fields+`</client></ges:createOrUpdateClientEx>`), "createOrUpdateClientEx")
	code, err := strconv.Atoi(r.CodeClient)
	if err != nil {
		t.Fatalf("codeClient %q", r.CodeClient)
	}
	return code
}

func TestCreateClient(t *testing.T) {
	cfg := testConfig()
	later := fixedNow.Add(time.Hour)
	cfg.Now = func() time.Time { return later }
	s, url := start(t, cfg)
	code := create(t, url, `<codeClient>0</codeClient><civilite>M</civilite><nom>Nouveau</nom><prenom>Jean</prenom><email>jean.nouveau@exemple.fr</email><adresse3>Bâtiment C</adresse3><codeIsoPays>BE</codeIsoPays><pasEmailing>1</pasEmailing><tauxRemiseAbo>5</tauxRemiseAbo><nbNpai>9</nbNpai>`)
	if code <= SeedCode(519) {
		t.Fatalf("new code %d not above the seeded ones", code)
	}
	c, ok := s.Client(code)
	if !ok || c.Nom != "Nouveau" || c.Type != TypeNormal || c.CodeIsoPays != "BE" || !c.Creation.Equal(later) {
		t.Fatalf("stored %+v", c)
	}
	if c.Fields["pasEmailing"] != "true" || c.Fields["tauxRemiseAbo"] != "5.0" {
		t.Fatalf("values not normalised: %v %v", c.Fields["pasEmailing"], c.Fields["tauxRemiseAbo"])
	}
	if _, ok := c.Fields["nbNpai"]; ok {
		t.Fatal("read-only nbNpai was written")
	}
	// Without codeClient also creates; duplicate emails are not prevented.
	code2 := create(t, url, `<nom>Nouveau</nom><email>jean.nouveau@exemple.fr</email>`)
	if code2 != code+1 {
		t.Fatalf("second code %d", code2)
	}
	r := mustOK(t, call(t, url, `<ges:findClientByEmail><email>jean.nouveau@exemple.fr</email></ges:findClientByEmail>`), "findClientByEmail")
	if codesOf(r)[0] != code {
		t.Fatal("findClientByEmail must return the lowest code of duplicates")
	}
	if n := mustOK(t, call(t, url, `<ges:getNbClients/>`), "getNbClients").Result; n != "522" {
		t.Fatalf("count after creations: %s", n)
	}
	// Modified-between sees the new client.
	r = mustOK(t, call(t, url, `<ges:getClientsModifiedBetween><date1>`+later.Format(time.RFC3339)+`</date1><offset>0</offset></ges:getClientsModifiedBetween>`), "getClientsModifiedBetween")
	if got := codesOf(r); len(got) != 2 || got[0] != code {
		t.Fatalf("modified since creation: %v", got)
	}
}

func TestCoherenceChecks(t *testing.T) {
	_, url := start(t, testConfig())
	payer := strconv.Itoa(PayerCodes()[0])
	for name, fields := range map[string]string{
		"no name":                    `<email>a@b.fr</email>`,
		"bad email":                  `<nom>X</nom><email>pas-un-email</email>`,
		"email without domain dot":   `<nom>X</nom><email>a@localhost</email>`,
		"two @":                      `<nom>X</nom><email>a@b@c.fr</email>`,
		"payé par without codeTiers": `<nom>X</nom><typeClient>2</typeClient>`,
		"codeTiers not a tiers":      `<nom>X</nom><typeClient>2</typeClient><codeTiers>` + strconv.Itoa(DemoCode) + `</codeTiers>`,
		"codeTiers unknown":          `<nom>X</nom><typeClient>2</typeClient><codeTiers>99</codeTiers>`,
		"adresse3 over 40":           `<nom>X</nom><adresse3>` + strings.Repeat("é", 41) + `</adresse3>`,
		"country not ISO":            `<nom>X</nom><codeIsoPays>FRA</codeIsoPays>`,
		"country lower case":         `<nom>X</nom><codeIsoPays>fr</codeIsoPays>`,
		"unknown type":               `<nom>X</nom><typeClient>7</typeClient>`,
		"int not a number":           `<nom>X</nom><typeClient>zero</typeClient>`,
		"bool not a bool":            `<nom>X</nom><npai>oui</npai>`,
		"discount over 100":          `<nom>X</nom><tauxRemiseAbo>150</tauxRemiseAbo>`,
	} {
		t.Run(name, func(t *testing.T) {
			mustFault(t, call(t, url, `<ges:createOrUpdateClientEx><client>`+fields+`</client></ges:createOrUpdateClientEx>`), "202")
		})
	}
	// Exactly 40 characters and a valid payé par pass.
	create(t, url, `<nom>X</nom><adresse3>`+strings.Repeat("é", 40)+`</adresse3><typeClient>2</typeClient><codeTiers>`+payer+`</codeTiers>`)
	mustFault(t, call(t, url, `<ges:createOrUpdateClientEx/>`), "202")
	mustFault(t, call(t, url, `<ges:createOrUpdateClientEx><client><codeClient>3</codeClient><nom>X</nom></client></ges:createOrUpdateClientEx>`), "204")
	// A tiers still paying for clients cannot stop being a tiers.
	mustFault(t, call(t, url, `<ges:createOrUpdateClientEx><client><codeClient>`+payer+`</codeClient><typeClient>0</typeClient></client></ges:createOrUpdateClientEx>`), "200")
}

func TestUpdateOnlySentParams(t *testing.T) {
	cfg := testConfig() // UpdateOnlySentParams = true (default since 2019)
	s, url := start(t, cfg)
	code := SeedCode(10)
	before, _ := s.Client(code)
	got := create(t, url, `<codeClient>`+strconv.Itoa(code)+`</codeClient><ville>Annecy</ville><cp>74000</cp><adresse1></adresse1><telephone xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`)
	if got != code {
		t.Fatalf("update answered code %d", got)
	}
	after, _ := s.Client(code)
	if after.Ville != "Annecy" || after.Cp != "74000" {
		t.Fatalf("sent fields not replaced: %s %s", after.Ville, after.Cp)
	}
	for _, k := range []string{"nom", "prenom", "email", "adresse2", "telephone", "motPasseAbm", "origineAbm", "typeClient"} {
		if after.Fields[k] != before.Fields[k] {
			t.Errorf("%s changed from %q to %q though not sent", k, before.Fields[k], after.Fields[k])
		}
	}
	if !after.Creation.Equal(before.Creation) || !after.Modification.Equal(fixedNow) {
		t.Fatalf("dates: creation %v modification %v", after.Creation, after.Modification)
	}
}

func TestUpdateErasesMissingFields(t *testing.T) {
	cfg := testConfig()
	cfg.UpdateOnlySentParams = false // WS_FORCE_UPDATE_ONLY_SENDING_PARAMS = False
	s, url := start(t, cfg)
	code := SeedCode(10)
	create(t, url, `<codeClient>`+strconv.Itoa(code)+`</codeClient><nom>Lemaire</nom><ville>Annecy</ville>`)
	after, _ := s.Client(code)
	if after.Nom != "Lemaire" || after.Ville != "Annecy" {
		t.Fatalf("sent fields not replaced: %+v", after)
	}
	for _, k := range []string{"prenom", "email", "adresse2", "cp", "telephone", "motPasseAbm", "origineAbm"} {
		if v, ok := after.Fields[k]; ok {
			t.Errorf("%s kept as %q though not sent", k, v)
		}
	}
	if after.Type != TypeNormal || after.Fields["nbNpai"] != "0" {
		t.Fatalf("type %d, read-only nbNpai %q", after.Type, after.Fields["nbNpai"])
	}
	// The wire shows the erased fields as absent.
	r := mustOK(t, call(t, url, `<ges:getClient><codeClient>`+strconv.Itoa(code)+`</codeClient></ges:getClient>`), "getClient")
	if _, ok := r.Clients[0]["email"]; ok {
		t.Fatal("erased email still on the wire")
	}
	// A payé par updated without its typeClient/codeTiers silently becomes normal.
	paid := s.Codes(TypePayePar)[0]
	create(t, url, `<codeClient>`+strconv.Itoa(paid)+`</codeClient><nom>Seul</nom>`)
	if c, _ := s.Client(paid); c.Type != TypeNormal || c.CodeTiers != 0 {
		t.Fatalf("payé par after partial update: type %d tiers %d", c.Type, c.CodeTiers)
	}
}

func TestUpdateClientAndStatut(t *testing.T) {
	s, url := start(t, testConfig())
	r := mustOK(t, call(t, url, `<ges:updateClient><client><codeClient>`+strconv.Itoa(DemoCode)+`</codeClient><portable>0612345678</portable></client></ges:updateClient>`), "updateClient")
	if r.CodeClient != strconv.Itoa(DemoCode) {
		t.Fatalf("updateClient answered %q", r.CodeClient)
	}
	if c, _ := s.Client(DemoCode); c.Fields["portable"] != "0612345678" || c.Nom != "Martin" {
		t.Fatalf("after updateClient: %v", c.Fields)
	}
	mustFault(t, call(t, url, `<ges:updateClient><client><nom>Sans code</nom></client></ges:updateClient>`), "202")
	mustFault(t, call(t, url, `<ges:updateClient><client><codeClient>5</codeClient><nom>X</nom></client></ges:updateClient>`), "204")

	prospect := s.Codes(TypeProspect)[0]
	ok := mustOK(t, call(t, url, `<ges:UpdateStatut><codeClient>`+strconv.Itoa(prospect)+`</codeClient><statut>0</statut></ges:UpdateStatut>`), "UpdateStatut")
	if ok.Result != "true" {
		t.Fatalf("UpdateStatut result %q", ok.Result)
	}
	if c, _ := s.Client(prospect); c.Type != TypeNormal {
		t.Fatalf("type after UpdateStatut: %d", c.Type)
	}
	mustOK(t, call(t, url, `<ges:UpdateStatut><codeClient>`+strconv.Itoa(prospect)+`</codeClient><statut>1</statut></ges:UpdateStatut>`), "UpdateStatut")
	for _, c := range []struct{ body, code string }{
		{`<codeClient>` + strconv.Itoa(DemoCode) + `</codeClient><statut>2</statut>`, "202"},        // no codeTiers on the client
		{`<codeClient>` + strconv.Itoa(DemoCode) + `</codeClient><statut>4</statut>`, "202"},        // prescripteur is not a statut
		{`<codeClient>` + strconv.Itoa(DemoCode) + `</codeClient>`, "202"},                          // statut missing
		{`<codeClient>12</codeClient><statut>0</statut>`, "204"},                                    // unknown client
		{`<codeClient>` + strconv.Itoa(PayerCodes()[2]) + `</codeClient><statut>0</statut>`, "200"}, // tiers still paying
	} {
		mustFault(t, call(t, url, `<ges:UpdateStatut>`+c.body+`</ges:UpdateStatut>`), c.code)
	}
	// A payé par whose codeTiers is set can be restored to statut 2.
	paid := s.Codes(TypePayePar)[0]
	mustOK(t, call(t, url, `<ges:UpdateStatut><codeClient>`+strconv.Itoa(paid)+`</codeClient><statut>0</statut></ges:UpdateStatut>`), "UpdateStatut")
	mustOK(t, call(t, url, `<ges:UpdateStatut><codeClient>`+strconv.Itoa(paid)+`</codeClient><statut>2</statut></ges:UpdateStatut>`), "UpdateStatut")
}
