package graph

import (
	"context"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/graph/loaders"
)

// boxLoaders returns the request's ticketing loaders.
func boxLoaders(ctx context.Context, op string) (*loaders.Loaders, error) {
	l := loaders.For(ctx)
	if l == nil || l.Session() == nil {
		return nil, errs.E(errs.Op(op), errs.Internal, errs.Msg("loaders missing from the request"))
	}
	return l, nil
}

// visitor returns the caller's session, loaded once per request, and
// requires a signed-in visitor.
func visitor(ctx context.Context, op string) (token string, s *boxoffice.Session, err error) {
	token, err = requireSession(ctx, op)
	if err != nil {
		return "", nil, err
	}
	l, err := boxLoaders(ctx, op)
	if err != nil {
		return "", nil, err
	}
	s, err = l.Session().Load(ctx, token)()
	if err != nil {
		return "", nil, err
	}
	if !s.Active {
		return "", nil, errs.E(errs.Op(op), errs.Unauthenticated, errs.Msg("the session has expired; create a new one"))
	}
	if !s.LoggedIn || s.ContactID == "" {
		return "", nil, errs.E(errs.Op(op), errs.Unauthenticated, errs.Msg("no visitor is signed in on this session"))
	}
	return token, s, nil
}

// ownContact allows a field of a contact to the contact's own signed-in
// session only: tickets and account links travel with the session token.
func ownContact(ctx context.Context, op string, c *boxoffice.Contact) (string, error) {
	cl := CallerFrom(ctx)
	if cl.SessionToken == "" && cl.BackOffice {
		return "", errs.E(errs.Op(op), errs.Forbidden, errs.Msg("available to the visitor's own session only"))
	}
	token, s, err := visitor(ctx, op)
	if err != nil {
		return "", err
	}
	if c.ID == "" || s.ContactID != c.ID {
		return "", errs.E(errs.Op(op), errs.Forbidden, errs.Msg("this contact is not the signed-in visitor"))
	}
	return token, nil
}

// sessionContact is the signed-in visitor's record with the session's
// id_contact as its id: ws_info_contact may carry only "id", the link record
// (annex 4.1: fiche lien), which is kept as LinkID and never taken for the
// contact. A record naming another contact than the session is refused.
func sessionContact(op string, s *boxoffice.Session, c *boxoffice.Contact) (*boxoffice.Contact, error) {
	if c == nil {
		return nil, nil
	}
	if s == nil || s.ContactID == "" {
		return nil, errs.E(errs.Op(op), errs.Unauthenticated, errs.Msg("no visitor is signed in on this session"))
	}
	if c.ID != "" && c.ID != s.ContactID {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the ticketing system answered another contact than the session's visitor"))
	}
	out := *c
	out.ID = s.ContactID
	if out.LinkID == "" {
		out.LinkID = s.LinkID
	}
	return &out, nil
}

// ownOrBackOffice allows a field to the contact's own session or to the
// back office.
func ownOrBackOffice(ctx context.Context, op string, c *boxoffice.Contact) error {
	if CallerFrom(ctx).BackOffice {
		return nil
	}
	_, err := ownContact(ctx, op, c)
	return err
}
