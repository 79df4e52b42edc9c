package playground

import (
	"net/http"
	"net/url"
	"strings"
)

// basePolicy is the Content-Security-Policy of the page and its assets: the
// strictest measured to run GraphiQL 4 in Chromium 156 (e2e/browser/graphiql.mjs
// runs a query, opens the dialogs, history, headers and docs explorer, and
// fails on any violation).
//   - script-src 'self': every script is an embedded file, boot.js included;
//     no inline script, no eval.
//   - style-src-elem 'self' 'unsafe-inline': Radix dialogs (react-remove-scroll)
//     insert a <style> element whose text carries the scrollbar width, so no
//     fixed hash can allow it; without this, opening Settings is a violation.
//   - style-src-attr 'none': nothing sets a style attribute; React and
//     CodeMirror style through the CSSOM, which CSP does not govern.
//   - style-src 'self' 'unsafe-inline': fallback for browsers that lack the
//     -elem/-attr directives.
//   - font-src data:: graphiql.min.css inlines its fonts as data: URLs
//     (34 violations without it). img-src data:: its lint-marker icons are
//     data: PNGs.
//   - No require-trusted-types-for: React's dangerouslySetInnerHTML (docs
//     explorer Markdown) and CodeMirror hints assign innerHTML strings.
const basePolicy = "default-src 'none'; script-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; style-src-elem 'self' 'unsafe-inline'; style-src-attr 'none'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'%s; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// policyFor lets the page reach the GraphQL endpoint: 'self' covers a path;
// an absolute URL on another origin adds that origin to connect-src.
func policyFor(endpoint string) string {
	extra := ""
	if u, err := url.Parse(endpoint); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		!strings.ContainsAny(u.Host, " ;'\"") {
		extra = " " + u.Scheme + "://" + u.Host
	}
	return strings.Replace(basePolicy, "%s", extra, 1)
}

func setSecurityHeaders(h http.Header, policy string) {
	h.Set("Content-Security-Policy", policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}
