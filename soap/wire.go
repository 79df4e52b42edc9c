package soap

import cs "github.com/guichet/guichet/soap/clientservice"

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

func (v *wireView) int(f Field) (int, bool) {
	var p *int32
	switch f {
	case FieldType:
		p = v.w.TypeClient
	case FieldPayerCode:
		p = v.w.CodeTiers
	}
	if p == nil {
		return 0, false
	}
	return int(*p), true
}

// mergeForUpdate overlays the named fields of s on the record read from
// AboWeb, and drops what AboWeb maintains itself, so that a server which
// erases omitted fields keeps everything else.
func mergeForUpdate(current *cs.WsClient, s *Subscriber, fields []Field) *cs.WsClient {
	m := *current
	m.Creation, m.Modification = nil, nil
	m.CodeClient = i32(s.Code)
	for _, f := range fields {
		fieldByWire[string(f)].put(s, &m)
	}
	return &m
}
