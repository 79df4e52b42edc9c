package graph_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Ensure the resolvers of graph/inline-resolvers.txt keep the contract
// gqlgenfix relies on when it calls them without ResolveField (step 7):
// they do not read their own field context (called that way they would
// see their parent's) and reach no loader or back office.
func TestInlineResolversContract(t *testing.T) {
	raw, err := os.ReadFile("inline-resolvers.txt")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{} // receiver type + lower-case method name
	for _, line := range strings.Split(string(raw), "\n") {
		line, _, _ = strings.Cut(line, "#")
		typ, field, ok := strings.Cut(strings.TrimSpace(line), ".")
		if !ok {
			continue
		}
		listed[strings.ToLower(typ[:1])+typ[1:]+"Resolver."+strings.ToLower(field)] = true
	}
	files, _ := filepath.Glob("*.resolvers.go")
	found := 0
	for _, f := range files {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		src, _ := os.ReadFile(f)
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Body == nil {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			recv, ok := star.X.(*ast.Ident)
			if !ok || !listed[recv.Name+"."+strings.ToLower(fn.Name.Name)] {
				continue
			}
			found++
			body := string(src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset])
			for _, banned := range []string{"GetFieldContext", "CollectFieldsCtx", "selects(", "loaders.For", "GetOperationContext"} {
				if strings.Contains(body, banned) {
					t.Errorf("%s.%s is listed in inline-resolvers.txt but uses %s", recv.Name, fn.Name.Name, banned)
				}
			}
		}
	}
	if found != len(listed) {
		t.Fatalf("found %d of the %d listed resolvers in *.resolvers.go", found, len(listed))
	}
}
