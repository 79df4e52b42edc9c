package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// tool runs a Go tool pinned in deploy/tools (helm, kubeconform) or one of
// its commands, from the tools module, so the main module's go.sum never
// carries Kubernetes.
func tool(t *testing.T, args ...string) string {
	t.Helper()
	return command(t, "go", append([]string{"-C", "deploy/tools"}, args...)...)
}

// Ensure the chart lints, renders with its default and production values,
// and that kubeconform -strict (schemas generated offline from Kubernetes
// v1.37's OpenAPI) accepts every object, while rejecting a broken one; and
// that the rendered Deployment carries what the platform relies on.
func TestHelmChart(t *testing.T) {
	requireDeploy(t)
	root, dir := repo(t), t.TempDir()
	chart := filepath.Join(root, "deploy", "helm", "guichet")
	prod := filepath.Join(chart, "values-production.yaml")
	began := time.Now()
	schemas := filepath.Join(dir, "schemas")
	tool(t, "run", "./k8sschema", "-out", schemas)
	location := filepath.Join(schemas, "{{ .ResourceKind }}{{ .KindSuffix }}.json")
	validate := func(file string) string {
		// ServiceMonitor is a Prometheus Operator CRD: no schema in Kubernetes.
		return tool(t, "tool", "kubeconform", "-strict", "-summary", "-schema-location", location, "-skip", "ServiceMonitor", file)
	}

	tool(t, "tool", "helm", "lint", "--strict", chart)
	tool(t, "tool", "helm", "lint", "--strict", chart, "-f", prod)
	rendered := map[string]string{}
	for name, extra := range map[string][]string{"default": nil, "production": {"-f", prod}} {
		out := tool(t, append([]string{"tool", "helm", "template", "guichet", chart, "--namespace", "venue"}, extra...)...)
		file := filepath.Join(dir, name+".yaml")
		os.WriteFile(file, []byte(out), 0o644)
		t.Logf("%s: %s", name, strings.TrimSpace(validate(file)))
		rendered[name] = out
	}
	t.Logf("chart linted, rendered and validated in %v", time.Since(began).Round(100*time.Millisecond))

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(strings.Replace(rendered["default"], "replicas: 2", `replicas: "two"`, 1)), 0o644)
	cmd := []string{"-C", "deploy/tools", "tool", "kubeconform", "-strict", "-schema-location", location, bad}
	if out, err := runQuiet(root, "go", cmd...); err == nil || !strings.Contains(out, "replicas") {
		t.Fatalf("kubeconform accepted replicas: \"two\": %s", out)
	}

	objs := map[string]map[string]any{}
	for name, out := range rendered {
		for _, doc := range strings.Split(out, "\n---") {
			var o map[string]any
			if err := yaml.Unmarshal([]byte(doc), &o); err != nil || o == nil {
				continue
			}
			objs[name+"/"+o["kind"].(string)] = o
		}
	}
	for _, k := range []string{"default/Deployment", "default/Service", "default/ConfigMap", "default/PodDisruptionBudget",
		"production/HorizontalPodAutoscaler", "production/ServiceMonitor", "production/Secret"} {
		if objs[k] == nil {
			t.Fatalf("%s not rendered", k)
		}
	}
	for _, k := range []string{"default/HorizontalPodAutoscaler", "default/ServiceMonitor", "default/Secret"} {
		if objs[k] != nil {
			t.Fatalf("%s rendered with default values", k)
		}
	}
	at := func(o any, path ...any) any {
		for _, p := range path {
			switch k := p.(type) {
			case string:
				o = o.(map[string]any)[k]
			case int:
				o = o.([]any)[k]
			}
		}
		return o
	}
	pod := at(objs["production/Deployment"], "spec", "template", "spec")
	c := at(pod, "containers", 0)
	checks := map[string][2]any{
		"grace = preStop 2 + drain 10 + 25": {at(pod, "terminationGracePeriodSeconds"), uint64(37)},
		"readiness path":                    {at(c, "readinessProbe", "httpGet", "path"), "/readyz"},
		"liveness path":                     {at(c, "livenessProbe", "httpGet", "path"), "/healthz"},
		"startup path":                      {at(c, "startupProbe", "httpGet", "path"), "/healthz"},
		"probes on the admin port":          {at(c, "readinessProbe", "httpGet", "port"), "admin"},
		"preStop sleep":                     {at(c, "lifecycle", "preStop", "sleep", "seconds"), uint64(2)},
		"read-only root":                    {at(c, "securityContext", "readOnlyRootFilesystem"), true},
		"no privilege escalation":           {at(c, "securityContext", "allowPrivilegeEscalation"), false},
		"non-root":                          {at(pod, "securityContext", "runAsNonRoot"), true},
		"drain":                             {at(objs["production/ConfigMap"], "data", "GUICHET_DRAIN"), "10s"},
		"admin address":                     {at(objs["production/ConfigMap"], "data", "GUICHET_ADMIN_ADDR"), ":9090"},
		"redis URL in the Secret":           {at(objs["production/Secret"], "stringData", "GUICHET_REDIS_URL"), "redis://redis-master.data.svc:6379/0"},
		"existing secret":                   {at(c, "envFrom", 2, "secretRef", "name"), "guichet-credentials"},
		"scrape port":                       {at(objs["production/ServiceMonitor"], "spec", "endpoints", 0, "port"), "admin"},
		"default: no preStop":               {at(objs["default/Deployment"], "spec", "template", "spec", "containers", 0, "lifecycle"), nil},
	}
	for what, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s: %v (%T), want %v", what, c[0], c[0], c[1])
		}
	}
}
