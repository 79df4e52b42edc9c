package main

// Regenerate the GraphQL server code from schema/ and gqlgen.yml, then
// marshal lists of pure objects without a goroutine per element (see
// graph/internal/gqlgenfix).
//go:generate go run github.com/99designs/gqlgen generate
//go:generate go run ./graph/internal/gqlgenfix -schema schema/*.graphqls -generated graph/generated/*.generated.go
