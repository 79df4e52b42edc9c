package playground

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html/template"
)

// pageTemplate is assets/index.html; html/template escapes the endpoint,
// title, query and headers for the attributes they land in.
var pageTemplate = template.Must(template.New("index.html").
	Funcs(template.FuncMap{"asset": assetURL}).
	ParseFS(embedded, "assets/index.html"))

type pageData struct {
	Title, Endpoint, Query, Headers string
}

// renderPage builds the page once per handler; it only changes with the
// options.
func renderPage(endpoint string, o Options) (body []byte, etag string, err error) {
	d := pageData{Title: o.Title, Endpoint: endpoint, Query: o.DefaultQuery}
	if d.Title == "" {
		d.Title = DefaultTitle
	}
	if d.Query == "" {
		d.Query = DefaultQuery
	}
	if len(o.Headers) > 0 {
		// GraphiQL's headers editor takes JSON text; map keys come out sorted.
		b, err := json.MarshalIndent(o.Headers, "", "  ")
		if err != nil {
			return nil, "", err
		}
		d.Headers = string(b)
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, d); err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return buf.Bytes(), `"` + hex.EncodeToString(sum[:8]) + `"`, nil
}
