package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// shapeCheck bounds the parsed document before gqlparser's validation rules
// run. Some of those rules cost more than linear time in the document
// (OverlappingFieldsCanBeMerged compares every pair of fields that share a
// response name, fragments pairwise), so every limit that keeps them cheap
// must be checked on the bare syntax tree first. Everything here is linear:
// each selection set and each fragment is visited once.
//
// It runs as gqlgen's OperationParameterMutator, after the persisted-query
// extensions have put the document text in place, and parses the text
// itself; gqlgen parses it again (a linear cost) and validates. Documents in
// gqlgen's query cache passed this check already.
type shapeCheck struct {
	limits Limits
	tokens int
	cache  graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = shapeCheck{}

func (shapeCheck) ExtensionName() string                   { return "ShapeCheck" }
func (shapeCheck) Validate(graphql.ExecutableSchema) error { return nil }

func (s shapeCheck) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query == "" {
		return nil
	}
	if s.cache != nil {
		if _, ok := s.cache.Get(ctx, p.Query); ok {
			return nil
		}
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, s.tokens)
	if err != nil {
		// Answered here as gqlgen would (same code, hence HTTP 422), so the
		// text is not parsed a second time.
		gqlErr, ok := err.(*gqlerror.Error)
		if !ok {
			return nil
		}
		errcode.Set(gqlErr, errcode.ParseFailed)
		return gqlErr
	}
	if err := checkShape(doc, s.limits); err != nil {
		return err
	}
	return entitiesCount(doc, p.Variables, s.limits.MaxEntities)
}

