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
	out := &model.CatalogueStatus{
		Ready: s.Ready, Version: optional(s.Version), LoadedAt: optionalTime(s.LoadedAt), LastSync: optionalTime(s.LastSync),
		LastFullLoad: optionalTime(s.LastFull), LastAttempt: optionalTime(s.LastAttempt), LastError: optional(s.LastError),
		LastErrorAt: optionalTime(s.LastErrorAt),
		Shared:      s.Shared, Leader: s.Leader,
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
