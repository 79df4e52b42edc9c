package billetterie

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/guichet/guichet/errs"
)

// Status is the vendor's statut object: code, traitement and message.
type Status struct {
	Code       int    `json:"code"`
	Traitement string `json:"traitement"`
	Message    string `json:"message"`
}

// OK reports whether the vendor marked the call "ok".
func (s Status) OK() bool { return strings.EqualFold(strings.TrimSpace(s.Traitement), "ok") }

// Envelope is a decoded {"retour":{…}} answer.
type Envelope struct {
	Status  Status
	Message json.RawMessage // retour.message, as sent (object, array or text)
	Detail  string          // retour.detail or retour.erreur.détail
	Retour  json.RawMessage // the whole retour, for services whose payload sits in it
}

// flexInt reads a number sent as a JSON number or a string ("", null: 0).
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// An unreadable code is no code: traitement decides ok or ko, and a
		// ko without a code is the generic one.
		*n = 0
		return nil
	}
	*n = flexInt(v)
	return nil
}

// flexText reads text sent as a string, or anything else kept as its JSON.
type flexText string

func (t *flexText) UnmarshalJSON(b []byte) error {
	if s, ok := jsonString(b); ok {
		*t = flexText(s)
		return nil
	}
	if string(b) == "null" {
		*t = ""
		return nil
	}
	*t = flexText(b)
	return nil
}

type rawStatus struct {
	Code       *flexInt  `json:"code"`
	Traitement *string   `json:"traitement"`
	Message    *flexText `json:"message"`
}

// UnmarshalJSON reads a statut object; anything else ("", a list) is no
// status, so the answer is refused for that reason, not for its shape.
func (st *rawStatus) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var f statusFields
	if err := json.Unmarshal(b, &f); err != nil {
		return nil
	}
	st.take(f)
	return nil
}

// statusFields is a statut object as read, its traitement in any form.
type statusFields struct {
	Code       *flexInt  `json:"code"`
	Traitement *flexText `json:"traitement"`
	Message    *flexText `json:"message"`
}

func (st *rawStatus) take(f statusFields) {
	st.Code, st.Message = f.Code, f.Message
	if f.Traitement != nil {
		t := string(*f.Traitement)
		st.Traitement = &t
	}
}

type errorDetail struct {
	Detail  flexText `json:"détail"`
	Detail2 flexText `json:"detail"`
}

// UnmarshalJSON reads an erreur object; "" or anything else carries no
// detail and must not cost the answer.
func (d *errorDetail) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var f struct {
		Detail  flexText `json:"détail"`
		Detail2 flexText `json:"detail"`
	}
	if json.Unmarshal(b, &f) == nil {
		*d = errorDetail(f)
	}
	return nil
}

// retourFields is everything DecodeEnvelope reads of retour, in one pass:
// the statut object, the status at the top (code, traitement; message is
// then the status text rather than a payload), detail and erreur.
type retourFields struct {
	Statut     *rawStatus  `json:"statut"`
	Code       *flexInt    `json:"code"`
	Traitement *flexText   `json:"traitement"`
	Message    messagePart `json:"message"`
	Detail     flexText    `json:"detail"`
	Erreur     errorDetail `json:"erreur"`
}

// retourDoc decodes retour while keeping its bytes (Envelope.Retour):
// one decode of the answer instead of one per part.
type retourDoc struct {
	raw    json.RawMessage
	fields retourFields
	object bool // retour was a JSON object
	shape  bool // its members had the expected types
}

func (d *retourDoc) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	d.object = true
	// The bytes belong to the answer, which nothing reuses: kept, not copied.
	d.raw = b
	d.shape = json.Unmarshal(b, &d.fields) == nil
	return nil
}

// DecodeEnvelope reads a JSON answer of service and maps its status: the
// statut object, or (ws_info_telechargement, ws_historique_contact,
// ws_modification_pwd) code/traitement/message at the top of retour. A "ko"
// anywhere is an error whatever the HTTP status. The envelope's parts and
// the texts later decoded from them share raw's memory: raw must not be
// modified afterwards.
func DecodeEnvelope(service string, raw []byte) (*Envelope, error) {
	return decodeEnvelope(service, raw, unmarshalJSON)
}

// decodeEnvelope is DecodeEnvelope with its JSON reader: the single-pass
// one, or json.Unmarshal that the tests hold it to.
func decodeEnvelope(service string, raw []byte, unmarshal func([]byte, any) error) (*Envelope, error) {
	return decodeEnvelopeInto(service, raw, unmarshal, nil)
}

