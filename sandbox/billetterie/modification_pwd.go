package billetterie

import (
	"net/http"
	"strings"
)

// modificationPwdByIdent is ws_modification_pwd as the vendor spec draws it
// (§2.3.4): the account is named by w_identifiant, the current password is
// v_ancien_passe (optional: the back-office key alone may reset it) and there
// is no confirmation field; x_rsi_token is obsolete.
// The key was checked by the caller. Success is code 2 with the message
// "mot de passe mis a jour".
func (s *Server) modificationPwdByIdent(w http.ResponseWriter, r *http.Request) {
	ident := strings.TrimSpace(r.FormValue("w_identifiant"))
	np := r.FormValue("v_passe")
	if np == "" {
		ko(w, 522, vendorMsg(522), "v_passe")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.contactByMail[lower(ident)]
	switch {
	case c == nil:
		ko(w, 503, vendorMsg(503), "")
	case r.Form.Has("v_ancien_passe") && r.FormValue("v_ancien_passe") != c.pwd:
		ko(w, 528, vendorMsg(528), "v_ancien_passe")
	case np == c.pwd:
		ko(w, 529, vendorMsg(529), "v_passe")
	case !passwordOK(np):
		ko(w, 523, vendorMsg(523), "v_passe")
	default:
		c.pwd = np
		c.modified = s.now().Truncate(1e9)
		okTraitement(w, 2, "mot de passe mis a jour")
	}
}
