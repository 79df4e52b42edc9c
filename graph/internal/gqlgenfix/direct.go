package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Step 5: objects that write themselves.
//
// After steps 1 to 4 an object whose selected fields are all plain reads
// (the fields step 4 marshals directly, __typename, and struct values of
// such objects, like Money) still costs gqlgen's object executor: a field
// set and its values, one closure per scalar, then at marshal time an
// iterator, a map of written aliases and a second pass over the closures.
// For such a selection the object function now returns one writer that
// writes the object straight to the answer at marshal time; a list of such
// objects returns one writer for the whole list. Nothing of these fields
// can fail, be null where non-null, or wait, so the bytes and the error
// behaviour are those of gqlgen's path; any other selection (a resolver
// field, a deferred fragment, two fields with one alias, a null element)
// takes gqlgen's path unchanged. The decision is made per collected
// selection at run time (plan_X), so @skip/@include, fragments and aliases
// are gqlgen's own CollectFields; the fields and the plan of a selection
// are computed once per operation (collect, kept in the execution
// context: gqlgen's own cache allocates a hash of its key per object).
//
// The fields are read when the answer is written rather than when the
// object is resolved: they are struct fields or getters of the object,
// the same contract step 4 already relies on.

var (
	// directFieldDef is a field function rewritten by step 4.
	directFieldDef = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) _(\w+?)_(\w+)\(ctx context\.Context, field graphql\.CollectedField, obj \*[^)]+\) \(ret graphql\.Marshaler\) \{\n\t// gqlgenfix: (?:a built-in scalar read from the object|an object value whose fields cannot fail): marshalled directly\.\n\treturn ec\.(marshal[^(]+)\(ctx, field\.Selections, obj\.(\w+(?:\(\))?)\)\n\}\n`)
	// objectHead is the start of an object function not hooked yet.
	objectHead = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) _(\w+)\(ctx context\.Context, sel ast\.SelectionSet, obj \*([^)]+)\) graphql\.Marshaler \{\n\tfields := graphql\.CollectFields\(ec\.OperationContext, sel, (\w+Implementors)\)\n\n\tout := graphql\.NewFieldSet\(fields\)\n`)
	// ecStruct is gqlgen's execution context, given a selCache.
	ecStruct = regexp.MustCompile(`(?m)^(type executionContext struct \{\n\t\*graphql\.ExecutionContextState\[[^\]]+\]\n)\}\n`)
	// listHead is a list function rewritten by step 3, not hooked yet.
	listHead = regexp.MustCompile(`(?m)^(func \(ec \*executionContext\) marshal[NO][^(]+\(ctx context\.Context, sel ast\.SelectionSet, v \[\](\*?)[\w.]+\) graphql\.Marshaler \{\n)(\t// gqlgenfix: (\w+) (?:is a pure object|elements in a loop))`)
)

// fastWrites are the helpers of gqlgenfix.go that write a scalar without
// a closure, by the generated marshaller they replace; %s is the value.
var fastWrites = map[string]string{
	"marshalNString2string":  "writeString(w, %s)",
	"marshalOString2string":  "writeString(w, %s)",
	"marshalNID2string":      "writeString(w, %s)",
	"marshalOID2string":      "writeString(w, %s)",
	"marshalOString2ᚖstring": "writeOptString(w, %s)",
	"marshalNInt2int":        "writeInt(w, int64(%s))",
	"marshalNInt2int64":      "writeInt(w, %s)",
	"marshalOInt2ᚖint":       "writeOptInt(w, %s)",
	"marshalNBoolean2bool":   "writeBool(w, %s)",
	"marshalOBoolean2bool":   "writeBool(w, %s)",
}

type directField struct{ name, marshal, expr, object string }

type directType struct {
	name, objType, implementors string
	fields                      []directField
	lists                       map[bool]bool // pointer elements → list writer wanted
}

// directWriters is step 5 over all files (after steps 1 to 4 and the list
// rewrite): it hooks the object and list functions and appends the
// writers to the file of each object function. It returns the number of
// object and list functions hooked.
func directWriters(src map[string]string, inline map[string]bool) (int, error) {
	files := make([]string, 0, len(src))
	var all strings.Builder
	for f := range src {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		all.WriteString(src[f])
	}
	code := all.String()

	values := map[string]string{} // value marshaller → object type
	for _, m := range valueObjectMarshaler.FindAllStringSubmatch(code, -1) {
		values[m[1]] = m[2]
	}
	types := map[string]*directType{}
	for _, m := range objectHead.FindAllStringSubmatch(code, -1) {
		types[m[1]] = &directType{name: m[1], objType: m[2], implementors: m[3], lists: map[bool]bool{}}
	}
	for _, m := range directFieldDef.FindAllStringSubmatch(code, -1) {
		t := types[m[1]]
		if t == nil {
			continue
		}
		f := directField{name: m[2], marshal: m[3], expr: "obj." + m[4]}
		if obj, ok := values[f.marshal]; ok {
			f.object = obj
		} else if !directMarshalers[f.marshal] {
			continue
		}
		t.fields = append(t.fields, f)
	}
	// An object field leads to a type that must have its writer too.
	for changed := true; changed; {
		changed = false
		for name, t := range types {
			if len(t.fields) == 0 {
				delete(types, name)
				changed = true
				continue
			}
			kept := t.fields[:0]
			for _, f := range t.fields {
				if f.object == "" || types[f.object] != nil {
					kept = append(kept, f)
				} else {
					changed = true
				}
			}
			t.fields = kept
		}
	}

	n := 0
	for _, f := range files {
		if ecStruct.MatchString(src[f]) {
			// collect lives next to the field it uses: the helper file must
			// compile against gqlgen's own output, which gqlgen checks.
			src[f] = ecStruct.ReplaceAllString(src[f], "${1}\t// gqlgenfix: the operation's collected fields and plans (selCache).\n\tsels selCache\n}\n") +
				"\n" + collectSource
		}
	}
	for _, f := range files {
		src[f] = listHead.ReplaceAllStringFunc(src[f], func(m string) string {
			sub := listHead.FindStringSubmatch(m)
			t := types[sub[4]]
			if t == nil {
				return m
			}
			n++
			ptr := sub[2] == "*"
			t.lists[ptr] = true
			return sub[1] +
				"\t// gqlgenfix: the elements written straight to the answer when the selection reads plain fields only.\n" +
				"\tif w := ec." + listWriterFunc(t.name, ptr) + "(ctx, sel, v); w != nil {\n" +
				"\t\treturn w\n" +
				"\t}\n" + sub[3]
		})
	}
	for _, f := range files {
		var add []*directType
		src[f] = objectHead.ReplaceAllStringFunc(src[f], func(m string) string {
			sub := objectHead.FindStringSubmatch(m)
			n++
			head, _, _ := strings.Cut(m, "\tfields := ")
			_, rest, _ := strings.Cut(m, "\n\tout := ")
			t := types[sub[1]]
			if t == nil {
				return head +
					"\t// gqlgenfix: the collected fields kept for the operation (selCache).\n" +
					"\tfields := ec.collect(sel, " + fmt.Sprintf("%q", sub[1]) + ", " + sub[3] + ", nil).fields\n\n" +
					"\tout := " + rest
			}
			add = append(add, t)
			return head +
				"\te := ec.collect(sel, " + fmt.Sprintf("%q", t.name) + ", " + t.implementors + ", ec.plan_" + t.name + ")\n" +
				"\tif e.plan != nil {\n" +
				"\t\t// gqlgenfix: plain fields only: written straight to the answer.\n" +
				"\t\treturn &writer_" + t.name + "{ec: ec, ctx: ctx, p: e.plan, obj: obj}\n" +
				"\t}\n" +
				"\tfields := e.fields\n\n" +
				"\tout := " + rest
		})
		for _, t := range add {
			src[f] += writerSource(t, types)
		}
	}
	if len(inline) > 0 {
		var all strings.Builder
		for _, f := range files {
			all.WriteString(src[f])
		}
		n += directResolvers(src, all.String(), inline, types)
	}
	return n, nil
}

func listWriterFunc(name string, ptr bool) string {
	if ptr {
		return "list_" + name
	}
	return "listValues_" + name
}

// writerSource is the plan, the writer and the list writers of one type.
func writerSource(t *directType, types map[string]*directType) string {
	var b strings.Builder
	var scalars, objects []string
	for _, f := range t.fields {
		if f.object != "" {
			objects = append(objects, fmt.Sprintf("%q", f.name))
		} else {
			scalars = append(scalars, fmt.Sprintf("%q", f.name))
		}
	}
	fmt.Fprintf(&b, "\n// gqlgenfix: plan_%[1]s returns how to write a %[1]s whose selected fields\n"+
		"// are all plain reads, or nil for any other selection (gqlgen's path).\n"+
		"func (ec *executionContext) plan_%[1]s(fields []graphql.CollectedField) *directPlan {\n", t.name)
	if len(objects) > 0 {
		b.WriteString("\tnested := false\n")
	}
	b.WriteString("\tfor i := range fields {\n\t\tif !directFieldOK(fields, i) {\n\t\t\treturn nil\n\t\t}\n\t\tswitch fields[i].Name {\n")
	fmt.Fprintf(&b, "\t\tcase %s:\n", strings.Join(append([]string{`"__typename"`}, scalars...), ", "))
	if len(objects) > 0 {
		fmt.Fprintf(&b, "\t\tcase %s:\n\t\t\tnested = true\n", strings.Join(objects, ", "))
	}
	b.WriteString("\t\tdefault:\n\t\t\treturn nil\n\t\t}\n\t}\n")
	b.WriteString("\tp := &directPlan{fields: fields}\n")
	if len(objects) > 0 {
		b.WriteString("\tif nested {\n\t\tp.sub = make([]*directPlan, len(fields))\n\t\tfor i := range fields {\n\t\t\tswitch fields[i].Name {\n")
		for _, f := range t.fields {
			if f.object == "" {
				continue
			}
			o := types[f.object]
			fmt.Fprintf(&b, "\t\t\tcase %q:\n\t\t\t\tp.sub[i] = ec.collect(fields[i].Selections, %q, %s, ec.plan_%s).plan\n", f.name, o.name, o.implementors, o.name)
		}
		b.WriteString("\t\t\tdefault:\n\t\t\t\tcontinue\n\t\t\t}\n\t\t\tif p.sub[i] == nil {\n\t\t\t\treturn nil\n\t\t\t}\n\t\t}\n\t}\n")
	}
	b.WriteString("\treturn p\n}\n")

	fmt.Fprintf(&b, "\n// gqlgenfix: write_%[1]s writes a %[1]s as gqlgen's field set would.\n"+
		"func (ec *executionContext) write_%[1]s(ctx context.Context, w jsonWriter, p *directPlan, obj *%[2]s) {\n"+
		"\twriteByte(w, '{')\n"+
		"\tfor i := range p.fields {\n"+
		"\t\tif i > 0 {\n\t\t\twriteByte(w, ',')\n\t\t}\n"+
		"\t\twriteKey(w, p.fields[i].Alias)\n"+
		"\t\tswitch p.fields[i].Name {\n"+
		"\t\tcase \"__typename\":\n\t\t\twriteString(w, %[1]q)\n", t.name, t.objType)
	for _, f := range t.fields {
		fmt.Fprintf(&b, "\t\tcase %q:\n", f.name)
		switch {
		case f.object != "":
			fmt.Fprintf(&b, "\t\t\tv := %s\n\t\t\tec.write_%s(ctx, w, p.sub[i], &v)\n", f.expr, f.object)
		case fastWrites[f.marshal] != "":
			fmt.Fprintf(&b, "\t\t\t"+fastWrites[f.marshal]+"\n", f.expr)
		default:
			fmt.Fprintf(&b, "\t\t\tec.%s(ctx, nil, %s).MarshalGQL(w)\n", f.marshal, f.expr)
		}
	}
	b.WriteString("\t\t}\n\t}\n\twriteByte(w, '}')\n}\n")

	fmt.Fprintf(&b, "\n// gqlgenfix: writer_%[1]s is one %[1]s written at marshal time.\n"+
		"type writer_%[1]s struct {\n\tec  *executionContext\n\tctx context.Context\n\tp   *directPlan\n\tobj *%[2]s\n}\n\n"+
		"func (x *writer_%[1]s) MarshalGQL(w jsonWriter) {\n\tx.ec.write_%[1]s(x.ctx, w, x.p, x.obj)\n}\n", t.name, t.objType)
	for _, ptr := range []bool{true, false} {
		if !t.lists[ptr] {
			continue
		}
		fn, star, elem, nilCheck := listWriterFunc(t.name, ptr), "", "&x.v[i]", ""
		if ptr {
			star, elem = "*", "x.v[i]"
			nilCheck = "\tfor _, e := range v {\n\t\tif e == nil {\n\t\t\treturn nil // gqlgen's path reports or writes the null\n\t\t}\n\t}\n"
		}
		fmt.Fprintf(&b, "\n// gqlgenfix: %[1]s returns one writer for a list of %[2]s, or nil for\n"+
			"// gqlgen's path.\n"+
			"func (ec *executionContext) %[1]s(ctx context.Context, sel ast.SelectionSet, v []%[3]s%[4]s) graphql.Marshaler {\n"+
			"%[5]s"+
			"\tp := ec.collect(sel, %[2]q, %[6]s, ec.plan_%[2]s).plan\n"+
			"\tif p == nil {\n\t\treturn nil\n\t}\n"+
			"\treturn &%[1]sWriter{ec: ec, ctx: ctx, p: p, v: v}\n}\n\n"+
			"type %[1]sWriter struct {\n\tec  *executionContext\n\tctx context.Context\n\tp   *directPlan\n\tv   []%[3]s%[4]s\n}\n\n"+
			"func (x *%[1]sWriter) MarshalGQL(w jsonWriter) {\n"+
			"\twriteByte(w, '[')\n"+
			"\tfor i := range x.v {\n\t\tif i > 0 {\n\t\t\twriteByte(w, ',')\n\t\t}\n"+
			"\t\tx.ec.write_%[2]s(x.ctx, w, x.p, %[7]s)\n\t}\n"+
			"\twriteByte(w, ']')\n}\n", fn, t.name, star, t.objType, nilCheck, t.implementors, elem)
	}
	return b.String()
}

// Step 6: the other objects without gqlgen's marshal-time iterator.
//
// gqlgen's FieldSet.MarshalGQL walks its values through an iterator and a
// map of the aliases written so far (to drop a second field with the same
// alias): three or four allocations per object, a fifth of the listing's
// allocations once the plain objects write themselves. An object whose
// selection defers nothing now returns its fields and values to
// fieldSetWriter (gqlgenfix.go), which writes the same bytes in one loop.
// A deferred selection keeps the FieldSet: its views take values out of it.
var objectTail = regexp.MustCompile(`(?m)^(\tif n := len\(deferred\.Defers\); n > 0 \{\n\t\tatomic\.AddInt32\(&ec\.Deferred, int32\(min\(n, math\.MaxInt32\)\)\)\n\t\tec\.ProcessDeferredGroup\(deferred\)\n\t\}\n\n)\treturn out\n\}\n`)

func fieldSetWriters(code string) (string, int) {
	n := 0
	out := objectTail.ReplaceAllStringFunc(code, func(m string) string {
		n++
		return objectTail.FindStringSubmatch(m)[1] +
			"\tif len(deferred.Defers) == 0 {\n" +
			"\t\t// gqlgenfix: nothing deferred: written in one loop (fieldSetWriter).\n" +
			"\t\treturn &fieldSetWriter{fields: fields, values: out.Values}\n" +
			"\t}\n" +
			"\treturn out\n}\n"
	})
	return out, n
}

// Step 7: memory-only resolvers whose answer writes itself.
//
// A field of the inline list still went through graphql.ResolveField: a
// field context, a context value, three closures and a boxed result, for
// a resolver that reads the catalogue. When its answer is a scalar of
// step 4's kind, an object with a plan or a list of them (nothing below it
// can fail or be null where non-null, so nothing needs the field's
// context), the field function calls the resolver itself and returns the
// writer. Anything else goes to gqlgen's path, which calls the resolver
// again (memory only, so that is safe): an error (its path and code come
// from ResolveField), a panic, a null for a non-null object, a selection
// that is not plain. A listed resolver must therefore not read its own
// field context (graphql.GetFieldContext, CollectFieldsCtx): called here
// it would see its parent's (graph/inline-resolvers.txt says so).
var (
	resolverField    = regexp.MustCompile(`(?m)^(func \(ec \*executionContext\) _(\w+?)_(\w+)\(ctx context\.Context, field graphql\.CollectedField, obj \*([^)]+)\) \(ret graphql\.Marshaler\) \{\n)(\treturn graphql\.ResolveField\(\n\t\tctx,\n\t\tec\.OperationContext,\n\t\tfield,\n\t\tfunc\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{\n\t\t\treturn ec\.fieldContext_\w+\(ctx, field\)\n\t\t\},\n\t\tfunc\(ctx context\.Context\) \(any, error\) \{\n\t\t\treturn (ec\.Resolvers\.\w+\(\)\.\w+\(ctx, obj\))\n\t\t\},\n\t\tnil,\n\t\tfunc\(ctx context\.Context, selections ast\.SelectionSet, v [^)]+\) graphql\.Marshaler \{\n\t\t\treturn ec\.(marshal[^(]+)\(ctx, selections, v\)\n)`)
	pointerMarshaler = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) (marshal([NO])[^(]+)\(ctx context\.Context, sel ast\.SelectionSet, v \*[\w.]+\) graphql\.Marshaler \{\n\tif v == nil \{\n(?:\t\tgraphql\.AddInvalidNullError\(ctx, "[^"]*"\)\n)?\t\treturn graphql\.Null\n\t\}\n\treturn ec\._(\w+)\(ctx, sel, v\)\n\}\n`)
	listMarshaler    = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) (marshalN[^(]+)\(ctx context\.Context, sel ast\.SelectionSet, v \[\]\*[\w.]+\) graphql\.Marshaler \{\n\t// gqlgenfix: the elements written straight to the answer when the selection reads plain fields only\.\n\tif w := ec\.list_(\w+)\(ctx, sel, v\); w != nil \{\n`)
)

// directResolvers rewrites the listed resolver fields whose answer can
// write itself; code is all files after the other steps (for the
// marshallers), types the objects with a plan.
func directResolvers(src map[string]string, code string, inline map[string]bool, types map[string]*directType) int {
	type target struct {
		object, list string // the type written by a plan, or by list_<list>
		nullable     bool
	}
	targets := map[string]target{}
	for _, m := range pointerMarshaler.FindAllStringSubmatch(code, -1) {
		if types[m[3]] != nil {
			targets[m[1]] = target{object: m[3], nullable: m[2] == "O"}
		}
	}
	for _, m := range listMarshaler.FindAllStringSubmatch(code, -1) {
		targets[m[1]] = target{list: m[2]}
	}
	n := 0
	for f, s := range src {
		var add strings.Builder
		src[f] = resolverField.ReplaceAllStringFunc(s, func(m string) string {
			sub := resolverField.FindStringSubmatch(m)
			head, typ, field, objType, rest, call, marshal := sub[1], sub[2], sub[3], sub[4], sub[5], sub[6], sub[7]
			tg, ok := targets[marshal]
			if !inline[typ+"."+field] || (!ok && !directMarshalers[marshal]) {
				return m
			}
			n++
			fn := "direct_" + typ + "_" + field
			fmt.Fprintf(&add, "\n// gqlgenfix: %[1]s calls the memory-only resolver of %[2]s.%[3]s and returns\n"+
				"// its answer's writer, or nil for gqlgen's path (an error, a panic, a null\n"+
				"// where not allowed, a selection that is not plain), which calls it again.\n"+
				"func (ec *executionContext) %[1]s(ctx context.Context, field graphql.CollectedField, obj *%[4]s) (w graphql.Marshaler) {\n"+
				"\tdefer func() {\n\t\tif recover() != nil {\n\t\t\tw = nil\n\t\t}\n\t}()\n"+
				"\tv, err := %[5]s\n"+
				"\tif err != nil {\n\t\treturn nil\n\t}\n", fn, typ, field, objType, call)
			switch {
			case tg.list != "":
				fmt.Fprintf(&add, "\treturn ec.list_%s(ctx, field.Selections, v)\n}\n", tg.list)
			case tg.object != "":
				t := types[tg.object]
				null := "nil"
				if tg.nullable {
					null = "graphql.Null"
				}
				fmt.Fprintf(&add, "\tif v == nil {\n\t\treturn %[1]s\n\t}\n"+
					"\tp := ec.collect(field.Selections, %[2]q, %[3]s, ec.plan_%[2]s).plan\n"+
					"\tif p == nil {\n\t\treturn nil\n\t}\n"+
					"\treturn &writer_%[2]s{ec: ec, ctx: ctx, p: p, obj: v}\n}\n", null, t.name, t.implementors)
			default:
				fmt.Fprintf(&add, "\treturn ec.%s(ctx, field.Selections, v)\n}\n", marshal)
			}
			return head +
				"\t// gqlgenfix: " + typ + "." + field + " reads memory only: no ResolveField when its answer writes itself.\n" +
				"\tif w := ec." + fn + "(ctx, field, obj); w != nil {\n\t\treturn w\n\t}\n" + rest
		})
		src[f] += add.String()
	}
	return n
}

// Step 8: the answer's buffer sized from the operation's last answer.
//
// The executor marshals a query's answer into a bytes.Buffer that starts
// empty and doubles: for a 92 KB listing a dozen allocations, each copied
// and cleared (5% of the listing's CPU). The buffer is now grown once to
// the size of the same operation's last answer (answerSizeHint in
// gqlgenfix.go); parsed documents are cached, so an operation keeps its
// address while it is asked for.
var answerBuffer = regexp.MustCompile(`(?m)^(\t+)var buf bytes\.Buffer\n\t+data\.MarshalGQL\(&buf\)\n\t+response\.Data = buf\.Bytes\(\)\n`)

func sizeAnswers(code string) (string, int) {
	n := 0
	out := answerBuffer.ReplaceAllStringFunc(code, func(m string) string {
		in := answerBuffer.FindStringSubmatch(m)[1]
		n++
		return in + "var buf bytes.Buffer\n" +
			in + "// gqlgenfix: sized from this operation's last answer (answerSizeHint).\n" +
			in + "buf.Grow(answerSizeHint(opCtx.Operation))\n" +
			in + "data.MarshalGQL(&buf)\n" +
			in + "recordAnswerSize(opCtx.Operation, buf.Len())\n" +
			in + "response.Data = buf.Bytes()\n"
	})
	return out, n
}

// collectSource is appended to the file of the execution context.
const collectSource = `// collect returns the fields of sel for type typ (gqlgen's CollectFields)
// and, when plan is not nil, their plan, each computed once per operation.
func (ec *executionContext) collect(sel ast.SelectionSet, typ string, implementors []string, plan func([]graphql.CollectedField) *directPlan) *selEntry {
	k := selKey{n: len(sel), typ: typ}
	if len(sel) > 0 {
		k.first = &sel[0]
	}
	c := &ec.sels
	c.mu.Lock()
	e := c.m[k]
	c.mu.Unlock()
	if e != nil {
		return e
	}
	e = &selEntry{fields: graphql.CollectFields(ec.OperationContext, sel, implementors)}
	if plan != nil {
		e.plan = plan(e.fields)
	}
	c.mu.Lock()
	if prev := c.m[k]; prev != nil {
		e = prev
	} else {
		if c.m == nil {
			c.m = map[selKey]*selEntry{}
		}
		c.m[k] = e
	}
	c.mu.Unlock()
	return e
}
`
