package billetterie

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/guichet/guichet/errs"
	sb "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/sandbox/fixture"
)

// The single-pass reader (unmarshalJSON, DecodeEnvelope) is held to
// json.Unmarshal and the UnmarshalJSON methods it replaces on the client's
// paths: same values, same count of unreadable values, same typed errors,
// and a refusal wherever json.Unmarshal refuses.

var referenceDecoders = specDecodersFor(json.Unmarshal)

// onePassDecoders read the answers read through inMessage the way
// callMessage does: the message decoded into its target while the
// envelope is read.
var onePassDecoders = map[string]func([]byte) (any, error){
	"cat_contacts_liste.json":     onePass[List[Invitation]],
	"cat_listes.json":             onePass[List[Liste]],
	"ccontact.json":               onePass[contactMessage],
	"info_contact.json":           onePass[contactMessage],
	"modification_contact.json":   onePass[contactMessage],
	"idsession.json":              onePass[SessionInfo],
	"status_session.json":         onePass[SessionInfo],
	"login.json":                  onePass[LoginResult],
	"info_formulaire.json":        onePass[Formulaire],
	"recap_achat.json":            onePass[List[DetailCaddy]],
	"organisme_contacts.json":     onePass[AttachReport],
	"organisme_creation.json":     onePass[organismeMessage],
	"organisme_modification.json": onePass[organismeMessage],
	"deconnexion_session.json":    onePass[struct{}],
	"modification_pwd.json":       onePass[any],
	"suppression_compte.json":     onePass[any],
}

// onePass is inMessage through decodeWithMessage: a "ko" still yields
// what was read of the message, as envelopeOf does.
func onePass[T any](b []byte) (any, error) {
	var v T
	env, partErr, err := decodeWithMessage("ws_spec", b, &v)
	if env == nil {
		return nil, err
	}
	return v, partErr
}

// sameReading decodes b both ways with the decoders of name (and the
// one-pass reading of the message, where it applies) and reports how they
// differ ("" when they agree).
func sameReading(name string, b []byte) string {
	if d := compareReading(referenceDecoders[name], specDecoders[name], b); d != "" {
		return d
	}
	if op, ok := onePassDecoders[name]; ok {
		if d := compareReading(referenceDecoders[name], op, b); d != "" {
			return "one pass: " + d
		}
	}
	return ""
}

func compareReading(ref, dec func([]byte) (any, error), b []byte) string {
	u0 := Unreadable()
	want, wantErr := ref(b)
	u1 := Unreadable()
	got, gotErr := dec(b)
	u2 := Unreadable()
	if (wantErr == nil) != (gotErr == nil) {
		return fmt.Sprintf("error %v, json.Unmarshal's %v", gotErr, wantErr)
	}
	if wantErr != nil {
		w, g := errs.Find(wantErr), errs.Find(gotErr)
		if (w == nil) != (g == nil) {
			return fmt.Sprintf("error %v, json.Unmarshal's %v", gotErr, wantErr)
		}
		if w != nil && (w.Op != g.Op || w.Kind != g.Kind || w.Code != g.Code || w.Message != g.Message) {
			return fmt.Sprintf("error %v, json.Unmarshal's %v", gotErr, wantErr)
		}
		return ""
	}
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		return fmt.Sprintf("read\n %s\njson.Unmarshal's\n %s", gj, wj)
	}
	if u2-u1 != u1-u0 {
		return fmt.Sprintf("%d unreadable values, json.Unmarshal's %d", u2-u1, u1-u0)
	}
	return ""
}

// sameEnvelope compares the envelopes both readers make of b.
func sameReadEnvelope(service string, b []byte) string {
	want, wantErr := decodeEnvelope(service, b, json.Unmarshal)
	got, gotErr := DecodeEnvelope(service, b)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		return fmt.Sprintf("envelope error %v, json.Unmarshal's %v", gotErr, wantErr)
	}
	if (got == nil) != (want == nil) {
		return "envelope present on one side only"
	}
	if got != nil && (got.Status != want.Status || got.Detail != want.Detail ||
		!bytes.Equal(got.Message, want.Message) || !bytes.Equal(got.Retour, want.Retour)) {
		return fmt.Sprintf("envelope %+v, json.Unmarshal's %+v", *got, *want)
	}
	return ""
}

