package billetterie

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// A single-pass reader of the ticketing JSON answers. encoding/json
// validates the whole document before decoding it, and again for every
// json.Unmarshaler it meets: the lenient records and lists (List, the
// records read from "" or {}) each re-scan and re-validate their bytes, so
// an order line was read four or five times. Here the bytes are scanned
// once, validated as they go, and the lenient types decode from the
// scanner itself (decodeJSON) instead of from a copy of their bytes.
//
// It keeps encoding/json's rules where the answers can reach them (exact
// then case-folded key match, promoted fields of embedded structs, a value
// of the wrong JSON type skipped and reported at the end while the rest is
// still decoded, null leaving plain values alone), and hands anything
// unusual (maps, interfaces, arrays, text unmarshalers) to encoding/json
// with the bytes of that value only. The equivalence test holds it to
// json.Unmarshal on every spec example, their mutations and the sandbox's
// answers.

// decodeState is one answer being read.
type decodeState struct {
	b       []byte
	i       int
	depth   int
	typeErr error          // first value of the wrong JSON type; decoding goes on
	part    *messageTarget // where retour.message goes as it is read, if anywhere
}

// messageTarget is where retour.message is decoded while the envelope is
// read: seen counts the message keys met, err is the message's own
// decoding error (a value of the wrong type).
type messageTarget struct {
	v    reflect.Value
	seen int
	err  error
}

// sub is b[i:j] as a string sharing the answer's memory: no allocation per
// text. An answer is read into a buffer of its own that nothing writes to
// afterwards (fetch), so the texts stay valid; they keep the answer alive
// as long as they live, which for a request's records is the request.
func (d *decodeState) sub(i, j int) string {
	if i == j {
		return ""
	}
	return unsafe.String(&d.b[i], j-i)
}

// fastDecoder is a lenient type reading itself from the scanner, which
// stands on the first byte of its value.
type fastDecoder interface {
	decodeJSON(d *decodeState) error
}

// maxDepth bounds nesting as encoding/json does, so that a hostile answer
// cannot grow the stack without limit.
const maxDepth = 10000

type syntaxError struct{ off int }

func (e *syntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d", e.off)
}

var errTypeMismatch = errors.New("a JSON value of the wrong type")

func (d *decodeState) fail() error { return &syntaxError{d.i} }

// unmarshalJSON decodes the JSON document b into v (a non-nil pointer):
// json.Unmarshal's contract, read in one pass, except that the texts
// decoded share b's memory: b must not be modified afterwards.
func unmarshalJSON(b []byte, v any) error { return unmarshalInto(b, v, nil) }

// unmarshalInto is unmarshalJSON with retour.message decoded into part.
func unmarshalInto(b []byte, v any, part *messageTarget) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return json.Unmarshal(b, v) // its InvalidUnmarshalError
	}
	d := decodeState{b: b, part: part}
	d.ws()
	if err := codecFor(rv.Type().Elem())(&d, rv.Elem()); err != nil {
		return err
	}
	d.ws()
	if d.i != len(d.b) {
		return d.fail()
	}
	return d.typeErr
}

func (d *decodeState) ws() {
	b, i := d.b, d.i
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	d.i = i
}

// peek is the current byte, 0 at the end.
func (d *decodeState) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *decodeState) mismatch() {
	if d.typeErr == nil {
		d.typeErr = errTypeMismatch
	}
}

// skip validates and passes one value; value returns its bytes.
func (d *decodeState) skip() error {
	switch d.peek() {
	case '{':
		return d.container('}', func() error {
			if d.peek() != '"' {
				return d.fail()
			}
			if _, err := d.scanString(); err != nil {
				return err
			}
			d.ws()
			if d.peek() != ':' {
				return d.fail()
			}
			d.i++
			d.ws()
			return d.skip()
		})
	case '[':
		return d.container(']', d.skip)
	case '"':
		_, err := d.scanString()
		return err
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	default:
		return d.number()
	}
}

func (d *decodeState) value() ([]byte, error) {
	start := d.i
	err := d.skip()
	return d.b[start:d.i], err
}

