package billetterie

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Cents is the one money type: an amount in euro cents. JSON services send
// euros as numbers (2.4), the flux sends "22,50", purchase XML sends cents;
// all are read from their text, exactly, never through float arithmetic.
type Cents int64

// String renders the amount as the vendor's flux does: "22,50".
func (c Cents) String() string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d,%02d", sign, c/100, c%100)
}

// ParseEuros reads a decimal euro amount with a comma or a dot, an optional
// exponent (JSON allows 2.4e1), rounding half away from zero to the cent.
func ParseEuros(s string) (Cents, error) {
	orig := s
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return 0, nil
	}
	bad := func() (Cents, error) { return 0, fmt.Errorf("amount %q is not a decimal number", orig) }
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 30 || e < -30 {
			return bad()
		}
		exp, s = e, s[:i]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return bad()
	}
	digits := whole + frac
	for _, r := range digits {
		if r < '0' || r > '9' {
			return bad()
		}
	}
	// digits × 10^(exp - len(frac)) euros = digits × 10^(exp - len(frac) + 2) cents.
	shift := exp - len(frac) + 2
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return 0, nil
	}
	var intPart, rest string
	if shift >= 0 {
		intPart = digits + strings.Repeat("0", shift)
	} else if -shift < len(digits) {
		intPart, rest = digits[:len(digits)+shift], digits[len(digits)+shift:]
	} else {
		rest = strings.Repeat("0", -shift-len(digits)) + digits
	}
	if len(intPart) > 17 {
		return 0, fmt.Errorf("amount %q is out of range", orig)
	}
	var v int64
	if intPart != "" {
		v, _ = strconv.ParseInt(intPart, 10, 64)
	}
	if rest != "" && rest[0] >= '5' {
		v++
	}
	if neg {
		v = -v
	}
	return Cents(v), nil
}

// UnmarshalJSON reads a JSON number (or a numeric string) of euros. Like
// the other lenient scalars (lenient.go), what cannot be read is 0 and
// counted, never a failed answer.
func (c *Cents) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	quoted := len(s) >= 2 && s[0] == '"'
	if quoted {
		if err := json.Unmarshal(b, &s); err != nil {
			*c = 0
			unreadable.Add(1)
			return nil
		}
	}
	c.set(s, quoted)
	return nil
}

// set reads s, the JSON literal or (quoted) the string's content.
func (c *Cents) set(s string, quoted bool) {
	*c = 0
	if !quoted && s == "null" {
		return
	}
	if quoted {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	}
	v, err := ParseEuros(s)
	if err != nil {
		unreadable.Add(1)
		return
	}
	*c = v
}

// MarshalJSON writes euros as a JSON number, the vendor's way (2.4).
func (c Cents) MarshalJSON() ([]byte, error) {
	s := strings.Replace(c.String(), ",", ".", 1)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-" {
		s = "0"
	}
	return []byte(s), nil
}

var _ json.Unmarshaler = (*Cents)(nil)
