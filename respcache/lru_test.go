package respcache

import (
	"bytes"
	"testing"
)

// Ensure the LRU keeps within its byte budget, evicts the least recently
// used first, and refuses one answer that would take over a quarter of it.
func TestLRUBytes(t *testing.T) {
	c := newLRU(4 * (1000 + entryOverhead))
	e := func(b byte, n int) *entry { return &entry{key: [32]byte{b}, body: bytes.Repeat([]byte{b}, n)} }
	for b := byte(1); b <= 4; b++ {
		if !c.add(e(b, 1000)) {
			t.Fatalf("entry %d refused", b)
		}
	}
	c.get([32]byte{1}) // 1 becomes the most recent: 2 goes first
	c.add(e(5, 1000))
	if _, ok := c.get([32]byte{2}); ok {
		t.Fatal("least recently used entry kept")
	}
	for _, b := range []byte{1, 3, 4, 5} {
		if got, ok := c.get([32]byte{b}); !ok || got.body[0] != b {
			t.Fatalf("entry %d lost", b)
		}
	}
	n, used, ev := c.stats()
	if n != 4 || used != 4*(1000+entryOverhead) || ev != 1 {
		t.Fatalf("stats %d %d %d", n, used, ev)
	}
	if c.add(e(6, 1100)) {
		t.Fatal("entry over a quarter of the budget stored")
	}
	c.add(e(3, 10)) // replacing an entry accounts for its new size
	if _, used, _ := c.stats(); used != 3*(1000+entryOverhead)+10+entryOverhead {
		t.Fatalf("used %d after replace", used)
	}
	c.purge()
	if n, used, _ := c.stats(); n != 0 || used != 0 {
		t.Fatalf("after purge %d %d", n, used)
	}
}

// Ensure an answer of a snapshot no longer served is refused even when it
// arrives after the purge (the store and the purge share one lock).
func TestLRURefusesOtherVersions(t *testing.T) {
	c := newLRU(1 << 20)
	c.useVersion("v1")
	if !c.add(&entry{key: [32]byte{1}, version: "v1", body: []byte("a")}) {
		t.Fatal("current version refused")
	}
	c.useVersion("v2")
	if c.add(&entry{key: [32]byte{2}, version: "v1", body: []byte("b")}) {
		t.Fatal("an answer of v1 stored while v2 is served")
	}
	if n, _, _ := c.stats(); n != 0 {
		t.Fatalf("%d entries after the version changed", n)
	}
	c.useVersion("v2") // same version: nothing dropped
	c.add(&entry{key: [32]byte{3}, version: "v2", body: []byte("c")})
	c.useVersion("v2")
	if n, _, _ := c.stats(); n != 1 {
		t.Fatalf("%d entries, want 1", n)
	}
}

// Ensure the errors check of a fresh answer, fast path and parse alike:
// only a non-null data without a top-level errors member is storable.
func TestNoErrors(t *testing.T) {
	for body, want := range map[string]bool{
		`{"data":{"shows":[]}}`:                       true,
		`{"data":{"title":"\"errors\" in a title"}}`:  true,
		`{"errors":[{"message":"x"}],"data":{"a":1}}`: false,
		`{"errors":[{"message":"x"}],"data":null}`:    false,
		`{"data":null}`:                               false,
		`{"data":{"a":1},"errors":[{"message":"x"}]}`: false,
		`{"data":{"a":1},"errors":null}`:              true,
		`{"data":`:                                    false,
		`{"extensions":{},"data":{"a":1}}`:            true,
		`not json`:                                    false,
	} {
		if got := noErrors([]byte(body)); got != want {
			t.Errorf("%s: %t, want %t", body, got, want)
		}
	}
}
