package billetterie

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// attachEntry is one validated element of the base64(JSON) contacts
// parameter (§2.6.4.2).
type attachEntry struct {
	contact          int
	attach, fnAction string // "", "attacher" or "detacher"
	fonction         string
	fields           map[string]string // service, telephone_lien, portable_lien, email_lien when sent
}

// outcome is one element of a contact's success or errors array.
type outcome struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Champ   string `json:"champ"`
}

func out(code int, champ string) outcome { return outcome{code, vendorMsg(code), champ} }

// parseAttachments checks the "critical errors" of §2.6.4.3, which stop the
// request before anything changes; it returns the first one's code (0 when
// the entries are valid).
func parseAttachments(raw []map[string]any) ([]attachEntry, int) {
	var es []attachEntry
	for _, m := range raw {
		idStr, _ := str(m, "id_contact")
		id, err := strconv.Atoi(idStr)
		if idStr == "" || err != nil {
			return nil, 1103
		}
		e := attachEntry{contact: id, fields: map[string]string{}}
		e.attach, _ = str(m, "action_attachement")
		e.fnAction, _ = str(m, "action_fonction")
		fonction, hasFonction := str(m, "fonction")
		switch {
		case e.attach == "" && e.fnAction == "":
			return nil, 1104
		case e.attach != "" && e.attach != "attacher" && e.attach != "detacher":
			return nil, 1105
		case e.fnAction != "" && e.fnAction != "attacher" && e.fnAction != "detacher":
			return nil, 1106
		case e.fnAction != "" && fonction == "":
			return nil, 1107
		case hasFonction && fonction != "" && e.fnAction == "":
			return nil, 1108
		}
		e.fonction = fonction
		for _, k := range []string{"service", "telephone_lien", "portable_lien", "email_lien"} {
			if v, ok := str(m, k); ok {
				e.fields[k] = v
			}
		}
		es = append(es, e)
	}
	return es, 0
}

func (l *orgContact) apply(fields map[string]string) {
	for k, v := range fields {
		switch k {
		case "service":
			l.service = v
		case "telephone_lien":
			l.tel = v
		case "portable_lien":
			l.port = v
		case "email_lien":
			l.em = v
		}
	}
}

// attach applies validated entries with the spec's rules: a contact may be
// attached several times; detaching removes every link of the contact;
// attaching a function to an attached contact replaces the function of its
// first link, to an unattached one attaches it; detaching a function clears it
// on every link that has it. Callers hold s.mu.
func (s *Server) attach(o *organisation, es []attachEntry) (results []map[string]any, failed bool) {
	results = []map[string]any{}
	for _, e := range es {
		res := map[string]any{"id_contact": e.contact}
		results = append(results, res)
		c := s.contactByID[e.contact]
		if c == nil {
			res["errors"] = []outcome{out(503, "id_contact")}
			failed = true
			continue
		}
		succ, errs := []outcome{out(526, "id_contact")}, []outcome{}
		links := func() []int {
			var idx []int
			for i, l := range o.contacts {
				if l.contact == c.id {
					idx = append(idx, i)
				}
			}
			return idx
		}
		newLink := func(fonction string) {
			l := orgContact{contact: c.id, fonction: fonction, tel: c.telPerso, port: c.telPort, em: c.mail}
			l.apply(e.fields)
			o.contacts = append(o.contacts, l)
		}
		switch e.attach {
		case "detacher":
			if len(links()) == 0 {
				errs = append(errs, out(1112, "action_attachement"))
				break
			}
			kept := o.contacts[:0:0]
			for _, l := range o.contacts {
				if l.contact != c.id {
					kept = append(kept, l)
				}
			}
			o.contacts = kept
			succ = append(succ, out(1117, "action_attachement"))
		case "attacher":
			fonction := ""
			if e.fnAction == "attacher" {
				fonction = e.fonction
			}
			newLink(fonction)
			succ = append(succ, out(1116, "action_attachement"))
			if fonction != "" {
				succ = append(succ, out(1118, "action_fonction"))
			}
		}
		switch {
		case e.fnAction == "attacher" && e.attach == "":
			if idx := links(); len(idx) > 0 {
				o.contacts[idx[0]].fonction = e.fonction
				o.contacts[idx[0]].apply(e.fields)
			} else {
				newLink(e.fonction)
			}
			succ = append(succ, out(1118, "action_fonction"))
		case e.fnAction == "detacher":
			idx := links()
			if len(idx) == 0 {
				errs = append(errs, out(1109, "action_fonction"))
				break
			}
			n := 0
			for _, i := range idx {
				if strings.EqualFold(o.contacts[i].fonction, e.fonction) {
					o.contacts[i].fonction = ""
					n++
				}
			}
			if n == 0 {
				errs = append(errs, out(1110, "fonction"))
			} else {
				succ = append(succ, out(1119, "action_fonction"))
			}
		}
		res["success"] = succ
		if len(errs) > 0 {
			res["errors"] = errs
			failed = true
		}
	}
	return results, failed
}

// organismeContacts is ws_organisme_contacts (§2.6.4): code 1115 ok when
// every entry succeeded, 1111 ko with the same message when one failed.
func (s *Server) organismeContacts(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	idStr := strings.TrimSpace(r.FormValue("id_organisme"))
	var raw []map[string]any
	present, pe := decodeB64(r, "contacts", &raw)
	switch {
	case idStr == "" && !present:
		ko(w, 1100, vendorMsg(1100), "")
		return
	case idStr == "":
		ko(w, 1101, vendorMsg(1101), "id_organisme")
		return
	case !present || pe != nil || len(raw) == 0:
		ko(w, 1102, vendorMsg(1102), "contacts")
		return
	}
	es, code := parseAttachments(raw)
	if code != 0 {
		ko(w, code, vendorMsg(code), "contacts")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgParam(w, r)
	if o == nil {
		return
	}
	res, failed := s.attach(o, es)
	o.modified = s.now().Truncate(time.Second)
	msg := map[string]any{"contacts": res, "organisme": []map[string]any{{
		"id_organisme": o.id, "success": out(906, "id_organisme"),
	}}}
	st := statut{1115, "ok", vendorMsg(1115)}
	if failed {
		st = statut{1111, "ko", vendorMsg(1111)}
	}
	writeJSON(w, map[string]retour{"retour": {Statut: st, Message: msg}})
}
