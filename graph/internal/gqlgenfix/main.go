// Command gqlgenfix is the second step of `go generate` for the GraphQL
// server: it rewrites gqlgen's output in three ways, each measured
// (bench: go test -bench BenchmarkScenario in the root package).
//
//  1. Resolver fields listed in the inline file (fields that only read
//     memory: catalogue lookups, links, enum mappings) are resolved inline
//     instead of in a goroutine each. gqlgen runs every resolver field
//     concurrently; for a season listing that was about 500 goroutines per
//     request for fields that never wait.
//  2. The @defer bookkeeping (graphql.NewDeferredGroup: the object's path,
//     a field set and a map, on the heap) is only built for an object whose
//     selection has a deferred field; gqlgen v0.17.98 builds it for every
//     object.
//  3. Lists of "pure" objects are marshalled in a loop instead of a
//     goroutine per element (below). Lists of other objects are too when
//     the request's selection below them picks no concurrent field (a
//     listing that does not ask for availability): checked at run time by
//     selectsConcurrent in graph/generated/gqlgenfix.go, written by this
//     step from the fields the generated code still resolves concurrently.
//  4. A field that reads a struct field or calls a getter of its object
//     and is a built-in scalar (String, ID, Int, Boolean, DateTime) is
//     marshalled directly, without graphql.ResolveField: no field context,
//     closure or boxed value per field (a fifth of the listing's CPU). What
//     is skipped is only the field middleware, which Guichet does not use
//     (graph.NewHandler refuses field interceptors), and the error paths of
//     those marshallers, which never produce null for these types. A panic
//     in a getter is still recovered by the enclosing field. The same goes
//     for a field whose value is a struct (not a pointer: never null) of an
//     object type all of whose fields are marshalled directly (Money): no
//     field of it can fail, so no error path needs its field context.
//  5. An object whose selected fields are all plain reads (the fields of
//     step 4, __typename, struct values such as Money) writes itself
//     straight to the answer at marshal time, and a list of them is one
//     writer (direct.go); any other selection keeps gqlgen's path.
//  6. Other objects that defer nothing are written by fieldSetWriter, in
//     one loop, without FieldSet's iterator and map of written aliases.
//  7. A listed resolver whose answer writes itself is called without
//     ResolveField; on an error, a panic or a selection that is not plain,
//     gqlgen's path calls it again.
//  8. A query's answer buffer is grown once to the size of the same
//     operation's last answer instead of doubling from 64 bytes.
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
	"go/format"
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
	inlineFile := flag.String("inline", "", "file listing the Type.field resolvers to run inline (one a line, # comments)")
	flag.Parse()
	var inline map[string]bool
	if *inlineFile != "" {
		var err error
		if inline, err = readInline(*inlineFile); err != nil {
			fmt.Fprintln(os.Stderr, "gqlgenfix:", err)
			os.Exit(1)
		}
	}
	st, err := runAll(*schemaGlob, *genGlob, inline)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gqlgenfix:", err)
		os.Exit(1)
	}
	fmt.Printf("gqlgenfix: %d fields inline, %d objects with lazy @defer bookkeeping, %d lists of objects marshalled in a loop (always or when nothing below waits), %d scalar fields marshalled directly, %d object and list functions writing plain selections straight to the answer, %d objects written without gqlgen's iterator, %d answer buffers sized\n",
		st.inlined, st.deferGuards, st.lists, st.direct, st.writers, st.fieldSets, st.sized)
}

// stats counts the rewrites of one pass.
type stats struct{ inlined, deferGuards, lists, direct, writers, fieldSets, sized int }

// run is the list rewrite alone (kept for its tests).
func run(schemaGlob, genGlob string) (int, error) {
	st, err := runAll(schemaGlob, genGlob, nil)
	return st.lists, err
}