func specExamples(t *testing.T) map[string][]byte {
	files, _ := filepath.Glob(filepath.Join("testdata", "spec", "*.json"))
	out := map[string][]byte{}
	for _, f := range files {
		if name := filepath.Base(f); !specRequests[name] {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[name] = b
		}
	}
	if len(out) < 25 {
		t.Fatalf("only %d spec examples", len(out))
	}
	return out
}

func sortedNames(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Every spec example and every mutation of TestSpecExamplesTolerateMutations
// reads the same both ways.
func TestSinglePassMatchesEncodingJSONOnSpecExamples(t *testing.T) {
	examples := specExamples(t)
	n := 0
	for _, name := range sortedNames(examples) {
		raw := examples[name]
		cases := append([]specVariant{{label: "as printed", b: raw}}, specVariants(t, raw)...)
		for _, c := range cases {
			n++
			if d := sameReading(name, c.b); d != "" {
				t.Errorf("%s %s: %s", name, c.label, d)
			}
			if d := sameReadEnvelope("ws_spec", c.b); d != "" {
				t.Errorf("%s %s: %s", name, c.label, d)
			}
		}
	}
	if n < 1300 {
		t.Fatalf("only %d answers compared", n)
	}
	t.Logf("%d answers read the same both ways", n)
}

// Broken documents are refused by both readers: every prefix of every
// example (most are not JSON), and hand-made breakages.
func TestSinglePassRefusesWhatEncodingJSONRefuses(t *testing.T) {
	examples := specExamples(t)
	refused := 0
	for _, name := range sortedNames(examples) {
		raw := bytes.TrimSpace(examples[name])
		for i := 0; i < len(raw); i += 1 + len(raw)/200 {
			b := raw[:i]
			if d := sameReading(name, b); d != "" {
				t.Errorf("%s cut at %d: %s", name, i, d)
			}
			if d := sameReadEnvelope("ws_spec", b); d != "" {
				t.Errorf("%s cut at %d: %s", name, i, d)
			}
			if !json.Valid(b) {
				refused++
				if _, err := DecodeEnvelope("ws_spec", b); errs.Find(err) == nil || errs.KindOf(err) != errs.Unavailable {
					t.Errorf("%s cut at %d: %v, want an Unavailable typed error", name, i, err)
				}
			}
		}
	}
	// Each breaks one rule of the grammar that a lenient reader could let by.
	for _, doc := range []string{
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":01}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":1.}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":-}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":1e}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":+1}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":"a\x"}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":"a` + "\x01" + `"}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":"\u12G4"}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":tru}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":nul}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":[1,]}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x":1,}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{x:1}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"x" 1}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":[1 2]}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{}}} x`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{}}}}`,
		`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":'a'}}`,
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
		`{"retour":` + strings.Repeat(`{"a":`, 10001) + `1` + strings.Repeat("}", 10002),
	} {
		if json.Valid([]byte(doc)) {
			t.Fatalf("%.60s is valid JSON", doc)
		}
		if _, err := DecodeEnvelope("ws_spec", []byte(doc)); errs.KindOf(err) != errs.Unavailable {
			t.Errorf("%.80s: %v, want Unavailable", doc, err)
		}
		var v List[DetailCaddy]
		if err := decodePart("ws_spec", []byte(doc), &v); errs.KindOf(err) != errs.Unavailable {
			t.Errorf("%.80s as a part: %v, want Unavailable", doc, err)
		}
		for _, name := range sortedNames(examples) {
			if d := sameReading(name, []byte(doc)); d != "" {
				t.Errorf("%s %.60s: %s", name, doc, d)
			}
		}
		refused++
	}
	t.Logf("%d broken documents refused", refused)
}

