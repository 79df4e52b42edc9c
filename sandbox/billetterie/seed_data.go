package billetterie

import (
	"time"

	"github.com/guichet/guichet/sandbox/fixture"
)

// Data is a copy of the seeded facts end-to-end tests assert against, so
// they need not hard-code ids.
type Data struct {
	DemoContactID   int    // id_contact of fixture person 0
	DemoEmail       string // fixture.DemoEmail
	Contacts        int    // live contacts (200 at start)
	Shows           []SeedShow
	Performances    int
	Venues          []SeedVenue // sites first, then rooms (SALLE_MERE_ID set)
	PassIDs         []string    // abonnements and adhésions (ABONNEMENT IDENT)
	ArticleIDs      []string    // shop articles, gift vouchers included
	GiftVoucherIDs  []string
	DemoOrderIDs    []string // the demo contact's paid orders (id_caddy)
	ListIDs         []int    // mailing lists (ws_cat_listes)
	DemoListIDs     []int    // lists the demo contact is a member of
	OrganisationIDs []int
}

// SeedShow is one show and its performance ids in date order.
type SeedShow struct {
	ID, Title, Subtitle, Type string
	PerformanceIDs            []string
	Upcoming                  []string // the performances still to come, by the server's clock
}

// Upcoming is the first show with a performance still to come a day from
// now, and its last such performance: what a test can sell seats of.
func (d Data) Upcoming() (show SeedShow, perf string, ok bool) {
	for _, sh := range d.Shows {
		if n := len(sh.Upcoming); n > 0 {
			return sh, sh.Upcoming[n-1], true
		}
	}
	return SeedShow{}, "", false
}

// SeedVenue is one SALLE: a site (ParentID "") or a room inside one.
type SeedVenue struct{ ID, ParentID, Name, City string }

// Seed returns the current seeded data (mutations such as ws_ccontact or
// ws_suppression_compte show in Contacts).
func (s *Server) Seed() Data {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	d := Data{DemoContactID: firstContactID, DemoEmail: fixture.DemoEmail, Contacts: len(s.contacts), Performances: len(s.perfs)}
	for _, sh := range s.shows {
		ss := SeedShow{ID: sh.id, Title: sh.title, Subtitle: sh.subtitle, Type: sh.typ}
		for _, p := range sh.perfs {
			ss.PerformanceIDs = append(ss.PerformanceIDs, p.id)
			if p.at.After(now.Add(24 * time.Hour)) {
				ss.Upcoming = append(ss.Upcoming, p.id)
			}
		}
		d.Shows = append(d.Shows, ss)
	}
	for _, st := range s.sites {
		d.Venues = append(d.Venues, SeedVenue{ID: st.id, Name: st.name, City: st.city})
	}
	for _, rm := range s.rooms {
		d.Venues = append(d.Venues, SeedVenue{ID: rm.id, ParentID: rm.siteID, Name: rm.name})
	}
	for _, p := range s.passes {
		d.PassIDs = append(d.PassIDs, p.id)
	}
	for _, it := range s.items {
		d.ArticleIDs = append(d.ArticleIDs, it.id)
		if it.gift {
			d.GiftVoucherIDs = append(d.GiftVoucherIDs, it.id)
		}
	}
	for _, o := range s.ordersOf(firstContactID, true) {
		d.DemoOrderIDs = append(d.DemoOrderIDs, o.id)
	}
	for _, l := range s.lists {
		d.ListIDs = append(d.ListIDs, l.id)
		for _, m := range l.members {
			if m == firstContactID {
				d.DemoListIDs = append(d.DemoListIDs, l.id)
			}
		}
	}
	for _, o := range s.orgs {
		d.OrganisationIDs = append(d.OrganisationIDs, o.id)
	}
	return d
}
