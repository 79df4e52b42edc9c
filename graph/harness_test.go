package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/graph/loaders"
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
	h := graph.NewKeys([]string{backOfficeKey}).Authenticate(
		loaders.Middleware(loaders.Sources{CRM: e.crm, BoxOffice: e.box}, graph.NewHandler(r, graph.Options{Introspection: true})))
	e.api = httptest.NewServer(h)
	t.Cleanup(e.api.Close)
	return e
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// query posts a GraphQL request with the given headers and decodes data
// into out (when not nil).
func (e *env) query(headers map[string]string, q string, vars map[string]any, out any) response {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.api.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var r response
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		e.t.Fatalf("decode: %v", err)
	}
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			e.t.Fatalf("decode data %s: %v", r.Data, err)
		}
	}
	return r
}

// visitor sends the signed-in visitor's session token.
func (e *env) visitor(q string, vars map[string]any, out any) response {
	return e.query(map[string]string{"X-Session-Token": "visitor-token"}, q, vars, out)
}

func (e *env) backOffice(q string, vars map[string]any, out any) response {
	return e.query(map[string]string{"Authorization": "Bearer " + backOfficeKey}, q, vars, out)
}

func codeOf(r response) string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}
