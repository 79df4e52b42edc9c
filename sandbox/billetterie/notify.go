package billetterie

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Callbacks are the integrator URLs the vendor pushes to: the order document
// when a purchase is paid (ws_det_achat used as a notification, 2.4.2) and
// NOTIFY when a card is printed (2.4.6). Empty means no push.
type Callbacks struct {
	Order string `json:"order,omitempty"`
	Card  string `json:"card,omitempty"`
}

// SetCallbacks installs the push URLs at run time (also PUT /_sandbox/callbacks).
func (s *Server) SetCallbacks(c Callbacks) {
	s.mu.Lock()
	s.callbacks = c
	s.mu.Unlock()
}

// pushClient sends the pushes; a slow integrator must not hold the admin
// call for ever.
var pushClient = &http.Client{Timeout: 10 * time.Second}

// push POSTs an XML document as the raw body (the spec names no parameter).
func push(ctx context.Context, target, doc string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(doc))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	resp, err := pushClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("push to %s: HTTP %d", target, resp.StatusCode)
	}
	return nil
}

// Purchase is a sale made at run time (as if at the box office or on the
// vendor's site): Seats tickets of one performance, on a season card when
// Card is set.
type Purchase struct {
	Contact     int    `json:"id_contact"`
	Performance string `json:"id_rep"`
	Seats       int    `json:"qtte"`
	Category    int    `json:"categorie"` // 0..2, index of the audience categories
	Card        bool   `json:"carte"`
}

// PurchaseResult tells what SimulatePurchase did.
type PurchaseResult struct {
	OrderID string `json:"id_caddy"`
	Pushed  bool   `json:"pushed"` // the order notification reached the callback
}

var errUnknown = errors.New("unknown")

// SimulatePurchase records a paid order, takes its seats off REP_DISPO and,
// when an order callback is set, pushes the order's ws_det_achat document to
// it. The order exists even when the push fails (the error says so).
func (s *Server) SimulatePurchase(ctx context.Context, p Purchase) (PurchaseResult, error) {
	s.mu.Lock()
	c := s.contactByID[p.Contact]
	pf := s.perfByID[strings.TrimSpace(p.Performance)]
	switch {
	case c == nil:
		s.mu.Unlock()
		return PurchaseResult{}, fmt.Errorf("contact %d: %w", p.Contact, errUnknown)
	case pf == nil:
		s.mu.Unlock()
		return PurchaseResult{}, fmt.Errorf("performance %q: %w", p.Performance, errUnknown)
	case p.Seats <= 0 || p.Seats > pf.seats:
		s.mu.Unlock()
		return PurchaseResult{}, fmt.Errorf("%d seats asked, %d left", p.Seats, pf.seats)
	case p.Category < 0 || p.Category >= len(categories):
		s.mu.Unlock()
		return PurchaseResult{}, fmt.Errorf("category %d: %w", p.Category, errUnknown)
	}
	s.nextOrder++
	now := s.now().Truncate(time.Second)
	o := &order{id: fmt.Sprintf("%012d", 270000000000+s.nextOrder), contact: c.id, sold: now, paid: true}
	g := s.grids[pf.grid]
	var tickets []ticket
	for i := 0; i < p.Seats; i++ {
		s.nextDetail++
		tickets = append(tickets, ticket{detail: s.nextDetail, perf: pf, categ: p.Category, zone: 0,
			seat: fmt.Sprintf("Rang %c place %d", 'A'+rune(s.nextOrder%12), 1+i), price: g.prices[p.Category][0], frais: g.frais, eticket: true})
	}
	if p.Card {
		s.nextDetail++
		o.cards = []card{{detail: s.nextDetail, label: "Carte Saison", price: 1500, tickets: tickets}}
	} else {
		o.tickets = tickets
	}
	s.nextDetail++
	o.prests = []prestation{{detail: s.nextDetail, ref: 12, typ: 3, price: 240, label: "FRAIS DOSSIER WEB"}}
	pf.seats -= p.Seats
	s.orders = append(s.orders, o)
	s.orderByID[o.id] = o
	c.modified = now
	doc, target := `<?xml version="1.0" encoding="UTF-8"?>`+s.caddyXML(o), s.callbacks.Order
	s.mu.Unlock()
	res := PurchaseResult{OrderID: o.id}
	if target == "" {
		return res, nil
	}
	if err := push(ctx, target, doc); err != nil {
		return res, err
	}
	res.Pushed = true
	return res, nil
}

