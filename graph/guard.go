package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bound the shape of one operation. gqlgen has no depth limit of its
// own, and the complexity limit alone does not stop a flat wall of aliases.
type Limits struct {
	MaxDepth      int // nesting of selection sets, fragments expanded
	MaxAliases    int // aliased fields in the whole operation
	MaxRootFields int // fields at the top level
	MaxString     int // bytes of one string value, inline or in variables
}

// DefaultLimits suit a website and back-office integrations.
// No field of the schema needs more than a few kilobytes of text (the
// longest vendor fields are remarks of 4,000 characters).
var DefaultLimits = Limits{MaxDepth: 12, MaxAliases: 50, MaxRootFields: 20, MaxString: 16 << 10}

// Guard rejects operations beyond the limits before any resolver runs.
type Guard struct{ Limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Guard{}

func (Guard) ExtensionName() string                   { return "Guard" }
func (Guard) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext walks the operation once.
func (g Guard) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Operation
	if op == nil {
		return nil
	}
	if g.Limits.MaxRootFields > 0 && len(op.SelectionSet) > g.Limits.MaxRootFields {
		return limitError(fmt.Sprintf("the operation asks for %d top-level fields; the limit is %d", len(op.SelectionSet), g.Limits.MaxRootFields))
	}
	if max := g.Limits.MaxString; max > 0 {
		if where, n, found := tooLongString(oc.Variables, max); found {
			return stringError("$"+strings.TrimPrefix(where, "."), n, max)
		}
	}
	w := walker{frags: oc.Doc.Fragments, limits: g.Limits}
	if err := w.walk(op.SelectionSet, 1); err != nil {
		return err
	}
	return nil
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

// checkArguments bounds inline string literals (variables are checked
// once, before the walk).
func (w *walker) checkArguments(f *ast.Field) *gqlerror.Error {
	if w.limits.MaxString <= 0 {
		return nil
	}
	var check func(v *ast.Value, where string) *gqlerror.Error
	check = func(v *ast.Value, where string) *gqlerror.Error {
		if v == nil {
			return nil
		}
		if (v.Kind == ast.StringValue || v.Kind == ast.BlockValue) && len(v.Raw) > w.limits.MaxString {
			return stringError(where, len(v.Raw), w.limits.MaxString)
		}
		for _, c := range v.Children {
			if err := check(c.Value, where); err != nil {
				return err
			}
		}
		return nil
	}
	for _, a := range f.Arguments {
		if err := check(a.Value, f.Name+"("+a.Name+")"); err != nil {
			return err
		}
	}
	return nil
}

type walker struct {
	frags   ast.FragmentDefinitionList
	limits  Limits
	aliases int
	visits  int
}

func (w *walker) walk(set ast.SelectionSet, depth int) *gqlerror.Error {
	if w.limits.MaxDepth > 0 && depth > w.limits.MaxDepth {
		return limitError(fmt.Sprintf("the operation is nested deeper than %d levels", w.limits.MaxDepth))
	}
	for _, sel := range set {
		// Expanded fragments can repeat; bound the walk itself as well.
		if w.visits++; w.visits > 100000 {
			return limitError("the operation is too large")
		}
		switch s := sel.(type) {
		case *ast.Field:
			if err := w.checkArguments(s); err != nil {
				return err
			}
			if s.Alias != "" && s.Alias != s.Name {
				if w.aliases++; w.limits.MaxAliases > 0 && w.aliases > w.limits.MaxAliases {
					return limitError(fmt.Sprintf("the operation uses more than %d aliases", w.limits.MaxAliases))
				}
			}
			if len(s.SelectionSet) > 0 {
				if err := w.walk(s.SelectionSet, depth+1); err != nil {
					return err
				}
			}
		case *ast.InlineFragment:
			if err := w.walk(s.SelectionSet, depth); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if f := w.frags.ForName(s.Name); f != nil {
				if err := w.walk(f.SelectionSet, depth); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func limitError(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": CodeQueryTooComplex}}
}

// noIntrospection refuses __schema and __type with a clear FORBIDDEN when
// introspection is switched off (gqlgen's own refusal surfaces as an
// internal error from inside the field).
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
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, nil) {
		if f.Name == "__schema" || f.Name == "__type" {
			return &gqlerror.Error{Message: "introspection is switched off on this server",
				Extensions: map[string]any{"code": CodeForbidden}}
		}
	}
	return nil
}