// container reads an object or an array: the opening byte, members by
// member (each read by member, which stands on its first byte) separated
// by commas, then end.
func (d *decodeState) container(end byte, member func() error) error {
	d.depth++
	if d.depth > maxDepth {
		return d.fail()
	}
	d.i++
	d.ws()
	if d.peek() == end {
		d.i++
		d.depth--
		return nil
	}
	for {
		if err := member(); err != nil {
			return err
		}
		d.ws()
		switch d.peek() {
		case ',':
			d.i++
			d.ws()
		case end:
			d.i++
			d.depth--
			return nil
		default:
			return d.fail()
		}
	}
}

func (d *decodeState) literal(lit string) error {
	if len(d.b)-d.i < len(lit) || string(d.b[d.i:d.i+len(lit)]) != lit {
		return d.fail()
	}
	d.i += len(lit)
	return nil
}

func digit(c byte) bool { return c >= '0' && c <= '9' }

// number passes a JSON number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func (d *decodeState) number() error {
	if d.peek() == '-' {
		d.i++
	}
	switch c := d.peek(); {
	case c == '0':
		d.i++
	case c >= '1' && c <= '9':
		for d.i++; digit(d.peek()); d.i++ {
		}
	default:
		return d.fail()
	}
	if d.peek() == '.' {
		d.i++
		if !digit(d.peek()) {
			return d.fail()
		}
		for digit(d.peek()) {
			d.i++
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.i++
		if c := d.peek(); c == '+' || c == '-' {
			d.i++
		}
		if !digit(d.peek()) {
			return d.fail()
		}
		for digit(d.peek()) {
			d.i++
		}
	}
	return nil
}

// plainByte marks the bytes a string holds as they are: printable ASCII
// but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString passes a string literal; plain is true when its content can
// be taken as is (no escape, only ASCII or valid UTF-8).
func (d *decodeState) scanString() (plain bool, err error) {
	b, start := d.b, d.i
	i := start + 1
	plain = true
	high := false
	for {
		for i < len(b) && plainByte[b[i]] {
			i++
		}
		if i >= len(b) {
			d.i = i
			return false, d.fail()
		}
		switch c := b[i]; {
		case c == '"':
			i++
			d.i = i
			if high && !utf8.Valid(b[start+1:i-1]) {
				plain = false // encoding/json replaces bad bytes with U+FFFD
			}
			return plain, nil
		case c == '\\':
			plain = false
			i++
			if i >= len(b) {
				d.i = i
				return false, d.fail()
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				i++
				for range 4 {
					if i >= len(b) {
						d.i = i
						return false, d.fail()
					}
					c := b[i]
					if !digit(c) && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
						d.i = i
						return false, d.fail()
					}
					i++
				}
			default:
				d.i = i
				return false, d.fail()
			}
		case c < 0x20:
			d.i = i
			return false, d.fail()
		default:
			high = true
			i++
		}
	}
}

// str reads a string literal's content.
func (d *decodeState) str() (string, error) {
	start := d.i
	plain, err := d.scanString()
	if err != nil {
		return "", err
	}
	if plain {
		return d.sub(start+1, d.i-1), nil
	}
	var s string
	if err := json.Unmarshal(d.b[start:d.i], &s); err != nil {
		return "", err
	}
	return s, nil
}

// scalar reads a value the way unquote reads its bytes: a string's
// content trimmed, a literal as written, ok false for an object or an
// array (skipped). view allows a string sharing the answer's bytes, for a
// caller that keeps nothing of it.
func (d *decodeState) scalar(view bool) (s string, ok bool, err error) {
	start := d.i
	switch d.peek() {
	case '"':
		plain, err := d.scanString()
		if err != nil {
			return "", false, err
		}
		if plain && view {
			b := d.b[start+1 : d.i-1]
			if len(b) == 0 {
				return "", true, nil
			}
			return strings.TrimSpace(unsafe.String(&b[0], len(b))), true, nil
		}
		d.i = start
		s, err := d.str()
		return strings.TrimSpace(s), true, err
	case '{', '[':
		return "", false, d.skip()
	}
	if err := d.skip(); err != nil {
		return "", false, err
	}
	b := d.b[start:d.i]
	if view {
		return unsafe.String(&b[0], len(b)), true, nil
	}
	return d.sub(start, d.i), true, nil
}

