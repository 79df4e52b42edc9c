package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bound one request. The document limits (depth to repeats) are
// checked on the parsed document before gqlparser validates it (shape.go);
// the value limits after validation, when variables are typed. The names
// follow Apollo Router's operation limits where they exist.
type Limits struct {
	MaxDepth              int // nesting of selection sets, fragments expanded, introspection apart
	MaxIntrospectionDepth int // nesting under __schema / __type
	MaxAliases            int // aliased fields in the document
	MaxRootFields         int // fields at the top level of an operation
	MaxFields             int // field selections in the document, each fragment counted once
	MaxSelections         int // selections written in one selection set
	MaxFragments          int // fragment definitions
	MaxSpreads            int // fragment spreads in the document
	MaxDirectives         int // directives at one location
	MaxResponseNames      int // distinct response names of one selection set, fragments merged
	MaxRepeats            int // fields answering under one response name in one selection set, fragments merged
	MaxString             int // bytes of one string value, inline or in variables
	MaxList               int // entries of one list argument (or list in an input)
	MaxEntities           int // representations of one _entities call
	MaxErrors             int // errors in one answer; the rest are summed up in one
}

// DefaultLimits suit the website and back-office integrations: the largest
// legitimate operations (the standard introspection queries, the website's
// catalogue pages) stay well under them (TestLegitimateOperationsFit).
// No field of the schema needs more than a few kilobytes of text (the
// longest vendor fields are remarks of 4,000 characters).
var DefaultLimits = Limits{
	MaxDepth: 12, MaxIntrospectionDepth: 20, MaxAliases: 50, MaxRootFields: 20,
	MaxFields: 500, MaxSelections: 100, MaxFragments: 50, MaxSpreads: 200, MaxDirectives: 4,
	MaxResponseNames: 100, MaxRepeats: 8,
	MaxString: 16 << 10, MaxList: 100, MaxEntities: 100, MaxErrors: 50,
}

// withDefaults fills the zero limits from DefaultLimits (a negative limit
// turns one off).
func (l Limits) withDefaults() Limits {
	fill := func(p *int, d int) {
		switch {
		case *p == 0:
			*p = d
		case *p < 0:
			*p = 0
		}
	}
	d := DefaultLimits
	fill(&l.MaxDepth, d.MaxDepth)
	fill(&l.MaxIntrospectionDepth, d.MaxIntrospectionDepth)
	fill(&l.MaxAliases, d.MaxAliases)
	fill(&l.MaxRootFields, d.MaxRootFields)
	fill(&l.MaxFields, d.MaxFields)
	fill(&l.MaxSelections, d.MaxSelections)
	fill(&l.MaxFragments, d.MaxFragments)
	fill(&l.MaxSpreads, d.MaxSpreads)
	fill(&l.MaxDirectives, d.MaxDirectives)
	fill(&l.MaxResponseNames, d.MaxResponseNames)
	fill(&l.MaxRepeats, d.MaxRepeats)
	fill(&l.MaxString, d.MaxString)
	fill(&l.MaxList, d.MaxList)
	fill(&l.MaxEntities, d.MaxEntities)
	fill(&l.MaxErrors, d.MaxErrors)
	return l
}

// Guard checks the values of a validated operation before any resolver
// runs: string sizes and characters, integer ranges, list lengths, and the
// representations of _entities.
type Guard struct {
	Limits Limits
	schema *ast.Schema
	// routerOnly keeps _entities and _service for the federation router.
	routerOnly bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Guard{}

func (Guard) ExtensionName() string                   { return "Guard" }
func (Guard) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext walks the operation's arguments once.
func (g Guard) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Operation
	if op == nil {
		return nil
	}
	if max := g.Limits.MaxString; max > 0 {
		if where, n, found := tooLongString(oc.Variables, max); found {
			return stringError("$"+strings.TrimPrefix(where, "."), n, max)
		}
	}
	if err := g.federation(ctx, oc); err != nil {
		return err
	}
	w := argWalker{g: &g, vars: oc.Variables, frags: oc.Doc.Fragments, seen: map[string]bool{}}
	return w.walk(op.SelectionSet)
}

