package graph_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/graph"
	"github.com/guichet/guichet/graph/loaders"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/soap"
)

// newEnvRewriting is newEnv with the sandbox's answers passed through
// rewrite, to stand for a server sending what the sandbox never does.
func newEnvRewriting(t *testing.T, rewrite func([]byte) []byte) *env {
	t.Helper()
	e := &env{t: t, aboweb: abosandbox.New(abosandbox.DefaultConfig())}
	aboSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		e.aboweb.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		body, _ := io.ReadAll(rec.Body)
		w.Write(rewrite(body))
	}))
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

// A typeClient outside the documented 0..4 is served as OTHER, the rest of
// the record intact; OTHER is refused wherever a type goes to AboWeb.
func TestSubscriberUnknownTypeIsOther(t *testing.T) {
	demo := []byte("<codeClient>" + strconv.Itoa(abosandbox.DemoCode) + "</codeClient>")
	e := newEnvRewriting(t, func(b []byte) []byte {
		if !bytes.Contains(b, demo) {
			return b
		}
		return bytes.Replace(b, []byte("<typeClient>0</typeClient>"), []byte("<typeClient>9</typeClient>"), 1)
	})
	var data struct{ Subscriber subscriberJSON }
	r := e.backOffice(`query($c: Int!) { subscriber(code: $c) { code email lastName type } }`, map[string]any{"c": abosandbox.DemoCode}, &data)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	if data.Subscriber.Type != "OTHER" || data.Subscriber.Code != abosandbox.DemoCode || data.Subscriber.LastName == "" {
		t.Fatalf("got %+v", data.Subscriber)
	}
	before := e.aboweb.Calls().Snapshot()
	for _, tc := range []struct{ q, field string }{
		{`{ subscribers(filter: {type: OTHER}) { totalCount } }`, "filter.type"},
		{`mutation { upsertSubscriber(input: {code: 240001, type: OTHER}) { code } }`, "input.type"},
		{`mutation { setSubscriberType(code: 240001, type: OTHER) { code } }`, "type"},
	} {
		r := e.backOffice(tc.q, nil, nil)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tc.field {
			t.Fatalf("%s: %+v", tc.q, r.Errors)
		}
	}
	if after := e.aboweb.Calls().Snapshot(); len(after) != len(before) {
		t.Fatalf("refused requests reached AboWeb: %v -> %v", before, after)
	}
}
