package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/internal/redistest"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
)

// TestReplicaProcess is not a test: it is a Guichet server run by
// TestTwoReplicasOneSync in a child process of the test binary.
func TestReplicaProcess(t *testing.T) {
	if os.Getenv("GUICHET_TEST_REPLICA") != "1" {
		t.Skip("runs only as a child of TestTwoReplicasOneSync")
	}
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	cfg, sb := sandboxed(t, cfg)
	if err := Run(ctx, cfg, sb, logger); err != nil {
		t.Fatal(err)
	}
}

// Ensure two Guichet processes sharing a real Redis make one full load of
// the season between them, serve the same catalogue, and that a full
// reload asked of either is done once, by the lease holder, and reaches
// both.
func TestTwoReplicasOneSync(t *testing.T) {
	redisURL, _ := redistest.Start(t)
	sc := bilsandbox.DefaultConfig()
	sb := bilsandbox.New(sc)
	var mu sync.Mutex
	full, pulls := 0, 0
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "ws_programmation") {
			r.ParseForm()
			mu.Lock()
			if r.Form.Get("filtre") == "1" {
				pulls++
			} else {
				full++
			}
			mu.Unlock()
		}
		sb.ServeHTTP(w, r)
	}))
	defer upstream.Close()
	counts := func() (int, int) { mu.Lock(); defer mu.Unlock(); return full, pulls }

	const key = "replica-test-key-0123456789"
	// start launches a replica and returns a wait for its readiness, so
	// both start at once and compete for the sync lease.
	start := func(name string) func() string {
		addr := freeAddr(t)
		cmd := exec.Command(os.Args[0], "-test.run=^TestReplicaProcess$", "-test.v")
		cmd.Env = append(os.Environ(), "GUICHET_TEST_REPLICA=1", "GUICHET_ADDR="+addr, "GUICHET_REDIS_URL="+redisURL,
			"GUICHET_API_KEYS="+key, "GUICHET_SYNC_INTERVAL=1h", "GUICHET_DATA_DIR="+t.TempDir(),
			"BILLETTERIE_URL="+upstream.URL+"/", "BILLETTERIE_LOGIN="+sc.Login, "BILLETTERIE_PASSWORD="+sc.Password,
			"BILLETTERIE_CLIENT="+sc.Client, "BILLETTERIE_API_URL="+upstream.URL+"/", "BILLETTERIE_API_LOGIN="+sc.APILogin,
			"BILLETTERIE_API_KEY="+sc.APIKey, "BILLETTERIE_PWD_KEY="+sc.PwdKey)
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-done
			}
			if t.Failed() {
				t.Logf("%s logs:\n%s", name, logs.String())
			}
		})
		base := "http://" + addr
		return func() string {
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				if resp, err := http.Get(base + "/readyz"); err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						return base
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("replica %s not ready:\n%s", name, logs.String())
				}
			}
		}
	}
	waitA, waitB := start("A"), start("B")
	a, b := waitA(), waitB()
	if f, p := counts(); f != 1 || p != 0 {
		t.Fatalf("two replicas made %d full loads and %d pulls, want one full load", f, p)
	}

	type status struct {
		Leader, Shared bool
		Version        string
		Counts         struct{ Shows int }
	}
	query := func(base, q string, out any) {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": q})
		req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var env struct {
			Data   json.RawMessage
			Errors []any
		}
		if err := json.Unmarshal(raw, &env); err != nil || len(env.Errors) > 0 {
			t.Fatalf("%s: %s", q, raw)
		}
		if err := json.Unmarshal(env.Data, out); err != nil {
			t.Fatal(err)
		}
	}
	var sa, sbs struct{ CatalogueStatus status }
	query(a, `{ catalogueStatus { leader shared version counts { shows } } }`, &sa)
	query(b, `{ catalogueStatus { leader shared version counts { shows } } }`, &sbs)
	if !sa.CatalogueStatus.Shared || !sbs.CatalogueStatus.Shared || sa.CatalogueStatus.Leader == sbs.CatalogueStatus.Leader ||
		sa.CatalogueStatus.Version != sbs.CatalogueStatus.Version || sa.CatalogueStatus.Counts.Shows != 42 || sbs.CatalogueStatus.Counts.Shows != 42 {
		t.Fatalf("status A %+v, B %+v: want one leader, the same version, 42 shows", sa.CatalogueStatus, sbs.CatalogueStatus)
	}

	// A full reload asked of the follower is done by the leader, once, and
	// both serve its result.
	follower := b
	if sbs.CatalogueStatus.Leader {
		follower = a
	}
	id := sb.ShowIDs()[5]
	sb.RenameShow(id, "Le Misanthrope (nouvelle distribution)")
	var ref struct{ RefreshCatalogue status }
	query(follower, `mutation { refreshCatalogue(full: true) { version } }`, &ref)
	if f, _ := counts(); f != 2 {
		t.Fatalf("full loads after one refresh = %d, want 2 in all", f)
	}
	for _, base := range []string{a, b} {
		var show struct{ Show struct{ Title string } }
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			query(base, fmt.Sprintf(`{ show(id: %q) { title } }`, id), &show)
			if show.Show.Title == "Le Misanthrope (nouvelle distribution)" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s still serves %q", base, show.Show.Title)
			}
		}
	}
	// An operation registered as an automatic persisted query through one
	// replica runs by its hash alone on the other (shared through Redis).
	doc := `query Venues { venues { id name } }`
	sum := sha256.Sum256([]byte(doc))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	reg, _ := json.Marshal(map[string]any{"query": doc, "extensions": ext})
	resp, err := http.Post(a+"/graphql", "application/json", bytes.NewReader(reg))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	byHash, _ := json.Marshal(map[string]any{"extensions": ext})
	resp, err = http.Post(b+"/graphql", "application/json", bytes.NewReader(byHash))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(raw), `"venues"`) || strings.Contains(string(raw), "PERSISTED_QUERY_NOT_FOUND") {
		t.Fatalf("hash registered on A, asked of B: %s", raw)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
