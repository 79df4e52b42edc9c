package billetterie

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/guichet/guichet/errs"
)

// specDecoders decode each JSON example of the spec the way the client
// reads that answer, and return what the client keeps of it.
var specDecoders = specDecodersFor(unmarshalJSON)

// reader is how an answer's JSON is read: the client's single-pass reader
// (unmarshalJSON) or json.Unmarshal, the reference it is held to.
type reader func([]byte, any) error

func specDecodersFor(u reader) map[string]func([]byte) (any, error) {
	return map[string]func([]byte) (any, error){
		"adresses.json":            direct[List[Adresse]](u),
		"niveau_de_relations.json": direct[List[NiveauRelation]](u),
		"organisme.json":           direct[Organisme](u),
		"recap_achat_article.json": direct[DetailCaddy](u),
		"recap_achat_billet.json":  direct[DetailCaddy](u),
		"recap_achat_carte.json":   direct[DetailCaddy](u),
		"criteres_response.json": func(b []byte) (any, error) {
			var v struct {
				Criteres Criteres `json:"criteres"`
			}
			err := u(b, &v)
			return criteresKept(v.Criteres), err
		},
		"cat_contacts_liste.json":     inMessage[List[Invitation]](u),
		"cat_listes.json":             inMessage[List[Liste]](u),
		"ccontact.json":               inMessage[contactMessage](u),
		"info_contact.json":           inMessage[contactMessage](u),
		"modification_contact.json":   inMessage[contactMessage](u),
		"idsession.json":              inMessage[SessionInfo](u),
		"status_session.json":         inMessage[SessionInfo](u),
		"login.json":                  inMessage[LoginResult](u),
		"info_formulaire.json":        inMessage[Formulaire](u),
		"recap_achat.json":            inMessage[List[DetailCaddy]](u),
		"organisme_contacts.json":     inMessage[AttachReport](u),
		"organisme_creation.json":     inMessage[organismeMessage](u),
		"organisme_modification.json": inMessage[organismeMessage](u),
		"deconnexion_session.json":    inMessage[struct{}](u),
		"modification_pwd.json":       inMessage[any](u),
		"suppression_compte.json":     inMessage[any](u),
		"info_telechargement.json":    inRetour[Telechargements](u),
		"historique_contact.json": inRetour[struct {
			Historique List[CarteHistorique] `json:"historique"`
		}](u),
		"fiches_modifiees.json":     func(b []byte) (any, error) { return decodeFiches(b) },
		"fiches_modifiees_ids.json": func(b []byte) (any, error) { return decodeFiches(b) },
	}
}

// Requests (what Guichet sends) are not answers: they keep the spec's types.
var specRequests = map[string]bool{"criteres_request.json": true, "organisme_contacts_request.json": true}

// criteresKept is what the client keeps of criteria: valeur is read through
// Text and Values, not kept raw.
func criteresKept(c Criteres) any {
	type champ struct {
		Nom, Libelle, Type, Text string
		Multi                    Bool
		Values                   []CritereValeur
	}
	out := []champ{}
	for _, ch := range c.ListeChamps {
		out = append(out, champ{string(ch.Nom), string(ch.Libelle), string(ch.Type), ch.Text(), ch.MultiValeur, ch.Values()})
	}
	return struct {
		ID     Int
		Champs []champ
	}{c.IDFormulaire, out}
}

type contactMessage struct {
	Contact ContactInfo `json:"contact"`
}

type organismeMessage struct {
	Organisme *Organisme `json:"organisme"`
}

func direct[T any](u reader) func([]byte) (any, error) {
	return func(b []byte) (any, error) {
		var v T
		err := u(b, &v)
		return v, err
	}
}

// envelopeOf is DecodeEnvelope where a "ko" statut still yields the
// envelope (organisme_contacts.json is a 1111 answer): only an unreadable
// envelope is a failure here.
func envelopeOf(u reader, b []byte) (*Envelope, error) {
	env, err := decodeEnvelope("ws_spec", b, u)
	if env == nil {
		return nil, err
	}
	return env, nil
}

func inMessage[T any](u reader) func([]byte) (any, error) {
	return func(b []byte) (any, error) {
		env, err := envelopeOf(u, b)
		if err != nil {
			return nil, err
		}
		var v T
		err = decodePartWith(u, "ws_spec", env.Message, &v)
		return v, err
	}
}

func inRetour[T any](u reader) func([]byte) (any, error) {
	return func(b []byte) (any, error) {
		env, err := envelopeOf(u, b)
		if err != nil {
			return nil, err
		}
		var v T
		err = decodePartWith(u, "ws_spec", env.Retour, &v)
		return v, err
	}
}

