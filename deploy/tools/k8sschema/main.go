// Command k8sschema writes kubeconform's JSON schemas for every Kubernetes
// kind, offline, from the OpenAPI (swagger 2.0) document inside the
// k8s.io/kubernetes module: kubeconform ships none and would download them.
//
//	go run ./k8sschema -out DIR          (from deploy/tools)
//	kubeconform -strict -schema-location 'DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json' …
//
// References are inlined (a type that contains itself becomes {}), objects
// refuse unknown fields (what -strict checks), and int-or-string and
// quantity fields accept both forms, as the API server does.
package main

import (
	"archive/zip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const module = "k8s.io/kubernetes@v1.37.2"

func main() {
	out := flag.String("out", "", "directory of the schemas")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: k8sschema -out DIR")
		os.Exit(2)
	}
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "k8sschema:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	raw, err := swagger()
	if err != nil {
		return err
	}
	var doc struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	n := 0
	for name, def := range doc.Definitions {
		gvks, _ := def["x-kubernetes-group-version-kind"].([]any)
		for _, g := range gvks {
			gvk := g.(map[string]any)
			group, version, kind := gvk["group"].(string), gvk["version"].(string), gvk["kind"].(string)
			// kubeconform's {{ .ResourceKind }}{{ .KindSuffix }}: kind, first
			// label of the group, version, lower case.
			suffix := "-" + version
			if group != "" {
				suffix = "-" + strings.Split(group, ".")[0] + "-" + version
			}
			schema := inline(doc.Definitions, name, map[string]bool{})
			b, err := json.Marshal(schema)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(out, strings.ToLower(kind+suffix)+".json"), b, 0o644); err != nil {
				return err
			}
			n++
		}
	}
	fmt.Printf("%d schemas from %s in %s\n", n, module, out)
	return nil
}

// swagger reads api/openapi-spec/swagger.json from the module's zip in the
// Go module cache (downloaded if missing), without extracting the module.
func swagger() ([]byte, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go mod download %s: %w", module, err)
	}
	var info struct{ Zip string }
	if err := json.Unmarshal(b, &info); err != nil || info.Zip == "" {
		return nil, fmt.Errorf("no zip for %s: %s", module, b)
	}
	z, err := zip.OpenReader(info.Zip)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	for _, f := range z.File {
		if strings.HasSuffix(f.Name, "/api/openapi-spec/swagger.json") {
			r, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer r.Close()
			return io.ReadAll(r)
		}
	}
	return nil, fmt.Errorf("swagger.json not in %s", info.Zip)
}

const refPrefix = "#/definitions/"

// inline returns definition name with its references replaced by their
// schemas; seen holds the definitions being expanded (recursion stops there).
func inline(defs map[string]map[string]any, name string, seen map[string]bool) any {
	switch name {
	case "io.k8s.apimachinery.pkg.util.intstr.IntOrString":
		return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
	case "io.k8s.apimachinery.pkg.api.resource.Quantity":
		return map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}}}
	}
	if seen[name] {
		return map[string]any{}
	}
	seen[name] = true
	defer delete(seen, name)
	return walk(defs, defs[name], seen)
}

func walk(defs map[string]map[string]any, node any, seen map[string]bool) any {
	switch v := node.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok && strings.HasPrefix(ref, refPrefix) {
			return inline(defs, strings.TrimPrefix(ref, refPrefix), seen)
		}
		out := map[string]any{}
		for k, x := range v {
			if strings.HasPrefix(k, "x-kubernetes-") {
				continue
			}
			if k == "properties" {
				props := map[string]any{}
				for pk, px := range x.(map[string]any) {
					props[pk] = walk(defs, px, seen)
				}
				out[k] = props
				continue
			}
			out[k] = walk(defs, x, seen)
		}
		if _, ok := out["properties"]; ok {
			if _, set := out["additionalProperties"]; !set {
				out["additionalProperties"] = false
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = walk(defs, x, seen)
		}
		return out
	}
	return node
}
