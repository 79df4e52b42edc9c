package billetterie

import (
	"context"

	"github.com/guichet/guichet/errs"
)

// ShowSeats asks ws_det_spectacle for the live seat counts of a show's
// future performances: one upstream call for all of them, where
// ws_det_representation would cost one per performance. Performances
// without a REP_DISPO are left out (the caller asks for them one by one).
func (b BoxOffice) ShowSeats(ctx context.Context, showID string) (map[string]int, error) {
	s, err := b.C.DetSpectacle(ctx, showID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(s.Representations))
	for _, r := range s.Representations {
		if r.Ident != "" && r.Dispo >= 0 {
			out[r.Ident] = r.Dispo
		}
	}
	if len(out) == 0 && len(s.Representations) > 0 {
		return nil, errs.E(errs.Op("boxoffice.ShowSeats"), errs.Unavailable, errs.Msg("the ticketing system gave no seat count"))
	}
	return out, nil
}
