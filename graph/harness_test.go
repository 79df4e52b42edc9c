package graph_test

import (
	"net/http/httptest"
	"testing"

	"github.com/guichet/guichet/app/route"
	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/graph/loaders"
	"github.com/guichet/guichet/internal/apitest"
)

const backOfficeKey = "test-key-0123456789abcdef"

// env is the API over HTTP with an in-memory CRM and box office.
type env struct {
	t   testing.TB
	api *httptest.Server
	crm *fakeCRM
	box *fakeBoxOffice
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{t: t, crm: newFakeCRM(), box: newFakeBoxOffice()}
	r := &graph.Resolver{Catalogue: &catalogue.Store{}, CRM: e.crm, BoxOffice: e.box, Relations: e.box}
	h := route.GraphQL{Executor: graph.NewHandler(r, graph.Options{Introspection: true}),
		Keys: graph.NewKeys([]string{backOfficeKey}), Sources: loaders.Sources{CRM: e.crm, BoxOffice: e.box}}.Handler()
	e.api = httptest.NewServer(h)
	t.Cleanup(e.api.Close)
	return e
}

type (
	gqlError = apitest.Error
	response = apitest.Response
)

// query posts a GraphQL request with the given headers and decodes data
// into out (when not nil).
func (e *env) query(headers map[string]string, q string, vars map[string]any, out any) response {
	e.t.Helper()
	return apitest.Do(e.t, e.api.URL, apitest.Request{Query: q, Vars: vars, Headers: headers}, out)
}

// visitor sends the signed-in visitor's session token.
func (e *env) visitor(q string, vars map[string]any, out any) response {
	return e.query(map[string]string{"X-Session-Token": "visitor-token"}, q, vars, out)
}

func (e *env) backOffice(q string, vars map[string]any, out any) response {
	return e.query(map[string]string{"Authorization": "Bearer " + backOfficeKey}, q, vars, out)
}

func codeOf(r response) string { return r.Code() }
