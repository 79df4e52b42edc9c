package billetterie

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/guichet/guichet/errs"
)

// ProgrammationFilter selects part of the catalogue (ws_programmation,
// ws_cat_spectacle); the zero value asks for everything.
type ProgrammationFilter struct {
	ModifiedSince time.Time // filtre=1&date_modif=AAAAMMJJ: only what changed (absence means nothing)
	From, To      time.Time // filtre=1&date_debut=&date_fin=: shows playing in the range (both needed)
}

func (f ProgrammationFilter) values(op string, form url.Values) error {
	if !f.ModifiedSince.IsZero() {
		form.Set("filtre", "1")
		form.Set("date_modif", f.ModifiedSince.In(Paris).Format("20060102"))
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		if f.From.IsZero() {
			return invalid(op, "date_debut", "is required with date_fin")
		}
		if f.To.IsZero() {
			return invalid(op, "date_fin", "is required with date_debut")
		}
		if f.To.Before(f.From) {
			return invalid(op, "date_fin", "is before date_debut")
		}
		form.Set("filtre", "1")
		form.Set("date_debut", f.From.In(Paris).Format("20060102"))
		form.Set("date_fin", f.To.In(Paris).Format("20060102"))
	}
	return nil
}

// StreamProgrammation calls ws_programmation (the whole catalogue: rooms,
// grids, shows, passes, articles) and streams its flux to fn.
func (c *Client) StreamProgrammation(ctx context.Context, f ProgrammationFilter, fn func(Item) error) error {
	form := c.creds(nil)
	if err := f.values("billetterie.ws_programmation", form); err != nil {
		return err
	}
	return c.streamXML(ctx, "ws_programmation", form, fn)
}

// Programmation calls ws_programmation and collects the flux.
func (c *Client) Programmation(ctx context.Context, f ProgrammationFilter) (*Flux, error) {
	fl := &Flux{}
	err := c.StreamProgrammation(ctx, f, func(it Item) error { fl.Add(it); return nil })
	if err != nil {
		return nil, err
	}
	return fl, nil
}

// StreamCatSpectacle calls ws_cat_spectacle (shows only) and streams it.
func (c *Client) StreamCatSpectacle(ctx context.Context, f ProgrammationFilter, fn func(Item) error) error {
	form := c.creds(nil)
	if err := f.values("billetterie.ws_cat_spectacle", form); err != nil {
		return err
	}
	return c.streamXML(ctx, "ws_cat_spectacle", form, fn)
}

// CatSpectacle calls ws_cat_spectacle and collects the flux.
func (c *Client) CatSpectacle(ctx context.Context, f ProgrammationFilter) (*Flux, error) {
	fl := &Flux{}
	if err := c.StreamCatSpectacle(ctx, f, func(it Item) error { fl.Add(it); return nil }); err != nil {
		return nil, err
	}
	return fl, nil
}

// CatAbonnement calls ws_cat_abonnement: passes and memberships.
func (c *Client) CatAbonnement(ctx context.Context) (*Flux, error) {
	return c.collectXML(ctx, "ws_cat_abonnement", c.creds(nil))
}

// CatArticle calls ws_cat_article: the shop's articles.
func (c *Client) CatArticle(ctx context.Context) (*Flux, error) {
	return c.collectXML(ctx, "ws_cat_article", c.creds(nil))
}

func (c *Client) collectXML(ctx context.Context, service string, form url.Values) (*Flux, error) {
	fl := &Flux{}
	if err := c.streamXML(ctx, service, form, func(it Item) error { fl.Add(it); return nil }); err != nil {
		return nil, err
	}
	return fl, nil
}

