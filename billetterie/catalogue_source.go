package billetterie

import (
	"context"
	"time"

	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/errs"
)

// Programmer is the part of the client the catalogue source needs.
type Programmer interface {
	Programmation(ctx context.Context, f ProgrammationFilter) (*Flux, error)
}

// Streamer is a Programmer that can also hand the flux over element by
// element, so a long load can report its progress.
type Streamer interface {
	StreamProgrammation(ctx context.Context, f ProgrammationFilter, fn func(Item) error) error
}

// CatalogueSource implements catalogue.Source over ws_programmation.
type CatalogueSource struct {
	C Programmer
	// Progress, when set and C is a Streamer, is told the running counts
	// while a flux is read (the `guichet sync` command draws them).
	Progress func(catalogue.Counts)
}

var _ catalogue.Source = CatalogueSource{}

// Full calls ws_programmation for the whole catalogue.
func (s CatalogueSource) Full(ctx context.Context) (catalogue.Parts, error) {
	f, err := s.fetch(ctx, ProgrammationFilter{})
	if err != nil {
		return catalogue.Parts{}, err
	}
	return FromFlux(f), nil
}

func (s CatalogueSource) fetch(ctx context.Context, filter ProgrammationFilter) (*Flux, error) {
	st, ok := s.C.(Streamer)
	if s.Progress == nil || !ok {
		return s.C.Programmation(ctx, filter)
	}
	var f Flux
	perfs := 0
	err := st.StreamProgrammation(ctx, filter, func(it Item) error {
		f.Add(it)
		if it.Spectacle != nil {
			perfs += len(it.Spectacle.Representations)
		}
		s.Progress(catalogue.Counts{Shows: len(f.Spectacles), Performances: perfs, Venues: len(f.Salles), Grids: len(f.Grilles),
			Passes: len(f.Abonnements), Articles: len(f.Articles)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// Since calls ws_programmation with filtre=1&date_modif=day.
func (s CatalogueSource) Since(ctx context.Context, day time.Time) (catalogue.Parts, error) {
	if day.IsZero() {
		return catalogue.Parts{}, errs.E(errs.Op("catalogue.since"), errs.Invalid, errs.Msg("an incremental pull needs a date"))
	}
	f, err := s.fetch(ctx, ProgrammationFilter{ModifiedSince: day})
	if err != nil {
		return catalogue.Parts{}, err
	}
	return FromFlux(f), nil
}
