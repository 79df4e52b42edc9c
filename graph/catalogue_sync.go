package graph

import (
	"time"

	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/graph/model"
)

// refreshBudget bounds a refreshCatalogue call (a full season load
// included).
const refreshBudget = 5 * time.Minute

// catalogueStatus presents the syncer's status; zero times become null.
func catalogueStatus(s catalogue.SyncStatus, now time.Time) *model.CatalogueStatus {
	at := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	str := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	out := &model.CatalogueStatus{
		Ready: s.Ready, Version: str(s.Version), LoadedAt: at(s.LoadedAt), LastSync: at(s.LastSync),
		LastFullLoad: at(s.LastFull), LastAttempt: at(s.LastAttempt), LastError: str(s.LastError), LastErrorAt: at(s.LastErrorAt),
		Shared: s.Shared, Leader: s.Leader,
		FullLoads: int(s.FullLoads), Pulls: int(s.Pulls), Failures: int(s.Failures),
		Counts: &model.CatalogueCounts{Shows: s.Counts.Shows, Performances: s.Counts.Performances, Venues: s.Counts.Venues,
			PriceGrids: s.Counts.Grids, Passes: s.Counts.Passes, Articles: s.Counts.Articles},
	}
	if !s.LastSync.IsZero() {
		age := int(now.Sub(s.LastSync).Seconds())
		out.AgeSeconds = &age
	}
	return out
}