// The lenient scalars read from the scanner, with their UnmarshalJSON's
// rules (lenient.go) and no second look at their bytes. Int and Bool keep
// nothing of the text they parse, so they read a view of the answer.

func (n *Int) decodeJSON(d *decodeState) error {
	s, ok, err := d.scalar(true)
	if err == nil {
		n.set(s, ok)
	}
	return err
}

func (v *Bool) decodeJSON(d *decodeState) error {
	s, ok, err := d.scalar(true)
	if err == nil {
		v.set(s, ok)
	}
	return err
}

func (id *ID) decodeJSON(d *decodeState) error {
	s, ok, err := d.scalar(false)
	if err == nil {
		id.set(s, ok)
	}
	return err
}

func (t *Text) decodeJSON(d *decodeState) error {
	if d.peek() == '"' {
		// A string is kept exactly, spaces included.
		s, err := d.str()
		*t = Text(s)
		return err
	}
	b, err := d.value()
	if err == nil {
		err = t.UnmarshalJSON(b)
	}
	return err
}

func (c *Cents) decodeJSON(d *decodeState) error {
	start := d.i
	if d.peek() == '"' {
		plain, err := d.scanString()
		if err != nil {
			return err
		}
		s := ""
		if b := d.b[start+1 : d.i-1]; plain && len(b) > 0 {
			s = unsafe.String(&b[0], len(b)) // ParseEuros keeps nothing of it
		} else if !plain {
			d.i = start
			if s, err = d.str(); err != nil {
				return err
			}
		}
		c.set(s, true)
		return nil
	}
	b, err := d.value()
	if err == nil {
		c.set(unsafe.String(&b[0], len(b)), false)
	}
	return err
}

// A codec decodes one value into v (addressable), the scanner on its
// first byte.
type codec func(d *decodeState, v reflect.Value) error

var (
	codecs   sync.Map // reflect.Type → codec
	codecsMu sync.Mutex
)

var (
	fastDecoderType     = reflect.TypeFor[fastDecoder]()
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	numberType          = reflect.TypeFor[json.Number]()
)

func codecFor(t reflect.Type) codec {
	if c, ok := codecs.Load(t); ok {
		return c.(codec)
	}
	codecsMu.Lock()
	defer codecsMu.Unlock()
	building := map[reflect.Type]*codec{}
	c := buildCodec(t, building)
	// Published only once complete: a recursive type's codec calls its own
	// through a cell that is filled at the end of its build.
	for bt, cell := range building {
		codecs.Store(bt, *cell)
	}
	return c
}

// buildCodec builds t's codec; building holds the types built or under
// way, so that a recursive type refers to its own codec.
func buildCodec(t reflect.Type, building map[reflect.Type]*codec) codec {
	if c, ok := codecs.Load(t); ok {
		return c.(codec)
	}
	if p, ok := building[t]; ok {
		if *p != nil {
			return *p
		}
		return func(d *decodeState, v reflect.Value) error { return (*p)(d, v) }
	}
	var c codec
	building[t] = &c
	c = newCodec(t, building)
	return c
}

