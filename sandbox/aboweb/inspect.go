package aboweb

import (
	"sort"
	"strconv"
	"time"
)

// Client is a read-only view of one stored client, for tests that assert
// what the simulator holds (seeded values, effects of updates).
type Client struct {
	Code        int
	Type        int // typeClient
	CodeTiers   int // 0 when none
	Email       string
	Nom, Prenom string
	Societe     string
	Cp, Ville   string
	CodeIsoPays string
	Origine     string // origineAbm
	Transco     string // codeClientTransco
	AncienCode  string
	// Selections are the client's codes de sélection (not part of the wire
	// record: only getClientsByCodeSelection exposes them).
	Selections             []string
	Creation, Modification time.Time
	// Fields holds every non-null field as its wire text (motPasseAbm
	// included), keyed by element name.
	Fields map[string]string
}

func view(r *record) Client {
	c := Client{
		Code: r.code, Type: r.typ(), CodeTiers: r.tiers(),
		Email: r.f["email"], Nom: r.f["nom"], Prenom: r.f["prenom"], Societe: r.f["societe"],
		Cp: r.f["cp"], Ville: r.f["ville"], CodeIsoPays: r.f["codeIsoPays"],
		Origine: r.f["origineAbm"], Transco: r.f["codeClientTransco"], AncienCode: r.f["ancienCode"],
		Selections: r.selections, Creation: r.creation, Modification: r.modification,
		Fields: r.f,
	}
	c.Fields["codeClient"] = strconv.Itoa(r.code)
	c.Fields["creation"] = wireTime(r.creation)
	c.Fields["modification"] = wireTime(r.modification)
	return c
}

// Client returns the stored client with that code.
func (s *Server) Client(code int) (Client, bool) {
	r := s.st.get(code)
	if r == nil {
		return Client{}, false
	}
	return view(r), true
}

// Clients returns every client, ordered by code.
func (s *Server) Clients() []Client {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	out := make([]Client, 0, len(s.st.codes))
	for _, c := range s.st.codes {
		out = append(out, view(s.st.byCode[c].clone()))
	}
	return out
}

// Codes returns the codes of the clients of one typeClient, ascending.
func (s *Server) Codes(typeClient int) []int {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	var out []int
	for _, c := range s.st.codes {
		if s.st.byCode[c].typ() == typeClient {
			out = append(out, c)
		}
	}
	return out
}

// PaidBy returns the codes of the clients a tiers pays for, ascending.
func (s *Server) PaidBy(codeTiers int) []int {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	var out []int
	for _, c := range s.st.codes {
		if r := s.st.byCode[c]; r.typ() == TypePayePar && r.tiers() == codeTiers {
			out = append(out, c)
		}
	}
	return out
}

// PasswordMails is how many times sendPassword mailed that address.
func (s *Server) PasswordMails(email string) int {
	s.st.mu.RLock()
	defer s.st.mu.RUnlock()
	return s.st.mails[normEmail(email)]
}

// PayerCodes are the codes of the three tiers that pay for every seeded
// payé par, in round-robin order.
func PayerCodes() [3]int {
	var out [3]int
	for k, i := range payerIndexes {
		out[k] = SeedCode(i)
	}
	sort.Ints(out[:])
	return out
}
