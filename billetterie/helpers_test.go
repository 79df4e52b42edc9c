package billetterie

import (
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// golden compares v, as indented JSON, with testdata/golden/<name>.json.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from its golden file (go test -update to accept):\n%s", name, got)
	}
}

// request is one call seen by the fake site.
type request struct {
	Method, Path, RawQuery, Body, ContentType string
	Form                                      url.Values
}

// site is a fake ticketing site: it records requests and answers a canned
// body per service name.
type site struct {
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []request
	bodies map[string][]byte
	status int
}

func newSite(t *testing.T, bodies map[string][]byte) *site {
	s := &site{bodies: bodies, status: 200}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := new(strings.Builder)
		if r.Body != nil {
			io.Copy(raw, r.Body)
		}
		form, _ := url.ParseQuery(raw.String())
		if r.Method == http.MethodGet {
			form = r.URL.Query()
		}
		name := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		s.mu.Lock()
		s.reqs = append(s.reqs, request{r.Method, r.URL.Path, r.URL.RawQuery, raw.String(), r.Header.Get("Content-Type"), form})
		status := s.status
		s.mu.Unlock()
		b, ok := s.bodies[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		w.Write(b)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) client(t *testing.T, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: s.srv.URL + "/site", Login: "xrsitest", Password: "s3cret-mdp", Client: "677", PwdKey: "k3y-pwd",
		APIURL: s.srv.URL + "/api", APILogin: "WSCE", APIKey: "s3cret-api"}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (s *site) last(t *testing.T) request {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		t.Fatal("no request")
	}
	return s.reqs[len(s.reqs)-1]
}

func (s *site) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}