// cardID is the printed card's idcarte. GUESS: "/CA" and 13 digits, the
// shape of the spec's only example (/CA0000000000938).
func cardID(detail int) string { return fmt.Sprintf("/CA%013d", detail) }

// PrintCards pushes a NOTIFY document (2.4.6) for every card of an order to
// the card callback and returns how many were accepted.
func (s *Server) PrintCards(ctx context.Context, orderID string) (int, error) {
	s.mu.Lock()
	o := s.orderByID[strings.TrimSpace(orderID)]
	if o == nil {
		s.mu.Unlock()
		return 0, fmt.Errorf("order %q: %w", orderID, errUnknown)
	}
	target := s.callbacks.Card
	var docs []string
	for _, cd := range o.cards {
		docs = append(docs, s.notifyXML(o, cd))
	}
	s.mu.Unlock()
	if target == "" {
		return 0, errors.New("no card callback configured")
	}
	n := 0
	for _, d := range docs {
		if err := push(ctx, target, d); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// notifyXML is the NOTIFY document of one card; the caller holds s.mu.
func (s *Server) notifyXML(o *order, cd card) string {
	var b xw
	b.open("NOTIFY")
	b.el("idcarte", cardID(cd.detail))
	b.el("type_public", "PASS")
	c := s.contactByID[o.contact]
	orgName, orgID, clistru := "", 0, 0
	if c != nil {
		clistru = c.lien
		for _, org := range s.orgs {
			for _, oc := range org.contacts {
				if oc.contact == c.id && orgID == 0 {
					orgName, orgID, clistru = org.intitule, org.id, linkID(c.id)
				}
			}
		}
		b.el("nom", c.nom)
		b.el("prenom", c.prenom)
		b.el("civilite", c.civilite)
	} else {
		b.el("nom", "")
		b.el("prenom", "")
		b.el("civilite", "")
	}
	b.el("organisme", orgName)
	b.el("id_clistru", strconv.Itoa(clistru))
	id := 0
	if c != nil {
		id = c.id
	}
	b.el("id_contact", strconv.Itoa(id))
	b.el("id_organisme", strconv.Itoa(orgID))
	b.close("NOTIFY")
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>` + b.String()
}

// serveAdmin serves the run-time controls of the pushes:
// GET/PUT /_sandbox/callbacks {"order": url, "card": url},
// POST /_sandbox/purchase {Purchase} and POST /_sandbox/print_card {"id_caddy"}.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, what string) {
	body := http.MaxBytesReader(w, r.Body, 1<<16)
	fail := func(status int, err error) { http.Error(w, err.Error(), status) }
	switch {
	case what == "callbacks" && r.Method == http.MethodGet:
	case what == "callbacks" && (r.Method == http.MethodPut || r.Method == http.MethodPost):
		var c Callbacks
		if err := json.NewDecoder(body).Decode(&c); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		s.SetCallbacks(c)
	case what == "purchase" && r.Method == http.MethodPost:
		var p Purchase
		if err := json.NewDecoder(body).Decode(&p); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		res, err := s.SimulatePurchase(r.Context(), p)
		if res.OrderID == "" {
			fail(http.StatusBadRequest, err)
			return
		}
		if err != nil {
			// The order exists, the push failed: say both.
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusBadGateway)
			json.NewEncoder(w).Encode(map[string]any{"id_caddy": res.OrderID, "pushed": false, "error": err.Error()})
			return
		}
		writeJSON(w, res)
		return
	case what == "print_card" && r.Method == http.MethodPost:
		var q struct {
			ID string `json:"id_caddy"`
		}
		if err := json.NewDecoder(body).Decode(&q); err != nil {
			fail(http.StatusBadRequest, err)
			return
		}
		n, err := s.PrintCards(r.Context(), q.ID)
		if errors.Is(err, errUnknown) {
			fail(http.StatusBadRequest, err)
			return
		}
		if err != nil {
			fail(http.StatusBadGateway, err)
			return
		}
		writeJSON(w, map[string]int{"pushed": n})
		return
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	c := s.callbacks
	s.mu.Unlock()
	writeJSON(w, c)
}
