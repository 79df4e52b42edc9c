package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// weighEntities makes _entities cost its number of representations times
// its selection, like the list fields of weighLists: gqlgen's federation
// code keeps that field's complexity function unexported, so the schema is
// wrapped instead.
type weighEntities struct{ graphql.ExecutableSchema }

func (w weighEntities) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if typeName == "Query" && field == "_entities" {
		n := 1
		if reps, ok := args["representations"].([]any); ok && len(reps) > 0 {
			n = len(reps)
		}
		return safeMul(n, child) + 1, true
	}
	return w.ExecutableSchema.Complexity(ctx, typeName, field, child, args)
}

func safeMul(a, b int) int {
	if a > 0 && b > (1<<31)/a {
		return 1 << 31
	}
	return a * b
}
