package aboweb

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// interopResult is what testdata/interop/client.{php,py} print.
type interopResult struct {
	Error   string `json:"error"`
	Created int    `json:"created"`
	Got     struct {
		Nom, Prenom, Email string
		TypeClient         int `json:"typeClient"`
	} `json:"got"`
	Found         int    `json:"found"`
	Pages         []int  `json:"pages"`
	Distinct      int    `json:"distinct"`
	Nb            int    `json:"nb"`
	UnknownFault  string `json:"unknown_fault"`
	UnknownMsg    string `json:"unknown_message"`
	AuthFault     string `json:"auth_fault"`
	CreateRequest string `json:"create_request"`
}

// requireTool skips (or, under GUICHET_REQUIRE_INTEROP=1 as in CI, fails)
// when a third-party SOAP stack is not installed.
func requireTool(t *testing.T, what string, probe ...string) {
	t.Helper()
	if err := exec.Command(probe[0], probe[1:]...).Run(); err != nil {
		msg := what + " is not available (" + strings.Join(probe, " ") + ": " + err.Error() + "); install it with scripts/install-interop.sh"
		if os.Getenv("GUICHET_REQUIRE_INTEROP") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// recorder keeps the request bodies, to check what the foreign stack sent.
type recorder struct {
	mu     sync.Mutex
	bodies []string
	next   http.Handler
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.bodies = append(rec.bodies, string(b))
		rec.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	rec.next.ServeHTTP(w, r)
}

func (rec *recorder) first(substr string) string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, b := range rec.bodies {
		if strings.Contains(b, substr) {
			return b
		}
	}
	return ""
}

func runInterop(t *testing.T, email string, cmd ...string) (*Server, *recorder, interopResult) {
	t.Helper()
	s := New(testConfig())
	rec := &recorder{next: s}
	ts := httptest.NewServer(rec) // a real loopback port: the scripts are other processes
	t.Cleanup(ts.Close)
	endpoint := ts.URL + "/aboweb/ClientService"
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append(cmd[1:], endpoint, DemoUsername, DemoPassword, email)
	c := exec.CommandContext(ctx, cmd[0], args...)
	var stderr bytes.Buffer
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s\n%s", cmd[0], err, out, stderr.String())
	}
	var res interopResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%s printed %q: %v\n%s", cmd[0], out, err, stderr.String())
	}
	if res.Error != "" {
		t.Fatalf("%s failed: %s\n%s", cmd[0], res.Error, stderr.String())
	}
	return s, rec, res
}

func checkInterop(t *testing.T, s *Server, res interopResult, email, prenom string) {
	t.Helper()
	c, ok := s.Client(res.Created)
	if !ok || c.Nom != "Interop" || c.Prenom != prenom || c.Email != email || c.Cp == "" {
		t.Fatalf("created client %d not stored as sent: %+v", res.Created, c)
	}
	if res.Got.Nom != "Interop" || res.Got.Prenom != prenom || res.Got.Email != email || res.Got.TypeClient != 0 {
		t.Fatalf("getClient read back %+v", res.Got)
	}
	if res.Found != res.Created {
		t.Fatalf("findClientByEmail gave %d, created %d", res.Found, res.Created)
	}
	total := 0
	for i, n := range res.Pages {
		if (i < len(res.Pages)-1 && n != 50) || n > 50 {
			t.Fatalf("pages %v", res.Pages)
		}
		total += n
	}
	if total != 521 || res.Distinct != 521 || res.Nb != 521 || len(res.Pages) != 11 {
		t.Fatalf("paged %d clients (%d distinct) in %d pages, getNbClients %d; want 521", total, res.Distinct, len(res.Pages), res.Nb)
	}
	if res.UnknownFault != "204" || res.UnknownMsg != msgNotFound {
		t.Fatalf("unknown code gave fault %q %q", res.UnknownFault, res.UnknownMsg)
	}
	if res.AuthFault != "101" {
		t.Fatalf("wrong password gave fault %q", res.AuthFault)
	}
	if s.Calls().Get("wsdl") < 1 || s.Calls().Get("getClients") != 11 {
		t.Fatalf("calls %v", s.Calls().Snapshot())
	}
}

func TestInteropPHPSoapClient(t *testing.T) {
	requireTool(t, "PHP SoapClient", "php", "-r", `exit(class_exists("SoapClient") ? 0 : 1);`)
	email := "php.interop@exemple.fr"
	s, rec, res := runInterop(t, email, "php", "testdata/interop/client.php")
	checkInterop(t, s, res, email, "Php")
	// PHP built the vendor-style request from the WSDL: prefixed wrapper,
	// unqualified children, the raw wsse header with no Type.
	req := rec.first("createOrUpdateClientEx")
	for _, want := range []string{`<ns1:createOrUpdateClientEx><client>`, `<nom>Interop</nom>`, `<wsse:Password>` + hashB64(DemoPassword) + `</wsse:Password>`} {
		if !strings.Contains(req, want) {
			t.Fatalf("PHP request lacks %s:\n%s", want, req)
		}
	}
}

func TestInteropZeep(t *testing.T) {
	// Debian's zeep lives with /usr/bin/python3 (python3 on PATH may be another).
	requireTool(t, "python3-zeep", "/usr/bin/python3", "-c", "import zeep")
	email := "zeep.interop@exemple.fr"
	s, rec, res := runInterop(t, email, "/usr/bin/python3", "testdata/interop/client.py")
	checkInterop(t, s, res, email, "Zeep")
	req := rec.first("createOrUpdateClientEx")
	if !strings.Contains(req, `#PasswordText">`+hashB64(DemoPassword)+`<`) || !strings.Contains(req, "<nom>Interop</nom>") {
		t.Fatalf("zeep request is not the expected form:\n%s", req)
	}
}
