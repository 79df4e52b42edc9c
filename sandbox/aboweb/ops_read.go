package aboweb

import (
	"strconv"
	"strings"
	"time"
)

// handler answers one operation: the inner XML of <op>Response, or a fault.
type handler func(s *Server, p params) (string, *soapFault)

// operations by wrapper local name (case-sensitive, as JAX-WS dispatches):
// the names the vendor's documentation lists, and only them. Public code of
// 2015-16 called authenticateByEmail; the documentation has
// authenticateEncrypteByEmail, so the older name gets the runtime's
// "Cannot find dispatch method" fault here.
var operations map[string]handler

func init() {
	operations = map[string]handler{
		"createOrUpdateClientEx":          opCreateOrUpdateClientEx,
		"updateClient":                    opUpdateClient,
		"authenticateEncrypteByEmail":     opAuthenticateEncrypteByEmail,
		"UpdateStatut":                    opUpdateStatut,
		"getClient":                       opGetClient,
		"getClientByAncienCode":           opGetClientByAncienCode,
		"findClientByEmail":               opFindClientByEmail,
		"getClients":                      listOp(nil),
		"getNbClients":                    countOp(nil),
		"getPayesPar":                     listOp(payesPar),
		"getNbPayesPar":                   countOp(payesPar),
		"getClientsByCodeSelection":       listOp(byCodeSelection),
		"getNbClientsByCodeSelection":     countOp(byCodeSelection),
		"getClientsByOrigine":             listOp(byOrigine),
		"getNbClientsByOrigine":           countOp(byOrigine),
		"getClientsByCodeClientTransco":   listOp(byTransco),
		"getNbClientsByCodeClientTransco": countOp(byTransco),
		"getClientsModifiedBetween":       listOp(modifiedBetween),
		"getNbClientsModifiedBetween":     countOp(modifiedBetween),
		"getClientsByType":                listOp(byType),
		"getNbClientsByType":              countOp(byType),
		"sendPassword":                    opSendPassword,
		"getClientsWithCriteria":          listOp(withCriteria),
		"getNbClientsWithCriteria":        countOp(withCriteria),
	}
}

// filter turns an operation's parameters into a match function.
type filter func(s *Server, p params) (func(*record) bool, *soapFault)

func all(*record) bool { return true }

// listOp answers up to 50 <client> ordered by code, from offset.
func listOp(fl filter) handler {
	return func(s *Server, p params) (string, *soapFault) {
		match := all
		if fl != nil {
			m, f := fl(s, p)
			if f != nil {
				return "", f
			}
			match = m
		}
		off, f := offsetParam(p)
		if f != nil {
			return "", f
		}
		var b strings.Builder
		for _, r := range s.st.page(match, off) {
			s.writeClient(&b, r)
		}
		return b.String(), nil
	}
}

// countOp answers <result>n</result>, as the spec shows for
// getNbClientsWithCriteria.
func countOp(fl filter) handler {
	return func(s *Server, p params) (string, *soapFault) {
		match := all
		if fl != nil {
			m, f := fl(s, p)
			if f != nil {
				return "", f
			}
			match = m
		}
		return "<result>" + strconv.Itoa(s.st.count(match)) + "</result>", nil
	}
}

func requiredText(p params, name string) (string, *soapFault) {
	v, ok := p.get(name)
	if !ok || strings.TrimSpace(v) == "" {
		return "", invalid(name + " obligatoire")
	}
	return strings.TrimSpace(v), nil
}

// payesPar: the clients paid by a tiers. An unknown code is 204; a client
// that pays for nobody has an empty list.
func payesPar(s *Server, p params) (func(*record) bool, *soapFault) {
	code, _, f := intParam(p, "codeTiers")
	if f != nil {
		return nil, f
	}
	if s.st.get(code) == nil {
		return nil, notFound()
	}
	return func(r *record) bool { return r.typ() == TypePayePar && r.tiers() == code }, nil
}

func byCodeSelection(_ *Server, p params) (func(*record) bool, *soapFault) {
	cs, f := requiredText(p, "codeSelection")
	if f != nil {
		return nil, f
	}
	return func(r *record) bool {
		for _, v := range r.selections {
			if v == cs {
				return true
			}
		}
		return false
	}, nil
}

