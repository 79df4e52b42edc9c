package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/guichet/guichet/sandbox/fault"
)

var updateExecutorGolden = flag.Bool("update-executor-golden", false, "rewrite testdata/executor/*.json from the current answers")

// executorCase is a request that pins one part of the executor's
// semantics which graph/internal/gqlgenfix rewrites (objects written
// straight to the answer, field sets written in one loop): its answer's
// data must stay byte-identical to gqlgen's own executor's, its errors
// the same messages, codes and paths.
type executorCase struct {
	name  string
	query string
	vars  map[string]any
	auth  bool                            // the visitor's session token
	fault func(s *scenarioEnv)            // upstream faults set before the request
	check func(t *testing.T, body []byte) // what the golden file alone does not say
}

var executorCases = []executorCase{
	{name: "aliases-and-merged-fields", query: `{ shows(first: 2) { edges { node { id performances {
		id a: id prices { cat: category category category total { cents c2: cents formatted } t2: total { formatted } fee { cents } amount { cur: currency currency } zone } } } } } }`},
	{name: "typename-everywhere", query: `{ __typename shows(first: 2) { __typename pageInfo { __typename hasNextPage } edges { __typename node { __typename venue { __typename name }
		performances { __typename venue { __typename name } prices { __typename category total { __typename cents } } } } } } }`},
	{name: "fragments", query: `query { shows(first: 2) { edges { node { performances { ...P prices { ... on PerformancePrice { zone } ...Price ...Price } } } } } }
		fragment P on Performance { id prices { category } }
		fragment Price on PerformancePrice { category total { ...M } fee { ... on Money { cents } } }
		fragment M on Money { cents formatted }`},
	{name: "skip-include-on", query: `query($yes: Boolean!, $no: Boolean!) { shows(first: 2) { edges { node { performances { prices {
		category @include(if: $yes) zone @skip(if: $yes) total @include(if: $yes) { cents @skip(if: $no) formatted @include(if: $no) }
		fee @skip(if: $yes) { cents } ... on PerformancePrice @include(if: $no) { amount { cents } } } } } } } }`,
		vars: map[string]any{"yes": true, "no": false}},
	{name: "skip-include-off", query: `query($yes: Boolean!, $no: Boolean!) { shows(first: 2) { edges { node { performances { prices {
		category @include(if: $yes) zone @skip(if: $yes) total @include(if: $yes) { cents @skip(if: $no) formatted @include(if: $no) }
		fee @skip(if: $yes) { cents } ... on PerformancePrice @include(if: $no) { amount { cents } } } } } } } }`,
		vars: map[string]any{"yes": false, "no": true}},
	{name: "plain-and-resolved-fields-mixed", query: `{ shows(first: 3) { count edges { cursor node { id title subtitle type description firstPerformanceAt
		venue { name city address } performances { id startsAt endsAt durationMinutes venue { id name } bookingUrl prices { category total { cents } } } } } } }`},
	{name: "empty-selection-lists", query: `{ venues { id name address } passes { id name prices { category amount { cents } } } }`},
	{
		// Availability is written by its plan; the seat counts failing
		// upstream make each one null with its own error and path.
		name:  "availability-error-paths",
		query: `query($id: ID!) { show(id: $id) { id performances { id availability { seatsLeft soldOut } prices { category } } } }`,
		fault: func(s *scenarioEnv) { s.bil.Faults().Set("ws_det_spectacle", fault.Rule{Mode: fault.VendorErr}) },
		check: func(t *testing.T, body []byte) {
			if !bytes.Contains(body, []byte(`"availability":null`)) || !bytes.Contains(body, []byte(`"path":["show","performances",0,"availability"]`)) {
				t.Errorf("want null seat counts with their error paths: %.600s", body)
			}
		},
	},
	{
		// A non-null field failing in a fallible object nulls its parent:
		// Contact.tickets is [Ticket!]!, me is nullable.
		name:  "non-null-error-nulls-parent",
		query: `{ me { id firstName tickets { id } } }`,
		auth:  true,
		fault: func(s *scenarioEnv) { s.bil.Faults().Set("ws_info_telechargement", fault.Rule{Mode: fault.VendorErr}) },
		check: func(t *testing.T, body []byte) {
			if !bytes.Contains(body, []byte(`"me":null`)) || !bytes.Contains(body, []byte(`"path":["me","tickets"]`)) {
				t.Errorf("want me nulled by its failing non-null tickets: %.600s", body)
			}
		},
	},
}

// Ensure the executor's answers to requests that exercise aliases, merged
// fields, fragments, @skip/@include with variables, __typename, errors
// and null propagation are what gqlgen's own executor answered (golden
// files written from the tree before gqlgenfix's steps 5 and 6).
func TestExecutorSemanticsGolden(t *testing.T) {
	s := newScenarioEnv(t, "0")
	ids := s.showIDs
	for _, c := range executorCases {
		t.Run(c.name, func(t *testing.T) {
			s.bil.Faults().Reset()
			if c.fault != nil {
				c.fault(s)
				defer s.bil.Faults().Reset()
			}
			vars := c.vars
			if vars == nil {
				vars = map[string]any{}
			}
			if _, ok := vars["id"]; !ok && bytes.Contains([]byte(c.query), []byte("$id")) {
				vars["id"] = ids[1]
			}
			var head map[string]string
			if c.auth {
				head = map[string]string{"X-Session-Token": s.token}
			}
			body, status := s.serve(t, c.query, vars, head)
			if status != http.StatusOK {
				t.Fatalf("HTTP %d: %.300s", status, body)
			}
			body = bytes.ReplaceAll(body, []byte(s.bilURL), []byte("http://billetterie.test"))
			if c.fault == nil && bytes.Contains(body, []byte(`"errors"`)) {
				t.Fatalf("unexpected errors: %.600s", body)
			}
			got := normaliseAnswer(t, body)
			file := filepath.Join("testdata", "executor", c.name+".json")
			if *updateExecutorGolden {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update-executor-golden once)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("answer differs from %s:\n got %.800s\nwant %.800s", file, got, want)
			}
			if c.check != nil {
				c.check(t, body)
			}
		})
	}
}

// normaliseAnswer keeps the data's bytes as they are and sorts the errors
// by path and message: errors of fields resolved concurrently are listed
// in the order their goroutines finish.
func normaliseAnswer(t *testing.T, body []byte) []byte {
	t.Helper()
	var r struct {
		Data   json.RawMessage   `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("answer is not JSON: %v: %.300s", err, body)
	}
	errs := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		var v any
		if err := json.Unmarshal(e, &v); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(v) // keys sorted
		errs[i] = string(b)
	}
	sort.Strings(errs)
	var out bytes.Buffer
	fmt.Fprintf(&out, "data: %s\n", r.Data)
	for _, e := range errs {
		fmt.Fprintf(&out, "error: %s\n", e)
	}
	return out.Bytes()
}
