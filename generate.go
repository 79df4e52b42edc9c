package main

// Regenerate the GraphQL server code from schema/ and gqlgen.yml, then
// rewrite it (graph/internal/gqlgenfix): memory-only resolvers of
// graph/inline-resolvers.txt inline, @defer bookkeeping only when a field is
// deferred, lists of pure objects without a goroutine per element.
//go:generate go run github.com/99designs/gqlgen generate
//go:generate go run ./graph/internal/gqlgenfix -schema schema/*.graphqls -generated graph/generated/*.generated.go -inline graph/inline-resolvers.txt
