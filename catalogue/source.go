package catalogue

import (
	"context"
	"errors"
	"time"

	"github.com/guichet/guichet/billetterie"
	"github.com/guichet/guichet/errs"
)

// Source is where the sync reads the catalogue from.
type Source interface {
	// Full returns the whole catalogue (ws_programmation without filter).
	Full(ctx context.Context) (Parts, error)
	// Since returns what changed on or after day's date in the vendor's zone
	// (filtre=1&date_modif=AAAAMMJJ); items absent from it did not change.
	Since(ctx context.Context, day time.Time) (Parts, error)
}

// Programmer is the part of the ticketing client the source needs.
type Programmer interface {
	Programmation(ctx context.Context, f billetterie.ProgrammationFilter) (*billetterie.Flux, error)
}

// Streamer is a Programmer that can also hand the flux over element by
// element, so a long load can report its progress.
type Streamer interface {
	StreamProgrammation(ctx context.Context, f billetterie.ProgrammationFilter, fn func(billetterie.Item) error) error
}

// BilletterieSource reads the catalogue from ws_programmation.
type BilletterieSource struct {
	C Programmer
	// Progress, when set and C is a Streamer, is told the running counts
	// while a flux is read (the `guichet sync` command draws them).
	Progress func(Counts)
}

// Full calls ws_programmation for the whole catalogue.
func (s BilletterieSource) Full(ctx context.Context) (Parts, error) {
	f, err := s.fetch(ctx, billetterie.ProgrammationFilter{})
	if err != nil {
		return Parts{}, err
	}
	return FromFlux(f), nil
}

func (s BilletterieSource) fetch(ctx context.Context, filter billetterie.ProgrammationFilter) (*billetterie.Flux, error) {
	st, ok := s.C.(Streamer)
	if s.Progress == nil || !ok {
		return s.C.Programmation(ctx, filter)
	}
	var f billetterie.Flux
	perfs := 0
	err := st.StreamProgrammation(ctx, filter, func(it billetterie.Item) error {
		f.Add(it)
		if it.Spectacle != nil {
			perfs += len(it.Spectacle.Representations)
		}
		s.Progress(Counts{Shows: len(f.Spectacles), Performances: perfs, Venues: len(f.Salles), Grids: len(f.Grilles),
			Passes: len(f.Abonnements), Articles: len(f.Articles)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// Since calls ws_programmation with filtre=1&date_modif=day.
func (s BilletterieSource) Since(ctx context.Context, day time.Time) (Parts, error) {
	if day.IsZero() {
		return Parts{}, errs.E(errs.Op("catalogue.since"), errs.Invalid, errs.Msg("an incremental pull needs a date"))
	}
	f, err := s.fetch(ctx, billetterie.ProgrammationFilter{ModifiedSince: day})
	if err != nil {
		return Parts{}, err
	}
	return FromFlux(f), nil
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