// Shapes the spec does not print but encoding/json has rules for: keys in
// another case or escaped, duplicate keys, a value of the wrong JSON type
// in a plain field, escapes and bad UTF-8 in texts, odd numbers.
func TestSinglePassMatchesEncodingJSONOnOddShapes(t *testing.T) {
	ok := `"statut":{"code":0,"traitement":"ok"}`
	docs := []string{
		`{"retour":{` + ok + `,"message":{"contact":{"ID_CONTACT":"12","Mail":"a@b.fr","NAME":"Zoé"}}}}`,
		`{"RETOUR":{"STATUT":{"CODE":"0","Traitement":"OK"},"Message":{"jeton":123456,"commande":{"ID":7}}}}`,
		`{"retour":{` + ok + `,"message":{"\u006aeton":"t","contact":{"id_cont\u0061ct":5}}}}`,
		`{"retour":{` + ok + `,"message":{"jeton":"a","jeton":"b","commande":{"id":1},"commande":{"temps_restant":9}}}}`,
		`{"retour":{` + ok + `,"message":[{"libelle":"a\"b\\c\/d\u00e9\n","prix_total":"12,50 €","qtte":"3"},{"libelle":{"x":1}},{"qtte":[1]},5,"",null]}}`,
		`{"retour":{` + ok + `,"message":[{"libelle":"` + "caf\xe9" + `","spectacle":"\ud83c\udfad"}]}}`,
		`{"retour":{` + ok + `,"message":{"contact":{"id":-0,"id_contact":5.0651e4,"name":1E2,"mail":-1.5e-3}}}}`,
		`{"retour":{` + ok + `,"message":{"contact":""}}}`,
		`{"retour":{` + ok + `,"message":{"contact":[]}}}`,
		`{"retour":{` + ok + `,"message":{"contact":{"adresses":{"adresse1":"x"},"code_envoi":"","interet":[{"id":1},"x"]}}}}`,
		`{"retour":{` + ok + `,"erreur":{"détail":"d1"},"message":{"erreur":{"DÉTAIL":"d2"}}}}`,
		`{"retour":{"statut":{"code":"x","traitement":"ko","message":["m"]},"message":""}}`,
		`{"retour":{"statut":"","code":3,"traitement":"ko","message":"perdu"}}`,
		`{"retour":{"statut":null,"traitement":"ok","liste_telechargement":{"id_salle ":" 9 ","Code_rep":"1"},"liste_non_telechargeable":[{"ID_SALLE":4,"id_salle ":5}]}}`,
		` {"retour":{` + ok + `,"message":{}}} ` + "\n",
		`{"retour":{` + ok + `,"message":{"liste":[[1],{"a":[{}]}],"x":true,"y":false}}}`,
		`{"retour":{` + ok + `,"message":{"historique":7}}}`,
		`{"retour":{` + ok + `,"message":{"jeton":"a","commande":{"id":1}},"MESSAGE":{"temps_restant":"4"}}}`,
		`{"retour":{` + ok + `,"message":[{"qtte":"3"}],"message":[{"qtte":2}]}}`,
		`{"retour":{` + ok + `,"message":" "}}`,
		`{"retour":{` + ok + `,"message":""}}`,
		`{"retour":{` + ok + `,"message":null}}`,
		`{"retour":{` + ok + `,"message":{"contact":{"id":{}}}}}`,
		`{"retour":{"message":{"contact":{"id":1}}},"retour":{` + ok + `}}`,
		`{"retour":[]}`,
		`{"retour":""}`,
		`{"retour":null}`,
		`[]`,
		`"x"`,
		`{}`,
	}
	examples := specExamples(t)
	for _, doc := range docs {
		if !json.Valid([]byte(doc)) {
			t.Fatalf("%s is not JSON", doc)
		}
		if d := sameReadEnvelope("ws_spec", []byte(doc)); d != "" {
			t.Errorf("%s: %s", doc, d)
		}
		for _, name := range sortedNames(examples) {
			if d := sameReading(name, []byte(doc)); d != "" {
				t.Errorf("%s %s: %s", name, doc, d)
			}
		}
	}
}

