package deploy

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Ensure the image builds with Podman from nothing but this repository,
// runs as a non-root uid on a read-only root filesystem with its sandboxes,
// answers /readyz and a GraphQL query, keeps /metrics on the admin port,
// reports its version and labels, runs `guichet sync` from the same image,
// and stays small (size reported; the target is 25 MB).
func TestImage(t *testing.T) {
	requireDeploy(t, "podman", "runc")
	start := time.Now()
	buildImages(t)

	var inspect []struct {
		Size   int64
		Config struct {
			User         string
			ExposedPorts map[string]struct{}
			Labels       map[string]string
			Entrypoint   []string
		}
	}
	if err := json.Unmarshal([]byte(command(t, "podman", "image", "inspect", "localhost/guichet:dev")), &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("inspect: %v", err)
	}
	img := inspect[0]
	rev := strings.TrimSpace(command(t, "git", "rev-parse", "HEAD"))
	if img.Config.User != "65532:65532" || img.Config.Labels["org.opencontainers.image.revision"] != rev ||
		img.Config.Labels["org.opencontainers.image.source"] == "" || img.Config.Labels["org.opencontainers.image.version"] == "" {
		t.Fatalf("config: user %q labels %v", img.Config.User, img.Config.Labels)
	}
	for _, p := range []string{"8080/tcp", "9090/tcp"} {
		if _, ok := img.Config.ExposedPorts[p]; !ok {
			t.Fatalf("port %s not exposed: %v", p, img.Config.ExposedPorts)
		}
	}
	if v := command(t, "podman", "run", "--rm", "localhost/guichet:dev", "version"); !strings.Contains(v, rev) {
		t.Fatalf("guichet version: %q, want revision %s", v, rev)
	}
	gz := compressedSize(t, "localhost/guichet:dev")
	t.Logf("image size: %.1f MB uncompressed, %.1f MB compressed (target 25 MB)", float64(img.Size)/1e6, float64(gz)/1e6)
	if img.Size > 40e6 {
		t.Errorf("image is %d bytes: something besides the binary got in", img.Size)
	}

	// guichet sync from the same image, into a volume the server then reads.
	vol := "guichet-test-data-" + strconv.Itoa(os.Getpid())
	command(t, "podman", "volume", "create", vol)
	t.Cleanup(func() { exec.Command("podman", "volume", "rm", "-f", vol).Run() })
	out := command(t, "podman", "run", "--rm", "--read-only", "--network=host", "-v", vol+":/data", "localhost/guichet:dev", "sync")
	if !strings.Contains(out, "Storage: /data") {
		t.Fatalf("guichet sync: %s", out)
	}

	api, admin := freePort(t), freePort(t)
	name := "guichet-test-" + strconv.Itoa(os.Getpid())
	command(t, "podman", "run", "-d", "--name", name, "--read-only", "--network=host", "-v", vol+":/data",
		"-e", "GUICHET_ADDR="+loopback(api), "-e", "GUICHET_ADMIN_ADDR="+loopback(admin), "-e", "GUICHET_DRAIN=1s",
		"localhost/guichet:dev")
	t.Cleanup(func() { exec.Command("podman", "rm", "-f", "-v", "-t", "0", name).Run() })
	base := "http://" + loopback(api)
	waitFor(t, base+"/readyz", 200, 30*time.Second)
	t.Logf("ready %v after start", time.Since(start).Round(100*time.Millisecond))

	body := `{"query":"{ shows(first: 2) { edges { node { id title } } } }"}`
	res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Data struct {
			Shows struct {
				Edges []struct{ Node struct{ ID, Title string } }
			}
		}
		Errors []any
	}
	json.NewDecoder(res.Body).Decode(&r)
	res.Body.Close()
	if len(r.Errors) > 0 || len(r.Data.Shows.Edges) != 2 || r.Data.Shows.Edges[0].Node.Title == "" {
		t.Fatalf("query: %+v", r)
	}
	if code, _ := get(base + "/metrics"); code != 404 {
		t.Fatalf("/metrics on the API port: %d", code)
	}
	if code, m := get("http://" + loopback(admin) + "/metrics"); code != 200 || !strings.Contains(m, `revision="`+rev+`"`) {
		t.Fatalf("admin /metrics: %d", code)
	}

	pid := strings.TrimSpace(command(t, "podman", "inspect", "--format", "{{.State.Pid}}", name))
	status, err := os.ReadFile(filepath.Join("/proc", pid, "status"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) == 5 && (f[0] == "Uid:" || f[0] == "Gid:") && (f[1] != "65532" || f[2] != "65532") {
			t.Fatalf("process runs as %s", line)
		}
	}
	// Restored the snapshot guichet sync wrote rather than loading again.
	if logs := command(t, "podman", "logs", name); !strings.Contains(logs, "catalogue loaded from saved snapshot") {
		t.Fatalf("the server did not start from the snapshot guichet sync wrote:\n%s", logs)
	}
	stopped := time.Now()
	command(t, "podman", "stop", "-t", "20", name)
	if d := time.Since(stopped); d < time.Second || d > 10*time.Second {
		t.Fatalf("stop took %v: want the 1 s drain, then a prompt exit", d)
	}
}

// compressedSize is the gzip size of the image archive, roughly what a
// registry stores and a node pulls.
func compressedSize(t *testing.T, image string) int {
	t.Helper()
	save := exec.Command("podman", "save", image)
	save.Env = append(os.Environ(), "CONTAINERS_CONF="+filepath.Join(repo(t), "deploy", "containers.conf"))
	gz := exec.Command("gzip", "-6")
	pipe, _ := save.StdoutPipe()
	gz.Stdin = pipe
	var out bytes.Buffer
	gz.Stdout = &out
	if err := gz.Start(); err != nil {
		t.Fatal(err)
	}
	if err := save.Run(); err != nil {
		t.Fatalf("podman save: %v", err)
	}
	if err := gz.Wait(); err != nil {
		t.Fatal(err)
	}
	return out.Len()
}

var imagesBuilt struct {
	sync.Once
	err error
	out string
}

// buildImages builds Guichet's and the sandbox's images once per test run
// (scripts/image.sh: compiled on the host, packed FROM scratch by Podman).
func buildImages(t *testing.T) {
	t.Helper()
	imagesBuilt.Do(func() {
		began := time.Now()
		defer func() { t.Logf("images built in %v", time.Since(began).Round(100*time.Millisecond)) }()
		cmd := exec.Command("scripts/image.sh")
		cmd.Dir = repo(t)
		cmd.Env = append(os.Environ(), "CONTAINERS_CONF="+filepath.Join(repo(t), "deploy", "containers.conf"),
			"IMAGE=localhost/guichet:dev", "SANDBOX_IMAGE=localhost/guichet-sandbox:dev")
		out, err := cmd.CombinedOutput()
		imagesBuilt.err, imagesBuilt.out = err, string(out)
	})
	if imagesBuilt.err != nil {
		t.Fatalf("scripts/image.sh: %v\n%s", imagesBuilt.err, imagesBuilt.out)
	}
}