// federation guards the two fields only a federation router needs.
func (g Guard) federation(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, nil) {
		if f.Name != "_entities" && f.Name != "_service" {
			continue
		}
		if g.routerOnly && !CallerFrom(ctx).Router {
			return &gqlerror.Error{Message: f.Name + " is reserved to the federation router (header " + RouterSecretHeader + ")",
				Extensions: map[string]any{"code": CodeForbidden}}
		}
		if f.Name == "_entities" {
			if err := g.representations(ctx, f.ArgumentMap(oc.Variables)["representations"]); err != nil {
				return err
			}
		}
	}
	return nil
}

// privateEntities need a back-office key, representation by
// representation, as their query fields do.
var privateEntities = map[string]bool{"Contact": true, "Order": true, "Subscriber": true}

// representations bounds their number and refuses, before anything runs,
// unknown entity types and private ones without credentials.
func (g Guard) representations(ctx context.Context, v any) *gqlerror.Error {
	reps, _ := v.([]any)
	if max := g.Limits.MaxEntities; max > 0 && len(reps) > max {
		return shapeError("entities", max, fmt.Sprintf("_entities asks for %d representations; the limit is %d", len(reps), max))
	}
	var known map[string]bool
	if g.schema != nil {
		if u := g.schema.Types["_Entity"]; u != nil {
			known = map[string]bool{}
			for _, t := range u.Types {
				known[t] = true
			}
		}
	}
	for i, r := range reps {
		where := fmt.Sprintf("representations[%d].__typename", i)
		m, _ := r.(map[string]any)
		name, _ := m["__typename"].(string)
		switch {
		case name == "":
			return inputError(where, "is required (an object with __typename and the key fields)")
		case known != nil && !known[name]:
			return inputError(where, fmt.Sprintf("%q is not an entity type of this service", truncate(name, 64)))
		case privateEntities[name]:
			if err := requireBackOffice(ctx, "graph._entities."+name); err != nil {
				return PresentError(ctx, err)
			}
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func inputError(where, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: where + ": " + msg, Extensions: map[string]any{"code": CodeBadUserInput, "field": where}}
}

// tooLongString finds a string longer than max in decoded variables and
// names where it is; the path is only built for the one it reports.
func tooLongString(v any, max int) (where string, n int, found bool) {
	switch x := v.(type) {
	case string:
		return "", len(x), len(x) > max
	case map[string]any:
		for k, e := range x {
			if p, m, ok := tooLongString(e, max); ok {
				return "." + k + p, m, true
			}
		}
	case []any:
		for i, e := range x {
			if p, m, ok := tooLongString(e, max); ok {
				return fmt.Sprintf("[%d]", i) + p, m, true
			}
		}
	}
	return "", 0, false
}

func stringError(where string, n, max int) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf("%s: a string of %d bytes; the limit is %d", where, n, max),
		Extensions: map[string]any{"code": CodeBadUserInput, "field": where}}
}

// multiLine are the input fields whose text may hold line breaks and tabs.
var multiLine = map[string]bool{"OrganisationInput.remark": true}

// argWalker checks every argument of every field the operation selects,
// each fragment once.
type argWalker struct {
	g     *Guard
	vars  map[string]any
	frags ast.FragmentDefinitionList
	seen  map[string]bool
}