// leaf is the path of a scalar in a decoded JSON document.
type leaf struct {
	path []any // string keys and int indexes
	v    any
}

func leaves(v any, path []any, out *[]leaf) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			leaves(x[k], append(append([]any{}, path...), k), out)
		}
	case []any:
		for i, e := range x {
			leaves(e, append(append([]any{}, path...), i), out)
		}
	default:
		*out = append(*out, leaf{path, v})
	}
}

func parseDoc(t *testing.T, b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// mutate returns a copy of doc with the leaf at path replaced by v, or
// removed when remove is set.
func mutate(t *testing.T, raw []byte, path []any, v any, remove bool) []byte {
	doc := parseDoc(t, raw)
	var parent any
	cur := doc
	for _, p := range path {
		parent = cur
		switch k := p.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	last := path[len(path)-1]
	switch k := last.(type) {
	case string:
		if remove {
			delete(parent.(map[string]any), k)
		} else {
			parent.(map[string]any)[k] = v
		}
	case int:
		parent.([]any)[k] = v // an array element is never removed: its neighbours would shift
	}
	out, _ := json.Marshal(doc)
	return out
}

// addUnknown adds an undocumented key to every object of the document.
func addUnknown(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = addUnknown(e)
		}
		x["cle_inconnue_ajoutee"] = map[string]any{"n": 1, "l": []any{"a", 2, nil, true}}
	case []any:
		for i := range x {
			x[i] = addUnknown(x[i])
		}
	}
	return v
}

// envelopePath reports a member of the envelope itself (retour.traitement,
// statut…): DecodeEnvelope's concern, not the typed answers'.
func envelopePath(p []any) bool {
	for _, e := range p {
		if e == "statut" || e == "erreur" {
			return true
		}
	}
	return len(p) == 2 && p[0] == "retour" || len(p) == 1
}

func pathString(p []any) string {
	s := make([]string, len(p))
	for i, e := range p {
		s[i] = fmt.Sprint(e)
	}
	return strings.Join(s, ".")
}

// specVariant is one mutated answer: same is set when the client must
// keep exactly what it keeps of the printed example.
type specVariant struct {
	label string
	b     []byte
	same  bool
}

// specVariants mutates a spec example: any one number quoted, emptied,
// nulled or removed, a text sent as a number or a boolean, a boolean as
// "1"/"oui"/""/"true", any list or record (but the envelope's own) sent as
// "" or null, and unknown keys added everywhere.
func specVariants(t *testing.T, raw []byte) []specVariant {
	var out []specVariant
	var ls []leaf
	leaves(parseDoc(t, raw), nil, &ls)
	for _, l := range ls {
		type variant struct {
			label  string
			v      any
			remove bool
			same   bool
		}
		var variants []variant
		switch x := l.v.(type) {
		case json.Number:
			variants = append(variants, variant{"quoted", x.String(), false, true}, variant{"empty", "", false, false},
				variant{"null", nil, false, false}, variant{"removed", nil, true, false})
		case string:
			// A text sent as a number or a boolean (78280 for "78280"),
			// but not the envelope's own texts (traitement…).
			if envelopePath(l.path) {
				break
			}
			for _, v := range []any{json.Number("78280"), true} {
				variants = append(variants, variant{fmt.Sprintf("text as %v", v), v, false, false})
			}
		case bool:
			for _, s := range []string{"1", "oui", "", "true"} {
				variants = append(variants, variant{"bool " + strconv.Quote(s), s, false, false})
			}
		}
		for _, m := range variants {
			out = append(out, specVariant{pathString(l.path) + " " + m.label, mutate(t, raw, l.path, m.v, m.remove), m.same})
		}
	}
	// Every list or record (but the envelope itself) sent as "" or null.
	var containers [][]any
	var walk func(v any, path []any)
	walk = func(v any, path []any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, append(append([]any{}, path...), k))
			}
		case []any:
			for i, e := range x {
				walk(e, append(append([]any{}, path...), i))
			}
		default:
			return
		}
		// The envelope's own objects (retour, statut, erreur) are
		// DecodeEnvelope's: their shapes are not this test's.
		if n := len(path); n > 0 && path[n-1] != "retour" && path[n-1] != "statut" && path[n-1] != "erreur" {
			containers = append(containers, path)
		}
	}
	walk(parseDoc(t, raw), nil)
	for _, path := range containers {
		for _, v := range []any{"", nil} {
			out = append(out, specVariant{fmt.Sprintf("%s as %#v", pathString(path), v), mutate(t, raw, path, v, false), false})
		}
	}
	b, _ := json.Marshal(addUnknown(parseDoc(t, raw)))
	return append(out, specVariant{"with unknown keys", b, true})
}

