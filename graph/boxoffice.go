package graph

// Box-office values in the API's terms: enums, passes with their tickets,
// country codes.

import (
	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/graph/model"
)

var ticketKinds = map[boxoffice.TicketKind]model.TicketKind{
	boxoffice.KindCard: model.TicketKindCard, boxoffice.KindPassHolder: model.TicketKindPassHolder, boxoffice.KindSingle: model.TicketKindSingle,
}

var basketStatuses = map[boxoffice.BasketStatus]model.BasketStatus{
	boxoffice.BasketInProgress: model.BasketStatusInProgress, boxoffice.BasketPaid: model.BasketStatusPaid,
	boxoffice.BasketInvalid: model.BasketStatusInvalid, boxoffice.BasketExpired: model.BasketStatusExpired,
}

// cardsOf groups a visitor's tickets into the passes they hold: a pass
// (type 1) with the tickets booked on it (type 2) in the same order.
func cardsOf(tickets []boxoffice.Ticket) []*model.Card {
	var cards []*model.Card
	byOrder := map[string]*model.Card{}
	for i := range tickets {
		t := &tickets[i]
		if t.Kind != boxoffice.KindCard {
			continue
		}
		price := t.Price
		c := &model.Card{ID: t.ID, Name: t.Label, Price: &price, OrderID: optional(t.OrderID), Tickets: []*boxoffice.Ticket{}}
		cards = append(cards, c)
		if t.OrderID != "" {
			byOrder[t.OrderID] = c
		}
	}
	for i := range tickets {
		t := &tickets[i]
		if t.Kind == boxoffice.KindPassHolder {
			if c := byOrder[t.OrderID]; c != nil {
				c.Tickets = append(c.Tickets, t)
			}
		}
	}
	if cards == nil {
		cards = []*model.Card{}
	}
	return cards
}

// countryCode is the ISO code derived from a stored country, or null.
func countryCode(country string) *string { return optional(boxoffice.CountryCode(country)) }
