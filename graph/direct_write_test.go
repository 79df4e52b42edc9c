package graph_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/graph/generated"
)

// awkward strings: every byte gqlgen escapes, a quote and a backslash,
// invalid UTF-8, a multi-byte rune, U+2028, and HTML that only the
// transport escapes.
var awkward = []string{"", "plain", "a\"b\\c", "tab\there\r\nnewline", "\x00\x01\x1f\x7f", "caf\xc3\xa9 \xff\xfe end", "\u2028 <script>&</script>", "é\"\\"}

func quoted(s string) string {
	var b bytes.Buffer
	graphql.MarshalString(s).MarshalGQL(&b)
	return b.String()
}

// run executes q with gqlgen's executor over the generated schema and
// returns the data bytes as the executor wrote them (before the transport).
func run(t *testing.T, snap *catalogue.Snapshot, q string, vars map[string]any) (string, graphql.Response) {
	t.Helper()
	store := &catalogue.Store{}
	store.Swap(snap)
	exec := executor.New(generated.NewExecutableSchema(generated.Config{Resolvers: &graph.Resolver{Catalogue: store}}))
	ctx := graphql.StartOperationTrace(context.Background())
	rc, errs := exec.CreateOperationContext(ctx, &graphql.RawParams{Query: q, Variables: vars})
	if errs != nil {
		t.Fatalf("%s: %v", q, errs)
	}
	h, ctx := exec.DispatchOperation(ctx, rc)
	resp := h(ctx)
	return string(resp.Data), *resp
}

// Ensure the objects that write themselves (gqlgenfix step 5) and the
// field sets written in one loop (step 6) quote strings, write numbers,
// nulls, aliases and __typename exactly as gqlgen's marshallers do.
func TestDirectWritersBytes(t *testing.T) {
	var venues []*catalogue.Venue
	var prices []catalogue.Price
	for i, s := range awkward {
		venues = append(venues, &catalogue.Venue{ID: "v" + string(rune('a'+i)), Name: s, Address: s})
		prices = append(prices, catalogue.Price{Category: s, Zone: s, Amount: catalogue.Money{Cents: int64(i*1000 - 2500), Currency: s}, Fee: catalogue.EUR(9_000_000_000_000_000_000 / int64(i+1))})
	}
	snap := catalogue.New("t", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), catalogue.Parts{
		Venues: venues, Passes: []*catalogue.Pass{{ID: "p1", Name: "Pass", Prices: prices}},
	})

	got, resp := run(t, snap, `{ venues { __typename id n: name name address } }`, nil)
	var want bytes.Buffer
	want.WriteString(`{"venues":[`)
	for i, v := range snap.Venues() {
		if i > 0 {
			want.WriteString(",")
		}
		addr := "null"
		if v.Address != "" {
			addr = quoted(v.Address)
		}
		want.WriteString(`{"__typename":"Venue","id":` + quoted(v.ID) + `,"n":` + quoted(v.Name) + `,"name":` + quoted(v.Name) + `,"address":` + addr + `}`)
	}
	want.WriteString(`]}`)
	if got != want.String() || len(resp.Errors) != 0 {
		t.Fatalf("venues:\n got %q\nwant %q\n%v", got, want.String(), resp.Errors)
	}

	got, resp = run(t, snap, `query($m: Boolean!) { passes { name prices { category zone @include(if: $m) amount { cents currency formatted } t: total { cents } fee { cents @skip(if: $m) } } } }`, map[string]any{"m": true})
	want.Reset()
	want.WriteString(`{"passes":[{"name":"Pass","prices":[`)
	for i, p := range prices {
		if i > 0 {
			want.WriteString(",")
		}
		want.WriteString(`{"category":` + quoted(p.Category) + `,"zone":` + quoted(p.Zone) +
			`,"amount":{"cents":` + itoa(p.Amount.Cents) + `,"currency":` + quoted(p.Amount.Currency) + `,"formatted":` + quoted(p.Amount.Formatted()) + `}` +
			`,"t":{"cents":` + itoa(p.Total().Cents) + `},"fee":{}}`)
	}
	want.WriteString(`]}]}`)
	if got != want.String() || len(resp.Errors) != 0 {
		t.Fatalf("passes:\n got %q\nwant %q\n%v", got, want.String(), resp.Errors)
	}
}

func itoa(i int64) string {
	var b bytes.Buffer
	graphql.MarshalInt64(i).MarshalGQL(&b)
	return b.String()
}

// Ensure the memory-only resolvers called without ResolveField (gqlgenfix
// step 7) keep gqlgen's answers: a null venue is null without an error,
// and a failing non-null field (a performance whose show is missing from
// the catalogue) reports its own path and code and nulls its parents up
// to the first nullable one, as through ResolveField.
func TestDirectResolversErrorsAndNulls(t *testing.T) {
	at := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	grid := &catalogue.PriceGrid{Label: "G", Prices: []catalogue.Price{{Category: "Plein", Amount: catalogue.EUR(2000)}}}
	ok := &catalogue.Performance{ID: "p1", ShowID: "s1", StartsAt: at, VenueID: "nowhere", GridLabel: "G"}
	orphan := &catalogue.Performance{ID: "p2", ShowID: "ghost", StartsAt: at.Add(time.Hour), VenueID: "v1", GridLabel: "G"}
	snap := catalogue.New("t", at, catalogue.Parts{
		Venues: []*catalogue.Venue{{ID: "v1", Name: "Grande salle"}},
		Grids:  []*catalogue.PriceGrid{grid},
		Shows:  []*catalogue.Show{{ID: "s1", Title: "Un", Performances: []*catalogue.Performance{ok, orphan}}},
	})

	got, resp := run(t, snap, `{ performance(id: "p1") { id venue { name } prices { category total { cents } } show { id title } } }`, nil)
	if want := `{"performance":{"id":"p1","venue":null,"prices":[{"category":"Plein","total":{"cents":2000}}],"show":{"id":"s1","title":"Un"}}}`; got != want || len(resp.Errors) != 0 {
		t.Fatalf("got %s %v, want %s", got, resp.Errors, want)
	}

	got, resp = run(t, snap, `{ performance(id: "p2") { id venue { name } show { id } } }`, nil)
	if got != `{"performance":null}` || len(resp.Errors) != 1 {
		t.Fatalf("got %s %v: want the performance nulled by its failing show", got, resp.Errors)
	}
	if e := resp.Errors[0]; e.Path.String() != "performance.show" || e.Message != "graph.Performance.show: performance without its show in the catalogue" {
		t.Fatalf("error %q at %q: want the resolver's error at performance.show", e.Message, e.Path.String())
	}

	// In a list: the failing performance nulls its show's non-null list,
	// then the show, up to the nullable root field.
	got, resp = run(t, snap, `{ show(id: "s1") { id performances { id show { id } venue { name } } } }`, nil)
	if got != `{"show":null}` || len(resp.Errors) != 1 || resp.Errors[0].Path.String() != "show.performances[1].show" {
		t.Fatalf("got %s %v", got, resp.Errors)
	}
}
