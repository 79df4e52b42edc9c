// Package playground serves GraphiQL from assets embedded in the binary, so
// it works on an offline intranet and under a strict Content-Security-Policy.
// The bundles come from pinned npm packages (scripts/update-graphiql.sh) and
// are byte-identical to the CDN files gqlgen's own playground loads.
package playground

import (
	"bytes"
	"net/http"
	"strings"
	"time"
)

// DefaultTitle is the page title unless Options.Title says otherwise.
const DefaultTitle = "Guichet · GraphiQL"

// DefaultQuery is what the editor shows on a first visit unless
// Options.DefaultQuery says otherwise.
const DefaultQuery = `# Welcome to Guichet. Run this query with Ctrl-Enter.
{
  shows(first: 5) {
    edges {
      node {
        id
        title
      }
    }
  }
}
`

// Options adjust the page. The zero value gives the defaults.
type Options struct {
	// Title of the browser tab.
	Title string
	// DefaultQuery fills the editor on a first visit (later visits show the
	// visitor's last query, kept in localStorage).
	DefaultQuery string
	// Headers prefill GraphiQL's headers editor. They are written into the
	// page source: never put a secret here.
	Headers map[string]string
}

// Handler serves GraphiQL pointed at endpoint (a path such as "/graphql", or
// an absolute URL). It answers exactly two kinds of path, relative to where
// it is mounted: "/" (the page) and "/playground/<asset>"; everything else
// is a 404, so mounting it at "/" leaves "/graphql" and "/healthz" free.
// Mounted below a prefix, the prefix must be stripped and end in "/".
func Handler(endpoint string) http.Handler {
	return HandlerWith(endpoint, Options{})
}

// HandlerWith is Handler with Options.
func HandlerWith(endpoint string, o Options) http.Handler {
	page, tag, err := renderPage(endpoint, o)
	if err != nil {
		// Only unencodable options get here; answer 500 rather than panic.
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "playground: "+err.Error(), http.StatusInternalServerError)
		})
	}
	return &handler{page: page, pageTag: tag, policy: policyFor(endpoint)}
}

type handler struct {
	page    []byte
	pageTag string
	policy  string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var a *asset
	switch {
	case r.URL.Path == "/":
	case strings.HasPrefix(r.URL.Path, "/"+assetPrefix):
		a = assetsByHash[strings.TrimPrefix(r.URL.Path, "/"+assetPrefix)]
		if a == nil {
			http.NotFound(w, r)
			return
		}
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	hd := w.Header()
	setSecurityHeaders(hd, h.policy)
	if a == nil {
		hd.Set("Content-Type", "text/html; charset=utf-8")
		// Always revalidate the page: it names the current asset hashes.
		hd.Set("Cache-Control", "no-cache")
		hd.Set("ETag", h.pageTag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.page))
		return
	}
	hd.Set("Content-Type", a.ctype)
	// The name carries the content hash: a new version gets a new URL.
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", a.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}