func byOrigine(_ *Server, p params) (func(*record) bool, *soapFault) {
	o, f := requiredText(p, "origine")
	if f != nil {
		return nil, f
	}
	return func(r *record) bool { return r.f["origineAbm"] == o }, nil
}

func byTransco(_ *Server, p params) (func(*record) bool, *soapFault) {
	t, f := requiredText(p, "codeClientTransco")
	if f != nil {
		return nil, f
	}
	return func(r *record) bool { return r.f["codeClientTransco"] == t }, nil
}

// modifiedBetween: date1 ≤ modification ≤ date2, both ends inclusive and
// optional (ebdo sent date1 alone, sometimes null, and it worked).
func modifiedBetween(_ *Server, p params) (func(*record) bool, *soapFault) {
	var from, to time.Time
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"date1", &from}, {"date2", &to}} {
		v, ok := p.get(d.name)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		t, ok := parseDateTime(v)
		if !ok {
			return nil, invalid(d.name + " n'est pas une date")
		}
		*d.dst = t
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return nil, invalid("date2 antérieure à date1")
	}
	return func(r *record) bool {
		return (from.IsZero() || !r.modification.Before(from)) && (to.IsZero() || !r.modification.After(to))
	}, nil
}

func typeParam(p params, name string) (int, *soapFault) {
	t, present, f := intParam(p, name)
	if f != nil {
		return 0, f
	}
	if !present {
		return 0, invalid(name + " obligatoire")
	}
	if t < TypeNormal || t > TypePrescripteur {
		return 0, invalid(name + " inconnu")
	}
	return t, nil
}

func byType(_ *Server, p params) (func(*record) bool, *soapFault) {
	t, f := typeParam(p, "typeClient")
	if f != nil {
		return nil, f
	}
	return func(r *record) bool { return r.typ() == t }, nil
}

// withCriteria: <criteria><typeClient> (mandatory) and <cp> (optional,
// exact match).
func withCriteria(_ *Server, p params) (func(*record) bool, *soapFault) {
	c := p.elem("criteria")
	if c == nil || c.isNil() {
		return nil, invalid("criteria obligatoire")
	}
	cp := params{c}
	t, f := typeParam(cp, "typeClient")
	if f != nil {
		return nil, f
	}
	code, _ := cp.get("cp")
	code = strings.TrimSpace(code)
	return func(r *record) bool { return r.typ() == t && (code == "" || r.f["cp"] == code) }, nil
}

func opGetClient(s *Server, p params) (string, *soapFault) {
	// An absent (or qualified, hence dropped) codeClient binds as 0: no client.
	code, _, f := intParam(p, "codeClient")
	if f != nil {
		return "", f
	}
	return s.oneClient(s.st.get(code))
}

func opGetClientByAncienCode(s *Server, p params) (string, *soapFault) {
	v, _ := p.get("ancienCode")
	v = strings.TrimSpace(v)
	if v == "" {
		return "", notFound()
	}
	var found *record
	if m := s.st.page(func(r *record) bool { return r.f["ancienCode"] == v }, 0); len(m) > 0 {
		found = m[0]
	}
	return s.oneClient(found)
}

func opFindClientByEmail(s *Server, p params) (string, *soapFault) {
	v, _ := p.get("email")
	return s.oneClient(s.st.byEmail(v))
}

func (s *Server) oneClient(r *record) (string, *soapFault) {
	if r == nil {
		return "", notFound()
	}
	var b strings.Builder
	s.writeClient(&b, r)
	return b.String(), nil
}

// writeClient renders one <client> in the schema's (alphabetical) order;
// null fields are omitted, as JAXB does. With Config.Quirks the record
// takes the liberties listed in quirks.go.
func (s *Server) writeClient(b *strings.Builder, r *record) {
	if s.cfg.Quirks {
		writeQuirkyClient(b, r)
		return
	}
	b.WriteString("<client>")
	for _, fs := range clientFields {
		switch fs.name {
		case "codeClient":
			elem(b, "codeClient", strconv.Itoa(r.code))
		case "creation":
			elem(b, "creation", wireTime(r.creation))
		case "modification":
			elem(b, "modification", wireTime(r.modification))
		default:
			if v, ok := r.f[fs.name]; ok {
				elem(b, fs.name, v)
			}
		}
	}
	b.WriteString("</client>")
}
