package graph_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/guichet/guichet/app/route"
	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/internal/apitest"
)

// serve posts a query to h with headers and decodes the answer.
func serve(t *testing.T, h http.Handler, headers map[string]string, q string, vars map[string]any) response {
	t.Helper()
	return apitest.Decode(t, apitest.Serve(t, h, apitest.Request{Query: q, Vars: vars, Headers: headers}), nil)
}

// Ensure _entities and _service are kept for the federation router when
// its secret is configured, and that _service follows the introspection
// switch for everyone else.
func TestRouterSecret(t *testing.T) {
	const secret = "router-secret-0123456789"
	keys := graph.NewKeys([]string{backOfficeKey})
	keys.SetRouterSecret(secret)
	r := &graph.Resolver{Catalogue: &catalogue.Store{}}
	routerOnly := route.GraphQL{Executor: graph.NewHandler(r, graph.Options{Introspection: true, RouterOnly: true}), Keys: keys}.Handler()
	closed := route.GraphQL{Executor: graph.NewHandler(r, graph.Options{}), Keys: keys}.Handler()
	router := map[string]string{graph.RouterSecretHeader: secret}
	wrong := map[string]string{graph.RouterSecretHeader: "router-secret-0123456788"}
	entities := `{ _entities(representations: [{__typename: "Show", id: "1"}]) { __typename } }`
	for _, c := range []struct {
		name    string
		h       http.Handler
		headers map[string]string
		query   string
		code    string
	}{
		{"entities without the secret", routerOnly, nil, entities, "FORBIDDEN"},
		{"entities with a wrong secret", routerOnly, wrong, entities, "FORBIDDEN"},
		{"entities with a back-office key only", routerOnly, map[string]string{"Authorization": "Bearer " + backOfficeKey}, entities, "FORBIDDEN"},
		{"service without the secret", routerOnly, nil, `{ _service { sdl } }`, "FORBIDDEN"},
		{"service with the secret", routerOnly, router, `{ _service { sdl } }`, ""},
		{"service, introspection off", closed, nil, `{ _service { sdl } }`, "FORBIDDEN"},
	} {
		got := serve(t, c.h, c.headers, c.query, nil)
		if codeOf(got) != c.code {
			t.Fatalf("%s: %+v", c.name, got.Errors)
		}
		if c.code == "" && !strings.Contains(string(got.Data), "type Query") {
			t.Fatalf("%s: no SDL: %.200s", c.name, got.Data)
		}
	}
	// The router reaches entities (the catalogue is empty here: its
	// store's own error, not a refusal).
	if got := serve(t, routerOnly, router, entities, nil); codeOf(got) == "FORBIDDEN" {
		t.Fatalf("router refused: %+v", got.Errors)
	}
	// With introspection off the router still gets the SDL it composes from.
	if got := serve(t, route.GraphQL{Executor: graph.NewHandler(r, graph.Options{RouterOnly: true}), Keys: keys}.Handler(), router, `{ _service { sdl } }`, nil); codeOf(got) != "" {
		t.Fatalf("router, introspection off: %+v", got.Errors)
	}
}

// Ensure an answer carries at most 50 errors, the rest counted in one.
func TestErrorListCapped(t *testing.T) {
	h := graph.NewHandler(&graph.Resolver{Catalogue: &catalogue.Store{}}, graph.Options{Introspection: true})
	var b strings.Builder
	for i := 0; i < 90; i++ {
		fmt.Fprintf(&b, " nope%d", i)
	}
	got := serve(t, h, nil, "{ venues {"+b.String()+" } }", nil)
	if len(got.Errors) != 51 || got.Errors[50].Extensions["code"] != "TOO_MANY_ERRORS" || got.Errors[50].Extensions["omitted"] != float64(40) {
		t.Fatalf("%d errors, last %+v", len(got.Errors), got.Errors[len(got.Errors)-1])
	}
	// Suggestions name fields only when introspection is on.
	if got := serve(t, h, nil, `{ venue { id } }`, nil); !strings.Contains(got.Errors[0].Message, "Did you mean") {
		t.Fatalf("introspection on: %+v", got.Errors)
	}
}

// Ensure text arguments refuse control characters and bidirectional
// overrides naming the field, accept line breaks where text may span lines,
// and that Int arguments stay within 32 bits.
func TestArgumentHygiene(t *testing.T) {
	e := newEnv(t)

	upsert := `mutation($i: SubscriberInput!) { upsertSubscriber(input: $i) { code } }`
	for _, c := range []struct {
		name  string
		query string
		vars  map[string]any
		field string
	}{
		{"NUL in a variable", upsert, map[string]any{"i": map[string]any{"code": 240001, "lastName": "Ma\x00rtin"}}, "input.lastName"},
		{"newline in a one-line field", upsert, map[string]any{"i": map[string]any{"code": 240001, "city": "Rennes\nCedex"}}, "input.city"},
		{"bidi override", upsert, map[string]any{"i": map[string]any{"code": 240001, "firstName": "Ca\u202emille"}}, "input.firstName"},
		{"escape in an address line", upsert, map[string]any{"i": map[string]any{"code": 240001, "addressLines": []any{"1 rue", "\x1b[31m"}}}, "input.addressLines[1]"},
		{"DEL inline", `mutation { upsertSubscriber(input: {code: 240001, company: "A\u007fB"}) { code } }`, nil, "input.company"},
		{"Int beyond 32 bits inline", `{ subscriber(code: 4294967296) { code } }`, nil, ""},
		{"Int beyond 32 bits in a variable", `query($c: Int!) { subscriber(code: $c) { code } }`, map[string]any{"c": 4294967296}, ""},
		{"16,000-character lastName", upsert, map[string]any{"i": map[string]any{"code": 240001, "lastName": strings.Repeat("x", 16000)}}, "input.lastName"},
	} {
		got := e.backOffice(c.query, c.vars, nil)
		code := codeOf(got)
		if code != "BAD_USER_INPUT" && !(c.field == "" && code == "GRAPHQL_VALIDATION_FAILED") {
			t.Fatalf("%s: %+v", c.name, got.Errors)
		}
		if c.field != "" && got.Errors[0].Extensions["field"] != c.field {
			t.Fatalf("%s: field %v, want %s (%s)", c.name, got.Errors[0].Extensions["field"], c.field, got.Errors[0].Message)
		}
	}
	if n := e.crm.Calls()["SaveSubscriber"]; n != 0 {
		t.Fatalf("%d refused updates reached the CRM", n)
	}
}
