package billetterie

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"time"
)

type session struct {
	token   string
	lastUse time.Time
	contact int // 0 until a visitor logs in
}

// newToken derives a unique 32-character upper-hex token from a counter and
// a per-server salt; callers hold s.mu.
func (s *Server) newToken() string {
	s.sessionSeq++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s:%d", s.salt, s.sessionSeq)))
	return strings.ToUpper(fmt.Sprintf("%08x%x", s.sessionSeq, sum[:12]))
}

// lookup returns the live session of the token, refreshing it, or nil when
// unknown or idle longer than SessionTTL (expired sessions are dropped).
// Callers hold s.mu.
func (s *Server) lookup(token string, now time.Time) *session {
	se := s.sessions[token]
	if se == nil {
		return nil
	}
	if now.Sub(se.lastUse) > s.cfg.SessionTTL {
		delete(s.sessions, token)
		return nil
	}
	se.lastUse = now
	return se
}

// withSession answers 605 for an unknown or expired token and, when
// needLogin, 602 for a session without a visitor. Callers hold s.mu.
func (s *Server) withSession(w http.ResponseWriter, r *http.Request, needLogin bool) (*session, *contact) {
	token := strings.TrimSpace(r.FormValue("x_rsi_token"))
	if token == "" {
		ko(w, 4, msgParam, "Paramètre manquant : x_rsi_token")
		return nil, nil
	}
	se := s.lookup(token, s.now())
	if se == nil {
		ko(w, 605, msgSession, "")
		return nil, nil
	}
	c := s.contactByID[se.contact]
	if c == nil {
		se.contact = 0
		if needLogin {
			ko(w, 602, msgNoLogin, "")
			return nil, nil
		}
	}
	return se, c
}

func isoDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("PT%dH", int(d/time.Hour))
	case d%time.Minute == 0:
		return fmt.Sprintf("PT%dM", int(d/time.Minute))
	}
	return fmt.Sprintf("PT%dS", int(d/time.Second))
}

func emptyCommande() map[string]any { return map[string]any{"id": "", "temps_restant": 0, "status": 0} }

func (s *Server) idSession(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	now := s.now()
	s.mu.Lock()
	tok := s.newToken()
	s.sessions[tok] = &session{token: tok, lastUse: now}
	s.mu.Unlock()
	ok(w, 603, vendorMsg(603), map[string]any{
		"duree":         isoDuration(s.cfg.SessionTTL),
		"jeton":         tok,
		"temps_restant": int(s.cfg.SessionTTL / time.Second),
		"id_session":    "",
		"commande":      emptyCommande(),
	})
}

func (s *Server) statusSession(w http.ResponseWriter, r *http.Request) {
	token, okp := required(w, r, "x_rsi_token")
	if !okp {
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.lookup(token, now)
	msg := map[string]any{"commande": emptyCommande(), "id_session": "", "status": 0, "temps_restant": 0, "login": false}
	if se != nil {
		msg["status"] = 1
		msg["temps_restant"] = int(s.cfg.SessionTTL / time.Second)
		if c := s.contactByID[se.contact]; c != nil {
			msg["login"] = true
			msg["contact"] = map[string]any{"id": c.lien, "id_contact": c.id}
		}
	}
	ok(w, 2, vendorMsg(2), msg)
}

func (s *Server) deconnexion(w http.ResponseWriter, r *http.Request) {
	if !s.credsOK(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	se, _ := s.withSession(w, r, false)
	if se == nil {
		return
	}
	se.contact = 0
	ok(w, 611, vendorMsg(611), map[string]any{})
}

// login is ws_login. The spec lists only x_rsi_token, web_ident and
// web_passe: web-service credentials are neither needed nor checked.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se, _ := s.withSession(w, r, false)
	if se == nil {
		return
	}
	email, okp := required(w, r, "web_ident")
	if !okp {
		return
	}
	c := s.contactByMail[lower(email)]
	if c == nil || c.pwd == "" || c.pwd != r.FormValue("web_passe") {
		ko(w, 504, vendorMsg(504), "")
		return
	}
	se.contact = c.id
	// The spec's example answer (§2.3.2.3): the contact object only.
	ok(w, 514, vendorMsg(514), map[string]any{
		"contact": map[string]any{"name": c.nom, "surname": c.prenom, "id_clistru": c.lien, "id_contact": c.id}})
}
