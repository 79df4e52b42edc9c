package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"
	"github.com/guichet/guichet/errs"
)

// resolveEntities loads a batch of federation representations in one loader
// batch, keeping their order; unknown ids are null, other failures null
// only their own entry.
func resolveEntities[V any](ctx context.Context, l *dataloader.Loader[string, *V], keys []string) ([]*V, error) {
	thunks := make([]func() (*V, error), len(keys))
	for i, k := range keys {
		thunks[i] = l.Load(ctx, k)
	}
	out := make([]*V, len(keys))
	list := make(graphql.BatchErrorList, len(keys))
	failed := false
	for i, th := range thunks {
		v, err := th()
		if err != nil && !errs.Is(errs.NotFound, err) {
			list[i], failed = err, true
			continue
		}
		out[i] = v
	}
	if failed {
		return out, list
	}
	return out, nil
}
