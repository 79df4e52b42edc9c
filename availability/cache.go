// Package availability is the process-wide cache of live seat counts: one
// ws_det_spectacle per show and TTL for every request, invalidated when a
// sale is notified. The per-request loaders, the live hub and the response
// cache (through Generation) share it.
package availability

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graph-gophers/dataloader/v7"
	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/internal/livewindow"
	"golang.org/x/sync/singleflight"
)

// Source is what live availability needs of the ticketing system.
type Source interface {
	// SeatsLeft is ws_det_representation: one performance.
	SeatsLeft(ctx context.Context, performanceID string) (int, error)
	// ShowSeats is ws_det_spectacle: every future performance of a show.
	ShowSeats(ctx context.Context, showID string) (map[string]int, error)
}

// DefaultTTL is how long a seat count is served without asking again.
const DefaultTTL = 30 * time.Second

// Cache is the process-wide cache in front of live availability. Unlike
// the per-request loaders it is shared by every request: a seat count is
// public, and a season opening must not turn every page view into
// ws_det_* calls. Within one TTL a performance costs at most one upstream
// call whatever the traffic; concurrent misses for the same key share one
// call (singleflight). A performance of a known show is always answered
// from its show's ws_det_spectacle (one call, whatever the number of its
// performances asked): the one list of what is on sale, so the same
// performance gets the same answer alone or in a batch. A past performance
// asked alone used to go through ws_det_representation, which may still
// count seats for it, while in a batch it was left out as not on sale.
// ws_det_representation is for performances of no known show.
type Cache struct {
	src    Source
	showOf func(performanceID string) string // catalogue lookup; "" unknown
	ttl    time.Duration
	now    func() time.Time

	mu      sync.Mutex
	entries map[string]seatEntry
	shows   map[string]time.Time // when each show's ws_det_spectacle answered
	flight  singleflight.Group
	// dropped records when a count was invalidated (a sale was notified):
	// a read that started before must not store its older count.
	dropped map[string]time.Time
	// generation changes with every invalidation: answers reused for their
	// live window (respcache) are only reused within one generation.
	generation atomic.Uint64

	// Observe, when set, is told every count read from the ticketing
	// system (notOnSale: it does not sell the performance).
	Observe func(id string, n int, notOnSale bool)
}

type seatEntry struct {
	n        int
	notFound bool // the ticketing system does not sell it (cached too)
	at       time.Time
}

// New builds the cache. ttl <= 0 disables sharing: every batch asks
// upstream (still batched and de-duplicated within the request).
func New(src Source, showOf func(string) string, ttl time.Duration) *Cache {
	if showOf == nil {
		showOf = func(string) string { return "" }
	}
	return &Cache{src: src, showOf: showOf, ttl: ttl, now: time.Now, entries: map[string]seatEntry{}, dropped: map[string]time.Time{}, shows: map[string]time.Time{}}
}

var errSeatNotFound = errs.E(errs.Op("availability"), errs.NotFound, errs.Msg("performance not on sale"))

func (s *Cache) fresh(id string, now time.Time) (seatEntry, bool) {
	if s.ttl <= 0 {
		return seatEntry{}, false
	}
	s.mu.Lock()
	e, ok := s.entries[id]
	s.mu.Unlock()
	return e, ok && now.Sub(e.at) < s.ttl
}

// showFresh reports whether show's ws_det_spectacle answered within the
// TTL (its performances missing from the cache are then not on sale).
func (s *Cache) showFresh(show string, now time.Time) (time.Time, bool) {
	if s.ttl <= 0 || show == "" {
		return time.Time{}, false
	}
	s.mu.Lock()
	at, ok := s.shows[show]
	s.mu.Unlock()
	return at, ok && now.Sub(at) < s.ttl
}

