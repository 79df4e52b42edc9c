package main

// Regenerate the GraphQL server code from schema/ and gqlgen.yml.
//go:generate go run github.com/99designs/gqlgen generate
