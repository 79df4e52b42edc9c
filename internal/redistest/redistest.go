// Package redistest starts a throwaway redis-server (Debian's package,
// installed by scripts/install-redis.sh) for tests that need a real one.
package redistest

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Start runs redis-server on a free loopback port, without persistence,
// stopped at the end of the test, and returns its redis:// URL. Without
// redis-server the test is skipped, or fails when GUICHET_REQUIRE_E2E=1
// (CI), so a missing install cannot pass for a green run.
func Start(t testing.TB) (url, addr string) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("GUICHET_REQUIRE_E2E") == "1" {
			t.Fatal("redis-server not found and GUICHET_REQUIRE_E2E=1 (run scripts/install-redis.sh)")
		}
		t.Skip("redis-server not found; run scripts/install-redis.sh (GUICHET_REQUIRE_E2E=1 makes this fatal)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr = l.Addr().String()
	l.Close()
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "redis://" + addr + "/0", addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not start: %s", out.String())
		}
	}
}
