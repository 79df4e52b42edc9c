package graph

import (
	"context"
	"fmt"

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
}

// DefaultLimits suit a website and back-office integrations.
var DefaultLimits = Limits{MaxDepth: 12, MaxAliases: 50, MaxRootFields: 20}

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
	w := walker{frags: oc.Doc.Fragments, limits: g.Limits}
	if err := w.walk(op.SelectionSet, 1); err != nil {
		return err
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
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": "QUERY_TOO_COMPLEX"}}
}
