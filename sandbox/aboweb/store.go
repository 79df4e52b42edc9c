package aboweb

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// record is one stored client. Field values are kept as their wire text so
// that "sent", "empty" and "null" stay distinct, as they are for JAXB.
type record struct {
	code         int
	f            map[string]string // absent key = null; never holds codeClient/creation/modification
	creation     time.Time
	modification time.Time
	selections   []string // codes de sélection held by the client
}

func (r *record) clone() *record {
	c := *r
	c.f = make(map[string]string, len(r.f))
	for k, v := range r.f {
		c.f[k] = v
	}
	c.selections = append([]string(nil), r.selections...)
	return &c
}

func (r *record) typ() int {
	n, _ := strconv.Atoi(r.f["typeClient"])
	return n
}

func (r *record) tiers() int {
	n, _ := strconv.Atoi(r.f["codeTiers"])
	return n
}

// store is the client base; every exported operation locks it.
type store struct {
	mu     sync.RWMutex
	byCode map[int]*record
	codes  []int          // ascending: every list is ordered by codeClient
	next   int            // next code handed out on creation
	mails  map[string]int // sendPassword mails per lower-cased email
}

func newStore(recs []*record) *store {
	s := &store{byCode: make(map[int]*record, len(recs)), mails: map[string]int{}}
	for _, r := range recs {
		s.byCode[r.code] = r
		s.codes = append(s.codes, r.code)
		if r.code >= s.next {
			s.next = r.code + 1
		}
	}
	sort.Ints(s.codes)
	return s
}

// get returns a copy of the client, or nil.
func (s *store) get(code int) *record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r := s.byCode[code]; r != nil {
		return r.clone()
	}
	return nil
}

// byEmail returns the lowest-coded client with that email (case-insensitive,
// as a MySQL collation would match): AboWeb does not prevent duplicates.
func (s *store) byEmail(email string) *record {
	email = normEmail(email)
	if email == "" {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, c := range s.codes {
		if r := s.byCode[c]; normEmail(r.f["email"]) == email {
			return r.clone()
		}
	}
	return nil
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// page returns up to pageSize matching clients from offset, ordered by code.
func (s *store) page(match func(*record) bool, offset int) []*record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*record
	seen := 0
	for _, c := range s.codes {
		r := s.byCode[c]
		if !match(r) {
			continue
		}
		if seen >= offset {
			out = append(out, r.clone())
			if len(out) == pageSize {
				break
			}
		}
		seen++
	}
	return out
}

func (s *store) count(match func(*record) bool) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, c := range s.codes {
		if match(s.byCode[c]) {
			n++
		}
	}
	return n
}

// pageSize is the vendor's list cap ("limitée à 50 objets").
const pageSize = 50
