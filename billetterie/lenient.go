package billetterie

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// unreadable counts the values that were present but could not be read
// (a word where a number was due, an object where an id was due…) and so
// became zero or empty. Only the count is kept: the value may be personal
// data and the type does not know its field.
var unreadable atomic.Int64

// Unreadable reports how many vendor values were present but unreadable
// since the process started (exposed as a metric).
func Unreadable() int64 { return unreadable.Load() }

// Lenient scalars for the vendor's JSON answers. The spec's own examples
// send the same field as a number, a quoted number, "" or nothing at all
// ("status": with no value, ids "vide si pas de contact", "id_salle " with a
// trailing space in the key), so one odd value must never fail a whole
// answer: what cannot be read becomes the zero value. Written back (an
// address, an organisation), they take the spec's types again: an id is a
// JSON number, a flag a JSON boolean.

// Int is a whole number read from a JSON number, a quoted number ("12",
// " 12 ", "12.0"), a boolean, "", null or a missing key; anything
// unreadable is 0.
type Int int

// Bool is a flag read from true/false, 1/0, "1"/"0", "true"/"false",
// "oui"/"non" (any case), "", null or a missing key; anything else is false.
type Bool bool

// ID is an identifier kept as text whether sent as a number (50651), a
// string ("50651", " 50651 ") or empty ("", null, 0: "no such record").
type ID string

// String returns the id's text ("" when empty).
func (id ID) String() string { return string(id) }

// unquote returns the text of a JSON scalar: a string's content, or the
// literal itself; ok is false for objects and arrays.
func unquote(b []byte) (string, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "", true
	}
	switch b[0] {
	case '"':
		s, _ := jsonString(b)
		return strings.TrimSpace(s), true
	case '{', '[':
		return "", false
	}
	return string(b), true
}

// jsonString is the content of a JSON string literal; the common case (no
// escape, valid UTF-8) is read without the reflection of json.Unmarshal.
func jsonString(b []byte) (string, bool) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 &&
		bytes.IndexByte(b[1:len(b)-1], '"') < 0 && utf8.Valid(b) {
		for _, c := range b[1 : len(b)-1] {
			if c < 0x20 {
				goto slow
			}
		}
		return string(b[1 : len(b)-1]), true
	}
slow:
	var s string
	if json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}

// ParseLenientInt reads a whole number the way Int does; ok is false when
// the text held something other than a number.
func ParseLenientInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "null":
		return 0, true
	case "true":
		return 1, true
	case "false":
		return 0, true
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > math.MaxInt64/2 {
		return 0, false
	}
	return int64(f), true
}

func (n *Int) UnmarshalJSON(b []byte) error {
	n.set(unquote(b))
	return nil
}

// set reads s, a scalar as unquote gives it (ok false: an object or an array).
func (n *Int) set(s string, ok bool) {
	*n = 0
	if ok {
		if v, ok := ParseLenientInt(s); ok && v >= math.MinInt32 && v <= math.MaxInt32 {
			*n = Int(v)
			return
		}
	}
	unreadable.Add(1)
}

// ParseLenientBool reads a flag the way Bool does.
func ParseLenientBool(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "oui", "o", "yes", "y", "vrai", "on":
		return true
	}
	return false
}

func (v *Bool) UnmarshalJSON(b []byte) error {
	v.set(unquote(b))
	return nil
}

func (v *Bool) set(s string, ok bool) {
	*v = Bool(ok && ParseLenientBool(s))
	if !*v {
		switch strings.ToLower(s) {
		case "", "null", "false", "0", "non", "n", "no", "faux", "off":
		default:
			unreadable.Add(1)
		}
	}
}

func (id *ID) UnmarshalJSON(b []byte) error {
	id.set(unquote(b))
	return nil
}