// The sandbox's own answers on the account page's services (and the
// session's), read both ways into the types the client reads them into.
func TestSinglePassMatchesEncodingJSONOnSandboxAnswers(t *testing.T) {
	cfg := sb.DefaultConfig()
	srv := sb.New(cfg)
	call := func(service string, form url.Values, creds bool) []byte {
		return sandboxCall(srv, cfg, service, form, creds)
	}
	session := call("ws_idsession", url.Values{}, true)
	env, err := DecodeEnvelope("ws_idsession", session)
	if err != nil {
		t.Fatal(err)
	}
	var s SessionInfo
	if err := decodePart("ws_idsession", env.Message, &s); err != nil || s.Jeton == "" {
		t.Fatalf("no session: %v %s", err, session)
	}
	tok := s.Jeton
	login := call("ws_login", url.Values{"x_rsi_token": {tok}, "web_ident": {fixture.DemoEmail}, "web_passe": {fixture.DemoPassword}}, true)
	status := call("ws_status_session", url.Values{"x_rsi_token": {tok}}, false)
	env, err = DecodeEnvelope("ws_status_session", status)
	if err != nil {
		t.Fatal(err)
	}
	if err := decodePart("ws_status_session", env.Message, &s); err != nil || s.Contact == nil || s.Contact.IDContact == "" {
		t.Fatalf("not signed in: %v %s", err, status)
	}
	answers := []struct {
		service, spec string // spec: the example whose reading applies
		b             []byte
	}{
		{"ws_idsession", "idsession.json", session},
		{"ws_login", "login.json", login},
		{"ws_status_session", "status_session.json", status},
		{"ws_info_contact", "info_contact.json", call("ws_info_contact", url.Values{"x_rsi_token": {tok}, "id_formulaire": {"1"}}, false)},
		{"ws_info_telechargement", "info_telechargement.json", call("ws_info_telechargement", url.Values{"x_rsi_token": {tok}}, false)},
		{"ws_recap_achat", "recap_achat.json", call("ws_recap_achat", url.Values{"id_contact": {string(s.Contact.IDContact)}, "format": {"tableau"}}, true)},
		{"ws_historique_contact", "historique_contact.json", call("ws_historique_contact", url.Values{"x_rsi_token": {tok}}, false)},
		{"ws_status_session", "status_session.json", call("ws_status_session", url.Values{"x_rsi_token": {"inconnu"}}, false)},
	}
	for _, a := range answers {
		if len(a.b) < 40 {
			t.Fatalf("%s: answer %q", a.service, a.b)
		}
		if d := sameReadEnvelope(a.service, a.b); d != "" {
			t.Errorf("%s: %s", a.service, d)
		}
		if d := sameReading(a.spec, a.b); d != "" {
			t.Errorf("%s: %s", a.service, d)
		}
	}
	// The account page's answers carry something to compare.
	var tickets Telechargements
	env, err = DecodeEnvelope("ws_info_telechargement", answers[4].b)
	if err == nil {
		err = decodePart("ws_info_telechargement", env.Retour, &tickets)
	}
	if err != nil || len(tickets.Telechargeables)+len(tickets.NonTelechargeables) == 0 {
		t.Fatalf("no ticket read (%v) from %.300s", err, answers[4].b)
	}
	var lines List[DetailCaddy]
	env, err = DecodeEnvelope("ws_recap_achat", answers[5].b)
	if err == nil {
		err = decodePart("ws_recap_achat", env.Message, &lines)
	}
	if err != nil || len(lines) == 0 {
		t.Fatalf("no order line read (%v) from %.300s", err, answers[5].b)
	}
}

// FuzzSinglePass holds the single-pass reader to json.Unmarshal on
// arbitrary bytes, for every reading of the spec's answers.
func FuzzSinglePass(f *testing.F) {
	names := make([]string, 0, len(specDecoders))
	for name := range specDecoders {
		names = append(names, name)
		f.Add(read(f, "spec/"+name))
	}
	sort.Strings(names)
	f.Add([]byte(`{"retour":{"statut":{"code":0,"traitement":"ok"},"message":{"CONTACT":{"Id":"1"}}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, name := range names {
			if d := sameReading(name, b); d != "" {
				t.Fatalf("%s: %s", name, d)
			}
		}
		if d := sameReadEnvelope("ws_spec", b); d != "" {
			t.Fatal(d)
		}
	})
}

// treeNode is a recursive shape (a record holding its like): its codec
// refers to itself.
type treeNode struct {
	Name     Text            `json:"name"`
	Children List[*treeNode] `json:"children"`
	Next     *treeNode       `json:"next"`
}

// A recursive type decodes as json.Unmarshal decodes it, also when its
// codec is first built by several goroutines at once.
func TestSinglePassRecursiveTypes(t *testing.T) {
	doc := []byte(`{"name":"a","children":[{"name":"b","next":{"name":"c"}},{"name":"d","children":{"name":"e"}}],"next":null}`)
	var want treeNode
	if err := json.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 8)
	for range 8 {
		go func() {
			var got treeNode
			err := unmarshalJSON(doc, &got)
			if err == nil && !reflect.DeepEqual(got, want) {
				err = fmt.Errorf("read %+v, json.Unmarshal's %+v", got, want)
			}
			errc <- err
		}()
	}
	for range 8 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
}
