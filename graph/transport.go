package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// HTTPTransport serves GraphQL over HTTP, POST (application/json) and GET
// (queries only), in place of gqlgen's transport.POST and transport.GET.
//
// Why: gqlgen writes every answer with json.Marshal, which re-validates,
// compacts and copies the whole data it has just produced (9% of the CPU
// of an uncached 92 KB listing); here a successful answer is written as
// {"data":…} around gqlgen's bytes. It also follows the GraphQL-over-HTTP
// spec where gqlgen does not (graphql-http's audit, e2e/audit): a request
// that cannot execute (parse, validation, variable errors) is 200 under
// Accept: application/json and 400 under application/graphql-response+json,
// and its answer has no data entry.
type HTTPTransport struct{}

var _ graphql.Transport = HTTPTransport{}

const (
	typeJSON            = "application/json"
	typeGraphQLResponse = "application/graphql-response+json"
)

// Supports is GET, or POST with a JSON body; never a protocol upgrade.
func (HTTPTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	if r.Method == http.MethodGet {
		return true
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && r.Method == http.MethodPost && mt == typeJSON
}

func (t HTTPTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctype := responseType(r.Header.Get("Accept"))
	w.Header().Set("Content-Type", ctype)
	raw := &graphql.RawParams{Headers: r.Header}
	raw.ReadTime.Start = graphql.Now()
	if r.Method == http.MethodGet {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeRequestError(w, http.StatusBadRequest, err.Error())
			return
		}
		raw.Query, raw.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" && decodeJSON(strings.NewReader(v), &raw.Variables) != nil {
			writeRequestError(w, http.StatusBadRequest, "variables could not be decoded")
			return
		}
		if v := q.Get("extensions"); v != "" && decodeJSON(strings.NewReader(v), &raw.Extensions) != nil {
			writeRequestError(w, http.StatusBadRequest, "extensions could not be decoded")
			return
		}
	} else {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			resp := exec.DispatchError(r.Context(), gqlerror.List{gqlerror.Errorf("could not read request body")})
			w.WriteHeader(http.StatusBadRequest)
			writeResponse(w, resp, false)
			return
		}
		if err := decodeJSON(bytes.NewReader(body), raw); err != nil {
			// Dispatched like gqlgen does, so extensions (logs, metrics)
			// see the refusal; the body is not quoted back.
			resp := exec.DispatchError(r.Context(), gqlerror.List{gqlerror.Errorf("json request body could not be decoded: %s", err)})
			w.WriteHeader(http.StatusBadRequest)
			writeResponse(w, resp, false)
			return
		}
	}
	raw.ReadTime.End = graphql.Now()

	ctx := r.Context()
	opCtx, gqlErr := exec.CreateOperationContext(ctx, raw)
	if gqlErr != nil {
		status := http.StatusOK
		if ctype == typeGraphQLResponse && errcode.GetErrorKind(gqlErr) == errcode.KindProtocol {
			status = http.StatusBadRequest
		}
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), gqlErr)
		w.WriteHeader(status)
		writeResponse(w, resp, false) // it did not execute: no data entry
		return
	}
	if r.Method == http.MethodGet {
		if op := opCtx.Doc.Operations.ForName(opCtx.OperationName); op == nil || op.Operation != ast.Query {
			writeRequestError(w, http.StatusNotAcceptable, "GET requests only allow query operations")
			return
		}
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	writeResponse(w, responses(ctx), true)
}

func decodeJSON(r io.Reader, v any) error {
	d := json.NewDecoder(r)
	d.UseNumber()
	return d.Decode(v)
}

// responseType negotiates the answer's media type from Accept, as gqlgen's
// transports do (application/json when nothing says otherwise).
func responseType(accept string) string {
	if accept == "" {
		return typeJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", typeJSON:
			return typeJSON
		case typeGraphQLResponse:
			return mt
		}
	}
	return typeGraphQLResponse
}

// writeRequestError answers a request refused before GraphQL parsing
// (codedErrors gives it its extensions.code).
func writeRequestError(w http.ResponseWriter, status int, msg string) {
	w.WriteHeader(status)
	writeResponse(w, &graphql.Response{Errors: gqlerror.List{{Message: msg}}}, false)
}

// htmlEscapes are encoding/json's escapes of the characters it escapes by
// default (<, >, &, U+2028, U+2029); answers keep the bytes gqlgen's
// transport sent.
var htmlEscapes = [...][]byte{'<': []byte(`\u003c`), '>': []byte(`\u003e`), '&': []byte(`\u0026`)}

var lineSeparators = [2][]byte{[]byte(`\u2028`), []byte(`\u2029`)}

// writeHTMLEscaped writes JSON b as json.HTMLEscape would, straight to w:
// the runs between characters to escape as they are, no copy of b. The
// bytes that may need an escape are found with bytes.IndexByte, one search
// per kind (vectorised), instead of a loop over every byte (11% of the
// uncached listing's CPU; bytes.IndexAny with a non-ASCII set was 12%).
// 0xE2 starts U+2028 and U+2029, and also € in every price.
func writeHTMLEscaped(w io.Writer, b []byte) {
	var next [len(htmlSpecials)]int // next occurrence of each, len(b) when none
	for k, c := range htmlSpecials {
		next[k] = indexFrom(b, 0, c)
	}
	start := 0
	for {
		i, k := len(b), -1
		for j, n := range next {
			if n < i {
				i, k = n, j
			}
		}
		if k < 0 {
			break
		}
		var esc []byte
		end := i + 1
		if c := b[i]; c != 0xE2 {
			esc = htmlEscapes[c]
		} else if i+2 < len(b) && b[i+1] == 0x80 && b[i+2]&^1 == 0xA8 {
			// The two bytes skipped are neither 0xE2 nor ASCII: no
			// other search is affected.
			esc, end = lineSeparators[b[i+2]&1], i+3
		}
		if esc != nil {
			w.Write(b[start:i])
			w.Write(esc)
			start = end
		}
		next[k] = indexFrom(b, i+1, htmlSpecials[k])
	}
	w.Write(b[start:])
}

var htmlSpecials = [...]byte{'<', '>', '&', 0xE2}

// indexFrom is the index of c in b at or after from, or len(b).
func indexFrom(b []byte, from int, c byte) int {
	if j := bytes.IndexByte(b[from:], c); j >= 0 {
		return from + j
	}
	return len(b)
}

// writeResponse writes a response: a plain successful answer as
// {"data":…} around the executor's bytes (HTML-escaped like
// encoding/json's output when needed), anything else with encoding/json,
// the data entry left out when the request did not execute.
func writeResponse(w io.Writer, resp *graphql.Response, executed bool) {
	if len(resp.Errors) == 0 && len(resp.Extensions) == 0 && resp.Label == "" && resp.Path == nil && resp.HasNext == nil && len(resp.Data) > 0 {
		w.Write([]byte(`{"data":`))
		writeHTMLEscaped(w, resp.Data)
		w.Write([]byte(`}`))
		return
	}
	var out any = resp
	if !executed {
		out = struct {
			Errors     gqlerror.List  `json:"errors,omitempty"`
			Extensions map[string]any `json:"extensions,omitempty"`
		}{resp.Errors, resp.Extensions}
	}
	b, err := json.Marshal(out)
	if err != nil {
		// Only a value gqlgen itself produced can be here: a bug.
		panic(err)
	}
	w.Write(b)
}
