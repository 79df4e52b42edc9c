// Package fault is the switchable fault injection shared by the sandboxes.
// A sandbox asks Decide(service) before answering; the rule for that service
// (or the "*" rule) says whether to add latency, hang, or replace the answer
// with a fault the sandbox renders in its vendor's own shape.
package fault

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Mode is what replaces a normal answer.
type Mode string

const (
	None      Mode = ""          // answer normally
	HTTP500   Mode = "http500"   // plain HTTP 500 with a text body
	Garbage   Mode = "garbage"   // a malformed body with HTTP 200
	VendorErr Mode = "vendor"    // the vendor's own error document (ERREUR, SOAP fault 100…)
	Hang      Mode = "hang"      // never answer until the client gives up
	Reset     Mode = "reset"     // close the connection without an answer
	AuthError Mode = "autherror" // the vendor's credential failure
)

// Rule is the fault setting of one service. Rate is the share of calls the
// Mode applies to (0 means every call when Mode is set).
type Rule struct {
	Latency time.Duration `json:"latency,omitempty"`
	Jitter  time.Duration `json:"jitter,omitempty"`
	Mode    Mode          `json:"mode,omitempty"`
	Rate    float64       `json:"rate,omitempty"`
}

// Injector holds the rules; the zero value injects nothing.
type Injector struct {
	mu    sync.RWMutex
	rules map[string]Rule
}

// Set installs a rule for a service name, or for every service with "*".
func (in *Injector) Set(service string, r Rule) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.rules == nil {
		in.rules = map[string]Rule{}
	}
	in.rules[service] = r
}

// Reset removes every rule.
func (in *Injector) Reset() {
	in.mu.Lock()
	in.rules = nil
	in.mu.Unlock()
}

// Rules returns a copy of the current rules.
func (in *Injector) Rules() map[string]Rule {
	in.mu.RLock()
	defer in.mu.RUnlock()
	out := make(map[string]Rule, len(in.rules))
	for k, v := range in.rules {
		out[k] = v
	}
	return out
}

func (in *Injector) rule(service string) (Rule, bool) {
	in.mu.RLock()
	defer in.mu.RUnlock()
	if r, ok := in.rules[service]; ok {
		return r, true
	}
	r, ok := in.rules["*"]
	return r, ok
}

// Decide sleeps the rule's latency (returning early if the request is
// cancelled) and returns the mode to apply to this call.
func (in *Injector) Decide(r *http.Request, service string) Mode {
	rule, ok := in.rule(service)
	if !ok {
		return None
	}
	d := rule.Latency
	if rule.Jitter > 0 {
		d += time.Duration(rand.Int64N(int64(rule.Jitter)))
	}
	if d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return Hang
		}
	}
	if rule.Mode == None || (rule.Rate > 0 && rand.Float64() >= rule.Rate) {
		return None
	}
	return rule.Mode
}

// Apply handles the modes that look the same for every vendor (HTTP 500,
// garbage, hang, reset) and reports whether it wrote the answer. VendorErr
// and AuthError are left to the sandbox.
func Apply(w http.ResponseWriter, r *http.Request, m Mode) bool {
	switch m {
	case HTTP500:
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
	case Garbage:
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>Warning: mysql_connect(): Too many connections in /var/www/<b>"))
	case Hang:
		<-r.Context().Done()
	case Reset:
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return true
			}
		}
		http.Error(w, "", http.StatusBadGateway)
	default:
		return false
	}
	return true
}

// Handler serves the rules over HTTP for standalone sandboxes and benchmarks:
// GET lists them, PUT/POST with {"service": {...rule}} sets them, DELETE
// clears them.
func (in *Injector) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
		case http.MethodPut, http.MethodPost:
			var set map[string]Rule
			if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&set); err != nil {
				http.Error(w, "body must be a JSON object of service name to rule: "+err.Error(), http.StatusBadRequest)
				return
			}
			for s, rule := range set {
				in.Set(s, rule)
			}
		case http.MethodDelete:
			in.Reset()
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(in.Rules())
	})
}

// Counter counts calls per service, safe for concurrent use.
type Counter struct {
	mu sync.Mutex
	n  map[string]int
}

// Inc counts one call.
func (c *Counter) Inc(service string) {
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[service]++
	c.mu.Unlock()
}

// Get returns the count of one service.
func (c *Counter) Get(service string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[service]
}

// Snapshot returns a copy of all counts.
func (c *Counter) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.n))
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

// Reset zeroes all counts.
func (c *Counter) Reset() {
	c.mu.Lock()
	c.n = nil
	c.mu.Unlock()
}
