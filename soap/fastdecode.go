package soap

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	cs "github.com/guichet/guichet/soap/clientservice"
)

// The hot AboWeb answers (getClient and the pages of 50 records) are read
// here without encoding/xml's reflection, which cost about 30% of a single
// lookup. The reader is a strict subset of what the generated client
// accepts: it takes only the usual shape (an optional UTF-8 declaration,
// comments, one SOAP 1.1 Envelope with one Body holding the operation's
// wrapper) and, on anything else (a fault, a Header entry gowsdl keeps, a DOCTYPE, a carriage
// return, an unknown entity, a name it does not expect, malformed or
// truncated XML), it declines and the generated decoder reads the answer as
// before, with its errors and fault mapping. What it accepts it reads as
// encoding/xml would: elements matched by local name whatever their prefix,
// unknown elements skipped, a field's text being its direct character data
// (entities and CDATA resolved), an empty element an empty string.
//
// The record's fields are not listed here: the table is built once from the
// generated WsClient's xml tags, and the wrappers from the generated response
// types' XMLName, so a regenerated client cannot drift from this reader; if a
// field stops being a plain *string the fast path switches itself off
// (TestFastDecoderCoversRecord fails) and the generated decoder is used.

const nsEnvelope = "http://schemas.xmlsoap.org/soap/envelope/"

// recordFields maps a record element's local name to the offset of its
// *string field in cs.WsClient; nil when the fast path is off.
var recordFields = buildRecordFields()

// knownNames are the element and attribute names every answer repeats
// (the record's fields, the usual envelope and wrapper names), kept as
// strings once: reading a name found here allocates nothing.
var knownNames = buildKnownNames()

func buildKnownNames() map[string]string {
	m := map[string]string{}
	add := func(n string) { m[n] = n }
	for n := range recordFields {
		add(n)
	}
	for _, n := range []string{"client", "xmlns", "Envelope", "Body", "Header"} {
		add(n)
	}
	for _, p := range []string{"S", "soap", "soapenv", "env"} {
		for _, n := range []string{"Envelope", "Body", "Header"} {
			add(p + ":" + n)
		}
		add("xmlns:" + p)
	}
	for op := range fastShapes {
		for _, p := range []string{"ns2", "ns1", "tns", "ges"} {
			add(p + ":" + op + "Response")
			add("xmlns:" + p)
		}
		add(op + "Response")
	}
	return m
}

func buildRecordFields() map[string]uintptr {
	t := reflect.TypeFor[cs.WsClient]()
	strp := reflect.TypeFor[*string]()
	m := make(map[string]uintptr, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if !f.IsExported() || f.Type != strp || name == "" || name == "-" ||
			strings.ContainsAny(name, " >:") || (opts != "" && opts != "omitempty") {
			return nil
		}
		if _, dup := m[name]; dup {
			return nil
		}
		m[name] = f.Offset
	}
	return m
}

// answerShape is what a fast-read answer looks like: the operation's wrapper
// and whether it holds one record or a list.
type answerShape struct {
	space, local string
	list         bool
}

// shapeOf reads the shape from a generated response type (XMLName and a
// Client field); ok is false if the type has any other shape.
func shapeOf(t reflect.Type) (answerShape, bool) {
	if recordFields == nil || t.Kind() != reflect.Struct || t.NumField() != 2 {
		return answerShape{}, false
	}
	xn, cl := t.Field(0), t.Field(1)
	if xn.Name != "XMLName" || cl.Name != "Client" || cl.Tag.Get("xml") != "client,omitempty" {
		return answerShape{}, false
	}
	space, local, ok := strings.Cut(xn.Tag.Get("xml"), " ")
	if !ok || local == "" || strings.Contains(local, ",") {
		return answerShape{}, false
	}
	rec := reflect.TypeFor[*cs.WsClient]()
	switch cl.Type {
	case rec:
		return answerShape{space, local, false}, true
	case reflect.SliceOf(rec):
		return answerShape{space, local, true}, true
	}
	return answerShape{}, false
}

