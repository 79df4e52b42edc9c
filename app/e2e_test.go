package app

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// nodeSuite runs one of the Node end-to-end scripts against a booted
// Guichet. Without its tools it skips, unless GUICHET_REQUIRE_E2E=1 (CI)
// turns the absence into a failure.
func nodeSuite(t *testing.T, dir, script string, env ...string) {
	t.Helper()
	need := os.Getenv("GUICHET_REQUIRE_E2E") == "1"
	missing := ""
	if _, err := exec.LookPath("node"); err != nil {
		missing = "node"
	} else if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		missing = dir + "/node_modules (run scripts/install-test-deps.sh)"
	}
	if missing != "" {
		if need {
			t.Fatalf("GUICHET_REQUIRE_E2E=1 but %s is missing", missing)
		}
		t.Skipf("%s missing; scripts/install-test-deps.sh installs it", missing)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("%s/%s: %v", dir, script, err)
	}
}

// Ensure Guichet composes as a Federation v2 subgraph in Apollo Gateway
// with a second subgraph that extends Show, in both directions.
func TestE2EFederationGateway(t *testing.T) {
	e := boot(t)
	nodeSuite(t, "../e2e/federation", "federation.mjs", "GUICHET_URL="+e.srv.URL+"/graphql")
}

// Ensure GraphiQL runs a query in a real browser from the embedded assets,
// loads the schema by introspection (under the default limits), lists the
// Query fields in its documentation explorer and completes a field name.
func TestE2EGraphiQLInChromium(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil && os.Getenv("GUICHET_REQUIRE_E2E") != "1" {
		t.Skip("chromium missing; scripts/install-test-deps.sh installs it")
	}
	e := boot(t)
	title := e.app.sandboxes.Ticketing.Sim.ShowTitle(e.app.sandboxes.Ticketing.Sim.ShowIDs()[0])
	shot, _ := filepath.Abs("../artifacts/graphiql.png")
	os.MkdirAll(filepath.Dir(shot), 0o755)
	nodeSuite(t, "../e2e/browser", "graphiql.mjs", "GUICHET_URL="+e.srv.URL+"/", "EXPECT="+title, "SCREENSHOT="+shot)
}

// Ensure /graphql passes the GraphQL-over-HTTP audit of the graphql-http
// package (auditServer) with no error and no warning.
func TestE2EGraphQLOverHTTPAudit(t *testing.T) {
	e := boot(t)
	nodeSuite(t, "../e2e/audit", "audit.mjs", "GUICHET_URL="+e.srv.URL+"/graphql")
}