// serve is the result of one entry, telling the request's live window
// (livewindow) until when everyone gets that value.
func (s *Cache) serve(w *livewindow.Window, e seatEntry) *dataloader.Result[int] {
	if s.ttl <= 0 {
		w.Deny()
	} else {
		w.Until(e.at.Add(s.ttl))
	}
	return result(e)
}

func (s *Cache) store(at time.Time, m map[string]seatEntry) {
	if obs := s.Observe; obs != nil {
		defer func() {
			for k, e := range m {
				obs(k, e.n, e.notFound)
			}
		}()
	}
	if s.ttl <= 0 || len(m) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.entries) > 4096 { // sweep the expired now and then; the catalogue bounds the keys
		for k, e := range s.entries {
			if at.Sub(e.at) >= s.ttl {
				delete(s.entries, k)
			}
		}
		for k, t := range s.shows {
			if at.Sub(t) >= s.ttl {
				delete(s.shows, k)
			}
		}
	}
	for k, e := range m {
		if d, ok := s.dropped[k]; ok {
			if at.Before(d) {
				continue // read before the sale that invalidated it
			}
			delete(s.dropped, k)
		}
		e.at = at
		s.entries[k] = e
	}
}

// showKey keys a show's invalidation in dropped, apart from performance ids.
func showKey(show string) string { return "show:" + show }

// markShow records when show's ws_det_spectacle answered, unless a sale of
// one of its performances was notified since the call started.
func (s *Cache) markShow(show string, at time.Time) {
	if s.ttl <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.dropped[showKey(show)]; ok {
		if at.Before(d) {
			return
		}
		delete(s.dropped, showKey(show))
	}
	s.shows[show] = at
}

// Invalidate drops the cached counts of these performances (a sale was
// notified), so the next read asks the ticketing system; a read already
// in flight is not shared with later callers.
func (s *Cache) Invalidate(ids ...string) {
	now := s.now()
	s.mu.Lock()
	if len(s.dropped) > 4096 {
		for k, d := range s.dropped {
			if now.Sub(d) >= s.ttl {
				delete(s.dropped, k)
			}
		}
	}
	for _, id := range ids {
		delete(s.entries, id)
		s.dropped[id] = now
		// Its show's answer no longer speaks for it: a performance missing
		// from the cache must not be taken for one the show left out.
		if show := s.showOf(id); show != "" {
			delete(s.shows, show)
			s.dropped[showKey(show)] = now
		}
	}
	s.mu.Unlock()
	s.generation.Add(1)
	for _, id := range ids {
		s.flight.Forget("perf:" + id)
		if show := s.showOf(id); show != "" {
			s.flight.Forget("show:" + show)
		}
	}
}

// Generation changes whenever counts are dropped before their TTL.
func (s *Cache) Generation() uint64 { return s.generation.Load() }

// Count reads one performance's count through the cache (errs.NotFound
// when it is not on sale).
func (s *Cache) Count(ctx context.Context, id string) (int, error) {
	r := s.Load(ctx, []string{id}, 1)[0]
	if r.Error != nil {
		var skip *dataloader.SkipCacheError
		if errors.As(r.Error, &skip) {
			return 0, skip.Unwrap()
		}
	}
	return r.Data, r.Error
}

// Load answers a batch of performance ids, from the cache where fresh.
func (s *Cache) Load(ctx context.Context, ids []string, parallel int) []*dataloader.Result[int] {
	now := s.now()
	w := livewindow.From(ctx)
	out := make([]*dataloader.Result[int], len(ids))
	byShow := map[string][]int{}
	var order []string
	for i, id := range ids {
		if e, ok := s.fresh(id, now); ok {
			out[i] = s.serve(w, e)
			continue
		}
		show := s.showOf(id)
		if at, ok := s.showFresh(show, now); ok {
			// Its show's fresh answer leaves it out: not on sale.
			out[i] = s.serve(w, seatEntry{notFound: true, at: at})
			continue
		}
		if _, seen := byShow[show]; !seen {
			order = append(order, show)
		}
		byShow[show] = append(byShow[show], i)
	}
	if len(order) == 0 {
		return out
	}
	// Groups run with bounded parallelism on a context that one caller
	// giving up does not cancel for its siblings.
	ctx = context.WithoutCancel(ctx)
	if parallel < 1 {
		parallel = 1
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, show := range order {
		idx := byShow[show]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s.loadGroup(ctx, w, show, ids, idx, out)
		}()
	}
	wg.Wait()
	return out
}