// streamXML sends a flux call and streams the answer through ParseFlux.
func (c *Client) streamXML(ctx context.Context, service string, form url.Values, fn func(Item) error) error {
	op := "billetterie." + service
	b, err := c.do(ctx, c.base, service, form, false)
	if err != nil {
		return err
	}
	defer b.Close()
	var cbErr error
	err = ParseFlux(b, func(it Item) error {
		if e := fn(it); e != nil {
			cbErr = e
			return e
		}
		return nil
	})
	var doc *ErrorDocument
	switch {
	case err == nil:
		return nil
	case cbErr != nil && errors.Is(err, cbErr):
		return err // the caller's own error, untouched
	case errors.As(err, &doc):
		return docError(op, doc, errs.Unavailable, "the ticketing system answered an error document")
	case ctx.Err() != nil || errs.KindOf(err) == errs.Timeout || isTimeout(err):
		return errs.Transport(op, err)
	default:
		return errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered a malformed catalogue"), err)
	}
}

func isTimeout(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout")
}

func (c *Client) detailFlux(ctx context.Context, service, param, id string) (*Flux, error) {
	op := "billetterie." + service
	if err := checkID(op, param, id); err != nil {
		return nil, err
	}
	return c.collectXML(ctx, service, c.creds(url.Values{param: {strings.TrimSpace(id)}}))
}

// DetSpectacle calls ws_det_spectacle: the show with its performances on
// sale and their seat counts.
func (c *Client) DetSpectacle(ctx context.Context, id string) (*Spectacle, error) {
	fl, err := c.detailFlux(ctx, "ws_det_spectacle", "id_spectacle", id)
	if err != nil {
		return nil, err
	}
	for i := range fl.Spectacles {
		if fl.Spectacles[i].Ident == strings.TrimSpace(id) || len(fl.Spectacles) == 1 {
			return &fl.Spectacles[i], nil
		}
	}
	return nil, errs.E(errs.Op("billetterie.ws_det_spectacle"), errs.NotFound, errs.Code("202"), errs.Msg("no such show on sale"))
}

// DetRepresentation calls ws_det_representation: the performance with its
// live seat count (REP_DISPO).
func (c *Client) DetRepresentation(ctx context.Context, id string) (*Representation, error) {
	fl, err := c.detailFlux(ctx, "ws_det_representation", "id_representation", id)
	if err != nil {
		return nil, err
	}
	var only *Representation
	n := 0
	for i := range fl.Spectacles {
		for j := range fl.Spectacles[i].Representations {
			r := &fl.Spectacles[i].Representations[j]
			if r.Ident == strings.TrimSpace(id) {
				return r, nil
			}
			only, n = r, n+1
		}
	}
	if n == 1 && only.Ident == "" { // a flux without the GUESSed id attribute
		return only, nil
	}
	return nil, errs.E(errs.Op("billetterie.ws_det_representation"), errs.NotFound, errs.Code("204"), errs.Msg("no such performance on sale"))
}

// DetAbonnement calls ws_det_abonnement: one pass or membership.
func (c *Client) DetAbonnement(ctx context.Context, id string) (*Abonnement, error) {
	fl, err := c.detailFlux(ctx, "ws_det_abonnement", "id_abonnement", id)
	if err != nil {
		return nil, err
	}
	for i := range fl.Abonnements {
		if fl.Abonnements[i].Ident == strings.TrimSpace(id) || len(fl.Abonnements) == 1 {
			return &fl.Abonnements[i], nil
		}
	}
	return nil, errs.E(errs.Op("billetterie.ws_det_abonnement"), errs.NotFound, errs.Code("102"), errs.Msg("no such pass on sale"))
}

// DetArticle calls ws_det_article: one shop article.
func (c *Client) DetArticle(ctx context.Context, id string) (*Article, error) {
	fl, err := c.detailFlux(ctx, "ws_det_article", "id_article", id)
	if err != nil {
		return nil, err
	}
	for i := range fl.Articles {
		if fl.Articles[i].Ident == strings.TrimSpace(id) || len(fl.Articles) == 1 {
			return &fl.Articles[i], nil
		}
	}
	return nil, errs.E(errs.Op("billetterie.ws_det_article"), errs.NotFound, errs.Code("302"), errs.Msg("no such article on sale"))
}
