//go:build tools

// Package tools pins the code generators in go.mod so that `go generate`
// runs the exact versions the project was generated with.
package tools

import (
	_ "github.com/99designs/gqlgen"
	_ "github.com/hooklift/gowsdl/cmd/gowsdl"
)
