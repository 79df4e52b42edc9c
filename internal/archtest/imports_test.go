package archtest

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const module = "github.com/guichet/guichet"

// The layers, by import path relative to the module.
var (
	adapters = []string{"soap", "billetterie"}
	domains  = []string{"crm", "boxoffice", "catalogue"}
	sandbox  = "sandbox"
)

// A rule forbids packages under From (the path or below) to depend, even
// indirectly, on packages under To.
type rule struct {
	From, To string
	// Tests extends the rule to the direct imports of the packages' tests:
	// resolver tests run over fakes of the domain services, not adapters.
	Tests bool
	// Todo, when set, says why the rule does not hold yet: it is checked,
	// reported, and skipped.
	Todo string
}

func rules() []rule {
	rs := []rule{
		{From: "graph", To: "soap", Tests: true},
		{From: "graph", To: sandbox, Tests: true},
		{From: "graph", To: "billetterie", Tests: true},
	}
	for _, d := range domains {
		rs = append(rs, rule{From: d, To: sandbox, Tests: true})
		for _, a := range adapters {
			rs = append(rs, rule{From: d, To: a, Tests: true})
		}
	}
	for _, a := range adapters {
		for _, b := range adapters {
			if a != b {
				rs = append(rs, rule{From: a, To: b})
			}
		}
		rs = append(rs, rule{From: a, To: sandbox})
	}
	return rs
}

type pkg struct {
	ImportPath                string
	Deps                      []string
	TestImports, XTestImports []string
}

// listPackages runs go list over the module: every non-test package with
// its transitive dependencies.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goBin); err != nil {
		goBin = "go"
	}
	cmd := exec.Command(goBin, "list", "-deps=false", "-json=ImportPath,Deps,TestImports,XTestImports", "./...")
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: not the module root?", len(pkgs))
	}
	return pkgs
}

// under reports whether path is the package rel of the module or below it.
func under(path, rel string) bool {
	p := module + "/" + rel
	return path == p || strings.HasPrefix(path, p+"/")
}

// violations are the dependencies that break r, as "from -> to".
func violations(pkgs []pkg, r rule) []string {
	var out []string
	for _, p := range pkgs {
		if !under(p.ImportPath, r.From) {
			continue
		}
		from := strings.TrimPrefix(p.ImportPath, module+"/")
		for _, d := range p.Deps {
			if under(d, r.To) {
				out = append(out, from+" -> "+strings.TrimPrefix(d, module+"/"))
			}
		}
		if !r.Tests {
			continue
		}
		for _, d := range append(p.TestImports, p.XTestImports...) {
			if under(d, r.To) {
				out = append(out, from+" (tests) -> "+strings.TrimPrefix(d, module+"/"))
			}
		}
	}
	return out
}

// Ensure no import runs back up the layers (see doc.go).
func TestLayers(t *testing.T) {
	pkgs := listPackages(t)
	for _, r := range rules() {
		t.Run(r.From+"_not_"+r.To, func(t *testing.T) {
			v := violations(pkgs, r)
			switch {
			case r.Todo != "" && len(v) > 0:
				t.Skipf("TODO, still %d: %s (%s)", len(v), strings.Join(v, ", "), r.Todo)
			case r.Todo != "":
				t.Errorf("%s no longer depends on %s: drop the TODO of this rule", r.From, r.To)
			case len(v) > 0:
				t.Errorf("forbidden dependencies: %s", strings.Join(v, ", "))
			}
		})
	}
}

// Ensure the rules see a violation when there is one, so that a green run
// means something.
func TestLayersCatchViolations(t *testing.T) {
	pkgs := []pkg{
		{ImportPath: module + "/graph/loaders", Deps: []string{module + "/crm", module + "/soap/clientservice"}},
		{ImportPath: module + "/graphx", Deps: []string{module + "/soap"}},
		{ImportPath: module + "/crm", Deps: []string{module + "/errs"}, XTestImports: []string{module + "/sandbox/aboweb"}},
	}
	if v := violations(pkgs, rule{From: "crm", To: sandbox, Tests: true}); len(v) != 1 || v[0] != "crm (tests) -> sandbox/aboweb" {
		t.Fatalf("got %v", v)
	}
	if v := violations(pkgs, rule{From: "graph", To: "soap"}); len(v) != 1 || v[0] != "graph/loaders -> soap/clientservice" {
		t.Fatalf("got %v", v)
	}
	if v := violations(pkgs, rule{From: "crm", To: "soap"}); len(v) != 0 {
		t.Fatalf("got %v", v)
	}
}