// showAnswer is one ws_det_spectacle answer as cached: its time and
// entries (the asked performances it leaves out marked not on sale).
type showAnswer struct {
	at  time.Time
	got map[string]seatEntry
}

func (s *Cache) loadGroup(ctx context.Context, w *livewindow.Window, show string, ids []string, idx []int, out []*dataloader.Result[int]) {
	if show != "" {
		v, err, _ := s.flight.Do("show:"+show, func() (any, error) {
			at := s.now()
			m, err := s.src.ShowSeats(ctx, show)
			if err != nil {
				return nil, err
			}
			got := make(map[string]seatEntry, len(m))
			for id, n := range m {
				got[id] = seatEntry{n: n, at: at}
			}
			// ws_det_spectacle lists every performance on sale: one it
			// leaves out (past, or off web sale) is not on sale, whatever
			// ws_det_representation would say of it alone.
			for _, i := range idx {
				if _, ok := m[ids[i]]; !ok {
					got[ids[i]] = seatEntry{notFound: true, at: at}
				}
			}
			s.store(at, got)
			s.markShow(show, at)
			return showAnswer{at, got}, nil
		})
		if err == nil {
			a := v.(showAnswer)
			for _, i := range idx {
				e, ok := a.got[ids[i]]
				if !ok {
					// The call was made for a concurrent request's
					// performances; the show's answer leaves this one out.
					e = seatEntry{notFound: true, at: a.at}
				}
				out[i] = s.serve(w, e)
			}
		} else if errs.KindOf(err) == errs.NotFound {
			// No such show on sale: none of its performances is.
			at := s.now()
			got := make(map[string]seatEntry, len(idx))
			for _, i := range idx {
				got[ids[i]] = seatEntry{notFound: true, at: at}
				out[i] = s.serve(w, got[ids[i]])
			}
			s.store(at, got)
			s.markShow(show, at)
			return
		} else {
			for _, i := range idx {
				out[i] = &dataloader.Result[int]{Error: skipCache(err)}
			}
			return
		}
		return
	}
	// A performance of no known show: ws_det_representation.
	for _, i := range idx {
		id := ids[i]
		v, err, _ := s.flight.Do("perf:"+id, func() (any, error) {
			at := s.now()
			n, err := s.src.SeatsLeft(ctx, id)
			switch {
			case err == nil:
				s.store(at, map[string]seatEntry{id: {n: n}})
			case errs.KindOf(err) == errs.NotFound:
				s.store(at, map[string]seatEntry{id: {notFound: true}})
				return seatEntry{notFound: true, at: at}, nil
			default:
				return nil, err
			}
			return seatEntry{n: n, at: at}, nil
		})
		if err != nil {
			out[i] = &dataloader.Result[int]{Error: skipCache(err)}
			continue
		}
		out[i] = s.serve(w, v.(seatEntry))
	}
}

func result(e seatEntry) *dataloader.Result[int] {
	if e.notFound {
		return &dataloader.Result[int]{Error: errSeatNotFound}
	}
	return &dataloader.Result[int]{Data: e.n}
}

// transient errors (unavailable, timeout) are never cached.
func transient(err error) bool {
	switch errs.KindOf(err) {
	case errs.Unavailable, errs.Timeout:
		return true
	}
	return false
}

func skipCache(err error) error {
	if transient(err) {
		return dataloader.NewSkipCacheError(err)
	}
	return err
}