func (w *argWalker) walk(set ast.SelectionSet) *gqlerror.Error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				var t *ast.Type
				if s.Definition != nil {
					if d := s.Definition.Arguments.ForName(a.Name); d != nil {
						t = d.Type
					}
				}
				if t == nil || a.Value == nil {
					continue
				}
				v, err := a.Value.Value(w.vars)
				if err != nil {
					continue // validation has reported it
				}
				if err := w.value(v, t, a.Name, false); err != nil {
					return err
				}
			}
			if err := w.walk(s.SelectionSet); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := w.walk(s.SelectionSet); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if w.seen[s.Name] {
				continue
			}
			w.seen[s.Name] = true
			if f := w.frags.ForName(s.Name); f != nil {
				if err := w.walk(f.SelectionSet); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// value checks one argument value against its declared type; where names
// it the way clients write it (input.lastName, lists[3]).
func (w *argWalker) value(v any, t *ast.Type, where string, lines bool) *gqlerror.Error {
	if v == nil || t == nil {
		return nil
	}
	l := w.g.Limits
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok { // a single value coerced to a list
			return w.value(v, t.Elem, where, lines)
		}
		if l.MaxList > 0 && len(list) > l.MaxList && where != "representations" {
			return inputError(where, fmt.Sprintf("a list of %d entries; the limit is %d", len(list), l.MaxList))
		}
		for i, e := range list {
			if err := w.value(e, t.Elem, fmt.Sprintf("%s[%d]", where, i), lines); err != nil {
				return err
			}
		}
		return nil
	}
	switch t.NamedType {
	case "Int":
		if n, ok := asInt(v); ok && (n < math.MinInt32 || n > math.MaxInt32) {
			return inputError(where, "an Int is a 32-bit signed integer (at most 2147483647)")
		}
		return nil
	case "_Any":
		return nil // representations: checked by Guard.representations
	}
	switch x := v.(type) {
	case string:
		if l.MaxString > 0 && len(x) > l.MaxString {
			return stringError(where, len(x), l.MaxString)
		}
		if msg := badText(x, lines); msg != "" {
			return inputError(where, msg)
		}
	case map[string]any:
		var def *ast.Definition
		if w.g.schema != nil {
			def = w.g.schema.Types[t.NamedType]
		}
		if def == nil {
			return nil
		}
		for k, e := range x {
			f := def.Fields.ForName(k)
			if f == nil {
				continue
			}
			if err := w.value(e, f.Type, where+"."+k, multiLine[def.Name+"."+k]); err != nil {
				return err
			}
		}
	}
	return nil
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case float64:
		if n > math.MaxInt64 || n < math.MinInt64 {
			return math.MaxInt64, true
		}
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			return math.MaxInt64, true // beyond 64 bits, or not whole: refuse
		}
		return i, true
	case string:
		i, err := strconv.ParseInt(n, 10, 64)
		return i, err == nil
	}
	return 0, false
}

// badText says what is wrong with a string, if anything: invalid UTF-8,
// control characters (tabs and line breaks only where text may span
// lines), and the bidirectional overrides that make text display
// differently from what it holds.
func badText(s string, lines bool) string {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return "not valid UTF-8"
		case r == '\t' || r == '\n' || r == '\r':
			if !lines {
				return "a line break or tab is not allowed here"
			}
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return fmt.Sprintf("the control character U+%04X is not allowed", r)
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			return fmt.Sprintf("the bidirectional control U+%04X is not allowed", r)
		}
	}
	return ""
}

// noIntrospection refuses __schema and __type with a clear FORBIDDEN when
// introspection is switched off (gqlgen's own refusal surfaces as an
// internal error from inside the field), and _service too unless the
// federation router asks: it is the whole schema as SDL.
type noIntrospection struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = noIntrospection{}

func (noIntrospection) ExtensionName() string                   { return "NoIntrospection" }
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }

func (noIntrospection) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	router := CallerFrom(ctx).Router
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, nil) {
		if f.Name == "__schema" || f.Name == "__type" || (f.Name == "_service" && !router) {
			return &gqlerror.Error{Message: "introspection is switched off on this server",
				Extensions: map[string]any{"code": CodeForbidden}}
		}
	}
	if router {
		// gqlgen serves _service only with introspection enabled; __schema
		// and __type were refused just above.
		oc.DisableIntrospection = false
	}
	return nil
}

// errorCap keeps an answer's error list short: a client learns nothing
// from the thousandth error but the server pays to build and send it.
type errorCap struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = errorCap{}

func (errorCap) ExtensionName() string                   { return "ErrorCap" }
func (errorCap) Validate(graphql.ExecutableSchema) error { return nil }

func (c errorCap) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || c.max <= 0 || len(resp.Errors) <= c.max {
		return resp
	}
	more := len(resp.Errors) - c.max
	resp.Errors = append(resp.Errors[:c.max:c.max], &gqlerror.Error{
		Message:    fmt.Sprintf("%d more errors not shown", more),
		Extensions: map[string]any{"code": CodeTooManyErrors, "omitted": more},
	})
	return resp
}
