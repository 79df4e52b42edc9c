package soap

import (
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without a zone database

	"github.com/guichet/guichet/crm"
)

// Every field of the client record arrives as text (gowsdlfix fix 5): the
// vendor documents none of their types. They are converted here, where they
// are used. Text that does not convert is read as the field's zero value and
// reported (badField), so one odd value never costs the whole record or the
// page it came in. Empty text and absent elements are JAXB's null: zero,
// and not reported.

// paris is AboWeb's zone, for dates sent without an offset.
var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.FixedZone("CET", 3600)
}()

// fieldReader converts one record's text fields; bad names each field
// whose text could not be read (never its value: it may be personal data).
type fieldReader struct{ bad func(field string) }

func text(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func (r fieldReader) int(field string, p *string) int {
	t := text(p)
	if t == "" {
		return 0
	}
	if n, err := strconv.Atoi(t); err == nil {
		return n
	}
	// "12.0" is still twelve.
	if x, err := strconv.ParseFloat(t, 64); err == nil && x == math.Trunc(x) && math.Abs(x) < 1<<31 {
		return int(x)
	}
	r.bad(field)
	return 0
}

func (r fieldReader) bool(field string, p *string) bool {
	switch strings.ToLower(text(p)) {
	case "":
		return false
	case "true", "1", "oui", "o", "yes", "y":
		return true
	case "false", "0", "non", "n", "no":
		return false
	}
	r.bad(field)
	return false
}

func (r fieldReader) float(field string, p *string) float64 {
	t := text(p)
	if t == "" {
		return 0
	}
	// A French decimal comma is still a number.
	if x, err := strconv.ParseFloat(strings.Replace(t, ",", ".", 1), 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
		return x
	}
	r.bad(field)
	return 0
}

func (r fieldReader) time(field string, p *string) time.Time {
	t := text(p)
	if t == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02Z07:00"} {
		if d, err := time.Parse(layout, t); err == nil {
			return d
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"} {
		if d, err := time.ParseInLocation(layout, t, paris); err == nil {
			return d
		}
	}
	r.bad(field)
	return time.Time{}
}

// subscriberType reads typeClient: absent is Normal (AboWeb's default),
// anything outside the documented 0..4 is crm.TypeOther.
func (r fieldReader) subscriberType(p *string) crm.Type {
	t := text(p)
	if t == "" {
		return crm.TypeNormal
	}
	n, err := strconv.Atoi(t)
	typ, ok := typeOfCode(n)
	if err != nil || !ok {
		r.bad(string(FieldType))
		return crm.TypeOther
	}
	return typ
}

// badField counts a field read leniently (Config.OnLenientField) and logs
// it once per field name for the life of the client.
func (c *Client) badField(field string) {
	if c.cfg.OnLenientField != nil {
		c.cfg.OnLenientField(field)
	}
	if _, seen := c.lenientSeen.LoadOrStore(field, true); !seen {
		c.cfg.Logger.Warn("AboWeb sent a client field Guichet cannot read; it is served empty (logged once per field)",
			slog.String("field", field))
	}
}

func (c *Client) reader() fieldReader { return fieldReader{bad: c.badField} }
