package memo

import (
	"sync"
	"testing"
)

// Ensure a value is built once per key while under the bound, then on
// every call past it, and that concurrent callers agree.
func TestBounded(t *testing.T) {
	b := Bounded[int, string]{Max: 2}
	builds := map[int]int{}
	var mu sync.Mutex
	build := func(k int) string {
		mu.Lock()
		builds[k]++
		mu.Unlock()
		return string(rune('a' + k))
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 3 {
				if got := b.Get(k, build); got != string(rune('a'+k)) {
					t.Errorf("Get(%d) = %q", k, got)
				}
			}
		}()
	}
	wg.Wait()
	if b.Len() != 2 {
		t.Fatalf("kept %d values, bound 2", b.Len())
	}
	before := builds[2]
	b.Get(2, build)
	if builds[2] != before+1 {
		t.Fatal("a key past the bound was not built again")
	}
	before = builds[0]
	b.Get(0, build)
	if builds[0] != before {
		t.Fatal("a kept key was built again")
	}
}
