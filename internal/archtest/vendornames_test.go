package archtest

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparser "github.com/vektah/gqlparser/v2/parser"
)

var root = filepath.Join("..", "..")

// abowebNames are the XML names AboWeb's ClientService messages carry
// (from the generated types of soap/clientservice): every element of the
// client record and of the search criteria, and the scalar parameters of
// the operations. Left out: the message wrappers (client, criteria, the
// result of every answer), which are ordinary words, and names the API
// itself uses (email, siret, offset…), which say nothing.
func abowebNames(t *testing.T) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(root, "soap", "clientservice", "clientservice.go"), nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			record := ts.Name.Name == "WsClient" || ts.Name.Name == "WsCriteria"
			for _, field := range st.Fields.List {
				if field.Tag == nil {
					continue
				}
				if _, ptr := field.Type.(*ast.StarExpr); !record && ptr {
					continue // a wrapper of a record
				}
				if _, list := field.Type.(*ast.ArrayType); !record && list {
					continue
				}
				tag, _ := strconv.Unquote(field.Tag.Value)
				name, _, _ := strings.Cut(reflect.StructTag(tag).Get("xml"), ",")
				if name != "" && name != "result" && !strings.Contains(name, " ") {
					names[name] = true
				}
			}
		}
	}
	if !names["adresse1"] || !names["typeClient"] || !names["codeTiers"] {
		t.Fatalf("WsClient elements not found in clientservice.go: %d names", len(names))
	}
	for n := range apiNames(t) {
		delete(names, n)
	}
	return names
}

// apiNames are the names of the GraphQL schema: types, fields, arguments,
// input fields and enum values.
func apiNames(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "schema.graphql"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := gqlparser.ParseSchema(&gqlast.Source{Name: "schema.graphql", Input: string(b)})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	add := func(defs gqlast.DefinitionList) {
		for _, d := range defs {
			names[d.Name] = true
			for _, f := range d.Fields {
				names[f.Name] = true
				for _, a := range f.Arguments {
					names[a.Name] = true
				}
			}
			for _, v := range d.EnumValues {
				names[v.Name] = true
			}
		}
	}
	add(doc.Definitions)
	add(doc.Extensions)
	return names
}

// codeTokens yields the identifiers and string literals of a Go file, not
// its comments.
func codeTokens(t *testing.T, path string) []struct {
	pos  string
	text string
} {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	file := fset.AddFile(path, -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, 0) // comments skipped
	var out []struct{ pos, text string }
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.IDENT || tok == token.STRING || tok == token.CHAR {
			out = append(out, struct{ pos, text string }{fset.Position(pos).String(), lit})
		}
	}
}

var word = regexp.MustCompile(`[\p{L}_][\p{L}\p{N}_]*`)

// vendorHits lists where a vendor name appears in code: an identifier equal
// to one (any case), or a word of a string literal equal to one.
func vendorHits(t *testing.T, dir string, vendor map[string]bool) []string {
	lower := map[string]bool{}
	for n := range vendor {
		lower[strings.ToLower(n)] = true
	}
	var hits []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		for _, tk := range codeTokens(t, path) {
			if tk.text[0] != '"' && tk.text[0] != '`' && tk.text[0] != '\'' {
				if lower[strings.ToLower(tk.text)] {
					hits = append(hits, tk.pos+": "+tk.text)
				}
				continue
			}
			if strings.Contains(tk.text, "\n") {
				continue // a schema document gqlgen embeds: the API's own text
			}
			for _, w := range word.FindAllString(tk.text, -1) {
				if vendor[w] {
					hits = append(hits, tk.pos+": "+w+" in "+tk.text)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(hits)
	return hits
}

// Ensure no AboWeb element name (adresse1, codeTiers, typeClient…) appears
// in the GraphQL layer or the CRM domain outside comments: the soap adapter
// alone maps them to the API's names.
func TestNoAbowebNamesAboveTheAdapter(t *testing.T) {
	vendor := abowebNames(t)
	t.Logf("%d AboWeb names checked", len(vendor))
	for _, dir := range []string{"graph", "crm"} {
		if hits := vendorHits(t, filepath.Join(root, dir), vendor); len(hits) > 0 {
			t.Errorf("AboWeb names in %s/:\n  %s", dir, strings.Join(hits, "\n  "))
		}
	}
}

// Ensure the check finds a vendor name in code and ignores it in comments.
func TestVendorHitsCatchesNames(t *testing.T) {
	dir := t.TempDir()
	src := "package x\n\n// typeClient in a comment is fine.\nvar a = \"field codeTiers\"\nvar TypeClient = 1\n"
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	hits := vendorHits(t, dir, map[string]bool{"codeTiers": true, "typeClient": true})
	if len(hits) != 2 || !strings.Contains(hits[0], "codeTiers") || !strings.Contains(hits[1], "TypeClient") {
		t.Fatalf("hits %v", hits)
	}
}

// billetterieName matches the ticketing system's parameter names the issue
// lists: v_… form fields, x_rsi_… campaign tags, id_clistru link ids.
var billetterieName = regexp.MustCompile(`^(v_[a-z0-9_]+|x_rsi_[a-z0-9_]*|id_clistru)$`)

// billetterieTodo are the files allowed to carry such names, with why:
// none since the ticketing mapping moved into billetterie/. The list stays
// so that a file needing an exception says so here.
var billetterieTodo = map[string]string{}

// Ensure no new file above the adapters learns a L@billetterie name, and
// that a file leaving the TODO list is taken off it.
func TestNoBilletterieNamesAboveTheAdapter(t *testing.T) {
	found := map[string][]string{}
	for _, dir := range []string{"graph", "crm", "boxoffice", "catalogue"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			for _, tk := range codeTokens(t, path) {
				if strings.Contains(tk.text, "\n") {
					continue // an embedded schema document: the API's own text
				}
				for _, w := range word.FindAllString(tk.text, -1) {
					if billetterieName.MatchString(w) {
						found[rel] = append(found[rel], tk.pos+": "+w)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for file, hits := range found {
		if _, todo := billetterieTodo[file]; !todo {
			t.Errorf("L@billetterie names in %s:\n  %s", file, strings.Join(hits, "\n  "))
		}
	}
	for file, why := range billetterieTodo {
		if len(found[file]) == 0 {
			t.Errorf("%s no longer carries L@billetterie names: take it off billetterieTodo (%s)", file, why)
		} else {
			t.Logf("TODO %s: %d names (%s)", file, len(found[file]), why)
		}
	}
}
