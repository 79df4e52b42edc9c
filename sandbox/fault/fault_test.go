package fault

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRulesPerServiceAndRate(t *testing.T) {
	var in Injector
	r := httptest.NewRequest(http.MethodPost, "/ws_x", nil)
	if m := in.Decide(r, "ws_x"); m != None {
		t.Fatalf("zero injector: %q", m)
	}
	in.Set("*", Rule{Mode: HTTP500})
	in.Set("ws_x", Rule{Mode: Garbage})
	if a, b := in.Decide(r, "ws_x"), in.Decide(r, "ws_y"); a != Garbage || b != HTTP500 {
		t.Fatalf("service rule over *: %q %q", a, b)
	}
	// Rate: the share of calls hit; 2,000 draws at 0.3 stay far from 0 and all.
	in.Set("ws_x", Rule{Mode: VendorErr, Rate: 0.3})
	hits := 0
	for i := 0; i < 2000; i++ {
		if in.Decide(r, "ws_x") == VendorErr {
			hits++
		}
	}
	if hits < 400 || hits > 800 {
		t.Fatalf("rate 0.3: %d of 2000", hits)
	}
	in.Reset()
	if m := in.Decide(r, "ws_y"); m != None || len(in.Rules()) != 0 {
		t.Fatalf("after Reset: %q %v", m, in.Rules())
	}
}

// Latency ends early, as a hang, when the caller gives up.
func TestLatencyHonoursCancel(t *testing.T) {
	var in Injector
	in.Set("ws_x", Rule{Latency: time.Hour, Mode: HTTP500})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest(http.MethodPost, "/ws_x", nil).WithContext(ctx)
	if m := in.Decide(r, "ws_x"); m != Hang {
		t.Fatalf("cancelled during latency: %q", m)
	}
}

func TestApplyModes(t *testing.T) {
	for _, tc := range []struct {
		m      Mode
		wrote  bool
		status int
		body   string
	}{{HTTP500, true, 500, "Internal Server Error"}, {Garbage, true, 200, "<html>"}, {VendorErr, false, 200, ""}, {AuthError, false, 200, ""}, {None, false, 200, ""}} {
		w := httptest.NewRecorder()
		if got := Apply(w, httptest.NewRequest(http.MethodGet, "/", nil), tc.m); got != tc.wrote || w.Code != tc.status || !strings.Contains(w.Body.String(), tc.body) {
			t.Errorf("%q: wrote %v, %d %q", tc.m, got, w.Code, w.Body.String())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	if !Apply(w, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx), Hang) || w.Body.Len() != 0 {
		t.Fatal("hang until the caller leaves")
	}
}

// The rules switch at run time over HTTP.
func TestHandler(t *testing.T) {
	var in Injector
	h := in.Handler()
	do := func(method, body string) (int, map[string]Rule) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, "/_sandbox/faults", strings.NewReader(body)))
		var out map[string]Rule
		json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code, out
	}
	if code, rules := do(http.MethodPut, `{"ws_programmation":{"mode":"hang"},"*":{"latency":2000000,"mode":"http500","rate":0.5}}`); code != 200 ||
		rules["ws_programmation"].Mode != Hang || rules["*"].Latency != 2*time.Millisecond || rules["*"].Rate != 0.5 {
		t.Fatalf("PUT: %d %v", code, rules)
	}
	if _, rules := do(http.MethodGet, ""); len(rules) != 2 {
		t.Fatalf("GET: %v", rules)
	}
	if code, _ := do(http.MethodPut, `[1]`); code != http.StatusBadRequest {
		t.Fatalf("bad body: %d", code)
	}
	if code, rules := do(http.MethodDelete, ""); code != 200 || len(rules) != 0 {
		t.Fatalf("DELETE: %d %v", code, rules)
	}
	if code, _ := do(http.MethodPatch, ""); code != http.StatusMethodNotAllowed {
		t.Fatalf("PATCH: %d", code)
	}
}

func TestCounter(t *testing.T) {
	var c Counter
	c.Inc("a")
	c.Inc("a")
	c.Inc("b")
	if c.Get("a") != 2 || c.Snapshot()["b"] != 1 {
		t.Fatalf("%v", c.Snapshot())
	}
	c.Reset()
	if c.Get("a") != 0 {
		t.Fatal("reset")
	}
}
