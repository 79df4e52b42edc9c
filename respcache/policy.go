// Package respcache serves public catalogue answers at the speed of static
// files. A catalogue answer is a pure function of (operation, variables,
// snapshot version), so the serialised response of an operation that touches
// only public catalogue fields is kept in a byte-bounded LRU keyed by those
// three, and, when asked for with GET, handed to browsers and CDNs with an
// ETag and `Cache-Control: public`. Everything else (sessions, back-office
// fields, mutations, live fields, introspection) goes through untouched and
// is marked `private, no-store`.
package respcache

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// The classification, in one place. The public field set is derived from the
// schema: starting at PublicRoots, every field of every type reached is
// public, except
//   - LiveFields (resolved upstream at request time, so not a function of the
//     snapshot), and
//   - fields declared outside PublicSchemaFiles, or whose type is declared
//     outside them: a personal or back-office field grafted onto a catalogue
//     type (`extend type Show { myTickets: … }` in visitor.graphqls) or a
//     catalogue field that leads to a personal type is never public.
//
// Adding a catalogue field that calls a back office at request time means
// adding it to LiveFields; TestDerivedPublicSet lists the derived set so such
// a change is reviewed.
var (
	// PublicRoots are the Query fields served from the catalogue snapshot
	// alone (graph/catalogue.resolvers.go: they read r.snapshot() only).
	PublicRoots = []string{"shows", "show", "performance", "venues", "passes", "pass", "articles", "article"}

	// LiveFields are fields of catalogue types whose resolver asks a back
	// office per request (graph/catalogue.resolvers.go: the ones using
	// loaders). Performance.availability reads the ticketing system's seat
	// count through the SeatsLeft loader.
	LiveFields = []string{"Performance.availability"}
	// SharedFields are the live fields whose value comes from a process-wide
	// cache with a TTL, the same for every visitor (package availability): an
	// answer whose only live fields are these is kept until the oldest value
	// it used expires (livewindow), in memory only (no ETag, no public
	// Cache-Control: the bytes change under the same key).
	SharedFields = []string{"Performance.availability"}

	// PublicSchemaFiles are the schema files (base names) whose declarations
	// are public catalogue data. scalars.graphqls holds Money and the date
	// scalars shared by every domain.
	PublicSchemaFiles = []string{"catalogue.graphqls", "scalars.graphqls"}
)

// Policy decides whether an operation touches only public catalogue fields.
type Policy struct {
	schema   *ast.Schema
	fields   map[string]bool // "Type.field" → public; roots appear as "Query.<root>"
	windowed map[string]bool // fields plus SharedFields (and what they lead to)
}

// NewPolicy derives the public field set from the schema. It fails when a
// root or live field named above is missing from the schema, so the lists
// cannot silently drift from it.
func NewPolicy(schema *ast.Schema) (*Policy, error) {
	if schema == nil || schema.Query == nil {
		return nil, fmt.Errorf("respcache: schema without a Query type")
	}
	for _, lf := range append(append([]string(nil), LiveFields...), SharedFields...) {
		typ, field, _ := strings.Cut(lf, ".")
		if t := schema.Types[typ]; t == nil || t.Fields.ForName(field) == nil {
			return nil, fmt.Errorf("respcache: live field %s is not in the schema", lf)
		}
	}
	p := &Policy{schema: schema}
	var err error
	if p.fields, err = p.derive(LiveFields); err != nil {
		return nil, err
	}
	var unshared []string
	for _, lf := range LiveFields {
		if !slices.Contains(SharedFields, lf) {
			unshared = append(unshared, lf)
		}
	}
	if p.windowed, err = p.derive(unshared); err != nil {
		return nil, err
	}
	return p, nil
}

