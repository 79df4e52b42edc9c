package catalogue

import (
	"context"
	"errors"
	"time"

	"github.com/guichet/guichet/errs"
)

// Source is where the sync reads the catalogue from.
type Source interface {
	// Full returns the whole catalogue.
	Full(ctx context.Context) (Parts, error)
	// Since returns what changed on or after day's date in the venue's zone
	// (Paris); items absent from it did not change.
	Since(ctx context.Context, day time.Time) (Parts, error)
}

// safeError renders err for the status query: the typed error's operation,
// code and safe message, never its cause (which may quote upstream bytes).
func safeError(err error) string {
	if err == nil {
		return ""
	}
	if e := errs.Find(err); e != nil {
		out := *e
		out.Err = nil
		if out.Message == "" {
			out.Message = e.Kind.String()
		}
		return out.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "catalogue sync: deadline exceeded"
	}
	if errors.Is(err, context.Canceled) {
		return "catalogue sync: canceled"
	}
	return "catalogue sync: " + err.Error()
}