func (id *ID) set(s string, ok bool) {
	*id = ""
	if !ok {
		unreadable.Add(1)
		return
	}
	if s == "null" || s == "0" || s == "false" || s == "true" {
		return
	}
	// A number sent as 5.0651e4 or "50651.0" is still that id.
	if strings.ContainsAny(s, ".eE") {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
			s = strconv.FormatInt(int64(f), 10)
		}
	}
	*id = ID(s)
}

// LenientIDs is a list of ids that may also arrive as one id, a
// comma-separated text, null or "": the empty ones are dropped.
type LenientIDs []ID

func (l *LenientIDs) UnmarshalJSON(b []byte) error {
	*l = nil
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var raw []json.RawMessage
		if json.Unmarshal(b, &raw) != nil {
			return nil
		}
		for _, r := range raw {
			var id ID
			if len(bytes.TrimSpace(r)) > 0 && bytes.TrimSpace(r)[0] == '{' {
				// {"id": 12} objects where the spec prints bare ids.
				var o struct {
					ID ID `json:"id"`
				}
				json.Unmarshal(r, &o)
				id = o.ID
			} else {
				id.UnmarshalJSON(r)
			}
			if id != "" {
				*l = append(*l, id)
			}
		}
		return nil
	}
	s, ok := unquote(b)
	if !ok {
		return nil
	}
	for _, p := range strings.Split(s, ",") {
		var id ID
		id.UnmarshalJSON([]byte(strconv.Quote(p)))
		if id != "" {
			*l = append(*l, id)
		}
	}
	return nil
}

// Strings returns the ids as text.
func (l LenientIDs) Strings() []string {
	out := make([]string, len(l))
	for i, id := range l {
		out[i] = string(id)
	}
	return out
}

var (
	_ json.Unmarshaler = (*Int)(nil)
	_ json.Unmarshaler = (*Bool)(nil)
	_ json.Unmarshaler = (*ID)(nil)
	_ json.Unmarshaler = (*LenientIDs)(nil)
	_ json.Unmarshaler = (*List[Choix])(nil)
)

// MarshalJSON writes a numeric id as a JSON number, the vendor's way, and
// anything else as text.
func (id ID) MarshalJSON() ([]byte, error) {
	if isDigits(string(id)) {
		return []byte(id), nil
	}
	return json.Marshal(string(id))
}

func isDigits(s string) bool {
	if s == "" || len(s) > 18 || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Decimal is a real number kept as its text (champ_libre6..8 of an
// organisation): read from a number or a quoted number, "" when unreadable,
// written back as a JSON number.
type Decimal string

func (d *Decimal) UnmarshalJSON(b []byte) error {
	*d = ""
	s, ok := unquote(b)
	if !ok || s == "null" {
		return nil
	}
	s = strings.Replace(s, ",", ".", 1)
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		*d = Decimal(s)
	}
	return nil
}

func (d Decimal) MarshalJSON() ([]byte, error) {
	if d != "" {
		if b, err := json.Marshal(json.Number(d)); err == nil {
			return b, nil
		}
	}
	return []byte(`""`), nil
}

// String returns the number's text.
func (d Decimal) String() string { return string(d) }

// XInt is a whole number of the purchase XML (cents, quantities, types):
// "000", " 12 ", "" or an absent element; anything unreadable is 0 (and
// counted), so one odd element never fails a whole order.
type XInt int64

func (n *XInt) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	*n = 0
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if v, ok := ParseLenientInt(s); ok {
		*n = XInt(v)
	} else {
		unreadable.Add(1)
	}
	return nil
}

var _ xml.Unmarshaler = (*XInt)(nil)

// List is a list of records read leniently: an array whose unreadable
// members are skipped, a single object taken as a list of one, and "",
// null, or any other scalar as an empty list (sites send "" for "none").
type List[T any] []T

