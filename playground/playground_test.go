package playground

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, method, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

var refs = regexp.MustCompile(`(?:src|href)="([^"]*)"`)

// Ensure the page references only same-origin assets, each served with its
// type and the security headers, so it works offline and under the CSP.
func TestPageReferencesOnlyEmbeddedAssets(t *testing.T) {
	h := Handler("/graphql")
	res := get(t, h, http.MethodGet, "/", nil)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res.Header.Get("Content-Security-Policy") != CSP || res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("security headers: %v", res.Header)
	}
	if !strings.Contains(string(body), `data-endpoint="/graphql"`) {
		t.Fatal("page does not name the endpoint")
	}
	if strings.Contains(string(body), "<script>") || strings.Contains(string(body), "style=") {
		t.Fatal("inline script or style would break the CSP")
	}
	found := refs.FindAllStringSubmatch(string(body), -1)
	if len(found) != 6 {
		t.Fatalf("want 6 asset references, got %d", len(found))
	}
	for _, m := range found {
		u := m[1]
		if strings.Contains(u, "//") || strings.Contains(u, ":") || !strings.HasPrefix(u, "/playground/") {
			t.Fatalf("external or relative reference %q", u)
		}
		a := get(t, h, http.MethodGet, u, nil)
		ab, _ := io.ReadAll(a.Body)
		want, _ := assets.ReadFile("assets/" + strings.TrimPrefix(u, "/playground/"))
		if a.StatusCode != 200 || string(ab) != string(want) || len(ab) == 0 {
			t.Fatalf("%s: status %d, %d bytes", u, a.StatusCode, len(ab))
		}
		ct := a.Header.Get("Content-Type")
		if (strings.HasSuffix(u, ".js") && !strings.Contains(ct, "javascript")) || (strings.HasSuffix(u, ".css") && !strings.HasPrefix(ct, "text/css")) {
			t.Fatalf("%s served as %q", u, ct)
		}
		if a.Header.Get("Content-Security-Policy") == "" {
			t.Fatalf("%s without CSP", u)
		}
	}
}

// Ensure the embedded bundles are the ones the refresh script recorded.
func TestBundlesMatchRecordedChecksums(t *testing.T) {
	f, err := os.Open("assets/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		b, err := assets.ReadFile("assets/" + fields[1])
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != fields[0] {
			t.Fatalf("%s does not match SHA256SUMS", fields[1])
		}
		n++
	}
	if n != 4 {
		t.Fatalf("checked %d bundles, want 4", n)
	}
}

func TestUnknownPathsMethodsAndRevalidation(t *testing.T) {
	h := Handler("/graphql")
	for _, p := range []string{"/playground/", "/playground/SHA256SUMS", "/playground/index.html", "/playground/../go.mod", "/other"} {
		if res := get(t, h, http.MethodGet, p, nil); res.StatusCode != 404 {
			t.Fatalf("%s: %d, want 404", p, res.StatusCode)
		}
	}
	if res := get(t, h, http.MethodPost, "/", nil); res.StatusCode != 405 {
		t.Fatalf("POST: %d", res.StatusCode)
	}
	first := get(t, h, http.MethodGet, "/playground/boot.js", nil)
	tag := first.Header.Get("ETag")
	if res := get(t, h, http.MethodGet, "/playground/boot.js", map[string]string{"If-None-Match": tag}); tag == "" || res.StatusCode != 304 {
		t.Fatalf("revalidation: tag %q status %d", tag, res.StatusCode)
	}
}

func TestEndpointIsEscaped(t *testing.T) {
	res := get(t, Handler(`/x"><script>alert(1)</script>`), http.MethodGet, "/", nil)
	b, _ := io.ReadAll(res.Body)
	if strings.Contains(string(b), "<script>alert") {
		t.Fatal("endpoint not escaped")
	}
}
