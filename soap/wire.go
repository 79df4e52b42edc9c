package soap

import (
	"strconv"

	"github.com/guichet/guichet/crm"
	cs "github.com/guichet/guichet/soap/clientservice"
)

// wireView reads the fields of a wire record that validation cares about.
type wireView struct{ w *cs.WsClient }

func (v *wireView) str(f Field) (string, bool) {
	var p *string
	switch f {
	case FieldEmail:
		p = v.w.Email
	case FieldAddress3:
		p = v.w.Adresse3
	case FieldCountryCode:
		p = v.w.CodeIsoPays
	}
	if p == nil {
		return "", false
	}
	return *p, true
}

// int reads an integer field; text that is not one reads as -1, which
// every check refuses.
func (v *wireView) int(f Field) (int, bool) {
	var p *string
	switch f {
	case FieldType:
		p = v.w.TypeClient
	case FieldPayerCode:
		p = v.w.CodeTiers
	}
	if p == nil {
		return 0, false
	}
	n, err := strconv.Atoi(*p)
	if err != nil {
		return -1, true
	}
	return n, true
}

// mergeForUpdate overlays the named fields of s on the record read from
// AboWeb, and drops what AboWeb maintains itself, so that a server which
// erases omitted fields keeps everything else. The stored fields go back
// unchecked (they are AboWeb's own values); typed ones in the WSDL's form
// when they read as such ("10,0" as 10, "1" as true), else as AboWeb sent
// them, rather than erased.
func mergeForUpdate(current *cs.WsClient, s *crm.Subscriber, fields []Field) *cs.WsClient {
	m := *current
	m.Creation, m.Modification = nil, nil
	m.ErreurAel, m.NbNpai, m.NoteEtat, m.NoteNpai = nil, nil, nil, nil
	for _, p := range []**string{&m.NePasDiffuser, &m.Npai, &m.PasEmailing, &m.PasMailing, &m.ReaboAuto, &m.RelancerPaye} {
		*p = canonical(*p, func(r fieldReader, v *string) string { return strconv.FormatBool(r.bool("", v)) })
	}
	asInt := func(r fieldReader, v *string) string { return strconv.Itoa(r.int("", v)) }
	m.CodeTiers, m.TypeClient = canonical(m.CodeTiers, asInt), canonical(m.TypeClient, asInt)
	m.TauxRemiseAbo = canonical(m.TauxRemiseAbo, func(r fieldReader, v *string) string { return *fstr(r.float("", v)) })
	m.CodeClient = istr(s.Code)
	for _, f := range fields {
		fieldByWire[string(f)].put(s, &m)
	}
	return &m
}

// canonical is p in conv's form when its text reads; unreadable or empty
// text is returned as it is.
func canonical(p *string, conv func(r fieldReader, p *string) string) *string {
	if p == nil || text(p) == "" {
		return p
	}
	ok := true
	v := conv(fieldReader{bad: func(string) { ok = false }}, p)
	if !ok {
		return p
	}
	return &v
}