func newCodec(t reflect.Type, building map[reflect.Type]*codec) codec {
	pt := reflect.PointerTo(t)
	// The lenient scalars, most of every answer, are called directly
	// rather than through an interface conversion per value.
	switch t {
	case reflect.TypeFor[Text]():
		return func(d *decodeState, v reflect.Value) error {
			return (*Text)(unsafe.Pointer(v.UnsafeAddr())).decodeJSON(d)
		}
	case reflect.TypeFor[ID]():
		return func(d *decodeState, v reflect.Value) error {
			return (*ID)(unsafe.Pointer(v.UnsafeAddr())).decodeJSON(d)
		}
	case reflect.TypeFor[Int]():
		return func(d *decodeState, v reflect.Value) error {
			return (*Int)(unsafe.Pointer(v.UnsafeAddr())).decodeJSON(d)
		}
	case reflect.TypeFor[Bool]():
		return func(d *decodeState, v reflect.Value) error {
			return (*Bool)(unsafe.Pointer(v.UnsafeAddr())).decodeJSON(d)
		}
	case reflect.TypeFor[Cents]():
		return func(d *decodeState, v reflect.Value) error {
			return (*Cents)(unsafe.Pointer(v.UnsafeAddr())).decodeJSON(d)
		}
	}
	switch {
	case t.Kind() == reflect.Pointer:
		return pointerCodec(t, building)
	case pt.Implements(fastDecoderType):
		return func(d *decodeState, v reflect.Value) error {
			return addr(pt, v).(fastDecoder).decodeJSON(d)
		}
	case pt.Implements(unmarshalerType):
		return func(d *decodeState, v reflect.Value) error {
			b, err := d.value()
			if err != nil {
				return err
			}
			return addr(pt, v).(json.Unmarshaler).UnmarshalJSON(b)
		}
	case pt.Implements(textUnmarshalerType) || t == numberType:
		return fallbackCodec
	}
	switch t.Kind() {
	case reflect.Struct:
		return structCodec(t, building)
	case reflect.String:
		return func(d *decodeState, v reflect.Value) error {
			switch d.peek() {
			case '"':
				s, err := d.str()
				if err == nil {
					v.SetString(s)
				}
				return err
			case 'n':
				return d.skip()
			}
			return d.wrongType()
		}
	case reflect.Bool:
		return func(d *decodeState, v reflect.Value) error {
			switch d.peek() {
			case 't', 'f':
				b, err := d.value()
				if err == nil {
					v.SetBool(b[0] == 't')
				}
				return err
			case 'n':
				return d.skip()
			}
			return d.wrongType()
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return numberCodec(func(b []byte, v reflect.Value) bool {
			n, err := strconv.ParseInt(string(b), 10, 64)
			if err != nil || v.OverflowInt(n) {
				return false
			}
			v.SetInt(n)
			return true
		})
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return numberCodec(func(b []byte, v reflect.Value) bool {
			n, err := strconv.ParseUint(string(b), 10, 64)
			if err != nil || v.OverflowUint(n) {
				return false
			}
			v.SetUint(n)
			return true
		})
	case reflect.Float32, reflect.Float64:
		return numberCodec(func(b []byte, v reflect.Value) bool {
			f, err := strconv.ParseFloat(string(b), v.Type().Bits())
			if err != nil || v.OverflowFloat(f) {
				return false
			}
			v.SetFloat(f)
			return true
		})
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			return sliceCodec(t, building)
		}
	}
	return fallbackCodec
}

// addr is &v as an interface; pt is v's pointer type, known when the
// codec is built (v.Addr() looks it up on every call).
func addr(pt reflect.Type, v reflect.Value) any {
	return reflect.NewAt(pt.Elem(), unsafe.Pointer(v.UnsafeAddr())).Interface()
}

// wrongType skips a value the target cannot hold and notes it.
func (d *decodeState) wrongType() error {
	if err := d.skip(); err != nil {
		return err
	}
	d.mismatch()
	return nil
}

func numberCodec(set func([]byte, reflect.Value) bool) codec {
	return func(d *decodeState, v reflect.Value) error {
		switch c := d.peek(); {
		case c == 'n':
			return d.skip()
		case c == '-' || digit(c):
			b, err := d.value()
			if err != nil {
				return err
			}
			if !set(b, v) {
				d.mismatch()
			}
			return nil
		}
		return d.wrongType()
	}
}

// fallbackCodec hands one (validated) value to encoding/json.
func fallbackCodec(d *decodeState, v reflect.Value) error {
	b, err := d.value()
	if err != nil {
		return err
	}
	err = json.Unmarshal(b, v.Addr().Interface())
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		d.mismatch()
		return nil
	}
	return err
}

func pointerCodec(t reflect.Type, building map[reflect.Type]*codec) codec {
	elem := buildCodec(t.Elem(), building)
	et := t.Elem()
	return func(d *decodeState, v reflect.Value) error {
		if d.peek() == 'n' {
			v.SetZero()
			return d.skip()
		}
		if v.IsNil() {
			v.Set(reflect.New(et))
		}
		return elem(d, v.Elem())
	}
}