// derive is the field set reached from PublicRoots without crossing the
// live fields of exclude.
func (p *Policy) derive(exclude []string) (map[string]bool, error) {
	schema := p.schema
	fields := map[string]bool{}
	seen := map[string]bool{}
	var visit func(t *ast.Definition)
	visit = func(t *ast.Definition) {
		if seen[t.Name] || t.Kind != ast.Object {
			return
		}
		seen[t.Name] = true
		for _, f := range t.Fields {
			if strings.HasPrefix(f.Name, "__") || slices.Contains(exclude, t.Name+"."+f.Name) || !declaredPublic(f.Position) {
				continue
			}
			ft := schema.Types[f.Type.Name()]
			if !p.publicType(ft) {
				continue
			}
			fields[t.Name+"."+f.Name] = true
			visit(ft)
		}
	}
	for _, root := range PublicRoots {
		f := schema.Query.Fields.ForName(root)
		if f == nil {
			return nil, fmt.Errorf("respcache: public root Query.%s is not in the schema", root)
		}
		ft := schema.Types[f.Type.Name()]
		if !declaredPublic(f.Position) || !p.publicType(ft) {
			return nil, fmt.Errorf("respcache: public root Query.%s is not declared in %v with a public type", root, PublicSchemaFiles)
		}
		fields["Query."+root] = true
		visit(ft)
	}
	return fields, nil
}

// publicType: built-in scalars, or a type declared in a public file.
func (p *Policy) publicType(t *ast.Definition) bool {
	if t == nil {
		return false
	}
	if t.BuiltIn {
		return t.Kind == ast.Scalar
	}
	return declaredPublic(t.Position)
}

func declaredPublic(pos *ast.Position) bool {
	return pos != nil && pos.Src != nil && !pos.Src.BuiltIn && slices.Contains(PublicSchemaFiles, path.Base(pos.Src.Name))
}

// Fields lists the public fields ("Type.field"), sorted; for tests and docs.
func (p *Policy) Fields() []string {
	out := make([]string, 0, len(p.fields))
	for f := range p.fields {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Public reports whether op, a query of doc, selects only public fields.
// Fragments and inline fragments are followed with their type condition as
// the parent type; __typename is fine anywhere; __schema and __type are not
// (introspection stays uncached and follows the server's own switch).
func (p *Policy) Public(doc *ast.QueryDocument, op *ast.OperationDefinition) bool {
	if op == nil || op.Operation != ast.Query {
		return false
	}
	for _, v := range op.VariableDefinitions {
		// The normalised form drops directives on variables; refuse them
		// rather than let two different documents share a key.
		if len(v.Directives) > 0 {
			return false
		}
	}
	return p.selection(doc, p.fields, p.schema.Query, op.SelectionSet, map[string]bool{})
}

// Windowed reports whether op, a query of doc, selects only public fields
// and SharedFields: an answer the same for everyone while the shared
// values it used are (livewindow).
func (p *Policy) Windowed(doc *ast.QueryDocument, op *ast.OperationDefinition) bool {
	if op == nil || op.Operation != ast.Query {
		return false
	}
	for _, v := range op.VariableDefinitions {
		if len(v.Directives) > 0 {
			return false
		}
	}
	return p.selection(doc, p.windowed, p.schema.Query, op.SelectionSet, map[string]bool{})
}

func (p *Policy) selection(doc *ast.QueryDocument, fields map[string]bool, parent *ast.Definition, set ast.SelectionSet, fragments map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__typename" {
				continue
			}
			if !fields[parent.Name+"."+s.Name] {
				return false
			}
			if len(s.SelectionSet) > 0 {
				child := p.schema.Types[parent.Fields.ForName(s.Name).Type.Name()]
				if !p.selection(doc, fields, child, s.SelectionSet, fragments) {
					return false
				}
			}
		case *ast.InlineFragment:
			t := parent
			if s.TypeCondition != "" {
				if t = p.schema.Types[s.TypeCondition]; t == nil {
					return false
				}
			}
			if !p.selection(doc, fields, t, s.SelectionSet, fragments) {
				return false
			}
		case *ast.FragmentSpread:
			// A fragment always applies to its own type condition, so one
			// check per fragment suffices (and cycles cannot loop).
			if fragments[s.Name] {
				continue
			}
			fragments[s.Name] = true
			def := doc.Fragments.ForName(s.Name)
			if def == nil {
				return false
			}
			t := p.schema.Types[def.TypeCondition]
			if t == nil || !p.selection(doc, fields, t, def.SelectionSet, fragments) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
