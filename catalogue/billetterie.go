package catalogue

import (
	"strings"

	"github.com/guichet/guichet/billetterie"
)

// FromFlux turns the ticketing system's catalogue flux into snapshot parts.
func FromFlux(f *billetterie.Flux) Parts {
	var p Parts
	for _, s := range f.Salles {
		p.Venues = append(p.Venues, &Venue{ID: s.ID, Name: s.Nom, ParentID: s.MereID, City: s.Ville, Address: s.Adresse})
	}
	for _, g := range f.Grilles {
		pg := &PriceGrid{Label: g.Libelle, WebLabel: g.LibelleWeb}
		for _, t := range g.Tarifs {
			pg.Prices = append(pg.Prices, Price{Category: t.Categorie, Zone: t.Zone, Amount: EUR(int64(t.Prix)), Fee: EUR(int64(t.Frais))})
		}
		p.Grids = append(p.Grids, pg)
	}
	for _, s := range f.Spectacles {
		sh := &Show{ID: s.Ident, Title: s.Nom, Subtitle: s.TitreLibre2, Type: s.Type, Category: s.CategorieWeb,
			Subcategories: s.CategoriesSecondaires, Festival: s.ChampLibre2, Info: s.ChampLibre1, Description: s.Description, ModifiedAt: s.TSModif}
		for _, r := range s.Representations {
			sh.Performances = append(sh.Performances, &Performance{ID: r.Ident, ShowID: s.Ident, StartsAt: r.Debut, Duration: r.Duree,
				VenueID: r.Salle, GridLabel: r.Grille, WebGridLabel: r.GrilleWeb})
		}
		p.Shows = append(p.Shows, sh)
	}
	for _, a := range f.Abonnements {
		kind := Subscription
		if strings.EqualFold(a.Type, "ADHESION") {
			kind = Membership
		}
		p.Passes = append(p.Passes, &Pass{ID: a.Ident, Name: a.Nom, Kind: kind, Prices: []Price{{Category: a.Nom, Amount: EUR(int64(a.Prix)), Fee: EUR(0)}}})
	}
	for _, a := range f.Articles {
		p.Articles = append(p.Articles, &Article{ID: a.Ident, Name: a.Nom, Family: a.Famille, Price: EUR(int64(a.Prix)), GiftVoucher: a.BonCadeau})
	}
	return p
}
