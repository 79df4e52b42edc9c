package billetterie

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// Vendor quirks. With Config.Quirks on, every JSON answer is rewritten into
// the loose shapes real sites and the spec's own examples send, so that a
// client tested against the sandbox is tested against them too:
//
//   - numbers are quoted ("12151"), and 0 is "" (ws_idsession prints
//     "status": with no value); ids therefore travel as strings;
//   - booleans are "1"/"0"; a postal code is a bare number (78280);
//   - ws_info_contact's contact carries only "id" (the link record), no
//     id_contact, as the spec's example;
//   - ws_info_telechargement's id_salle has the spec's trailing space;
//   - ws_liste_fiches_modifiees puts type_export ids under liste_X, as the
//     spec's table says, instead of liste_X_id as its example;
//   - every object gains an unknown key.
//
// The statut object is left as is: the codes are what the client acts on.
// XML answers are untouched.

// quirkKey is the unknown key added to every object.
const quirkKey = "x_champ_non_documente"

// replyWriter buffers an answer so it can be rewritten before it is sent.
type replyWriter struct {
	http.ResponseWriter
	service string
	buf     bytes.Buffer
	status  int
}

func (w *replyWriter) Write(b []byte) (int, error) { return w.buf.Write(b) }
func (w *replyWriter) WriteHeader(code int)        { w.status = code }

// flush sends the (rewritten) answer.
func (w *replyWriter) flush(quirks bool) {
	body := w.buf.Bytes()
	if quirks && strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		if out, ok := quirkJSON(w.service, body); ok {
			body = out
		}
	}
	if w.status != 0 {
		w.ResponseWriter.WriteHeader(w.status)
	}
	w.ResponseWriter.Write(body)
}

func quirkJSON(service string, body []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil {
		return nil, false
	}
	doc = loosen(doc, "")
	if m, ok := doc.(map[string]any); ok {
		switch service {
		case "ws_info_contact":
			if c := dig(m, "retour", "message", "contact"); c != nil {
				delete(c, "id_contact")
			}
		case "ws_execute_programme":
			if d, ok := m["data"].(map[string]any); ok {
				for k, v := range d {
					if strings.HasSuffix(k, "_id") {
						delete(d, k)
						d[strings.TrimSuffix(k, "_id")] = v
					}
				}
			}
		}
	}
	out, err := json.Marshal(doc)
	return out, err == nil
}

func dig(m map[string]any, path ...string) map[string]any {
	for _, k := range path {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

// loosen rewrites a decoded value; key is the member name it sits under.
func loosen(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		if key == "statut" {
			return x
		}
		out := make(map[string]any, len(x)+1)
		for k, e := range x {
			if k == "id_salle" {
				k = "id_salle "
			}
			out[k] = loosen(e, k)
		}
		out[quirkKey] = map[string]any{"origine": "sandbox", "version": 2}
		return out
	case []any:
		for i := range x {
			x[i] = loosen(x[i], key)
		}
		return x
	case string:
		// A postal code as a bare number (78280), as PHP sites send it.
		if key == "code_postal" && x != "" && x[0] != '0' && strings.Trim(x, "0123456789") == "" {
			return json.Number(x)
		}
		return x
	case json.Number:
		if x == "0" {
			return ""
		}
		return string(x)
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return v
}