func runAll(schemaGlob, genGlob string, inline map[string]bool) (stats, error) {
	var st stats
	fields, err := schemaFields(schemaGlob)
	if err != nil {
		return st, err
	}
	files, err := filepath.Glob(genGlob)
	if err != nil {
		return st, err
	}
	sort.Strings(files)
	src, orig := map[string]string{}, map[string]string{}
	seen := map[string]bool{}
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return st, err
		}
		orig[f] = string(b)
		// Inline first: an object left with no concurrent field may
		// become pure.
		var n int
		src[f], n = inlineFields(string(b), inline, seen)
		st.inlined += n
		src[f], n = guardDefer(src[f])
		st.deferGuards += n
		src[f], n = directScalars(src[f])
		st.direct += n
		src[f], n = fieldSetWriters(src[f])
		st.fieldSets += n
		src[f], n = sizeAnswers(src[f])
		st.sized += n
		all.WriteString(src[f])
	}
	for name := range inline {
		if !seen[name] {
			return st, fmt.Errorf("inline list names %s, which is not a concurrent resolver field of the generated code", name)
		}
	}
	p := newPurity(fields, concurrentObjects(all.String()))
	if len(files) > 0 {
		helper := filepath.Join(filepath.Dir(files[0]), helperFile)
		if err := os.WriteFile(helper, []byte(helperSource(all.String())), 0o644); err != nil {
			return st, err
		}
	}
	leaves := directObjectMarshalers(all.String())
	for _, f := range files {
		var n int
		src[f], n = directObjects(src[f], leaves)
		st.direct += n
	}
	for _, f := range files {
		var n int
		src[f], n = rewrite(src[f], p.pure, p.object)
		st.lists += n
	}
	n, err := directWriters(src, inline)
	if err != nil {
		return st, err
	}
	st.writers += n
	for _, f := range files {
		if out := src[f]; out != orig[f] {
			if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

// readInline reads the list of Type.field names, one a line, # comments.
func readInline(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if !regexp.MustCompile(`^[A-Za-z0-9]+\.[A-Za-z0-9]+$`).MatchString(line) {
			return nil, fmt.Errorf("%s: %q is not Type.field", path, line)
		}
		out[line] = true
	}
	return out, nil
}

var concurrentField = regexp.MustCompile(`(?m)^(\t+)out\.ResolveConcurrently\(ec\.OperationContext, &deferred, i,\n\t+(?:true|false), (true|false),\n\t+func\(ctx context\.Context\) graphql\.Marshaler \{\n\t+return ec\._([A-Za-z0-9]+)_([A-Za-z0-9]+)\(ctx, field, obj\)\n\t+\}\)\n`)

// inlineFields resolves the listed fields in the object's own goroutine,
// with gqlgen's own bookkeeping of a synchronous field: the value is
// stored, and an invalid one (Null for a non-null field, RequiredNull for
// a nullable one) counted. The field function recovers its own panics
// (graphql.ResolveField). No goroutine is running yet for the object when
// its loop runs (they start at Dispatch), so the count needs no atomic.
// seen records the listed fields found.
func inlineFields(code string, inline map[string]bool, seen map[string]bool) (string, int) {
	n := 0
	out := concurrentField.ReplaceAllStringFunc(code, func(m string) string {
		sub := concurrentField.FindStringSubmatch(m)
		indent, nonNull, typ, field := sub[1], sub[2], sub[3], sub[4]
		if !inline[typ+"."+field] {
			return m
		}
		seen[typ+"."+field] = true
		n++
		invalid := "graphql.RequiredNull"
		if nonNull == "true" {
			invalid = "graphql.Null"
		}
		return indent + "// gqlgenfix: " + typ + "." + field + " reads memory only: resolved inline.\n" +
			indent + "out.Values[i] = ec._" + typ + "_" + field + "(ctx, field, obj)\n" +
			indent + "if out.Values[i] == " + invalid + " {\n" +
			indent + "\tout.Invalids++\n" +
			indent + "}\n"
	})
	return out, n
}

var deferGroup = regexp.MustCompile(`(?m)^(\t+)deferred := graphql\.NewDeferredGroup\(ctx\)\n`)

// guardDefer builds the @defer group only when the object's selection
// defers a field. An empty group is what NewDeferredGroup returns with
// nothing deferred as far as the code after the loop goes (len(Defers) is
// 0), and ResolveConcurrently only touches the group for a deferred field.
func guardDefer(code string) (string, int) {
	n := 0
	out := deferGroup.ReplaceAllStringFunc(code, func(m string) string {
		indent := deferGroup.FindStringSubmatch(m)[1]
		n++
		return indent + "// gqlgenfix: the @defer group only when a field is deferred (it costs the path, a field set and a map).\n" +
			indent + "var deferred graphql.DeferredGroup\n" +
			indent + "for fi := range fields {\n" +
			indent + "\tif fields[fi].IsDeferred() {\n" +
			indent + "\t\tdeferred = graphql.NewDeferredGroup(ctx)\n" +
			indent + "\t\tbreak\n" +
			indent + "\t}\n" +
			indent + "}\n"
	})
	return out, n
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
		body := code[loc[1]:end]
		// gqlgen ≤ v0.17.9x wrote out.Concurrently; v0.17.98 writes
		// out.ResolveConcurrently.
		out[name] = strings.Contains(body, "out.Concurrently(") || strings.Contains(body, "out.ResolveConcurrently(")
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
// object reports whether name is an object type of the schema (not an
// interface, union, scalar or enum).
func (p *purity) object(name string) bool {
	f, ok := p.fields[name]
	return ok && !(len(f) == 1 && f[0] == "\x00abstract")
}

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

// rewrite turns the lists of pure objects into loops, and those of other
// object types into loops when the selection picks no concurrent field;
// each element keeps its own field context (index and value), as in
// gqlgen's version, so error paths are unchanged. object may be nil (pure
// lists only).
func rewrite(code string, pure, object func(string) bool) (string, int) {
	n := 0
	out := concurrentList.ReplaceAllStringFunc(code, func(m string) string {
		sub := concurrentList.FindStringSubmatch(m)
		indent, marshal, typ := sub[1], sub[2], sub[3]
		if !pure(typ) {
			if object == nil || !object(typ) {
				return m
			}
			n++
			original := strings.Replace(strings.TrimPrefix(m, indent), "ret := ", "ret = ", 1)
			return indent + "// gqlgenfix: " + typ + " elements in a loop unless the selection picks a field that waits (selectsConcurrent).\n" +
				indent + "var ret graphql.Array\n" +
				indent + "if !selectsConcurrent(sel) {\n" +
				indent + "\tret = make(graphql.Array, len(v))\n" +
				indent + "\tfor i := range v {\n" +
				indent + "\t\tctx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i, Result: &v[i]})\n" +
				indent + "\t\tret[i] = ec." + marshal + "(ctx, sel, v[i])\n" +
				indent + "\t}\n" +
				indent + "} else {\n" +
				indent + "\t" + strings.ReplaceAll(strings.TrimSuffix(original, "\n"), "\n", "\n\t") + "\n" +
				indent + "}\n"
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

// directMarshalers are the generated marshallers of built-in scalars that
// use neither the context nor the field context on any reachable path (their
// only use of ctx reports a null that these Go types never produce).
var directMarshalers = map[string]bool{
	"marshalNString2string": true, "marshalOString2string": true, "marshalOString2ᚖstring": true,
	"marshalNID2string": true, "marshalOID2string": true,
	"marshalNInt2int": true, "marshalOInt2ᚖint": true, "marshalNInt2int64": true,
	"marshalNBoolean2bool": true, "marshalOBoolean2bool": true,
	"marshalNDateTime2timeᚐTime": true, "marshalODateTime2timeᚐTime": true, "marshalODateTime2ᚖtimeᚐTime": true,
}

var plainField = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) _(\w+)_(\w+)\(ctx context\.Context, field graphql\.CollectedField, obj \*([^)]+)\) \(ret graphql\.Marshaler\) \{\n\treturn graphql\.ResolveField\(\n\t\tctx,\n\t\tec\.OperationContext,\n\t\tfield,\n\t\tfunc\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{\n\t\t\treturn ec\.fieldContext_(\w+)\(ctx, field\)\n\t\t\},\n\t\tfunc\(ctx context\.Context\) \(any, error\) \{\n\t\t\treturn obj\.(\w+(?:\(\))?), nil\n\t\t\},\n\t\tnil,\n\t\tfunc\(ctx context\.Context, selections ast\.SelectionSet, v [^)]+\) graphql\.Marshaler \{\n\t\t\treturn ec\.(marshal[^(]+)\(ctx, selections, v\)\n\t\t\},\n\t\ttrue,\n\t\t(?:true|false),\n\t\)\n\}\n`)

var usesTime = regexp.MustCompile(`\btime\.`)

// directScalars rewrites the field functions of step 4.
func directScalars(code string) (string, int) {
	n := 0
	out := plainField.ReplaceAllStringFunc(code, func(m string) string {
		sub := plainField.FindStringSubmatch(m)
		typ, field, objType, fcName, expr, marshal := sub[1], sub[2], sub[3], sub[4], sub[5], sub[6]
		if fcName != typ+"_"+field || !directMarshalers[marshal] {
			return m
		}
		n++
		return "func (ec *executionContext) _" + typ + "_" + field + "(ctx context.Context, field graphql.CollectedField, obj *" + objType + ") (ret graphql.Marshaler) {\n" +
			"\t// gqlgenfix: a built-in scalar read from the object: marshalled directly.\n" +
			"\treturn ec." + marshal + "(ctx, field.Selections, obj." + expr + ")\n" +
			"}\n"
	})
	if n > 0 {
		// A DateTime field's closure was the file's only use of package
		// time in some files: its import goes with it.
		if imp := "\n\t\"time\"\n"; strings.Contains(out, imp) && !usesTime.MatchString(out) {
			out = strings.Replace(out, imp, "\n", 1)
		}
	}
	return out, n
}

// helperFile is the Go file this step writes next to gqlgen's output.
const helperFile = "gqlgenfix.go"

// helperSource is graph/generated/gqlgenfix.go: the fields the generated
// code resolves concurrently (after inlining), and selectsConcurrent.
func helperSource(code string) string {
	seen := map[string]bool{}
	var names []string
	for _, m := range concurrentField.FindAllStringSubmatch(code, -1) {
		if k := m[3] + "." + m[4]; !seen[k] {
			seen[k] = true
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(`// Code generated by graph/internal/gqlgenfix (go generate). DO NOT EDIT.

package generated

import (
	"bytes"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

type fieldKey struct{ object, field string }

// concurrentFields are the fields still resolved in their own goroutine:
// they wait on a back office or a loader.
var concurrentFields = map[fieldKey]bool{
`)
	for _, n := range names {
		typ, field, _ := strings.Cut(n, ".")
		fmt.Fprintf(&b, "\t{%q, %q}: true,\n", typ, field)
	}
	b.WriteString(`}

// selectsConcurrent reports whether sel, its fragments and everything below
// select a concurrent field; a field of an interface or union counts as one
// (its concrete type is not known here). Lists whose selection does not are
// marshalled without a goroutine per element.
func selectsConcurrent(sel ast.SelectionSet) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if d := s.ObjectDefinition; d == nil || d.Kind != ast.Object || concurrentFields[fieldKey{d.Name, s.Name}] {
				return true
			}
			if selectsConcurrent(s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if selectsConcurrent(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || selectsConcurrent(s.Definition.SelectionSet) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// fieldSetWriter writes an object's fields and values as gqlgen's
// FieldSet.MarshalGQL does (a field whose alias an earlier field already
// wrote is dropped), without its iterator and map of aliases.
type fieldSetWriter struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

func (o *fieldSetWriter) MarshalGQL(w io.Writer) {
	writeByte(w, '{')
	first := true
	for i := range o.fields {
		if aliasTaken(o.fields, i) {
			continue
		}
		if !first {
			writeByte(w, ',')
		}
		first = false
		writeKey(w, o.fields[i].Alias)
		o.values[i].MarshalGQL(w)
	}
	writeByte(w, '}')
}

func aliasTaken(fields []graphql.CollectedField, i int) bool {
	for j := 0; j < i; j++ {
		if fields[j].Alias == fields[i].Alias {
			return true
		}
	}
	return false
}

// selKey identifies a selection set of the operation for one type as
// gqlgen's own cache of collected fields does (the set's first element and
// its length: the operation's document does not change while it runs).
type selKey struct {
	first *ast.Selection
	n     int
	typ   string
}

// selEntry is a selection's collected fields and, for a type with plain
// fields, its plan (nil when gqlgen's path writes the object).
type selEntry struct {
	fields []graphql.CollectedField
	plan   *directPlan
}

// selCache keeps the selEntries of one operation: gqlgen's CollectFields
// allocates a hash of its key on every call, once per object.
type selCache struct {
	mu sync.Mutex
	m  map[selKey]*selEntry
}

// answerSizes remembers how large each operation's last answer was, in a
// fixed table indexed by the operation's address: no entry keeps an
// operation alive, and a collision or a race only gives a wrong hint.
var answerSizes [256]struct {
	op   atomic.Uintptr
	size atomic.Int64
}

// maxAnswerHint bounds the buffer allocated ahead of an answer.
const maxAnswerHint = 4 << 20

func answerSlot(op *ast.OperationDefinition) (uintptr, int) {
	p := uintptr(unsafe.Pointer(op))
	return p, int(p>>4) % len(answerSizes)
}

// answerSizeHint is the size of op's last answer, or 0.
func answerSizeHint(op *ast.OperationDefinition) int {
	p, i := answerSlot(op)
	if answerSizes[i].op.Load() != p {
		return 0
	}
	return int(answerSizes[i].size.Load())
}

func recordAnswerSize(op *ast.OperationDefinition, n int) {
	p, i := answerSlot(op)
	answerSizes[i].size.Store(int64(min(n, maxAnswerHint)))
	answerSizes[i].op.Store(p)
}

// jsonWriter is where an object writes itself (gqlgen's Marshaler takes an
// io.Writer; the executor passes a *bytes.Buffer).
type jsonWriter = io.Writer

// directPlan is how an object whose selected fields are all plain reads is
// written: gqlgen's collected fields and, per field leading to an object,
// that object's plan (sub is nil when there is none).
type directPlan struct {
	fields []graphql.CollectedField
	sub    []*directPlan
}

// directFieldOK reports whether field i can be written by a plan: not
// deferred, and its alias not already used by an earlier field (gqlgen
// writes the first and drops the others; a plan leaves that case to it).
func directFieldOK(fields []graphql.CollectedField, i int) bool {
	return !fields[i].IsDeferred() && !aliasTaken(fields, i)
}

func writeByte(w jsonWriter, c byte) {
	if b, ok := w.(*bytes.Buffer); ok {
		b.WriteByte(c)
		return
	}
	w.Write([]byte{c})
}

func writeKey(w jsonWriter, alias string) {
	writeString(w, alias)
	writeByte(w, ':')
}

const hexDigits = "0123456789ABCDEF"

// writeString quotes s as gqlgen's MarshalString does: control characters,
// backslash and quote escaped, everything else (invalid UTF-8 included)
// copied as is. Those bytes are all ASCII, so a byte loop finds the same
// ones as gqlgen's loop over runes.
func writeString(w jsonWriter, s string) {
	b, ok := w.(*bytes.Buffer)
	if !ok {
		b = new(bytes.Buffer)
		defer func() { w.Write(b.Bytes()) }()
	}
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		b.WriteString(s[start:i])
		switch c {
		case '\t':
			b.WriteString("\\t")
		case '\r':
			b.WriteString("\\r")
		case '\n':
			b.WriteString("\\n")
		case '\\':
			b.WriteString("\\\\")
		case '"':
			b.WriteString("\\\"")
		default:
			b.WriteString("\\u00")
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		}
		start = i + 1
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

func writeOptString(w jsonWriter, s *string) {
	if s == nil {
		io.WriteString(w, "null")
		return
	}
	writeString(w, *s)
}

func writeInt(w jsonWriter, i int64) {
	if b, ok := w.(*bytes.Buffer); ok {
		b.Write(strconv.AppendInt(b.AvailableBuffer(), i, 10))
		return
	}
	io.WriteString(w, strconv.FormatInt(i, 10))
}

func writeOptInt(w jsonWriter, i *int) {
	if i == nil {
		io.WriteString(w, "null")
		return
	}
	writeInt(w, int64(*i))
}

func writeBool(w jsonWriter, v bool) {
	io.WriteString(w, strconv.FormatBool(v))
}
`)
	out, err := format.Source([]byte(b.String()))
	if err != nil {
		panic(err) // the template above is valid Go
	}
	return string(out)
}

var (
	valueObjectMarshaler = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) (marshalN[^(]+)\(ctx context\.Context, sel ast\.SelectionSet, v [\w.]+\) graphql\.Marshaler \{\n\treturn ec\._(\w+)\(ctx, sel, &v\)\n\}\n`)
	fieldFunc            = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) _(\w+)_\w+\(ctx context\.Context, field graphql\.CollectedField, obj [^)]+\) \(ret graphql\.Marshaler\) \{\n(\t// gqlgenfix: a built-in scalar)?`)
)

// directObjectMarshalers are the marshallers of struct values (never
// null) of object types whose every field is marshalled directly.
func directObjectMarshalers(code string) map[string]bool {
	direct := map[string]bool{} // type → all its fields direct so far
	for _, m := range fieldFunc.FindAllStringSubmatch(code, -1) {
		typ, isDirect := m[1], m[2] != ""
		if prev, seen := direct[typ]; seen {
			direct[typ] = prev && isDirect
		} else {
			direct[typ] = isDirect
		}
	}
	out := map[string]bool{}
	for _, m := range valueObjectMarshaler.FindAllStringSubmatch(code, -1) {
		if direct[m[2]] {
			out[m[1]] = true
		}
	}
	return out
}

// directObjects rewrites fields whose marshaller is one of marshalers
// like directScalars does.
func directObjects(code string, marshalers map[string]bool) (string, int) {
	n := 0
	out := plainField.ReplaceAllStringFunc(code, func(m string) string {
		sub := plainField.FindStringSubmatch(m)
		typ, field, objType, fcName, expr, marshal := sub[1], sub[2], sub[3], sub[4], sub[5], sub[6]
		if fcName != typ+"_"+field || !marshalers[marshal] {
			return m
		}
		n++
		return "func (ec *executionContext) _" + typ + "_" + field + "(ctx context.Context, field graphql.CollectedField, obj *" + objType + ") (ret graphql.Marshaler) {\n" +
			"\t// gqlgenfix: an object value whose fields cannot fail: marshalled directly.\n" +
			"\treturn ec." + marshal + "(ctx, field.Selections, obj." + expr + ")\n" +
			"}\n"
	})
	return out, n
}
