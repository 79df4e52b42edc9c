package billetterie

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/guichet/guichet/errs"
)

// CardPrint is the NOTIFY document the vendor pushes when a card is
// printed (2.4.6).
type CardPrint struct {
	IDCarte     string `xml:"idcarte"`
	TypePublic  string `xml:"type_public"`
	Nom         string `xml:"nom"`
	Prenom      string `xml:"prenom"`
	Civilite    string `xml:"civilite"`
	Organisme   string `xml:"organisme"`
	IDClistru   int64  `xml:"id_clistru"`
	IDContact   int64  `xml:"id_contact"`
	IDOrganisme int64  `xml:"id_organisme"`
}

// Notification is one inbound push: a printed card or an order (ws_det_achat
// used as a notification, 2.4.2). Exactly one field is set.
type Notification struct {
	Card  *CardPrint
	Order *Caddy
}

// maxNotification bounds what a push may send.
const maxNotification = 1 << 20

// ParseNotification reads a NOTIFY or a caddy document.
func ParseNotification(b []byte) (Notification, error) {
	const op = errs.Op("billetterie.notification")
	var probe struct{ XMLName xml.Name }
	if err := newXMLDecoder(b).Decode(&probe); err != nil {
		return Notification{}, errs.E(op, errs.Invalid, errs.Msg("the notification is not XML"), err)
	}
	switch probe.XMLName.Local {
	case "NOTIFY":
		var cp CardPrint
		if err := newXMLDecoder(b).Decode(&cp); err != nil {
			return Notification{}, errs.E(op, errs.Invalid, errs.Msg("the card notification is malformed"), err)
		}
		if strings.TrimSpace(cp.IDCarte) == "" {
			return Notification{}, errs.E(op, errs.Invalid, errs.Field("idcarte"), errs.Msg("the card notification has no idcarte"))
		}
		cp.IDCarte = strings.TrimSpace(cp.IDCarte)
		return Notification{Card: &cp}, nil
	case "caddy":
		cd, err := ParseCaddy(b)
		if err != nil {
			return Notification{}, errs.E(op, errs.Invalid, errs.Msg("the order notification is malformed"), err)
		}
		if strings.TrimSpace(cd.ID) == "" {
			return Notification{}, errs.E(op, errs.Invalid, errs.Field("id"), errs.Msg("the order notification has no id"))
		}
		return Notification{Order: cd}, nil
	}
	return Notification{}, errs.E(op, errs.Invalid, errs.Msg("unknown notification document <"+probe.XMLName.Local+">"))
}

// ErrNotificationTooLarge refuses a push over 1 MiB (a document of the
// spec is a few kilobytes).
var ErrNotificationTooLarge = errors.New("the notification is larger than 1 MiB")

// NotificationBody is the XML document of a push request (see
// notificationBody), for receivers that route and log pushes themselves.
func NotificationBody(r *http.Request) ([]byte, error) { return notificationBody(r) }

// notificationBody finds the document in a push: the raw body (POST), or —
// GUESS, the spec names no parameter — the first form or query value that
// is an XML document ("restituées à l'identique dans le cas d'un GET ou
// d'un POST").
func notificationBody(r *http.Request) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxNotification+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxNotification {
		return nil, ErrNotificationTooLarge
	}
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '<' {
		return t, nil
	}
	vals := r.URL.Query()
	if len(raw) > 0 {
		if form, err := url.ParseQuery(string(raw)); err == nil {
			for k, v := range form {
				vals[k] = append(vals[k], v...)
			}
		}
	}
	for _, vs := range vals {
		for _, v := range vs {
			if t := strings.TrimSpace(v); strings.HasPrefix(t, "<") {
				return []byte(t), nil
			}
		}
	}
	return nil, errors.New("no XML document")
}

// NotificationHandler serves the vendor's pushes (NOTIFY and the order
// notification) and hands each to fn: 200 when fn accepts it, 400 for a
// document we cannot read, 500 when fn fails (so the vendor may retry).
func NotificationHandler(fn func(context.Context, Notification) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost && r.Method != http.MethodGet {
			w.Header().Set("Allow", "GET, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		b, err := notificationBody(r)
		if err != nil {
			http.Error(w, "no notification document", http.StatusBadRequest)
			return
		}
		n, err := ParseNotification(b)
		if err != nil {
			http.Error(w, "unreadable notification", http.StatusBadRequest)
			return
		}
		if err := fn(r.Context(), n); err != nil {
			status := http.StatusInternalServerError
			if errs.Is(errs.Invalid, err) {
				status = http.StatusBadRequest
			}
			http.Error(w, "notification not processed", status)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "OK")
	})
}

// CardPrintHandler serves only NOTIFY pushes (2.4.6).
func CardPrintHandler(fn func(context.Context, CardPrint) error) http.Handler {
	return NotificationHandler(func(ctx context.Context, n Notification) error {
		if n.Card == nil {
			return errs.E(errs.Op("billetterie.notification"), errs.Invalid, errs.Msg("expected a NOTIFY document"))
		}
		return fn(ctx, *n.Card)
	})
}

// OrderHandler serves only order pushes (ws_det_achat as a notification).
func OrderHandler(fn func(context.Context, Caddy) error) http.Handler {
	return NotificationHandler(func(ctx context.Context, n Notification) error {
		if n.Order == nil {
			return errs.E(errs.Op("billetterie.notification"), errs.Invalid, errs.Msg("expected a caddy document"))
		}
		return fn(ctx, *n.Order)
	})
}
