package catalogue

import (
	"fmt"
	"testing"
)

// Ensure the hand-built rendering is the one fmt gave: sign, euros,
// two-digit cents, the symbol (€ for EUR or none, else the code).
func TestFormattedAsBefore(t *testing.T) {
	for _, m := range []Money{EUR(0), EUR(5), EUR(99), EUR(100), EUR(2250), EUR(-1), EUR(-2250), EUR(123456789),
		{Cents: 1050}, {Cents: 700, Currency: "CHF"}, {Cents: -9223372036854775807, Currency: "EUR"}} {
		sign, c := "", m.Cents
		if c < 0 {
			sign, c = "-", -c
		}
		sym := m.Currency
		if sym == "EUR" || sym == "" {
			sym = "€"
		}
		if want := fmt.Sprintf("%s%d,%02d %s", sign, c/100, c%100, sym); m.Formatted() != want {
			t.Errorf("%+v: %q, want %q", m, m.Formatted(), want)
		}
	}
}

// Ensure a kept rendering costs no allocation and is the one rendered,
// and that past the bound amounts are still rendered right.
func TestFormattedKept(t *testing.T) {
	m := Money{Cents: 4321, Currency: "EUR"}
	if m.Formatted() != m.format() {
		t.Fatal("kept rendering differs")
	}
	if n := testing.AllocsPerRun(100, func() { _ = m.Formatted() }); n != 0 {
		t.Fatalf("a kept rendering costs %v allocations", n)
	}
	for i := range formatted.Max + 10 {
		EUR(1_000_000 + i).Formatted()
	}
	if n := formatted.Len(); n > formatted.Max {
		t.Fatalf("%d renderings kept, bound %d", n, formatted.Max)
	}
	if got := EUR(-987654321).Formatted(); got != "-9876543,21 €" {
		t.Fatalf("past the bound: %q", got)
	}
}
