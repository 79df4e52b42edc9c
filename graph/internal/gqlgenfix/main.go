// Command gqlgenfix is the second step of `go generate` for the GraphQL
// server: it rewrites gqlgen's output so that lists of "pure" objects are
// marshalled in a loop instead of a goroutine per element.
//
// Why: gqlgen marshals every list of objects with one goroutine per
// element. For a season listing that is about a thousand goroutines per
// request for prices, venues and money amounts that are plain struct
// fields, and their stack growth cost more than the rest of the request
// (25 ms for a 20-show listing, measured). A pure object is one with no
// resolver field (nothing to wait for) whose fields only lead to pure
// objects; its elements gain nothing from running in parallel. Lists of
// objects with resolvers (performances and their live availability) keep
// gqlgen's concurrency, which dataloader batching relies on.
//
// The rule is read from the generated code itself (an object function with
// `out.Concurrently(` has concurrent fields) and from the schema (which
// types a field leads to), so the step follows the schema without a list.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

func main() {
	schemaGlob := flag.String("schema", "schema/*.graphqls", "schema files")
	genGlob := flag.String("generated", "graph/generated/*.generated.go", "gqlgen output to rewrite")
	flag.Parse()
	n, err := run(*schemaGlob, *genGlob)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gqlgenfix:", err)
		os.Exit(1)
	}
	fmt.Printf("gqlgenfix: %d lists of pure objects marshalled sequentially\n", n)
}

func run(schemaGlob, genGlob string) (int, error) {
	fields, err := schemaFields(schemaGlob)
	if err != nil {
		return 0, err
	}
	files, err := filepath.Glob(genGlob)
	if err != nil {
		return 0, err
	}
	sort.Strings(files)
	src := map[string]string{}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		src[f] = string(b)
		all.Write(b)
	}
	p := newPurity(fields, concurrentObjects(all.String()))
	total := 0
	for _, f := range files {
		out, n := rewrite(src[f], p.pure)
		total += n
		if out != src[f] {
			if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
				return 0, err
			}
		}
	}
	return total, nil
}

// schemaFields maps each object, interface and union name to the named
// types its fields return (unions and interfaces get a marker: never pure).
func schemaFields(glob string) (map[string][]string, error) {
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no schema files at %s", glob)
	}
	out := map[string][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		doc, gerr := parser.ParseSchema(&ast.Source{Name: f, Input: string(b)})
		if gerr != nil {
			return nil, gerr
		}
		defs := append(append(ast.DefinitionList{}, doc.Definitions...), doc.Extensions...)
		for _, d := range defs {
			switch d.Kind {
			case ast.Object:
				for _, fd := range d.Fields {
					out[d.Name] = append(out[d.Name], fd.Type.Name())
				}
				if _, ok := out[d.Name]; !ok {
					out[d.Name] = nil
				}
			case ast.Interface, ast.Union:
				out[d.Name] = []string{"\x00abstract"}
			}
		}
	}
	return out, nil
}

var objectFunc = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) _([A-Za-z0-9]+)\(ctx context\.Context, sel ast\.SelectionSet, obj `)

// concurrentObjects finds the object types whose generated marshaller runs
// some field concurrently (a resolver, or a method taking a context).
func concurrentObjects(code string) map[string]bool {
	out := map[string]bool{}
	locs := objectFunc.FindAllStringSubmatchIndex(code, -1)
	for i, loc := range locs {
		end := len(code)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		if next := strings.Index(code[loc[1]:end], "\nfunc "); next >= 0 {
			end = loc[1] + next
		}
		name := code[loc[2]:loc[3]]
		out[name] = strings.Contains(code[loc[1]:end], "out.Concurrently(")
	}
	return out
}

type purity struct {
	fields     map[string][]string
	concurrent map[string]bool
	memo       map[string]bool
	visiting   map[string]bool
}

func newPurity(fields map[string][]string, concurrent map[string]bool) *purity {
	return &purity{fields: fields, concurrent: concurrent, memo: map[string]bool{}, visiting: map[string]bool{}}
}

// pure reports whether marshalling an object of type name never waits on
// anything: no concurrent field in it or in any object it leads to.
// Unknown names and cycles count as impure, the safe side.
func (p *purity) pure(name string) bool {
	if v, ok := p.memo[name]; ok {
		return v
	}
	fields, known := p.fields[name]
	concurrent, generated := p.concurrent[name]
	if !known || !generated || concurrent || p.visiting[name] {
		return false
	}
	p.visiting[name] = true
	ok := true
	for _, t := range fields {
		if t == "\x00abstract" {
			ok = false
			break
		}
		if _, isComposite := p.fields[t]; isComposite && !p.pure(t) {
			ok = false
			break
		}
	}
	delete(p.visiting, name)
	p.memo[name] = ok
	return ok
}

var concurrentList = regexp.MustCompile(`(?m)^(\t+)ret := graphql\.MarshalSliceConcurrently\(ctx, len\(v\), \d+, (?:true|false), func\(ctx context\.Context, i int\) graphql\.Marshaler \{\n\t+fc := graphql\.GetFieldContext\(ctx\)\n\t+fc\.Result = &v\[i\]\n\t+return ec\.(marshal[NO]([A-Za-z0-9]+?)2[^(]*)\(ctx, sel, v\[i\]\)\n\t+\}\)\n`)

// rewrite turns the lists of pure objects into loops; each element keeps
// its own field context (index and value), as in gqlgen's version, so
// error paths are unchanged.
func rewrite(code string, pure func(string) bool) (string, int) {
	n := 0
	out := concurrentList.ReplaceAllStringFunc(code, func(m string) string {
		sub := concurrentList.FindStringSubmatch(m)
		indent, marshal, typ := sub[1], sub[2], sub[3]
		if !pure(typ) {
			return m
		}
		n++
		return indent + "// gqlgenfix: " + typ + " is a pure object: marshalled in a loop, no goroutine per element.\n" +
			indent + "ret := make(graphql.Array, len(v))\n" +
			indent + "for i := range v {\n" +
			indent + "\tctx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i, Result: &v[i]})\n" +
			indent + "\tret[i] = ec." + marshal + "(ctx, sel, v[i])\n" +
			indent + "}\n"
	})
	return out, n
}
