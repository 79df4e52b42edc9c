package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/sandbox/fixture"
)

// proc is one program of the stack, its output in a log file.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{} // closed when it exited, err then set
	err  error
}

// stop signals the process group and waits for the exit (at most d).
func (p *proc) stop(sig syscall.Signal, d time.Duration) (time.Duration, error, bool) {
	began := time.Now()
	syscall.Kill(-p.cmd.Process.Pid, sig)
	select {
	case <-p.done:
		return time.Since(began), p.err, true
	case <-time.After(d):
		return d, nil, false
	}
}

func start(t *testing.T, dir, name string, env []string, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, log: filepath.Join(dir, name+".log"), done: make(chan struct{})}
	f, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // node children go with it
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); f.Close(); close(p.done) }()
	t.Cleanup(func() {
		if _, _, ok := p.stop(syscall.SIGKILL, 5*time.Second); !ok {
			t.Errorf("%s (pid %d) did not exit on SIGKILL", name, p.cmd.Process.Pid)
		}
		if t.Failed() {
			b, _ := os.ReadFile(p.log)
			if len(b) > 3000 {
				b = b[len(b)-3000:]
			}
			t.Logf("--- %s log tail:\n%s", name, b)
		}
	})
	return p
}

func (p *proc) output() string { b, _ := os.ReadFile(p.log); return string(b) }

