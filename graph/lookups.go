package graph

import "github.com/guichet/guichet/catalogue"

// catalogue lookups of box-office references: a performance or show that
// left the catalogue resolves to null rather than failing the order.
func (r *Resolver) performanceOf(id string) *catalogue.Performance {
	if s := r.Catalogue.Current(); s != nil && id != "" {
		return s.Performance(id)
	}
	return nil
}

func (r *Resolver) showOf(id string) *catalogue.Show {
	if s := r.Catalogue.Current(); s != nil && id != "" {
		return s.Show(id)
	}
	return nil
}

func (r *Resolver) articleOf(id string) *catalogue.Article {
	if s := r.Catalogue.Current(); s != nil && id != "" {
		return s.Article(id)
	}
	return nil
}