// Every JSON example the spec prints still decodes when any one number is
// quoted, emptied, nulled or removed (booleans sent as "1"/"oui"/"", texts
// as a number or a boolean, too),
// when any list or record is sent as "" or null, and when unknown keys are
// added everywhere. A quoted number or an added
// key changes nothing the client keeps.
func TestSpecExamplesTolerateMutations(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "spec", "*.json"))
	if len(files) < 25 {
		t.Fatalf("only %d spec examples", len(files))
	}
	mutations := 0
	for _, f := range files {
		name := filepath.Base(f)
		if specRequests[name] {
			continue
		}
		decode, ok := specDecoders[name]
		if !ok {
			t.Errorf("%s: no decoder: every JSON example of the spec must be covered", name)
			continue
		}
		raw, _ := os.ReadFile(f)
		want, err := decode(raw)
		if err != nil {
			t.Fatalf("%s as printed: %v", name, err)
		}
		wantJSON, _ := json.Marshal(want)
		for _, m := range specVariants(t, raw) {
			got, err := decode(m.b)
			mutations++
			if err != nil {
				t.Errorf("%s: %s: %v", name, m.label, err)
				continue
			}
			if m.same {
				if gotJSON, _ := json.Marshal(got); !bytes.Equal(gotJSON, wantJSON) {
					t.Errorf("%s: %s changed the result:\n got %s\nwant %s", name, m.label, gotJSON, wantJSON)
				}
			}
		}
	}
	t.Logf("%d mutated answers decoded", mutations)
}

// The lenient scalars, one by one.
func TestLenientScalars(t *testing.T) {
	for in, want := range map[string]Int{`12`: 12, `"12"`: 12, `" 12 "`: 12, `""`: 0, `null`: 0, `"abc"`: 0, `12.0`: 12, `"12,5"`: 12,
		`true`: 1, `{}`: 0, `[1]`: 0, `1e3`: 1000, `99999999999`: 0} {
		var n Int
		if err := json.Unmarshal([]byte(in), &n); err != nil || n != want {
			t.Errorf("Int %s = %d %v, want %d", in, n, err, want)
		}
	}
	for in, want := range map[string]Bool{`true`: true, `1`: true, `"1"`: true, `"true"`: true, `"oui"`: true, `"OUI"`: true,
		`false`: false, `0`: false, `"0"`: false, `""`: false, `null`: false, `"non"`: false, `{}`: false} {
		var v Bool
		if err := json.Unmarshal([]byte(in), &v); err != nil || v != want {
			t.Errorf("Bool %s = %v %v, want %v", in, v, err, want)
		}
	}
	for in, want := range map[string]ID{`50651`: "50651", `"50651"`: "50651", `" 50651 "`: "50651", `""`: "", `null`: "", `0`: "",
		`"082208408879"`: "082208408879", `5.0651e4`: "50651", `{}`: "", `"A-12"`: "A-12"} {
		var v ID
		if err := json.Unmarshal([]byte(in), &v); err != nil || v != want {
			t.Errorf("ID %s = %q %v, want %q", in, v, err, want)
		}
	}
	before := Unreadable()
	var n Int
	var b Bool
	var id ID
	json.Unmarshal([]byte(`"douze"`), &n)
	json.Unmarshal([]byte(`"peut-être"`), &b)
	json.Unmarshal([]byte(`{"x":1}`), &id)
	json.Unmarshal([]byte(`""`), &n) // empty is not unreadable: the vendor's "no value"
	if got := Unreadable() - before; got < 3 {
		t.Errorf("unreadable count grew by %d, want 3", got)
	}
	var l LenientIDs
	for in, want := range map[string]string{`[45,51]`: "45,51", `["45","",null,51]`: "45,51", `"45, 51"`: "45,51", `45`: "45",
		`null`: "", `[{"id":7}]`: "7"} {
		if err := json.Unmarshal([]byte(in), &l); err != nil || strings.Join(l.Strings(), ",") != want {
			t.Errorf("LenientIDs %s = %v %v, want %s", in, l, err, want)
		}
	}
	if b, _ := json.Marshal(struct{ A, B, C ID }{"123", "082208408879", ""}); string(b) != `{"A":123,"B":"082208408879","C":""}` {
		t.Errorf("ID marshal %s", b)
	}
}

