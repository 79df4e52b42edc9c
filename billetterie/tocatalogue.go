package billetterie

import (
	"strings"

	"github.com/guichet/guichet/catalogue"
)

// FromFlux turns the catalogue flux into the snapshot's parts.
func FromFlux(f *Flux) catalogue.Parts {
	var p catalogue.Parts
	for _, s := range f.Salles {
		p.Venues = append(p.Venues, &catalogue.Venue{ID: s.ID, Name: s.Nom, ParentID: s.MereID, City: s.Ville, Address: s.Adresse})
	}
	for _, g := range f.Grilles {
		pg := &catalogue.PriceGrid{Label: g.Libelle, WebLabel: g.LibelleWeb}
		for _, t := range g.Tarifs {
			pg.Prices = append(pg.Prices, catalogue.Price{Category: t.Categorie, Zone: t.Zone, Amount: catalogue.EUR(int64(t.Prix)), Fee: catalogue.EUR(int64(t.Frais))})
		}
		p.Grids = append(p.Grids, pg)
	}
	for _, s := range f.Spectacles {
		sh := &catalogue.Show{ID: s.Ident, Title: s.Nom, Subtitle: s.TitreLibre2, Type: s.Type, Category: s.CategorieWeb,
			Subcategories: s.CategoriesSecondaires, Festival: s.ChampLibre2, Info: s.ChampLibre1, Description: s.Description, ModifiedAt: s.TSModif}
		for _, r := range s.Representations {
			sh.Performances = append(sh.Performances, &catalogue.Performance{ID: r.Ident, ShowID: s.Ident, StartsAt: r.Debut, Duration: r.Duree,
				VenueID: r.Salle, GridLabel: r.Grille, WebGridLabel: r.GrilleWeb})
		}
		p.Shows = append(p.Shows, sh)
	}
	for _, a := range f.Abonnements {
		kind := catalogue.Subscription
		if strings.EqualFold(a.Type, "ADHESION") {
			kind = catalogue.Membership
		}
		p.Passes = append(p.Passes, &catalogue.Pass{ID: a.Ident, Name: a.Nom, Kind: kind, Prices: []catalogue.Price{{Category: a.Nom, Amount: catalogue.EUR(int64(a.Prix)), Fee: catalogue.EUR(0)}}})
	}
	for _, a := range f.Articles {
		p.Articles = append(p.Articles, &catalogue.Article{ID: a.Ident, Name: a.Nom, Family: a.Famille, Price: catalogue.EUR(int64(a.Prix)), GiftVoucher: a.BonCadeau})
	}
	return p
}
