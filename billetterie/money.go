package billetterie

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Cents is an amount in euro cents, parsed exactly from the vendor's text
// ("22,50", "2.4", "000") without float arithmetic.
type Cents int64

// ParseEuros reads a decimal euro amount with a comma or a dot.
func ParseEuros(s string) (Cents, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	frac += "00"
	f, err := strconv.ParseInt(frac[:2], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	// Round half up on the third decimal, if any.
	if len(frac) > 2 && frac[2] >= '5' && frac[2] <= '9' {
		f++
	}
	c := Cents(w*100 + f)
	if neg {
		c = -c
	}
	return c, nil
}

// UnmarshalJSON reads a JSON number (or string) of euros.
func (c *Cents) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		*c = 0
		return nil
	}
	v, err := ParseEuros(s)
	*c = v
	return err
}

var _ json.Unmarshaler = (*Cents)(nil)