// The spec's own answers, exactly as printed, and the loose variants the
// issue lists: each one is read.
func TestVendorShapesRead(t *testing.T) {
	ctx := context.Background()
	// ws_idsession: "commande" with empty values (the printed "status": ).
	c := newSite(t, map[string][]byte{"ws_idsession": []byte(`{"retour":{"statut":{"code":603,"message":"Session initialisée","traitement":"ok"},
		"message":{"duree":"PT48H","jeton":"A25D","temps_restant":"172800","id_session":"","commande":{"id":"","temps_restant":"","status":""}}}}`)}).client(t, nil)
	s, err := c.CreateSession(ctx)
	if err != nil || s.TempsRestant != 172800 || s.Commande.Status != 0 || s.Commande.ID != "" {
		t.Fatalf("ws_idsession with empty commande: %+v %v", s, err)
	}
	// ws_status_session with quoted ids and a quoted boolean.
	c = newSite(t, map[string][]byte{"ws_status_session": []byte(`{"retour":{"statut":{"code":604,"message":"Session identifiée","traitement":"ok"},
		"message":{"status":"1","temps_restant":"86363","login":"1","contact":{"id":"50651","id_contact":"20874"},"commande":{"id":"","temps_restant":"","status":""},"nouveau":1}}}`)}).client(t, nil)
	st, err := c.SessionStatus(ctx, "T")
	if err != nil || st.Status != 1 || !bool(st.Login) || st.Contact.IDContact != "20874" || st.Contact.ID != "50651" {
		t.Fatalf("ws_status_session quoted: %+v %v", st, err)
	}
	// liste_liens with empty ids ("vide si pas de contact"), type_export ids
	// under liste_contacts, id lists as text.
	f, err := decodeFiches([]byte(`{"statut":{"code":2,"traitement":"ok","message":"ok"},"data":{
		"liste_contacts":[45,"51"],"liste_liens":[{"id":545,"id_contact":"","id_organisme":54},{"id":"546","id_contact":45,"id_organisme":""}],
		"liste_organismes_id":"7, 8","liste_envois":[{"id":"96","label":"Lettre","code":"NL","checked":"0"}]}}`))
	if err != nil || strings.Join(f.Contacts.Strings(), ",") != "45,51" || len(f.ListeLiens) != 2 || f.ListeLiens[0].IDContact != "" ||
		f.ListeLiens[1].IDOrganisme != "" || f.ListeLiens[1].ID != "546" || strings.Join(f.Organismes.Strings(), ",") != "7,8" ||
		len(f.ListeEnvois) != 1 || f.ListeEnvois[0].ID != "96" || bool(f.ListeEnvois[0].Checked) {
		t.Fatalf("fiches: %+v %v", f, err)
	}
	// multi_valeur as a boolean, 0/1 or text; Choix label as a number.
	var cr Criteres
	if err := json.Unmarshal([]byte(`{"id_formulaire":"6869","liste_champs":[{"nom":"champ_1","multi_valeur":true},{"nom":"champ_2","multi_valeur":"0"},{"nom":"champ_3","multi_valeur":1}]}`), &cr); err != nil ||
		cr.IDFormulaire != 6869 || !bool(cr.ListeChamps[0].MultiValeur) || bool(cr.ListeChamps[1].MultiValeur) || !bool(cr.ListeChamps[2].MultiValeur) {
		t.Fatalf("criteres: %+v %v", cr, err)
	}
	var ch Choix
	if err := json.Unmarshal([]byte(`{"id":"10000096","label":2026,"code":12,"checked":"oui"}`), &ch); err != nil || ch.ID != "10000096" || ch.Label != "2026" || ch.Code != "12" || !bool(ch.Checked) {
		t.Fatalf("choix: %+v %v", ch, err)
	}
	// id_salle with and without the printed trailing space.
	for _, k := range []string{`"id_salle"`, `"id_salle "`} {
		var tk Telechargement
		if err := json.Unmarshal([]byte(`{`+k+`: 28, "statut": "", "Numerote": "1", "type": "2"}`), &tk); err != nil || tk.IDSalle != "28" || tk.Type != 2 || !bool(tk.Numerote) {
			t.Fatalf("%s: %+v %v", k, tk, err)
		}
	}
}