func (l *List[T]) UnmarshalJSON(b []byte) error {
	*l = nil
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '[':
		out, bad, ok := decodeMembers[T](b)
		if !ok {
			unreadable.Add(1)
			return nil
		}
		unreadable.Add(bad)
		*l = out
	case '{':
		var v T
		if json.Unmarshal(b, &v) != nil {
			unreadable.Add(1)
			return nil
		}
		*l = List[T]{v}
	default:
		if s, _ := unquote(b); s != "" && s != "null" {
			unreadable.Add(1)
		}
	}
	return nil
}

// decodeMembers reads the members of array b one by one in a single pass
// (unmarshalling into []json.RawMessage first scanned every answer twice
// more); bad counts the unreadable members, skipped. ok is false when b is
// not one JSON array, which leaves the whole list unreadable.
func decodeMembers[T any](b []byte) (out List[T], bad int64, ok bool) {
	d := json.NewDecoder(bytes.NewReader(b))
	if t, err := d.Token(); err != nil || t != json.Delim('[') {
		return nil, 0, false
	}
	out = List[T]{}
	for d.More() {
		var v T
		if err := d.Decode(&v); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return nil, 0, false
			}
			bad++
			continue
		}
		out = append(out, v)
	}
	if t, err := d.Token(); err != nil || t != json.Delim(']') {
		return nil, 0, false
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, 0, false
	}
	return out, bad, true
}

// object decodes b into v when it is a JSON object; anything else ("",
// null, a number…) leaves v zero, so a record sent as "" is "no record".
func object(b []byte, v any) error {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		if s, _ := unquote(t); s != "" && s != "null" {
			unreadable.Add(1)
		}
		return nil
	}
	if json.Unmarshal(t, v) != nil {
		unreadable.Add(1)
	}
	return nil
}

// Records that may arrive as "" (or any non-object) where the spec prints
// an object are read as empty records.

func (c *Commande) UnmarshalJSON(b []byte) error {
	type plain Commande
	*c = Commande{}
	return object(b, (*plain)(c))
}

func (c *SessionContact) UnmarshalJSON(b []byte) error {
	type plain SessionContact
	*c = SessionContact{}
	return object(b, (*plain)(c))
}

func (c *LoginContact) UnmarshalJSON(b []byte) error {
	type plain LoginContact
	*c = LoginContact{}
	return object(b, (*plain)(c))
}

func (c *ContactInfo) UnmarshalJSON(b []byte) error {
	type plain ContactInfo
	*c = ContactInfo{}
	return object(b, (*plain)(c))
}

func (c *InvitationContact) UnmarshalJSON(b []byte) error {
	type plain InvitationContact
	*c = InvitationContact{}
	return object(b, (*plain)(c))
}

func (c *InvitationStructure) UnmarshalJSON(b []byte) error {
	type plain InvitationStructure
	*c = InvitationStructure{}
	return object(b, (*plain)(c))
}

func (c *Criteres) UnmarshalJSON(b []byte) error {
	type plain Criteres
	*c = Criteres{}
	return object(b, (*plain)(c))
}

func (o *Organisme) UnmarshalJSON(b []byte) error {
	type plain Organisme
	*o = Organisme{}
	return object(b, (*plain)(o))
}

// empty reports a record read from "" or {}: no such contact.
func (c *ContactInfo) empty() bool {
	return c == nil || c.ID == "" && c.IDContact == "" && c.Mail == "" && c.Name == "" && c.WebIdentifiant == ""
}

// empty reports an organisation read from "" or {}.
func (o *Organisme) empty() bool {
	return o == nil || o.IDOrganisme == "" && o.Intitule == "" && o.Nature == ""
}

// UnmarshalJSON reads a session with its jeton taken as text whatever its
// JSON type (an all-digit token sent as a number stays that token).
func (s *SessionInfo) UnmarshalJSON(b []byte) error {
	type plain SessionInfo
	var p struct {
		plain
		Jeton Text `json:"jeton"`
	}
	if err := object(b, &p); err != nil {
		return err
	}
	*s = SessionInfo(p.plain)
	s.Jeton = string(p.Jeton)
	return nil
}