// decodeEnvelopeInto is decodeEnvelope that also decodes retour.message
// into part's target as the answer is read (single-pass reader only).
func decodeEnvelopeInto(service string, raw []byte, unmarshal func([]byte, any) error, part *messageTarget) (*Envelope, error) {
	// The operation's name is only built for an error.
	garbage := func(msg string) error {
		return errs.E(errs.Op("billetterie."+service), errs.Unavailable, errs.Msg(msg))
	}
	var doc struct {
		Retour retourDoc `json:"retour"`
	}
	readDoc := unmarshal
	if part != nil {
		readDoc = func(b []byte, v any) error { return unmarshalInto(b, v, part) }
	}
	if err := readDoc(bytes.TrimSpace(raw), &doc); err != nil || !doc.Retour.object {
		return nil, garbage("the ticketing system answered something that is not its JSON envelope")
	}
	if !doc.Retour.shape {
		return nil, garbage("the ticketing system's envelope has an unexpected shape")
	}
	r := &doc.Retour.fields
	top := rawStatus{Code: r.Code}
	if r.Traitement != nil {
		t := string(*r.Traitement)
		top.Traitement = &t
	}
	msg := r.Message.raw
	if top.Traitement != nil && len(msg) > 0 {
		// At the top of retour, message is the status text.
		var m flexText
		if unmarshal(msg, &m) == nil {
			top.Message = &m
		}
	}
	env := &Envelope{Message: msg, Retour: doc.Retour.raw}
	env.Detail = strings.TrimSpace(string(r.Detail))
	// ws_info_contact puts its erreur object inside message; only an
	// object naming erreur is read twice.
	var inMsg struct {
		Erreur errorDetail `json:"erreur"`
	}
	if len(msg) > 0 && msg[0] == '{' && bytes.Contains(msg, []byte(`"erreur"`)) {
		unmarshal(msg, &inMsg)
	}
	for _, d := range []flexText{r.Erreur.Detail, r.Erreur.Detail2, inMsg.Erreur.Detail, inMsg.Erreur.Detail2} {
		if s := strings.TrimSpace(string(d)); s != "" && env.Detail == "" {
			env.Detail = s
		}
	}
	switch {
	case r.Statut != nil && r.Statut.Traitement != nil:
		st := r.Statut
		env.Status.Traitement = *st.Traitement
		if st.Code != nil {
			env.Status.Code = int(*st.Code)
		}
		if st.Message != nil {
			env.Status.Message = string(*st.Message)
		}
		// ws_modification_pwd repeats traitement beside statut: both must be ok.
		if top.Traitement != nil && !strings.EqualFold(strings.TrimSpace(*top.Traitement), "ok") && env.Status.OK() {
			env.Status.Traitement = *top.Traitement
		}
	case top.Traitement != nil:
		env.Status.Traitement = *top.Traitement
		if top.Code != nil {
			env.Status.Code = int(*top.Code)
		}
		if top.Message != nil {
			env.Status.Message = string(*top.Message)
		}
	default:
		return nil, garbage("the ticketing system answered without a status")
	}
	if !env.Status.OK() {
		code := env.Status.Code
		if code == 0 {
			code = 1 // "Une erreur s'est produite"
		}
		return env, statusError("billetterie."+service, code, env.Status.Message, env.Detail)
	}
	return env, nil
}

// callJSON sends a JSON service call and returns its checked envelope.
func (c *Client) callJSON(ctx context.Context, service string, form url.Values) (*Envelope, error) {
	raw, err := c.fetch(ctx, c.base, service, form, false)
	if err != nil {
		return nil, err
	}
	return DecodeEnvelope(service, raw)
}

// callMessage sends a call and decodes retour.message into out.
func (c *Client) callMessage(ctx context.Context, service string, form url.Values, out any) (*Envelope, error) {
	if out == nil {
		return c.callJSON(ctx, service, form)
	}
	raw, err := c.fetch(ctx, c.base, service, form, false)
	if err != nil {
		return nil, err
	}
	env, partErr, err := decodeWithMessage(service, raw, out)
	if err != nil {
		return env, err
	}
	return env, partErr
}

// decodeWithMessage reads an answer and its retour.message into out in
// one pass (decodePart's rules: an absent, null or "" message leaves out
// zero). err is the envelope's, partErr the message's; a message sent
// twice is read again from the last one, as decodePart would (the first
// one's unreadable values are then counted too: the metric only).
func decodeWithMessage(service string, raw []byte, out any) (env *Envelope, partErr, err error) {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		env, err = DecodeEnvelope(service, raw)
		if env != nil {
			partErr = decodePart(service, env.Message, out)
		}
		return env, partErr, err
	}
	part := &messageTarget{v: rv.Elem()}
	env, err = decodeEnvelopeInto(service, raw, unmarshalJSON, part)
	if env == nil {
		return nil, nil, err
	}
	switch {
	case part.seen > 1:
		part.v.SetZero()
		partErr = decodePart(service, env.Message, out)
	case part.err != nil:
		partErr = errs.E(errs.Op("billetterie."+service), errs.Unavailable, errs.Msg("the ticketing system's answer has an unexpected shape"), part.err)
	}
	return env, partErr, err
}

// decodePart decodes a part of an answer; an absent part leaves out zero.
func decodePart(service string, part json.RawMessage, out any) error {
	return decodePartWith(unmarshalJSON, service, part, out)
}

func decodePartWith(unmarshal func([]byte, any) error, service string, part json.RawMessage, out any) error {
	p := bytes.TrimSpace(part)
	if len(p) == 0 || string(p) == "null" || string(p) == `""` {
		return nil
	}
	if err := unmarshal(p, out); err != nil {
		return errs.E(errs.Op("billetterie."+service), errs.Unavailable, errs.Msg("the ticketing system's answer has an unexpected shape"), err)
	}
	return nil
}
