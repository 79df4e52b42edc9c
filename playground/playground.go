// Package playground serves GraphiQL from assets embedded in the binary, so
// it works on an offline intranet and under a strict Content-Security-Policy.
// The assets come from the pinned npm packages (scripts/update-graphiql.sh).
package playground

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// CSP is the policy of the page and its assets. GraphiQL 4's editors
// (CodeMirror 5) and its UI library set style attributes at run time, which
// only 'unsafe-inline' in style-src allows; scripts stay same-origin only.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// DefaultQuery is what the editor shows on a first visit.
const DefaultQuery = `# Welcome to Guichet. Run this query with Ctrl-Enter.
{
  shows(first: 5) {
    edges {
      node { id title subtitle performances { startsAt venue { name } } }
    }
  }
}
`

// Handler serves the page at "/" and the assets under "/playground/".
func Handler(endpoint string) http.Handler {
	page, _ := assets.ReadFile("assets/index.html")
	page = bytes.ReplaceAll(page, []byte("{{ENDPOINT}}"), []byte(html.EscapeString(endpoint)))
	page = bytes.ReplaceAll(page, []byte("{{QUERY}}"), []byte(html.EscapeString(DefaultQuery)))
	pageTag := etag(page)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		securityHeaders(w.Header())
		if r.URL.Path == "/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			serve(w, r, page, pageTag)
			return
		}
		name, ok := strings.CutPrefix(r.URL.Path, "/playground/")
		if !ok || name == "" || strings.Contains(name, "/") || name == "index.html" {
			http.NotFound(w, r)
			return
		}
		b, err := assets.ReadFile("assets/" + name)
		if err != nil || !servable(name) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
		// Asset names are not versioned, so revalidate cheaply with the ETag.
		w.Header().Set("Cache-Control", "public, max-age=3600, must-revalidate")
		serve(w, r, b, etag(b))
	})
}

func servable(name string) bool {
	switch path.Ext(name) {
	case ".js", ".css":
		return true
	}
	return false
}

func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}

func etag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

func serve(w http.ResponseWriter, r *http.Request, b []byte, tag string) {
	w.Header().Set("ETag", tag)
	if r.Header.Get("If-None-Match") == tag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(b)
}
