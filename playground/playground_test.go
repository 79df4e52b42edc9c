package playground

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	gqlplayground "github.com/99designs/gqlgen/graphql/playground"
)

func do(t *testing.T, h http.Handler, method, target string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// attrRef matches a src or href attribute in any quoting; anyRef counts the
// attribute names alone, so a form the first pattern misses fails the test.
var (
	attrRef = regexp.MustCompile(`(?i)\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
	anyRef  = regexp.MustCompile(`(?i)\s(?:src|href)\s*=`)
)

func refs(t *testing.T, page string) []string {
	t.Helper()
	var out []string
	for _, m := range attrRef.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]+m[2]+m[3]))
	}
	if n := len(anyRef.FindAllString(page, -1)); n != len(out) {
		t.Fatalf("%d src/href attributes but %d parsed", n, len(out))
	}
	return out
}

func checkSecurityHeaders(t *testing.T, what string, h http.Header, policy string) {
	t.Helper()
	want := map[string]string{
		"Content-Security-Policy": policy,
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

// Ensure the page names only same-origin assets, and each is served with its
// type, its embedded bytes, a content-hashed name, immutable caching and the
// security headers: the page then works offline and under the CSP.
func TestPageReferencesOnlyEmbeddedAssets(t *testing.T) {
	h := Handler("/graphql")
	policy := policyFor("/graphql")
	res, body := do(t, h, http.MethodGet, "/", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("page: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("page Cache-Control %q", cc)
	}
	checkSecurityHeaders(t, "page", res.Header, policy)
	page := string(body)
	for _, bad := range []string{"<style", "style=", "javascript:", "<script>", "on" + "load="} {
		if strings.Contains(strings.ToLower(page), bad) {
			t.Errorf("page contains %q, which the CSP would block", bad)
		}
	}
	got := refs(t, page)
	var names []string
	for _, ref := range got {
		u, err := url.Parse(ref)
		if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(ref, "//") || strings.Contains(ref, `\`) {
			t.Fatalf("reference %q is not a same-origin path", ref)
		}
		target := (&url.URL{Path: "/"}).ResolveReference(u).String()
		ares, abody := do(t, h, http.MethodGet, target, nil)
		if ares.StatusCode != 200 {
			t.Fatalf("%s: %d", target, ares.StatusCode)
		}
		// The served name is <stem>.<16 hex of sha256>.<ext> of what is served.
		hashed := path.Base(u.Path)
		ext := path.Ext(hashed)
		stem, hash, _ := strings.Cut(strings.TrimSuffix(hashed, ext), ".")
		for strings.Contains(hash, ".") { // stems such as graphiql.min
			var more string
			more, hash, _ = strings.Cut(hash, ".")
			stem += "." + more
		}
		sum := sha256.Sum256(abody)
		if hash != hex.EncodeToString(sum[:])[:16] {
			t.Errorf("%s: name hash %s does not match the content", target, hash)
		}
		name := stem + ext
		names = append(names, name)
		want, err := embedded.ReadFile("assets/" + name)
		if err != nil || string(want) != string(abody) || len(abody) == 0 {
			t.Fatalf("%s: served bytes differ from embedded %s", target, name)
		}
		wantType := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}[ext]
		if ct := ares.Header.Get("Content-Type"); wantType == "" || ct != wantType {
			t.Errorf("%s served as %q", target, ct)
		}
		if cc := ares.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", target, cc)
		}
		checkSecurityHeaders(t, target, ares.Header, policy)
	}
	slices.Sort(names)
	want := []string{"boot.js", "favicon.svg", "graphiql.min.css", "graphiql.min.js", "page.css",
		"react-dom.production.min.js", "react.production.min.js"}
	if !slices.Equal(names, want) {
		t.Fatalf("page references %v, want %v", names, want)
	}
}

// Ensure the references resolve when the handler is mounted below a prefix.
func TestWorksBelowAPathPrefix(t *testing.T) {
	h := http.StripPrefix("/tools", Handler("/graphql"))
	res, body := do(t, h, http.MethodGet, "/tools/", nil)
	if res.StatusCode != 200 {
		t.Fatalf("page: %d", res.StatusCode)
	}
	base, _ := url.Parse("/tools/")
	for _, ref := range refs(t, string(body)) {
		u, _ := url.Parse(ref)
		target := base.ResolveReference(u).String()
		if r, _ := do(t, h, http.MethodGet, target, nil); r.StatusCode != 200 {
			t.Errorf("%s: %d", target, r.StatusCode)
		}
	}
}

// Ensure the embedded bundles are the ones the refresh script recorded, and
// that the CSS pulls nothing from the network (fonts and icons are data:).
func TestBundlesMatchSHA256SUMS(t *testing.T) {
	f, err := os.Open("assets/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var checked []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("malformed line %q", sc.Text())
		}
		b, err := embedded.ReadFile("assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.Sum256(b)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: sha256 %x, SHA256SUMS says %s", name, got, sum)
		}
		checked = append(checked, name)
	}
	slices.Sort(checked)
	if want := []string{"graphiql.min.css", "graphiql.min.js", "react-dom.production.min.js", "react.production.min.js"}; !slices.Equal(checked, want) {
		t.Fatalf("SHA256SUMS lists %v, want %v", checked, want)
	}
	css, _ := embedded.ReadFile("assets/graphiql.min.css")
	for _, m := range regexp.MustCompile(`url\(\s*["']?([^"')]{0,16})`).FindAllStringSubmatch(string(css), -1) {
		if !strings.HasPrefix(m[1], "data:") {
			t.Errorf("graphiql.min.css loads url(%s…)", m[1])
		}
	}
	if strings.Contains(string(css), "@import") {
		t.Error("graphiql.min.css has an @import")
	}
}

// Ensure the embedded bundles are byte for byte the CDN files gqlgen's own
// playground pins with Subresource Integrity. When gqlgen moves to other
// versions this fails: refresh with scripts/update-graphiql.sh.
func TestBundlesAreTheFilesGqlgenPins(t *testing.T) {
	_, body := do(t, gqlplayground.Handler("t", "/graphql"), http.MethodGet, "/", nil)
	tags := regexp.MustCompile(`(?:src|href)="(https://[^"]+)"[^>]*integrity="(sha256-[^"]+)"`).FindAllStringSubmatch(string(body), -1)
	ours := map[string]string{
		"graphiql.min.js": "graphiql.min.js", "graphiql.min.css": "graphiql.min.css",
		"react.production.min.js": "react.production.min.js", "react-dom.production.min.js": "react-dom.production.min.js",
	}
	seen := 0
	for _, m := range tags {
		name, ok := ours[path.Base(m[1])]
		if !ok {
			continue // the explorer plugin, which we do not ship
		}
		b, _ := embedded.ReadFile("assets/" + name)
		sum := sha256.Sum256(b)
		if got := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); got != html.UnescapeString(m[2]) {
			t.Errorf("%s: ours %s, gqlgen pins %s at %s", name, got, m[2], m[1])
		}
		seen++
	}
	if seen != 4 {
		t.Fatalf("compared %d of 4 bundles with gqlgen's page", seen)
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	h := Handler("/graphql")
	for _, p := range []string{"/graphql", "/healthz", "/favicon.ico", "/index.html", "/playground", "/playground/",
		"/playground/graphiql.min.js", "/playground/boot.0000000000000000.js", "/playground/SHA256SUMS",
		"/playground/index.html", "/playground/../go.mod", "/playground/assets/boot.js"} {
		if res, _ := do(t, h, http.MethodGet, p, nil); res.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	boot, _ := assetURL("boot.js")
	for _, p := range []string{"/", "/" + boot} {
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions} {
			res, _ := do(t, h, m, p, nil)
			if res.StatusCode != 405 || res.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: %d Allow %q", m, p, res.StatusCode, res.Header.Get("Allow"))
			}
		}
		res, body := do(t, h, http.MethodHead, p, nil)
		if res.StatusCode != 200 || len(body) != 0 || res.Header.Get("Content-Length") == "" {
			t.Errorf("HEAD %s: %d, %d bytes", p, res.StatusCode, len(body))
		}
	}
}

func TestRevalidation(t *testing.T) {
	h := Handler("/graphql")
	boot, _ := assetURL("boot.js")
	for _, p := range []string{"/", "/" + boot} {
		res, _ := do(t, h, http.MethodGet, p, nil)
		tag := res.Header.Get("ETag")
		if tag == "" {
			t.Fatalf("%s: no ETag", p)
		}
		if again, body := do(t, h, http.MethodGet, p, map[string]string{"If-None-Match": tag}); again.StatusCode != 304 || len(body) != 0 {
			t.Errorf("%s with its ETag: %d", p, again.StatusCode)
		}
		if other, _ := do(t, h, http.MethodGet, p, map[string]string{"If-None-Match": `"stale"`}); other.StatusCode != 200 {
			t.Errorf("%s with a stale ETag: %d", p, other.StatusCode)
		}
	}
}

var dataAttr = regexp.MustCompile(`data-([a-z-]+)="([^"]*)"`)

func readPage(t *testing.T, h http.Handler) (map[string]string, string) {
	t.Helper()
	_, body := do(t, h, http.MethodGet, "/", nil)
	out := map[string]string{}
	for _, m := range dataAttr.FindAllStringSubmatch(string(body), -1) {
		out[m[1]] = html.UnescapeString(m[2])
	}
	return out, string(body)
}

// Ensure hostile option values stay data: escaped in the markup, and read
// back unchanged by boot.js through the dataset.
func TestOptionsAreEscapedAndCarried(t *testing.T) {
	endpoint := `/x"><script>alert(1)</script>`
	o := Options{
		Title:        `</title><script>alert(2)</script>`,
		DefaultQuery: "{ a }\n<b>&amp;",
		Headers:      map[string]string{"X-B": `"quoted"`, "Authorization": "Bearer demo"},
	}
	data, body := readPage(t, HandlerWith(endpoint, o))
	if strings.Contains(body, "<script>alert") {
		t.Fatal("an option escaped into markup")
	}
	if data["endpoint"] != endpoint || data["default-query"] != o.DefaultQuery {
		t.Errorf("dataset %q", data)
	}
	wantHeaders := "{\n  \"Authorization\": \"Bearer demo\",\n  \"X-B\": \"\\\"quoted\\\"\"\n}"
	if data["default-headers"] != wantHeaders {
		t.Errorf("headers %q, want %q", data["default-headers"], wantHeaders)
	}
	if !strings.Contains(body, "<title>&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;</title>") {
		t.Error("title not escaped")
	}
}

func TestDefaults(t *testing.T) {
	data, body := readPage(t, Handler("/graphql"))
	if data["endpoint"] != "/graphql" || data["default-query"] != DefaultQuery || data["default-headers"] != "" {
		t.Errorf("dataset %q", data)
	}
	if !strings.Contains(body, "<title>"+html.EscapeString(DefaultTitle)+"</title>") {
		t.Error("default title missing")
	}
	if !strings.Contains(DefaultQuery, "shows(first: 5)") {
		t.Error("default query should list shows")
	}
}

// Ensure connect-src admits the endpoint: 'self' for a path, the origin for
// an absolute URL elsewhere; scripts stay same-origin without eval.
func TestPolicyAdmitsTheEndpoint(t *testing.T) {
	if p := policyFor("/graphql"); !strings.Contains(p, "connect-src 'self';") {
		t.Errorf("path endpoint: %s", p)
	}
	p := policyFor("https://api.example.test:8443/graphql")
	if !strings.Contains(p, "connect-src 'self' https://api.example.test:8443;") {
		t.Errorf("absolute endpoint: %s", p)
	}
	res, _ := do(t, Handler("https://api.example.test:8443/graphql"), http.MethodGet, "/", nil)
	if res.Header.Get("Content-Security-Policy") != p {
		t.Error("handler does not send the endpoint's policy")
	}
	if p := policyFor("javascript:alert(1)"); !strings.Contains(p, "connect-src 'self';") {
		t.Errorf("non-HTTP endpoint widened the policy: %s", p)
	}
	for _, p := range []string{policyFor("/graphql"), p} {
		if !strings.Contains(p, "script-src 'self';") || strings.Contains(p, "unsafe-eval") ||
			!strings.Contains(p, "default-src 'none'") || !strings.Contains(p, "style-src-attr 'none'") {
			t.Errorf("policy loosened: %s", p)
		}
	}
}
