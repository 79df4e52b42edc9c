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
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/soap"
)

const backOfficeKey = "test-key-0123456789abcdef"

// env is an API wired to real simulators over HTTP.
type env struct {
	t      testing.TB
	api    *httptest.Server
	aboweb *abosandbox.Server
}

func newEnv(t testing.TB) *env {
	t.Helper()
	cfg := abosandbox.DefaultConfig()
	cfg.Quirks = true // AboWeb's liberties on undocumented field types, read by every test here
	e := &env{t: t, aboweb: abosandbox.New(cfg)}
	aboSrv := httptest.NewServer(e.aboweb)
	t.Cleanup(aboSrv.Close)
	crm, err := soap.New(soap.Config{URL: aboSrv.URL + "/aboweb/ClientService", Username: abosandbox.DemoUsername, Password: abosandbox.DemoPassword})
	if err != nil {
		t.Fatal(err)
	}
	r := &graph.Resolver{Catalogue: &catalogue.Store{}, CRM: crm}
	h := graph.NewKeys([]string{backOfficeKey}).Authenticate(
		loaders.Middleware(loaders.Sources{Subscribers: crm}, graph.NewHandler(r, graph.Options{Introspection: true})))
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