// entitiesCount refuses too many _entities representations before gqlgen
// coerces the variables (10,000 of them cost more to coerce than to refuse).
// Guard checks the count again on the coerced values.
func entitiesCount(doc *ast.QueryDocument, vars map[string]any, max int) *gqlerror.Error {
	if max <= 0 {
		return nil
	}
	var check func(set ast.SelectionSet, seen map[string]bool) *gqlerror.Error
	check = func(set ast.SelectionSet, seen map[string]bool) *gqlerror.Error {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Name != "_entities" {
					continue
				}
				a := s.Arguments.ForName("representations")
				if a == nil || a.Value == nil {
					continue
				}
				n := len(a.Value.Children)
				if a.Value.Kind == ast.Variable {
					list, _ := vars[a.Value.Raw].([]any)
					n = len(list)
				}
				if n > max {
					return shapeError("entities", max, fmt.Sprintf("_entities asks for %d representations; the limit is %d", n, max))
				}
			case *ast.InlineFragment:
				if err := check(s.SelectionSet, seen); err != nil {
					return err
				}
			case *ast.FragmentSpread:
				if f := doc.Fragments.ForName(s.Name); f != nil && !seen[s.Name] {
					seen[s.Name] = true
					if err := check(f.SelectionSet, seen); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	for _, op := range doc.Operations {
		if err := check(op.SelectionSet, map[string]bool{}); err != nil {
			return err
		}
	}
	return nil
}

// checkShape applies the document limits; the first one exceeded is the
// refusal. Zero limits are off.
func checkShape(doc *ast.QueryDocument, l Limits) *gqlerror.Error {
	if l.MaxFragments > 0 && len(doc.Fragments) > l.MaxFragments {
		return shapeError("fragments", l.MaxFragments,
			fmt.Sprintf("the document defines %d fragments; the limit is %d", len(doc.Fragments), l.MaxFragments))
	}
	c := &shapeCounter{l: l, frags: map[string]*fragShape{}}
	for _, f := range doc.Fragments {
		c.fragDefs = append(c.fragDefs, f)
	}
	// Syntax-wide counts first: every node once, fragments not expanded.
	for _, op := range doc.Operations {
		if err := c.directives(op.Directives, "operation"); err != nil {
			return err
		}
		for _, v := range op.VariableDefinitions {
			if err := c.directives(v.Directives, "variable $"+v.Variable); err != nil {
				return err
			}
		}
		if err := c.count(op.SelectionSet); err != nil {
			return err
		}
	}
	for _, f := range doc.Fragments {
		if err := c.directives(f.Directives, "fragment "+f.Name); err != nil {
			return err
		}
		if err := c.count(f.SelectionSet); err != nil {
			return err
		}
	}
	// Then what expanding fragments produces, memoised per fragment.
	for _, op := range doc.Operations {
		if l.MaxRootFields > 0 && len(op.SelectionSet) > l.MaxRootFields {
			return shapeError("rootFields", l.MaxRootFields, fmt.Sprintf("the operation asks for %d top-level fields; the limit is %d", len(op.SelectionSet), l.MaxRootFields))
		}
		sh, err := c.shape(op.SelectionSet, nil)
		if err != nil {
			return err
		}
		if l.MaxDepth > 0 && sh.depth > l.MaxDepth {
			return shapeError("depth", l.MaxDepth, fmt.Sprintf("the operation is nested deeper than %d levels", l.MaxDepth))
		}
		if l.MaxIntrospectionDepth > 0 && sh.introDepth > l.MaxIntrospectionDepth {
			return shapeError("introspectionDepth", l.MaxIntrospectionDepth,
				fmt.Sprintf("the introspection selection is nested deeper than %d levels", l.MaxIntrospectionDepth))
		}
	}
	for _, f := range doc.Fragments {
		if _, err := c.fragment(f.Name); err != nil {
			return err
		}
	}
	return nil
}

type shapeCounter struct {
	l        Limits
	fields   int
	aliases  int
	spreads  int
	fragDefs ast.FragmentDefinitionList
	frags    map[string]*fragShape
}

// fragShape is what one selection set contributes once fragments are
// expanded: its depth (introspection subtrees apart) and how many fields
// answer under each response name at its own level.
type fragShape struct {
	depth, introDepth int
	names             map[string]int
	busy              bool            // being computed: a cycle, which validation reports
	spread            map[string]bool // fragments merged in so far (the same one twice adds nothing)
}

func (c *shapeCounter) directives(list ast.DirectiveList, where string) *gqlerror.Error {
	if c.l.MaxDirectives > 0 && len(list) > c.l.MaxDirectives {
		return shapeError("directives", c.l.MaxDirectives,
			fmt.Sprintf("%s carries %d directives; the limit is %d per location", where, len(list), c.l.MaxDirectives))
	}
	return nil
}

// count walks the syntax once: fields, aliases, spreads, selections per set,
// directives per location.
func (c *shapeCounter) count(set ast.SelectionSet) *gqlerror.Error {
	if c.l.MaxSelections > 0 && len(set) > c.l.MaxSelections {
		return shapeError("selections", c.l.MaxSelections,
			fmt.Sprintf("a selection set holds %d selections; the limit is %d", len(set), c.l.MaxSelections))
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if c.fields++; c.l.MaxFields > 0 && c.fields > c.l.MaxFields {
				return shapeError("fields", c.l.MaxFields, fmt.Sprintf("the document selects more than %d fields", c.l.MaxFields))
			}
			if s.Alias != "" && s.Alias != s.Name {
				if c.aliases++; c.l.MaxAliases > 0 && c.aliases > c.l.MaxAliases {
					return shapeError("aliases", c.l.MaxAliases, fmt.Sprintf("the operation uses more than %d aliases", c.l.MaxAliases))
				}
			}
			if err := c.directives(s.Directives, "field "+s.Name); err != nil {
				return err
			}
			if err := c.count(s.SelectionSet); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := c.directives(s.Directives, "an inline fragment"); err != nil {
				return err
			}
			if err := c.count(s.SelectionSet); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if c.spreads++; c.l.MaxSpreads > 0 && c.spreads > c.l.MaxSpreads {
				return shapeError("spreads", c.l.MaxSpreads, fmt.Sprintf("the document spreads fragments more than %d times", c.l.MaxSpreads))
			}
			if err := c.directives(s.Directives, "spread ..."+s.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *shapeCounter) fragment(name string) (*fragShape, *gqlerror.Error) {
	if f, ok := c.frags[name]; ok {
		if f.busy {
			return &fragShape{}, nil
		}
		return f, nil
	}
	def := c.fragDefs.ForName(name)
	if def == nil {
		return &fragShape{}, nil // unknown: validation reports it
	}
	c.frags[name] = &fragShape{busy: true}
	sh, err := c.shape(def.SelectionSet, nil)
	if err != nil {
		return nil, err
	}
	c.frags[name] = sh
	return sh, nil
}

// shape merges a selection set with the fragments it spreads (into names
// when given: inline fragments and spreads answer at the parent's level)
// and checks the per-level limits of the merged set.
func (c *shapeCounter) shape(set ast.SelectionSet, into *fragShape) (*fragShape, *gqlerror.Error) {
	own := into == nil
	if own {
		into = &fragShape{names: map[string]int{}, spread: map[string]bool{}}
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			name := s.Alias
			if name == "" {
				name = s.Name
			}
			into.names[name] = satAdd(into.names[name], 1)
			d, id := 1, 0
			if len(s.SelectionSet) > 0 {
				child, err := c.shape(s.SelectionSet, nil)
				if err != nil {
					return nil, err
				}
				d, id = 1+child.depth, child.introDepth
				if s.Name == "__schema" || s.Name == "__type" {
					// Introspection is counted apart: the standard queries of
					// graphql-js and GraphiQL nest about fifteen levels
					// (TypeRef's ofType chain) and gqlparser's
					// MaxIntrospectionDepth rule bounds its recursion.
					d, id = 1, max(id, 1+child.depth)
				}
			}
			into.depth, into.introDepth = max(into.depth, d), max(into.introDepth, id)
		case *ast.InlineFragment:
			if _, err := c.shape(s.SelectionSet, into); err != nil {
				return nil, err
			}
		case *ast.FragmentSpread:
			if into.spread[s.Name] {
				continue
			}
			into.spread[s.Name] = true
			f, err := c.fragment(s.Name)
			if err != nil {
				return nil, err
			}
			into.depth, into.introDepth = max(into.depth, f.depth), max(into.introDepth, f.introDepth)
			for n, k := range f.names {
				into.names[n] = satAdd(into.names[n], k)
			}
		}
	}
	if own {
		if err := c.level(into); err != nil {
			return nil, err
		}
		into.spread = nil
	}
	return into, nil
}

// level checks one merged selection set: how wide it is, and how many
// fields share one response name (the pairs validation compares).
func (c *shapeCounter) level(sh *fragShape) *gqlerror.Error {
	if c.l.MaxResponseNames > 0 && len(sh.names) > c.l.MaxResponseNames {
		return shapeError("responseNames", c.l.MaxResponseNames,
			fmt.Sprintf("a selection set answers under %d names; the limit is %d", len(sh.names), c.l.MaxResponseNames))
	}
	if c.l.MaxRepeats > 0 {
		for n, k := range sh.names {
			if k > c.l.MaxRepeats {
				return shapeError("repeats", c.l.MaxRepeats,
					fmt.Sprintf("%q is selected %d times in one selection set (fragments included); the limit is %d", n, k, c.l.MaxRepeats))
			}
		}
	}
	return nil
}

func satAdd(a, b int) int {
	if a > 1<<30 || b > 1<<30 {
		return 1 << 30
	}
	return a + b
}

// shapeError is a QUERY_TOO_COMPLEX refusal naming the limit.
func shapeError(limit string, max int, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": CodeQueryTooComplex, "limit": limit, "max": max}}
}