// render copies a config file of the stack with its ports replaced.
func render(t *testing.T, src, dst string, replace ...string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(replace); i += 2 {
		if !strings.Contains(string(b), replace[i]) {
			t.Fatalf("%s no longer contains %q: update the stack test with it", src, replace[i])
		}
	}
	s := strings.NewReplacer(replace...).Replace(string(b))
	if err := os.WriteFile(dst, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// gql posts a query and returns the status, data and first error code.
func gql(client *http.Client, url, query string, vars map[string]any) (int, json.RawMessage, string, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, nil, "", err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, nil, "", err
	}
	var r struct {
		Data   json.RawMessage
		Errors []struct{ Extensions struct{ Code string } }
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return res.StatusCode, nil, "", fmt.Errorf("%d %.200s", res.StatusCode, raw)
	}
	code := ""
	if len(r.Errors) > 0 {
		code = r.Errors[0].Extensions.Code
		if code == "" {
			code = "NO_CODE"
		}
	}
	return res.StatusCode, r.Data, code, nil
}

// metric sums the samples of one series family matching every label given.
func metric(t *testing.T, adminURL, name string, labels ...string) float64 {
	t.Helper()
	code, body := get(adminURL + "/metrics")
	if code != 200 {
		t.Fatalf("%s/metrics: %d", adminURL, code)
	}
	sum := 0.0
	re := regexp.MustCompile(`^` + name + `(\{[^}]*\})? (\S+)$`)
lines:
	for _, line := range strings.Split(body, "\n") {
		m := re.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, l := range labels {
			if !strings.Contains(m[1], l) {
				continue lines
			}
		}
		v, _ := strconv.ParseFloat(m[2], 64)
		sum += v
	}
	return sum
}

const showsQuery = `{ shows(first: 5) { edges { node { id title } } } }`
const loginMutation = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`

// Ensure the reference stack holds on loopback, with the compose stack's
// own config files (HAProxy, Prometheus, router) and its programs as host
// processes: two replicas behind HAProxy share Redis; a login-abuse run
// across both is held to one replica's budget; a replica's SIGTERM under
// steady load fails no request; a replica that starts later serves the
// shared snapshot without loading the season; with Redis stopped both keep
// serving the catalogue and count the Redis errors; Prometheus scrapes both
// admin ports; the federation router composes Guichet with a second
// subgraph and answers a query across the two.
func TestStack(t *testing.T) {
	requireDeploy(t, "haproxy", "redis-server", "prometheus", "node")
	root, dir := repo(t), t.TempDir()
	began := time.Now()
	for _, pkg := range []string{".", "./cmd/sandbox"} {
		out := filepath.Join(dir, map[string]string{".": "guichet", "./cmd/sandbox": "sandbox"}[pkg])
		command(t, "go", "build", "-o", out, pkg)
	}
	compose, _ := os.ReadFile(filepath.Join(root, "deploy", "compose.yaml"))
	bil, abo := bilsandbox.DefaultConfig(), abosandbox.DefaultConfig()
	for _, want := range []string{"BILLETTERIE_PASSWORD:-" + bil.Password, "BILLETTERIE_API_KEY:-" + bil.APIKey, "ABOWEB_PASSWORD:-" + abo.Password,
		"BILLETTERIE_LOGIN:-" + bil.Login, "BILLETTERIE_CLIENT:-" + bil.Client, "BILLETTERIE_API_LOGIN:-" + bil.APILogin, "BILLETTERIE_PWD_KEY:-" + bil.PwdKey, "ABOWEB_USERNAME:-" + abo.Username} {
		if !strings.Contains(string(compose), want) {
			t.Fatalf("compose.yaml's sandbox defaults no longer match the sandbox (%s)", want)
		}
	}

	port := map[string]int{}
	for _, n := range []string{"lb", "g1", "a1", "g2", "a2", "bil", "abo", "redis", "prom", "router", "reviews"} {
		port[n] = freePort(t)
	}
	addr := func(n string) string { return loopback(port[n]) }

	redis := start(t, dir, "redis", nil, "redis-server", "--port", strconv.Itoa(port["redis"]), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	start(t, dir, "sandbox", nil, filepath.Join(dir, "sandbox"), "-billetterie", addr("bil"), "-aboweb", addr("abo"))
	waitFor(t, "http://"+addr("bil")+"/_sandbox/calls", 200, 20*time.Second)

	replicaEnv := func(api, admin string) []string {
		return []string{"GUICHET_ADDR=" + addr(api), "GUICHET_ADMIN_ADDR=" + addr(admin), "GUICHET_DRAIN=3s",
			"GUICHET_REDIS_URL=redis://" + addr("redis") + "/0", "GUICHET_PROXY_HOPS=1", "GUICHET_DATA_DIR=" + filepath.Join(dir, api),
			"GUICHET_API_KEYS=stack-test-key-0123456789",
			"BILLETTERIE_URL=http://" + addr("bil") + "/", "BILLETTERIE_LOGIN=" + bil.Login, "BILLETTERIE_PASSWORD=" + bil.Password,
			"BILLETTERIE_CLIENT=" + bil.Client, "BILLETTERIE_API_URL=http://" + addr("bil") + "/", "BILLETTERIE_API_LOGIN=" + bil.APILogin,
			"BILLETTERIE_API_KEY=" + bil.APIKey, "BILLETTERIE_PWD_KEY=" + bil.PwdKey,
			"ABOWEB_URL=http://" + addr("abo") + "/ClientService", "ABOWEB_USERNAME=" + abo.Username, "ABOWEB_PASSWORD=" + abo.Password}
	}
	g1 := start(t, dir, "guichet-1", replicaEnv("g1", "a1"), filepath.Join(dir, "guichet"))
	waitFor(t, "http://"+addr("a1")+"/readyz", 200, 60*time.Second)
	g2 := start(t, dir, "guichet-2", replicaEnv("g2", "a2"), filepath.Join(dir, "guichet"))
	waitFor(t, "http://"+addr("a2")+"/readyz", 200, 60*time.Second)
	if out := g2.output(); !strings.Contains(out, "catalogue loaded from saved snapshot") || strings.Contains(out, "catalogue full load") {
		t.Fatalf("replica 2 did not start from the snapshot replica 1 shared")
	}

	cfg := filepath.Join(dir, "haproxy.cfg")
	render(t, filepath.Join(root, "deploy/haproxy/haproxy.cfg"), cfg, "bind :8080", "bind "+addr("lb"),
		"guichet-1:8080 check port 9090", addr("g1")+" check port "+strconv.Itoa(port["a1"]),
		"guichet-2:8080 check port 9090", addr("g2")+" check port "+strconv.Itoa(port["a2"]))
	command(t, "haproxy", "-c", "-f", cfg)
	start(t, dir, "haproxy", nil, "haproxy", "-db", "-f", cfg)
	lb := "http://" + addr("lb")
	waitFor(t, lb+"/readyz", 200, 20*time.Second)

	render(t, filepath.Join(root, "deploy/prometheus/prometheus.yml"), filepath.Join(dir, "prometheus.yml"),
		"guichet-1:9090", addr("a1"), "guichet-2:9090", addr("a2"), "scrape_interval: 5s", "scrape_interval: 1s")
	render(t, filepath.Join(root, "deploy/prometheus/alerts.yml"), filepath.Join(dir, "alerts.yml"))
	start(t, dir, "prometheus", nil, "prometheus", "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "tsdb"), "--web.listen-address="+addr("prom"))
	t.Logf("stack up in %v", time.Since(began).Round(100*time.Millisecond))

	client := &http.Client{Timeout: 10 * time.Second}
	a1, a2 := "http://"+addr("a1"), "http://"+addr("a2")

	t.Run("login abuse across replicas meets one budget", func(t *testing.T) {
		calls := func() int {
			_, body := get("http://" + addr("bil") + "/_sandbox/calls")
			var c map[string]int
			json.Unmarshal([]byte(body), &c)
			return c["ws_login"]
		}
		before := calls()
		codes := map[string]int{}
		for i := range 24 {
			_, _, code, err := gql(client, lb+"/graphql", loginMutation, map[string]any{"e": fixture.DemoEmail, "p": "Wrong-guess-" + strconv.Itoa(i)})
			if err != nil {
				t.Fatal(err)
			}
			codes[code]++
		}
		// One replica's budget is 5 attempts per account at once; two
		// replicas with their own buckets would have let 10 through.
		if codes["UNAUTHENTICATED"] != 5 || codes["RATE_LIMITED"] != 19 || calls()-before != 5 {
			t.Fatalf("outcomes %v, ws_login calls %d; want 5 UNAUTHENTICATED (5 calls), 19 RATE_LIMITED", codes, calls()-before)
		}
		for i, adm := range []string{a1, a2} {
			if n := metric(t, adm, "guichet_rate_limit_refusals_total", `action="login"`, `store="redis"`); n < 5 {
				t.Fatalf("replica %d refused %v logins from the shared buckets; round robin should give each about half", i+1, n)
			}
		}
	})

	t.Run("federation router", func(t *testing.T) { federation(t, dir, lb, port) })

	t.Run("SIGTERM under load fails no request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var sent, failed atomic.Int64
		var firstErr atomic.Value
		var wg sync.WaitGroup
		loadClient := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 200}}
		const rps = 300
		go func() {
			tick := time.NewTicker(time.Second / rps)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					wg.Add(1)
					go func() {
						defer wg.Done()
						sent.Add(1)
						status, data, code, err := gql(loadClient, lb+"/graphql", showsQuery, nil)
						if err != nil || status != 200 || code != "" || !bytes.Contains(data, []byte(`"title"`)) {
							failed.Add(1)
							firstErr.CompareAndSwap(nil, fmt.Sprintf("status %d code %q err %v", status, code, err))
						}
					}()
				}
			}
		}()
		time.Sleep(2 * time.Second)
		stopAt := time.Now()
		stopped, exitErr, ok := g1.stop(syscall.SIGTERM, 20*time.Second)
		if !ok {
			t.Fatal("replica 1 still running 20 s after SIGTERM")
		}
		atStop := sent.Load()
		time.Sleep(2 * time.Second) // the survivor alone
		cancel()
		wg.Wait()
		elapsed := time.Since(stopAt) + 2*time.Second
		t.Logf("%d requests in %v (%.0f/s), %d failed; replica 1 drained and exited in %v; %d requests after its exit",
			sent.Load(), elapsed.Round(time.Millisecond), float64(sent.Load())/elapsed.Seconds(), failed.Load(), stopped.Round(time.Millisecond), sent.Load()-atStop)
		if exitErr != nil {
			t.Errorf("replica 1 exit: %v", exitErr)
		}
		if stopped < 3*time.Second {
			t.Errorf("replica 1 exited %v after SIGTERM, before its 3 s drain", stopped)
		}
		if failed.Load() != 0 {
			t.Fatalf("%d of %d requests failed during the drain; first: %v", failed.Load(), sent.Load(), firstErr.Load())
		}
		if sent.Load()-atStop < 300 {
			t.Fatalf("only %d requests after replica 1 left", sent.Load()-atStop)
		}
	})

	// Replica 1 comes back: from the shared snapshot, not a season load.
	g1 = start(t, dir, "guichet-1b", replicaEnv("g1", "a1"), filepath.Join(dir, "guichet"))
	waitFor(t, a1+"/readyz", 200, 60*time.Second)
	if out := g1.output(); !strings.Contains(out, "catalogue loaded from saved snapshot") || strings.Contains(out, "catalogue full load") {
		t.Fatal("restarted replica 1 did not start from the shared snapshot")
	}

	t.Run("prometheus scrapes both admin ports", func(t *testing.T) {
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, body := get("http://" + addr("prom") + "/api/v1/query?query=" + "sum(up%7Bjob%3D%22guichet%22%7D)%20and%20count(guichet_build_info)%20%3D%3D%202")
			if strings.Contains(body, `"value":[`) && strings.Contains(body, `,"2"]`) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("Prometheus does not see both replicas up: %s", body)
			}
			time.Sleep(500 * time.Millisecond)
		}
	})

	t.Run("Redis stopped: catalogue served, errors counted", func(t *testing.T) {
		if _, _, ok := redis.stop(syscall.SIGTERM, 10*time.Second); !ok {
			t.Fatal("redis-server did not stop")
		}
		for i, r := range []struct{ api, admin string }{{"http://" + addr("g1"), a1}, {"http://" + addr("g2"), a2}} {
			before := metric(t, r.admin, "guichet_rate_limit_redis_errors_total")
			for range 3 {
				if status, data, code, err := gql(client, r.api+"/graphql", showsQuery, nil); err != nil || status != 200 || code != "" || !bytes.Contains(data, []byte(`"title"`)) {
					t.Fatalf("replica %d catalogue without Redis: %d %q %v", i+1, status, code, err)
				}
				if _, _, code, err := gql(client, r.api+"/graphql", loginMutation, map[string]any{"e": "nobody" + strconv.Itoa(i) + "@exemple.fr", "p": "Wrong-guess-1"}); err != nil || code != "UNAUTHENTICATED" {
					t.Fatalf("replica %d login without Redis: %q %v (want the local buckets to judge it)", i+1, code, err)
				}
			}
			if n := metric(t, r.admin, "guichet_rate_limit_redis_errors_total") - before; n != 3 {
				t.Fatalf("replica %d counted %v Redis errors for 3 attempts", i+1, n)
			}
			if code, _ := get(r.admin + "/readyz"); code != 200 {
				t.Fatalf("replica %d unready without Redis: %d", i+1, code)
			}
		}
		if status, _, code, err := gql(client, lb+"/graphql", showsQuery, nil); err != nil || status != 200 || code != "" {
			t.Fatalf("through the load balancer without Redis: %d %q %v", status, code, err)
		}
	})
	t.Logf("stack test took %v", time.Since(began).Round(100*time.Millisecond))
}

// federation starts the reviews subgraph and the Hive Gateway router of the
// stack (deploy/router) in front of the load balancer, and checks a query
// whose fields come from both subgraphs.
func federation(t *testing.T, dir, lb string, port map[string]int) {
	routerDir := filepath.Join(repo(t), "deploy", "router")
	if _, err := os.Stat(filepath.Join(routerDir, "node_modules", ".bin", "hive-gateway")); err != nil {
		t.Fatal("deploy/router/node_modules missing: run scripts/install-deploy.sh")
	}
	started := time.Now()
	reviews := loopback(port["reviews"])
	start(t, dir, "reviews", []string{"REVIEWS_ADDR=" + reviews}, "node", filepath.Join(routerDir, "reviews.mjs"))
	waitFor(t, "http://"+reviews+"/graphql?query=%7B__typename%7D", 200, 30*time.Second)
	router := loopback(port["router"])
	start(t, dir, "router", []string{"GUICHET_URL=" + lb + "/graphql", "REVIEWS_URL=http://" + reviews + "/graphql",
		"ROUTER_ADDR=" + router, "SUPERGRAPH=" + filepath.Join(dir, "supergraph.graphql")}, "node", filepath.Join(routerDir, "router.mjs"))
	url := "http://" + router + "/graphql"
	deadline := time.Now().Add(90 * time.Second)
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		status, data, code, err := gql(client, url, `{ shows(first: 2) { edges { node { id title reviews { author rating } } } } }`, nil)
		if err == nil && status == 200 && code == "" {
			var d struct {
				Shows struct {
					Edges []struct {
						Node struct {
							ID, Title string
							Reviews   []struct {
								Author string
								Rating int
							}
						}
					}
				}
			}
			json.Unmarshal(data, &d)
			if len(d.Shows.Edges) != 2 {
				t.Fatalf("router answer: %s", data)
			}
			for _, e := range d.Shows.Edges {
				n := e.Node
				if n.Title == "" || len(n.Reviews) != 1 || n.Reviews[0].Author != "Le Progrès" || n.Reviews[0].Rating != len(n.ID)%5+1 {
					t.Fatalf("show across subgraphs: %+v", n)
				}
			}
			t.Logf("router composed and answered across both subgraphs in %v", time.Since(started).Round(100*time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("router: %d %q %v %s", status, code, err, data)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