// Not found in the catalogue detail services is NOT_FOUND with the code of
// table 4.2, whether the document says the code or its text.
func TestDetailNotFound(t *testing.T) {
	ctx := context.Background()
	doc := func(msg string) []byte {
		return []byte(`<?xml version="1.0" encoding="UTF-8"?><ERREUR><MESSAGE>` + msg + `</MESSAGE></ERREUR>`)
	}
	c := newSite(t, map[string][]byte{
		"ws_det_spectacle": doc("Spectacle non trouvé"), "ws_det_representation": doc("204"),
		"ws_det_abonnement": doc("Abonnement non trouvé"), "ws_det_article": doc("302 Article non trouvé"),
	}).client(t, nil)
	for name, call := range map[string]func() error{
		"202": func() error { _, err := c.DetSpectacle(ctx, "1894"); return err },
		"204": func() error { _, err := c.DetRepresentation(ctx, "5235"); return err },
		"102": func() error { _, err := c.DetAbonnement(ctx, "353"); return err },
		"302": func() error { _, err := c.DetArticle(ctx, "9"); return err },
	} {
		err := call()
		if e := errs.Find(err); e == nil || !errs.Is(errs.NotFound, err) || e.Code != name {
			t.Errorf("code %s: %v (kind %v)", name, err, errs.KindOf(err))
		}
	}
	// The sandbox agrees: an unknown show is NOT_FOUND, not UPSTREAM_UNAVAILABLE.
	_, sc := sandbox(t, nil)
	if _, err := sc.DetSpectacle(ctx, "999999"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("sandbox ws_det_spectacle: %v", err)
	}
	if _, err := sc.DetRepresentation(ctx, "999999"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("sandbox ws_det_representation: %v", err)
	}
}

// An "ok" ws_info_organisme whose message is the organisation itself is
// read; an empty "ok" message is still "no such organisation".
func TestInfoOrganismeFlatMessage(t *testing.T) {
	ctx := context.Background()
	c := newSite(t, map[string][]byte{"ws_info_organisme": []byte(`{"retour":{"statut":{"code":906,"traitement":"ok","message":"La fiche organisme a été trouvée"},
		"message":{"id_organisme":"5442","intitule":"Ministère de la Culture","nature":"Administration","champ_libre6":"","contacts":[{"id":545,"id_contact":"20899","fonction":"PDG"}]}}}`)}).client(t, nil)
	o, err := c.InfoOrganisme(ctx, "5442")
	if err != nil || o.IDOrganisme != "5442" || o.Intitule != "Ministère de la Culture" || len(o.Contacts) != 1 || o.Contacts[0].IDContact != "20899" || o.Contacts[0].ID != "545" {
		t.Fatalf("flat ws_info_organisme: %+v %v", o, err)
	}
	c = newSite(t, map[string][]byte{"ws_info_organisme": []byte(`{"retour":{"statut":{"code":906,"traitement":"ok","message":"ok"},"message":{}}}`)}).client(t, nil)
	if _, err := c.InfoOrganisme(ctx, "5442"); !errs.Is(errs.NotFound, err) {
		t.Fatalf("empty ok: %v", err)
	}
}

// One odd element of the purchase XML never fails the order: an empty
// quantity, a word for an amount or a padded number are read, zero when
// unreadable.
func TestCaddyLenientNumbers(t *testing.T) {
	raw := string(read(t, "spec/det_achat.xml"))
	for _, r := range []struct{ from, to string }{
		{"<qtte>1</qtte>", "<qtte></qtte>"}, {"<montant>", "<montant> "}, {"<prix_total>", "<prix_total>n/a"},
	} {
		if !strings.Contains(raw, r.from) {
			t.Fatalf("det_achat.xml has no %s", r.from)
		}
		raw = strings.Replace(raw, r.from, r.to, 1)
	}
	c, err := ParseCaddy([]byte(raw))
	if err != nil || c.ID != "073101758907" || c.Transaction.Montant != 7540 {
		t.Fatalf("lenient caddy: %+v %v", c, err)
	}
}

// date_fin of ws_cat_histo_achat is a later day than date_debut: two times
// of one Paris day are refused before any call.
func TestHistoDateFinLaterDay(t *testing.T) {
	s := newSite(t, map[string][]byte{"ws_cat_histo_achat": read(t, "spec/cat_histo_achat.xml")})
	c := s.client(t, nil)
	ctx := context.Background()
	_, err := c.CatHistoAchat(ctx, HistoFilter{From: paris(2019, 7, 1, 0, 0, 0), To: paris(2019, 7, 1, 23, 0, 0)})
	if e := errs.Find(err); e == nil || !errs.Is(errs.Invalid, err) || e.Field != "date_fin" {
		t.Fatalf("same day: %v", err)
	}
	if _, err := c.CatHistoAchat(ctx, HistoFilter{From: paris(2019, 7, 1, 23, 0, 0), To: paris(2019, 7, 2, 0, 30, 0)}); err != nil {
		t.Fatalf("next day: %v", err)
	}
	if len(s.reqs) != 1 || s.reqs[0].Form.Get("date_fin") != "02/07/2019" || s.reqs[0].Form.Get("date_debut") != "01/07/2019" {
		t.Fatalf("requests %+v", s.reqs)
	}
}