func sliceCodec(t reflect.Type, building map[reflect.Type]*codec) codec {
	elem := buildCodec(t.Elem(), building)
	return func(d *decodeState, v reflect.Value) error {
		switch d.peek() {
		case 'n':
			v.SetZero()
			return d.skip()
		case '[':
		default:
			return d.wrongType()
		}
		i := 0
		err := d.container(']', func() error {
			if i >= v.Cap() {
				v.Grow(1)
			}
			if i >= v.Len() {
				v.SetLen(i + 1)
				v.Index(i).SetZero()
			}
			i++
			return elem(d, v.Index(i-1))
		})
		if err != nil {
			return err
		}
		if i < v.Len() {
			v.SetLen(i)
		}
		if i == 0 {
			v.Set(reflect.MakeSlice(t, 0, 0))
		}
		return nil
	}
}

// field is a struct field a key can name.
type field struct {
	name   string
	index  []int
	tagged bool
	codec  codec
}

type structFields struct {
	byLen  [][]*field // exact names by length: a few comparisons instead of hashing the key
	folded map[string]*field
}

// exactField is the field named exactly key, if any.
func (fs *structFields) exactField(key []byte) *field {
	if len(key) < len(fs.byLen) {
		for _, f := range fs.byLen[len(key)] {
			if f.name == string(key) {
				return f
			}
		}
	}
	return nil
}

func structCodec(t reflect.Type, building map[reflect.Type]*codec) codec {
	list, ok := collectFields(t)
	if !ok {
		return fallbackCodec
	}
	fs := structFields{folded: map[string]*field{}}
	for _, f := range list {
		f.codec = buildCodec(t.FieldByIndex(f.index).Type, building)
		for len(fs.byLen) <= len(f.name) {
			fs.byLen = append(fs.byLen, nil)
		}
		fs.byLen[len(f.name)] = append(fs.byLen[len(f.name)], f)
		if k := string(foldName(nil, []byte(f.name))); fs.folded[k] == nil {
			fs.folded[k] = f
		}
	}
	return func(d *decodeState, v reflect.Value) error {
		switch d.peek() {
		case 'n':
			return d.skip()
		case '{':
		default:
			return d.wrongType()
		}
		return d.container('}', func() error {
			if d.peek() != '"' {
				return d.fail()
			}
			start := d.i
			plain, err := d.scanString()
			if err != nil {
				return err
			}
			var key []byte
			if plain {
				key = d.b[start+1 : d.i-1]
			} else {
				var s string
				if err := json.Unmarshal(d.b[start:d.i], &s); err != nil {
					return err
				}
				key = []byte(s)
			}
			d.ws()
			if d.peek() != ':' {
				return d.fail()
			}
			d.i++
			d.ws()
			f := fs.exactField(key)
			if f == nil {
				var buf [64]byte
				f = fs.folded[string(foldName(buf[:0], key))]
			}
			if f == nil {
				return d.skip()
			}
			fv := v.Field(f.index[0])
			for _, i := range f.index[1:] {
				fv = fv.Field(i)
			}
			return f.codec(d, fv)
		})
	}
}

// collectFields lists the fields a key can name, encoding/json's way:
// exported fields under their tag name (or Go name), the fields of
// embedded structs promoted, the shallowest of a name winning and, at one
// depth, the only tagged one (or none). ok is false for shapes left to
// encoding/json (an embedded pointer).
func collectFields(t reflect.Type) (out []*field, ok bool) {
	type cand struct {
		f     *field
		depth int
	}
	byName := map[string][]cand{}
	var order []string
	var walk func(t reflect.Type, index []int) bool
	walk = func(t reflect.Type, index []int) bool {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if !validTag(name) {
				name = ""
			}
			idx := append(append([]int{}, index...), i)
			if sf.Anonymous {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					if name == "" && ft.Elem().Kind() == reflect.Struct {
						return false
					}
				} else if name == "" && ft.Kind() == reflect.Struct {
					if !walk(ft, idx) {
						return false
					}
					continue
				}
				if !sf.IsExported() {
					continue
				}
			} else if !sf.IsExported() {
				continue
			}
			tagged := name != ""
			if name == "" {
				name = sf.Name
			}
			if _, seen := byName[name]; !seen {
				order = append(order, name)
			}
			byName[name] = append(byName[name], cand{&field{name: name, index: idx, tagged: tagged}, len(idx)})
		}
		return true
	}
	if !walk(t, nil) {
		return nil, false
	}
	for _, name := range order {
		cs := byName[name]
		shallowest := cs[0].depth
		for _, c := range cs {
			shallowest = min(shallowest, c.depth)
		}
		var best []*field
		var tagged []*field
		for _, c := range cs {
			if c.depth == shallowest {
				best = append(best, c.f)
				if c.f.tagged {
					tagged = append(tagged, c.f)
				}
			}
		}
		switch {
		case len(best) == 1:
			out = append(out, best[0])
		case len(tagged) == 1:
			out = append(out, tagged[0])
		}
	}
	// Case-folded matches go to the first field in struct order.
	sortByIndex(out)
	return out, true
}

