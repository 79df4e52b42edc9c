package app

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	"github.com/guichet/guichet/sandbox/fixture"
)

// The subscriber queries end to end with the AboWeb sandbox in vendor-quirks
// mode (GUICHET_SANDBOX_QUIRKS): noteEtat as a word, empty and padded
// numbers, digit booleans, decimal commas, dates without offset and unknown
// elements in every record. Everything is served; the one unreadable field
// (noteNpai labels) is counted in /metrics and logged once, without values.
func TestAPISubscribersWithAbowebQuirks(t *testing.T) {
	e, logs := bootLogged(t, map[string]string{"GUICHET_SANDBOX_QUIRKS": "true"})
	bo := e.bo()

	var one struct {
		Subscriber struct {
			Code       int
			Email      string
			Type       string
			DoNotShare bool
			NoEmailing bool
			CreatedAt  *string
			ModifiedAt *string
		}
	}
	e.ok(e.do(bo, `query($c: Int!) { subscriber(code: $c) { code email type doNotShare noEmailing createdAt modifiedAt } }`,
		map[string]any{"c": abosandbox.DemoCode}, &one))
	s := one.Subscriber
	if s.Code != abosandbox.DemoCode || s.Email != fixture.DemoEmail || s.Type != "NORMAL" || !s.DoNotShare || !s.NoEmailing ||
		s.CreatedAt == nil || s.ModifiedAt == nil {
		t.Fatalf("demo subscriber %+v", s)
	}

	var byEmail struct {
		SubscriberByEmail struct{ Code int }
		Entities          []struct{ Code int } `json:"_entities"`
	}
	e.ok(e.do(bo, `query($e: String!, $r: [_Any!]!) { subscriberByEmail(email: $e) { code }
		_entities(representations: $r) { ... on Subscriber { code } } }`,
		map[string]any{"e": fixture.DemoEmail, "r": []any{map[string]any{"__typename": "Subscriber", "code": abosandbox.DemoCode}}}, &byEmail))
	if byEmail.SubscriberByEmail.Code != abosandbox.DemoCode || len(byEmail.Entities) != 1 || byEmail.Entities[0].Code != abosandbox.DemoCode {
		t.Fatalf("by email and entity: %+v", byEmail)
	}

	// Every page of the base.
	type page struct {
		Subscribers struct {
			Items []struct {
				Code          int
				Type          string
				Undeliverable bool
				DiscountRate  *float64
			}
			NextOffset *int
			TotalCount int
		}
	}
	seen, undeliverable, discounted := map[int]bool{}, 0, 0
	for off := 0; ; {
		var p page
		e.ok(e.do(bo, `query($o: Int) { subscribers(offset: $o) { items { code type undeliverable discountRate } nextOffset totalCount } }`,
			map[string]any{"o": off}, &p))
		if p.Subscribers.TotalCount != fixture.Subscribers {
			t.Fatalf("totalCount %d", p.Subscribers.TotalCount)
		}
		for _, it := range p.Subscribers.Items {
			if seen[it.Code] || it.Type == "" || it.Type == "OTHER" {
				t.Fatalf("item %+v (seen %t)", it, seen[it.Code])
			}
			seen[it.Code] = true
			if it.Undeliverable {
				undeliverable++
			}
			if it.DiscountRate != nil && *it.DiscountRate == 10 {
				discounted++
			}
		}
		if p.Subscribers.NextOffset == nil {
			break
		}
		off = *p.Subscribers.NextOffset
	}
	if len(seen) != fixture.Subscribers || undeliverable == 0 || discounted == 0 {
		t.Fatalf("paged %d subscribers, %d undeliverable, %d with 10%% discount", len(seen), undeliverable, discounted)
	}

	// Payers of PAID_BY subscribers, and the beneficiaries of each payer.
	var paid struct {
		Subscribers struct {
			Items []struct {
				Code  int
				Payer *struct {
					Code int
					Type string
				}
			}
		}
	}
	e.ok(e.do(bo, `{ subscribers(filter: {type: PAID_BY}) { items { code payer { code type } } } }`, nil, &paid))
	items := paid.Subscribers.Items
	if len(items) == 0 {
		t.Fatal("no PAID_BY subscriber")
	}
	paidBy := map[int][]int{}
	for _, it := range items {
		if it.Payer == nil || it.Payer.Type != "THIRD_PARTY" {
			t.Fatalf("subscriber %d: payer %+v", it.Code, it.Payer)
		}
		paidBy[it.Payer.Code] = append(paidBy[it.Payer.Code], it.Code)
	}
	for payer, codes := range paidBy {
		var b struct {
			Subscriber struct {
				Beneficiaries struct {
					TotalCount int
					Items      []struct{ Code int }
				}
			}
		}
		e.ok(e.do(bo, `query($c: Int!) { subscriber(code: $c) { beneficiaries { totalCount items { code } } } }`, map[string]any{"c": payer}, &b))
		got := map[int]bool{}
		for _, it := range b.Subscriber.Beneficiaries.Items {
			got[it.Code] = true
		}
		for _, c := range codes {
			if !got[c] && b.Subscriber.Beneficiaries.TotalCount <= 50 {
				t.Fatalf("subscriber %d not among the beneficiaries of %d (%d)", c, payer, b.Subscriber.Beneficiaries.TotalCount)
			}
		}
		if b.Subscriber.Beneficiaries.TotalCount < len(codes) {
			t.Fatalf("payer %d: %d beneficiaries, %d seen paying", payer, b.Subscriber.Beneficiaries.TotalCount, len(codes))
		}
	}

	// The unreadable noteNpai labels were counted, per record, and logged once.
	_, metrics := get(t, e.srv.URL+"/metrics", nil)
	m := regexp.MustCompile(`guichet_upstream_lenient_fields_total\{backend="aboweb",field="noteNpai"\} (\d+)`).FindStringSubmatch(metrics)
	if m == nil {
		t.Fatalf("no lenient count in /metrics:\n%s", grepLines(metrics, "lenient"))
	}
	if n, _ := strconv.Atoi(m[1]); n < undeliverable {
		t.Fatalf("noteNpai counted %d times for %d flagged subscribers read", n, undeliverable)
	}
	if strings.Contains(metrics, `field="noteEtat"`) || strings.Contains(metrics, `field="nbNpai"`) {
		t.Fatalf("readable quirks counted:\n%s", grepLines(metrics, "lenient"))
	}
	if n := strings.Count(logs.String(), "AboWeb sent a client field"); n != 1 {
		t.Fatalf("lenient field logged %d times:\n%s", n, grepLines(logs.String(), "client field"))
	}
	if strings.Contains(logs.String(), "Niveau 1") {
		t.Fatal("a field value reached the log")
	}
}
