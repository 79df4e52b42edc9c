// Package apitest is the GraphQL-over-HTTP test harness of every package:
// it writes a GraphQL request (POST or GET, with operation name, variables
// and extensions), sends it to a handler or a server, and reads the answer.
// The route it is sent to is the real one (app/route), so tests exercise
// what production serves.
package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// Request is one GraphQL request.
type Request struct {
	GET     bool // query string instead of a JSON body
	Query   string
	Op      string // operationName
	Vars    map[string]any
	Ext     map[string]any // extensions (persisted query hashes)
	Headers map[string]string
}

// HTTP is the request to base (a server URL, or "" for an in-process
// request) + /graphql, unless base already names a path.
func (q Request) HTTP(t testing.TB, base string) *http.Request {
	t.Helper()
	target := base
	if u, err := url.Parse(base); err != nil || u.Path == "" || u.Path == "/" {
		target = base + "/graphql"
	}
	var r *http.Request
	var err error
	if q.GET {
		v := url.Values{}
		if q.Query != "" {
			v.Set("query", q.Query)
		}
		if q.Op != "" {
			v.Set("operationName", q.Op)
		}
		if q.Vars != nil {
			b, _ := json.Marshal(q.Vars)
			v.Set("variables", string(b))
		}
		if q.Ext != nil {
			b, _ := json.Marshal(q.Ext)
			v.Set("extensions", string(b))
		}
		target += "?" + v.Encode()
		if base == "" {
			r = httptest.NewRequest(http.MethodGet, target, nil)
		} else {
			r, err = http.NewRequest(http.MethodGet, target, nil)
		}
	} else {
		body := map[string]any{"query": q.Query}
		if q.Op != "" {
			body["operationName"] = q.Op
		}
		if q.Vars != nil {
			body["variables"] = q.Vars
		}
		if q.Ext != nil {
			body["extensions"] = q.Ext
		}
		b, _ := json.Marshal(body)
		if base == "" {
			r = httptest.NewRequest(http.MethodPost, target, bytes.NewReader(b))
		} else {
			r, err = http.NewRequest(http.MethodPost, target, bytes.NewReader(b))
		}
		if err == nil {
			r.Header.Set("Content-Type", "application/json")
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range q.Headers {
		r.Header.Set(k, v)
	}
	return r
}

// Serve runs q through h in process.
func Serve(t testing.TB, h http.Handler, q Request) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, q.HTTP(t, ""))
	return w
}

// Error is one entry of a GraphQL answer's errors.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Response is a decoded GraphQL answer.
type Response struct {
	Status int             `json:"-"`
	Header http.Header     `json:"-"`
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Code is the extensions.code of the first error, "" without errors.
func (r Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Do sends q to the server at base over real HTTP and decodes the answer;
// data goes into out when out is not nil and data is not null.
func Do(t testing.TB, base string, q Request, out any) Response {
	t.Helper()
	res, err := http.DefaultClient.Do(q.HTTP(t, base))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, res.StatusCode, res.Header, body, out)
}

// Decode reads the answer w recorded; data goes into out as for Do.
func Decode(t testing.TB, w *httptest.ResponseRecorder, out any) Response {
	t.Helper()
	return decode(t, w.Code, w.Header(), w.Body.Bytes(), out)
}

func decode(t testing.TB, status int, h http.Header, body []byte, out any) Response {
	t.Helper()
	r := Response{Status: status, Header: h}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("status %d, body %.300q: %v", status, body, err)
	}
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			t.Fatalf("data %s: %v", r.Data, err)
		}
	}
	return r
}
