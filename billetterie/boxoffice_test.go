package billetterie

import (
	"os"
	"testing"

	"github.com/guichet/guichet/boxoffice"
	"time"
)

// Ensure the spec's ws_det_achat example becomes one order whose lines, at
// every level, carry the order id, with tickets pointing at the catalogue.
func TestOrderFromSpecCaddy(t *testing.T) {
	b, err := os.ReadFile("../billetterie/testdata/spec/det_achat.xml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCaddy(b)
	if err != nil {
		t.Fatal(err)
	}
	o := order(c, true)
	if o.ID != "073101758907" || o.Amount.Cents != 7540 || !o.Paid || o.SoldAt.Format(time.RFC3339) != "2014-07-31T10:53:52+02:00" {
		t.Fatalf("order %+v", o)
	}
	kinds := map[boxoffice.LineKind]int{}
	var walk func([]boxoffice.OrderLine)
	walk = func(lines []boxoffice.OrderLine) {
		for _, l := range lines {
			if l.OrderID != o.ID {
				t.Fatalf("line %s has order id %q", l.ID, l.OrderID)
			}
			if l.Kind == boxoffice.LineTicket && (l.PerformanceID == "" || l.ShowID == "") {
				t.Fatalf("ticket %s without its performance or show", l.ID)
			}
			kinds[l.Kind]++
			walk(l.Children)
		}
	}
	walk(o.Lines)
	if kinds[boxoffice.LineCard] != 1 || kinds[boxoffice.LineTicket] != 2 || kinds[boxoffice.LineArticle] != 1 || kinds[boxoffice.LineFee] != 2 {
		t.Fatalf("line kinds %v", kinds)
	}
}
