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

// env is the API over HTTP with an in-memory CRM.
type env struct {
	t   testing.TB
	api *httptest.Server
	crm *fakeCRM
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{t: t, crm: newFakeCRM()}
	r := &graph.Resolver{Catalogue: &catalogue.Store{}, CRM: e.crm}
	h := route.GraphQL{Executor: graph.NewHandler(r, graph.Options{Introspection: true}),
		Keys: graph.NewKeys([]string{backOfficeKey}), Sources: loaders.Sources{CRM: e.crm}}.Handler()
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

func (e *env) backOffice(q string, vars map[string]any, out any) response {
	return e.query(map[string]string{"Authorization": "Bearer " + backOfficeKey}, q, vars, out)
}

func codeOf(r response) string { return r.Code() }
