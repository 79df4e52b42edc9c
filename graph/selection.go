package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// selects reports whether the current field's selection asks for name
// (fragments included), to skip work nobody asked for.
func selects(ctx context.Context, name string) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}
