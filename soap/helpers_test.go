package soap

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// request is what a fake server saw of one call.
type request struct {
	op, username, password, passwordType string
	soapAction, contentType              string
	body                                 []byte
	params                               map[string]string // wrapper children (text of leaf elements, path-joined)
}

// parseRequest reads a request envelope namespace-aware, as a server would.
func parseRequest(t testing.TB, body []byte) request {
	r := request{body: body, params: map[string]string{}}
	d := xml.NewDecoder(bytes.NewReader(body))
	var path []xml.Name
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("request is not XML: %v", err)
			return r
		}
		switch v := tok.(type) {
		case xml.StartElement:
			path = append(path, v.Name)
			text.Reset()
			if len(path) == 3 && path[1].Local == "Body" {
				if v.Name.Space != "http://www.gesmag.com/" {
					t.Errorf("wrapper %s in namespace %q", v.Name.Local, v.Name.Space)
				}
				r.op = v.Name.Local
			}
			if v.Name.Local == "Password" {
				for _, a := range v.Attr {
					if a.Name.Local == "Type" {
						r.passwordType = a.Value
					}
				}
			}
			if len(path) > 3 && path[1].Local == "Body" && v.Name.Space != "" {
				t.Errorf("child %s is qualified (%s)", v.Name.Local, v.Name.Space)
			}
		case xml.CharData:
			text.Write(v)
		case xml.EndElement:
			switch {
			case v.Name.Local == "Username":
				r.username = text.String()
			case v.Name.Local == "Password":
				r.password = text.String()
			case len(path) > 3 && path[1].Local == "Body":
				var names []string
				for _, n := range path[3:] {
					names = append(names, n.Local)
				}
				if k := strings.Join(names, "/"); text.Len() > 0 || r.params[k] == "" {
					r.params[k] = text.String()
				}
			}
			path = path[:len(path)-1]
			text.Reset()
		}
	}
	return r
}

// fake is an httptest server answering canned bodies and recording requests.
type fake struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []request
}

func newFake(t testing.TB, answer func(r request) (int, string)) *fake {
	f := &fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		body, _ := io.ReadAll(hr.Body)
		r := parseRequest(t, body)
		r.soapAction, r.contentType = hr.Header.Get("SOAPAction"), hr.Header.Get("Content-Type")
		f.mu.Lock()
		f.reqs = append(f.reqs, r)
		f.mu.Unlock()
		status, resp := answer(r)
		w.Header().Set("Content-Type", "text/xml;charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, resp)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fake) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

// respond wraps inner in a JAX-WS style response envelope.
func respond(op, inner string) string {
	return `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns2:` +
		op + `Response xmlns:ns2="http://www.gesmag.com/">` + inner + `</ns2:` + op + `Response></S:Body></S:Envelope>`
}

const (
	testUser     = "admin.webservices@exemple.fr"
	testPassword = "s3cret-Pa55"
)

func newTestClient(t testing.TB, url string, mod func(*Config)) *Client {
	cfg := Config{URL: url, Username: testUser, Password: testPassword, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden:\ngot:  %s\nwant: %s", name, got, want)
	}
}

func fixture(t testing.TB, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var bg = context.Background()

func httptestGet(url string) ([]byte, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	return io.ReadAll(res.Body)
}