func sortByIndex(fs []*field) {
	less := func(a, b []int) bool {
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				return a[i] < b[i]
			}
		}
		return len(a) < len(b)
	}
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && less(fs[j].index, fs[j-1].index); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// validTag is encoding/json's rule for a usable tag name.
func validTag(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// foldName maps a key to its case-folded form: ASCII upper case, and any
// other rune to the smallest of its simple fold orbit.
func foldName(out, in []byte) []byte {
	for i := 0; i < len(in); {
		if c := in[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(in[i:])
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out
}

// decodeRecord reads a record that may arrive as "" (or any non-object):
// object()'s rule. v points to the record's plain type, zeroed; a value of
// the wrong type inside it is counted, not an error.
func decodeRecord(d *decodeState, v any) error {
	if d.peek() != '{' {
		b, err := d.value()
		if err != nil {
			return err
		}
		if s, _ := unquote(b); s != "" && s != "null" {
			unreadable.Add(1)
		}
		return nil
	}
	rv := reflect.ValueOf(v).Elem()
	saved := d.typeErr
	d.typeErr = nil
	if err := codecFor(rv.Type())(d, rv); err != nil {
		return err
	}
	if d.typeErr != nil {
		unreadable.Add(1)
	}
	d.typeErr = saved
	return nil
}

// decodeJSON is List's UnmarshalJSON, from the scanner: an array's
// members of the wrong shape skipped, an object a list of one, a scalar
// an empty list.
func (l *List[T]) decodeJSON(d *decodeState) error {
	*l = nil
	c := codecFor(reflect.TypeFor[T]())
	saved := d.typeErr
	defer func() { d.typeErr = saved }()
	switch d.peek() {
	case '[':
		out := List[T]{}
		var bad int64
		err := d.container(']', func() error {
			var zero T
			out = append(out, zero)
			d.typeErr = nil
			if err := c(d, reflect.ValueOf(&out[len(out)-1]).Elem()); err != nil {
				return err
			}
			if d.typeErr != nil {
				out = out[:len(out)-1]
				bad++
			}
			return nil
		})
		if err != nil {
			return err
		}
		unreadable.Add(bad)
		*l = out
	case '{':
		var v T
		d.typeErr = nil
		if err := c(d, reflect.ValueOf(&v).Elem()); err != nil {
			return err
		}
		if d.typeErr != nil {
			unreadable.Add(1)
			return nil
		}
		*l = List[T]{v}
	default:
		b, err := d.value()
		if err != nil {
			return err
		}
		if s, _ := unquote(b); s != "" && s != "null" {
			unreadable.Add(1)
		}
	}
	return nil
}

func (c *Commande) decodeJSON(d *decodeState) error {
	type plain Commande
	*c = Commande{}
	return decodeRecord(d, (*plain)(c))
}

func (c *SessionContact) decodeJSON(d *decodeState) error {
	type plain SessionContact
	*c = SessionContact{}
	return decodeRecord(d, (*plain)(c))
}

func (c *LoginContact) decodeJSON(d *decodeState) error {
	type plain LoginContact
	*c = LoginContact{}
	return decodeRecord(d, (*plain)(c))
}

func (c *ContactInfo) decodeJSON(d *decodeState) error {
	type plain ContactInfo
	*c = ContactInfo{}
	return decodeRecord(d, (*plain)(c))
}

func (c *InvitationContact) decodeJSON(d *decodeState) error {
	type plain InvitationContact
	*c = InvitationContact{}
	return decodeRecord(d, (*plain)(c))
}

func (c *InvitationStructure) decodeJSON(d *decodeState) error {
	type plain InvitationStructure
	*c = InvitationStructure{}
	return decodeRecord(d, (*plain)(c))
}

func (c *Criteres) decodeJSON(d *decodeState) error {
	type plain Criteres
	*c = Criteres{}
	return decodeRecord(d, (*plain)(c))
}

func (o *Organisme) decodeJSON(d *decodeState) error {
	type plain Organisme
	*o = Organisme{}
	return decodeRecord(d, (*plain)(o))
}

func (s *SessionInfo) decodeJSON(d *decodeState) error {
	type plain SessionInfo
	var p struct {
		plain
		Jeton Text `json:"jeton"`
	}
	if err := decodeRecord(d, &p); err != nil {
		return err
	}
	*s = SessionInfo(p.plain)
	s.Jeton = string(p.Jeton)
	return nil
}

func (t *Telechargement) decodeJSON(d *decodeState) error {
	type plain Telechargement
	var p struct {
		plain
		IDSalleSpaced ID `json:"id_salle "`
	}
	if err := decodeRecord(d, &p); err != nil {
		return err
	}
	*t = Telechargement(p.plain)
	if t.IDSalle == "" {
		t.IDSalle = p.IDSalleSpaced
	}
	return nil
}

// The envelope's parts.

// messagePart is retour.message: its bytes as sent (json.RawMessage's
// reading), and with the single-pass reader its decoding into the
// caller's target on the way.
type messagePart struct{ raw json.RawMessage }

func (m *messagePart) UnmarshalJSON(b []byte) error { return m.raw.UnmarshalJSON(b) }

func (m *messagePart) decodeJSON(d *decodeState) error {
	start := d.i
	p := d.part
	if p == nil || d.peek() == 'n' || (d.peek() == '"' && d.i+1 < len(d.b) && d.b[d.i+1] == '"') {
		// No target, or null or "": the target stays zero.
		if err := d.skip(); err != nil {
			return err
		}
	} else {
		saved := d.typeErr
		d.typeErr = nil
		if err := codecFor(p.v.Type())(d, p.v); err != nil {
			return err
		}
		p.err = d.typeErr
		d.typeErr = saved
	}
	if p != nil {
		p.seen++
	}
	m.raw = d.b[start:d.i]
	return nil
}

func (r *retourDoc) decodeJSON(d *decodeState) error {
	if d.peek() != '{' {
		return d.skip()
	}
	r.object = true
	start := d.i
	saved := d.typeErr
	d.typeErr = nil
	if err := codecFor(reflect.TypeFor[retourFields]())(d, reflect.ValueOf(&r.fields).Elem()); err != nil {
		return err
	}
	// The bytes belong to the answer, which nothing reuses: kept, not copied.
	r.raw = d.b[start:d.i]
	r.shape = d.typeErr == nil
	d.typeErr = saved
	return nil
}

func (st *rawStatus) decodeJSON(d *decodeState) error {
	if d.peek() != '{' {
		return d.skip()
	}
	var f statusFields
	saved := d.typeErr
	d.typeErr = nil
	if err := codecFor(reflect.TypeOf(f))(d, reflect.ValueOf(&f).Elem()); err != nil {
		return err
	}
	bad := d.typeErr != nil
	d.typeErr = saved
	if !bad {
		st.take(f)
	}
	return nil
}

func (e *errorDetail) decodeJSON(d *decodeState) error {
	if d.peek() != '{' {
		return d.skip()
	}
	var f struct {
		Detail  flexText `json:"détail"`
		Detail2 flexText `json:"detail"`
	}
	saved := d.typeErr
	d.typeErr = nil
	if err := codecFor(reflect.TypeOf(f))(d, reflect.ValueOf(&f).Elem()); err != nil {
		return err
	}
	if d.typeErr == nil {
		*e = errorDetail(f)
	}
	d.typeErr = saved
	return nil
}
