package respcache

import (
	"container/list"
	"sync"
	"time"
)

// entryOverhead approximates what an entry costs beyond its bytes (list
// element, map slot, key, headers), so many tiny answers cannot exceed the
// budget by much.
const entryOverhead = 160

type entry struct {
	key         [32]byte
	version     string // snapshot version the answer was computed on
	body        []byte
	contentType string
	expires     time.Time // zero: until the snapshot changes (live window answers: when it closes)
	generation  uint64    // live values' generation of a live window answer
}

func (e *entry) size() int64 { return int64(len(e.body)+len(e.contentType)) + entryOverhead }

// lru is a byte-bounded least-recently-used map of responses.
type lru struct {
	mu        sync.Mutex
	max       int64
	used      int64
	ll        *list.List // front: most recent
	items     map[[32]byte]*list.Element
	evictions uint64
	version   string // the snapshot version being served; entries of others are refused
}

func newLRU(max int64) *lru {
	return &lru{max: max, ll: list.New(), items: map[[32]byte]*list.Element{}}
}

func (c *lru) get(k [32]byte) (*entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(el)
	return el.Value.(*entry), true
}

// add stores e unless it alone would take more than a quarter of the
// budget: one huge answer must not flush every listing.
func (c *lru) add(e *entry) bool {
	sz := e.size()
	if sz > c.max/4 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.version != c.version {
		// Computed on a snapshot that is no longer served (a new one came
		// in while it ran): never reachable, so never stored.
		return false
	}
	if el, ok := c.items[e.key]; ok {
		c.used -= el.Value.(*entry).size()
		el.Value = e
		c.ll.MoveToFront(el)
	} else {
		c.items[e.key] = c.ll.PushFront(e)
	}
	c.used += sz
	for c.used > c.max {
		el := c.ll.Back()
		old := el.Value.(*entry)
		c.ll.Remove(el)
		delete(c.items, old.key)
		c.used -= old.size()
		c.evictions++
	}
	return true
}

// useVersion records the snapshot version being served; a new one drops
// every entry (their keys carry the old version: unreachable anyway, and
// the memory is better given back at once). Under the same lock as add, so
// an answer of the old version cannot slip in after the purge.
func (c *lru) useVersion(v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v != c.version {
		c.version = v
		c.purgeLocked()
	}
}

// purge drops everything.
func (c *lru) purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.purgeLocked()
}

func (c *lru) purgeLocked() {
	c.ll.Init()
	c.items = map[[32]byte]*list.Element{}
	c.used = 0
}

func (c *lru) stats() (entries int, bytes int64, evictions uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.used, c.evictions
}