func mustShape[T any]() *answerShape {
	s, ok := shapeOf(reflect.TypeFor[T]())
	if !ok {
		return nil // fast path off for this operation
	}
	return &s
}

// fastShapes are the answers read fast, by operation (the wrapper's name
// without "Response"); an operation whose generated type changed shape is
// left out.
var fastShapes = shapes(
	mustShape[cs.GetClientResponse](),
	mustShape[cs.FindClientByEmailResponse](),
	mustShape[cs.GetClientByAncienCodeResponse](),
	mustShape[cs.GetClientsResponse](),
	mustShape[cs.GetClientsByCodeClientTranscoResponse](),
	mustShape[cs.GetClientsByCodeSelectionResponse](),
	mustShape[cs.GetClientsByOrigineResponse](),
	mustShape[cs.GetClientsByTypeResponse](),
	mustShape[cs.GetClientsModifiedBetweenResponse](),
	mustShape[cs.GetClientsWithCriteriaResponse](),
)

func shapes(list ...*answerShape) map[string]*answerShape {
	m := map[string]*answerShape{}
	for _, s := range list {
		if s != nil {
			m[strings.TrimSuffix(s.local, "Response")] = s
		}
	}
	return m
}

// fastFor is the fast read of op's answer, nil if op has none.
func fastFor(op string) *fastAnswer {
	if s := fastShapes[op]; s != nil {
		return &fastAnswer{shape: s}
	}
	return nil
}

// fastAnswer is one fast read: set on the exchange, filled when the reader
// accepted the answer.
type fastAnswer struct {
	shape   *answerShape
	ok      bool
	clients []*cs.WsClient
	// request, when set, is sent pre-encoded (sendEncoded) instead of
	// through gowsdl's encoder.
	request any
}

// one is the single record of a one-record answer (nil: none).
func (a *fastAnswer) one() *cs.WsClient {
	if len(a.clients) == 0 {
		return nil
	}
	return a.clients[0]
}

// decodeAnswer reads body if it has the usual shape; ok false means "use
// the generated decoder".
func decodeAnswer(body []byte, shape *answerShape) (clients []*cs.WsClient, ok bool) {
	if shape == nil || !plainText(body) {
		return nil, false
	}
	r := xmlReader{b: body}
	defer func() {
		if e := recover(); e != nil {
			if e != errDecline {
				panic(e)
			}
			clients, ok = nil, false
		}
	}()
	return r.envelope(shape), true
}

// plainText refuses bytes the reader leaves to encoding/xml: invalid UTF-8,
// control characters (carriage returns included: encoding/xml rewrites
// them), the non-characters U+FFFE/U+FFFF and document type declarations.
func plainText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' {
			return false
		}
	}
	return utf8.Valid(b) && !bytes.Contains(b, []byte("\uFFFE")) && !bytes.Contains(b, []byte("\uFFFF")) &&
		!bytes.Contains(b, []byte("<!D"))
}

type declineError struct{}

var errDecline any = declineError{}

func decline() { panic(errDecline) }

type binding struct {
	prefix, uri string
	depth       int
}

// xmlReader walks body once. Any surprise panics with errDecline (caught in
// decodeAnswer) so the paths below stay straight.
type xmlReader struct {
	b     []byte
	i     int
	depth int
	ns    []binding
	text  []byte
	spans []span
}

// tag is a start tag just read.
type tag struct {
	raw           string // prefix:local as written, to match its end tag
	prefix, local string
	empty         bool // <x/>
}

func (r *xmlReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n':
			r.i++
		default:
			return
		}
	}
}

func (r *xmlReader) has(s string) bool {
	return len(r.b)-r.i >= len(s) && string(r.b[r.i:r.i+len(s)]) == s
}

func nameStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func nameByte(c byte) bool  { return nameStart(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') }

// name reads an ASCII name with at most one prefix.
func (r *xmlReader) name() (raw, prefix, local string) {
	s := r.i
	colon := -1
	for r.i < len(r.b) {
		c := r.b[r.i]
		if c == ':' {
			if colon >= 0 {
				decline()
			}
			colon = r.i
		} else if !nameByte(c) {
			break
		}
		r.i++
	}
	if r.i == s || !nameStart(r.b[s]) || colon == r.i-1 {
		decline()
	}
	if colon >= 0 && !nameStart(r.b[colon+1]) {
		decline()
	}
	if v, ok := knownNames[string(r.b[s:r.i])]; ok {
		raw = v // no allocation for the names every answer repeats
	} else {
		raw = string(r.b[s:r.i])
	}
	if colon < 0 {
		return raw, "", raw
	}
	c := colon - s
	return raw, raw[:c], raw[c+1:]
}

// misc skips whitespace, text (when text is allowed) and comments up to the
// next tag; it returns true at a start tag ('<' consumed) and false at an end
// tag ("</" consumed).
func (r *xmlReader) misc(textOK bool) bool {
	for {
		if r.i >= len(r.b) {
			decline()
		}
		if r.b[r.i] != '<' {
			if !textOK {
				decline()
			}
			r.charData(false)
			continue
		}
		switch {
		case r.has("<!--"):
			r.comment()
		case r.has("<![CDATA["):
			if !textOK {
				decline()
			}
			r.cdata(false)
		case r.has("</"):
			r.i += 2
			return false
		case r.has("<?") || r.has("<!"):
			decline()
		default:
			r.i++
			return true
		}
	}
}

func (r *xmlReader) comment() {
	r.i += 4
	if r.i < len(r.b) && r.b[r.i] == '-' {
		decline()
	}
	n := bytes.Index(r.b[r.i:], []byte("--"))
	if n < 0 || r.i+n+2 >= len(r.b) || r.b[r.i+n+2] != '>' {
		decline()
	}
	r.i += n + 3
}

// cdata reads <![CDATA[…]]>, keeping its text when keep is set.
func (r *xmlReader) cdata(keep bool) {
	r.i += 9
	n := bytes.Index(r.b[r.i:], []byte("]]>"))
	if n < 0 {
		decline()
	}
	if keep {
		r.text = append(r.text, r.b[r.i:r.i+n]...)
	}
	r.i += n + 3
}

// charData reads text up to the next '<', resolving references, kept when
// keep is set.
func (r *xmlReader) charData(keep bool) {
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch c {
		case '<':
			return
		case '&':
			r.reference(keep)
			continue
		case ']':
			if r.has("]]>") {
				decline()
			}
		}
		if keep {
			r.text = append(r.text, c)
		}
		r.i++
	}
}

// reference reads &name; or &#n; / &#xh;.
func (r *xmlReader) reference(keep bool) {
	end := bytes.IndexByte(r.b[r.i:], ';')
	if end < 2 || end > 12 {
		decline()
	}
	ref := string(r.b[r.i+1 : r.i+end])
	r.i += end + 1
	var s string
	switch ref {
	case "lt":
		s = "<"
	case "gt":
		s = ">"
	case "amp":
		s = "&"
	case "apos":
		s = "'"
	case "quot":
		s = `"`
	default:
		if ref[0] != '#' || len(ref) < 2 {
			decline()
		}
		digits, base := ref[1:], 10
		if digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		if digits == "" || digits[0] == '+' || digits[0] == '-' {
			decline()
		}
		n, err := strconv.ParseUint(digits, base, 32)
		if err != nil || !(n == '\t' || n == '\n' || (n >= 0x20 && n <= 0xD7FF) ||
			(n >= 0xE000 && n <= 0xFFFD) || (n >= 0x10000 && n <= 0x10FFFF)) {
			decline()
		}
		s = string(rune(n))
	}
	if keep {
		r.text = append(r.text, s...)
	}
}

// startTag reads the rest of a start tag (after '<'), its namespace
// declarations pushed at the new depth.
func (r *xmlReader) startTag() tag {
	var t tag
	t.raw, t.prefix, t.local = r.name()
	r.depth++
	for {
		sp := r.i
		r.space()
		if r.i >= len(r.b) {
			decline()
		}
		switch r.b[r.i] {
		case '>':
			r.i++
			return t
		case '/':
			if !r.has("/>") {
				decline()
			}
			r.i += 2
			t.empty = true
			return t
		}
		if r.i == sp {
			decline() // attributes are separated by space
		}
		raw, prefix, local := r.name()
		r.space()
		if r.i >= len(r.b) || r.b[r.i] != '=' {
			decline()
		}
		r.i++
		r.space()
		if r.i >= len(r.b) || (r.b[r.i] != '"' && r.b[r.i] != '\'') {
			decline()
		}
		q := r.b[r.i]
		r.i++
		end := bytes.IndexByte(r.b[r.i:], q)
		if end < 0 {
			decline()
		}
		val := r.b[r.i : r.i+end]
		r.i += end + 1
		if bytes.IndexByte(val, '<') >= 0 {
			decline()
		}
		isNS := raw == "xmlns" || prefix == "xmlns"
		if bytes.IndexByte(val, '&') >= 0 {
			// Resolve to check it; only a namespace value is kept.
			sub := xmlReader{b: val}
			sub.charData(true)
			if isNS {
				val = sub.text
			}
		}
		switch {
		case raw == "xmlns":
			r.ns = append(r.ns, binding{"", string(val), r.depth})
		case prefix == "xmlns":
			if len(val) == 0 || local == "xml" || local == "xmlns" {
				decline()
			}
			r.ns = append(r.ns, binding{local, string(val), r.depth})
		}
	}
}

// endTag reads the rest of an end tag (after "</"), which must close t.
func (r *xmlReader) endTag(t tag) {
	raw, _, _ := r.name()
	r.space()
	if raw != t.raw || r.i >= len(r.b) || r.b[r.i] != '>' {
		decline()
	}
	r.i++
	r.close()
}

// close drops the bindings of the element being left.
func (r *xmlReader) close() {
	for len(r.ns) > 0 && r.ns[len(r.ns)-1].depth == r.depth {
		r.ns = r.ns[:len(r.ns)-1]
	}
	r.depth--
}

// space of t's prefix; an unbound prefix declines.
func (r *xmlReader) uri(t tag) string {
	if t.prefix == "xml" || t.prefix == "xmlns" {
		decline()
	}
	for i := len(r.ns) - 1; i >= 0; i-- {
		if r.ns[i].prefix == t.prefix {
			return r.ns[i].uri
		}
	}
	if t.prefix != "" {
		decline()
	}
	return ""
}

// skip reads the rest of element t, whatever it holds.
func (r *xmlReader) skip(t tag) {
	if t.empty {
		r.close()
		return
	}
	for r.misc(true) {
		r.skip(r.startTag())
	}
	r.endTag(t)
}

// envelope reads the document: declaration, Envelope, Body, wrapper.
func (r *xmlReader) envelope(shape *answerShape) []*cs.WsClient {
	if r.has("<?xml") {
		r.declaration()
	}
	r.space()
	for r.has("<!--") {
		r.comment()
		r.space()
	}
	if !r.has("<") || r.has("</") || r.has("<!") || r.has("<?") {
		decline()
	}
	r.i++
	env := r.startTag()
	if env.local != "Envelope" || r.uri(env) != nsEnvelope || env.empty {
		decline()
	}
	var clients []*cs.WsClient
	body := false
	for r.misc(true) {
		t := r.startTag()
		switch t.local {
		case "Body":
			if body {
				decline()
			}
			body = true
			clients = r.body(t, shape)
		case "Header":
			r.header(t)
		case "attachments":
			decline()
		default:
			r.skip(t)
		}
	}
	r.endTag(env)
	if !body {
		decline()
	}
	return clients
}

// header skips a Header (some servers send an empty one). gowsdl keeps only
// children named Headers, into interface values: those are declined.
func (r *xmlReader) header(h tag) {
	if h.empty {
		r.close()
		return
	}
	for r.misc(true) {
		t := r.startTag()
		if t.local == "Headers" {
			decline()
		}
		r.skip(t)
	}
	r.endTag(h)
}

// declaration accepts <?xml version="1.0" encoding="UTF-8"?> and its
// variants (single quotes, no encoding, standalone); anything else declines.
func (r *xmlReader) declaration() {
	end := bytes.Index(r.b[r.i:], []byte("?>"))
	if end < 0 {
		decline()
	}
	decl := string(r.b[r.i+5 : r.i+end])
	r.i += end + 2
	if decl != "" && decl[0] != ' ' {
		decline()
	}
	for _, f := range strings.Fields(decl) {
		k, v, ok := strings.Cut(f, "=")
		if !ok || len(v) < 2 || (v[0] != '"' && v[0] != '\'') || v[len(v)-1] != v[0] {
			decline()
		}
		v = v[1 : len(v)-1]
		switch {
		case k == "version" && v == "1.0":
		case k == "encoding" && strings.EqualFold(v, "utf-8"):
		case k == "standalone" && (v == "yes" || v == "no"):
		default:
			decline()
		}
	}
}

// body reads the Body: one element, the operation's wrapper.
func (r *xmlReader) body(b tag, shape *answerShape) []*cs.WsClient {
	if b.empty {
		decline()
	}
	if !r.misc(true) {
		decline() // an empty Body leaves the answer empty; rare, left to the generated decoder
	}
	w := r.startTag()
	if w.local != shape.local || r.uri(w) != shape.space {
		decline()
	}
	var clients []*cs.WsClient
	if !w.empty {
		for r.misc(true) {
			t := r.startTag()
			if t.local != "client" {
				r.skip(t)
				continue
			}
			var c *cs.WsClient
			if shape.list || len(clients) == 0 {
				c = new(cs.WsClient)
				clients = append(clients, c)
			} else {
				c = clients[0] // encoding/xml fills the same record again
			}
			r.record(t, c)
		}
		r.endTag(w)
	} else {
		r.close()
	}
	if r.misc(true) {
		decline() // a second element in the Body
	}
	r.endTag(b)
	return clients
}

// record reads one <client> into c. Its fields' texts share one string and
// their values one slice: three allocations per record rather than two per
// field.
func (r *xmlReader) record(t tag, c *cs.WsClient) {
	if t.empty {
		r.close()
		return
	}
	r.text, r.spans = r.text[:0], r.spans[:0]
	for r.misc(true) {
		f := r.startTag()
		off, ok := recordFields[f.local]
		if !ok {
			r.skip(f)
			continue
		}
		start := len(r.text)
		r.field(f)
		r.spans = append(r.spans, span{off, start, len(r.text)})
	}
	r.endTag(t)
	if len(r.spans) == 0 {
		return
	}
	all := string(r.text)
	vals := make([]string, len(r.spans))
	for i, sp := range r.spans {
		vals[i] = all[sp.start:sp.end]
		*(**string)(unsafe.Add(unsafe.Pointer(c), sp.off)) = &vals[i] // a repeated field: the last one wins, as in encoding/xml
	}
}

// span is one field's text in xmlReader.text.
type span struct {
	off        uintptr
	start, end int
}

// field appends the direct text of element t to r.text; nested elements
// are skipped.
func (r *xmlReader) field(t tag) {
	if t.empty {
		r.close()
		return
	}
	for {
		if r.i >= len(r.b) {
			decline()
		}
		if r.b[r.i] != '<' {
			r.charData(true)
			continue
		}
		switch {
		case r.has("<![CDATA["):
			r.cdata(true)
		case r.has("<!--"):
			r.comment()
		case r.has("</"):
			r.i += 2
			r.endTag(t)
			return
		case r.has("<?") || r.has("<!"):
			decline()
		default:
			r.i++
			r.skip(r.startTag()) // keeps nothing of its text
		}
	}
}
