package deploy

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// requireDeploy skips unless GUICHET_REQUIRE_DEPLOY=1; then every tool
// named must be installed, or the test fails.
func requireDeploy(t *testing.T, tools ...string) {
	t.Helper()
	if os.Getenv("GUICHET_REQUIRE_DEPLOY") != "1" {
		t.Skip("deployment test: set GUICHET_REQUIRE_DEPLOY=1 (needs scripts/install-deploy.sh)")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: run scripts/install-deploy.sh", tool)
		}
	}
}

// repo is the repository's root.
func repo(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// command runs name in the repository root with the project's Podman
// settings, failing the test with its output on error.
func command(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = repo(t)
	cmd.Env = append(os.Environ(), "CONTAINERS_CONF="+filepath.Join(repo(t), "deploy", "containers.conf"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out.String())
	}
	return out.String()
}

// runQuiet runs a command in dir and returns its output and error.
func runQuiet(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// freePort is a loopback port free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func loopback(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

// get returns the status and body of a GET, or 0 when nothing answers.
func get(url string) (int, string) {
	c := http.Client{Timeout: 5 * time.Second}
	res, err := c.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// waitFor polls url until it answers want, or fails after d.
func waitFor(t *testing.T, url string, want int, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		code, body := get(url)
		if code == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d %s after %v, want %d", url, code, body, d, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
