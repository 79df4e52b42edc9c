package catalogue

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/guichet/guichet/errs"
)

// SyncOptions tune a Syncer; zero fields take the defaults.
type SyncOptions struct {
	Interval     time.Duration    // between incremental pulls; GUICHET_SYNC_INTERVAL, default 15m
	PollInterval time.Duration    // loop tick: lease renewal, followers' version check, retries; default 1s
	Now          func() time.Time // clock for sync dates and versions; default time.Now
	Logger       *slog.Logger     // default slog.Default()
}

// DefaultSyncInterval is the pull interval when GUICHET_SYNC_INTERVAL is unset.
// The vendor asks for ws_programmation "une seule fois au début de chaque
// saison"; the incremental filtre=1&date_modif pulls are its own filter, so
// they are kept, but at a gentle pace.
const DefaultSyncInterval = 15 * time.Minute

// Coordinator is what a shared Persister (Redis) adds so that replicas
// agree on one syncer. The Syncer uses it when its Persister implements it.
type Coordinator interface {
	// Hold acquires or renews the sync lease; true while this replica holds it.
	Hold(ctx context.Context) (bool, error)
	// Release gives the lease up, if held.
	Release(ctx context.Context) error
	// State reads the shared sync state (cheap: followers poll it).
	State(ctx context.Context) (SyncState, error)
	// RequestFull asks the lease holder for a full load.
	RequestFull(ctx context.Context) error
	// TakeFullRequest reports and clears a pending full-load request.
	TakeFullRequest(ctx context.Context) (bool, error)
}

// Counts are the sizes of a snapshot.
type Counts struct {
	Shows, Performances, Venues, Grids, Passes, Articles int
}

// Totals counts every collection of the snapshot.
func (s *Snapshot) Totals() Counts {
	return Counts{Shows: len(s.shows), Performances: len(s.perfByID), Venues: len(s.venues),
		Grids: len(s.grids), Passes: len(s.passes), Articles: len(s.articles)}
}

// SyncStatus is what the back-office catalogueStatus query shows.
type SyncStatus struct {
	Ready       bool      // a snapshot is being served
	Shared      bool      // replicas share the snapshot (Redis)
	Leader      bool      // this replica is the one calling the ticketing system
	Version     string    // version being served
	LoadedAt    time.Time // when the served snapshot was built
	LastSync    time.Time // last successful pull or full load (shared state with Redis)
	LastFull    time.Time
	LastAttempt time.Time
	LastError   string // safe summary of the last failure; "" after a success
	LastErrorAt time.Time
	Counts      Counts
	FullLoads   int64 // upstream full loads done by this process
	Pulls       int64 // upstream incremental pulls done by this process
	Failures    int64 // failed upstream calls or saves in this process
}

// Syncer keeps a Store's snapshot in step with the ticketing system the way
// its spec asks: one full load, then incremental pulls merged by id, saved
// after each change so a restart needs no upstream call.
type Syncer struct {
	store   *Store
	src     Source
	persist Persister
	coord   Coordinator
	opts    SyncOptions
	log     *slog.Logger

	mu sync.Mutex // one upstream sync at a time

	stMu   sync.Mutex
	state  SyncState
	leader bool

	fullLoads, pulls, failures atomic.Int64
	running                    atomic.Bool

	warnMu   sync.Mutex
	lastWarn map[string]time.Time

	runMu  sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// NewSyncer builds a syncer; persist may be nil (nothing saved). When
// persist also implements Coordinator, replicas share it and only the lease
// holder calls src.
func NewSyncer(store *Store, src Source, persist Persister, opts SyncOptions) *Syncer {
	if opts.Interval <= 0 {
		opts.Interval = DefaultSyncInterval
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.PollInterval > opts.Interval {
		opts.PollInterval = opts.Interval
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Syncer{store: store, src: src, persist: persist, opts: opts, log: opts.Logger.With("component", "catalogue")}
	s.coord, _ = persist.(Coordinator)
	s.leader = s.coord == nil
	return s
}

// Ready reports whether a snapshot is being served.
func (s *Syncer) Ready() bool { return s.store.Current() != nil }

// Status reports the sync state for the back office.
func (s *Syncer) Status() SyncStatus {
	s.stMu.Lock()
	st, leader := s.state, s.leader
	s.stMu.Unlock()
	out := SyncStatus{Shared: s.coord != nil, Leader: leader, LastSync: st.LastSync, LastFull: st.LastFull,
		LastAttempt: st.LastAttempt, LastError: st.LastError, LastErrorAt: st.LastErrorAt,
		FullLoads: s.fullLoads.Load(), Pulls: s.pulls.Load(), Failures: s.failures.Load()}
	if cur := s.store.Current(); cur != nil {
		out.Ready, out.Version, out.LoadedAt, out.Counts = true, cur.Version, cur.LoadedAt, cur.Totals()
	}
	return out
}

// Load installs the saved snapshot, if any, without any upstream call, and
// reports whether one was found. A damaged or foreign-format save is
// logged and treated as absent.
func (s *Syncer) Load(ctx context.Context) (bool, error) {
	if s.persist == nil {
		return false, nil
	}
	t0 := time.Now()
	snap, st, err := s.persist.Load(ctx)
	if err != nil {
		if errors.Is(err, ErrNoSnapshot) {
			if err != ErrNoSnapshot {
				s.log.Warn("saved catalogue unusable, a full load will replace it", "error", err)
			}
			return false, nil
		}
		return false, err
	}
	s.install(snap, st)
	shows, perfs, _ := snap.Counts()
	s.log.Info("catalogue loaded from saved snapshot", "version", snap.Version, "shows", shows,
		"performances", perfs, "last_sync", st.LastSync, "took", time.Since(t0))
	return true, nil
}

func (s *Syncer) install(snap *Snapshot, st SyncState) {
	s.stMu.Lock()
	s.state = st
	s.stMu.Unlock()
	s.store.Swap(snap)
}

// Start loads the saved snapshot (ready at once, no upstream call) and runs
// the sync loop until ctx ends or Stop: a full load when there is no
// snapshot (retried with backoff; not ready meanwhile), then an incremental
// pull every Interval. With a Coordinator only the lease holder calls the
// ticketing system; the others reload when the shared version changes.
func (s *Syncer) Start(ctx context.Context) error {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.done != nil {
		return errors.New("catalogue: syncer already started")
	}
	if _, err := s.Load(ctx); err != nil {
		s.log.Warn("saved catalogue not loaded", "error", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	s.cancel, s.done = cancel, make(chan struct{})
	s.running.Store(true)
	go s.run(ctx, s.done)
	return nil
}

// Stop ends the loop, waits for it and releases the lease.
func (s *Syncer) Stop() {
	s.runMu.Lock()
	cancel, done := s.cancel, s.done
	s.runMu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

func (s *Syncer) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	defer s.running.Store(false)
	defer func() {
		if s.coord != nil {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			if err := s.coord.Release(rctx); err != nil {
				s.log.Warn("catalogue lease not released", "error", err)
			}
			s.setLeader(false)
		}
	}()
	var nextPull, nextFull time.Time // real time, for scheduling only
	nextPull = s.pullDue()
	backoff := s.opts.PollInterval
	t := time.NewTicker(s.opts.PollInterval)
	defer t.Stop()
	for {
		s.step(ctx, &nextPull, &nextFull, &backoff)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// step is one turn of the loop.
func (s *Syncer) step(ctx context.Context, nextPull, nextFull *time.Time, backoff *time.Duration) {
	if s.coord != nil {
		held, err := s.coord.Hold(ctx)
		if err != nil && ctx.Err() == nil {
			s.warnEvery("lease", "catalogue lease unavailable", err)
		}
		was := s.setLeader(held)
		if !held {
			s.follow(ctx)
			return
		}
		if !was {
			s.log.Info("catalogue sync lease acquired: this replica syncs")
			s.follow(ctx) // catch up with the last leader's save first
			*nextPull = s.pullDue()
		}
	}
	now := time.Now()
	if !s.Ready() {
		if now.Before(*nextFull) {
			return
		}
		if err := s.Full(ctx); err != nil {
			*nextFull = now.Add(*backoff)
			*backoff = min(*backoff*2, s.opts.Interval)
			return
		}
		*backoff = s.opts.PollInterval
		*nextPull = now.Add(s.opts.Interval)
		return
	}
	if s.coord != nil {
		if asked, err := s.coord.TakeFullRequest(ctx); err == nil && asked {
			s.Full(ctx)
			*nextPull = now.Add(s.opts.Interval)
			return
		}
	}
	if !now.Before(*nextPull) {
		s.Pull(ctx)
		*nextPull = now.Add(s.opts.Interval)
	}
}

// pullDue schedules the next pull one Interval after the last successful
// sync, so a restart or a new leader neither pulls at once after a recent
// sync nor waits a whole Interval after an old one.
func (s *Syncer) pullDue() time.Time {
	st := s.currentState()
	if st.LastSync.IsZero() {
		return time.Now()
	}
	return time.Now().Add(s.opts.Interval - s.opts.Now().Sub(st.LastSync))
}

func (s *Syncer) setLeader(v bool) (was bool) {
	s.stMu.Lock()
	defer s.stMu.Unlock()
	was, s.leader = s.leader, v
	if was && !v && s.coord != nil {
		s.log.Info("catalogue sync lease lost or released")
	}
	return was
}

// warnEvery logs a failure that the loop meets at every tick (Redis down)
// at most once a minute per kind.
func (s *Syncer) warnEvery(kind, msg string, err error) {
	s.warnMu.Lock()
	defer s.warnMu.Unlock()
	if s.lastWarn == nil {
		s.lastWarn = map[string]time.Time{}
	}
	if t, ok := s.lastWarn[kind]; ok && time.Since(t) < time.Minute {
		return
	}
	s.lastWarn[kind] = time.Now()
	s.log.Warn(msg, "error", err)
}

func (s *Syncer) isLeader() bool {
	s.stMu.Lock()
	defer s.stMu.Unlock()
	return s.leader
}

// follow reloads the shared snapshot when its version changed, and mirrors
// the shared state for Status.
func (s *Syncer) follow(ctx context.Context) {
	st, err := s.coord.State(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.warnEvery("state", "shared catalogue state unreadable", err)
		}
		return
	}
	cur := s.store.Current()
	if st.Version == "" {
		return
	}
	if cur != nil && cur.Version == st.Version {
		s.stMu.Lock()
		s.state = st
		s.stMu.Unlock()
		return
	}
	if _, err := s.Load(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("shared catalogue not reloaded", "error", err)
	}
}

// Full replaces the catalogue with a full load (ws_programmation): the
// only way deletions reach Guichet. A replica that does not hold the lease
// asks the holder and waits for its full load to land. On failure the
// previous snapshot keeps serving.
func (s *Syncer) Full(ctx context.Context) error {
	done, ok := s.lead(ctx)
	if !ok {
		return s.fullByLeader(ctx)
	}
	defer done()
	s.mu.Lock()
	defer s.mu.Unlock()
	start := s.opts.Now()
	parts, err := s.src.Full(ctx)
	s.fullLoads.Add(1)
	if err == nil && len(parts.Shows) == 0 {
		if cur := s.store.Current(); cur != nil && len(cur.shows) > 0 {
			// An empty season from a system that served one is far likelier
			// a vendor glitch than a real wipe: keep serving, say so.
			err = errs.E(errs.Op("catalogue.full"), errs.Unavailable, errs.Msg("full load returned no show; previous catalogue kept"))
		}
	}
	if err != nil {
		s.fail(ctx, "full load", start, err)
		return err
	}
	st := s.currentState()
	st.LastSync, st.LastFull, st.LastAttempt, st.LastError, st.LastErrorAt = start, start, start, "", time.Time{}
	snap := New(s.nextVersion(start), start, parts)
	st.Version = snap.Version
	s.install(snap, st)
	c := snap.Totals()
	s.log.Info("catalogue full load", "version", snap.Version, "shows", c.Shows, "performances", c.Performances,
		"venues", c.Venues, "took", s.opts.Now().Sub(start))
	s.save(ctx, snap, st)
	return nil
}

// lead reports whether this replica may call the ticketing system, taking
// the lease when it is free (a `guichet sync` command runs no loop); done
// gives back a lease taken here that no loop will renew.
func (s *Syncer) lead(ctx context.Context) (done func(), ok bool) {
	if s.coord == nil || s.isLeader() {
		return func() {}, true
	}
	held, err := s.coord.Hold(ctx)
	if err != nil || !held {
		return nil, false
	}
	s.setLeader(true)
	if s.running.Load() {
		return func() {}, true
	}
	return func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		s.coord.Release(rctx)
		s.setLeader(false)
	}, true
}

func (s *Syncer) fullByLeader(ctx context.Context) error {
	before, err := s.coord.State(ctx)
	if err != nil {
		return errs.E(errs.Op("catalogue.full"), errs.Unavailable, errs.Msg("shared catalogue state unavailable"), err)
	}
	if err := s.coord.RequestFull(ctx); err != nil {
		return errs.E(errs.Op("catalogue.full"), errs.Unavailable, errs.Msg("full load request not delivered"), err)
	}
	t := time.NewTicker(s.opts.PollInterval / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return errs.E(errs.Op("catalogue.full"), errs.Timeout, errs.Msg("the syncing replica did not finish the full load in time"), ctx.Err())
		case <-t.C:
		}
		if s.isLeader() { // took the lease meanwhile: the loop will do it
			continue
		}
		st, err := s.coord.State(ctx)
		if err != nil {
			continue
		}
		if st.LastFull.After(before.LastFull) {
			s.follow(ctx)
			return nil
		}
		if st.LastErrorAt.After(before.LastErrorAt) && st.LastAttempt.After(before.LastAttempt) && st.LastError != "" {
			return errs.E(errs.Op("catalogue.full"), errs.Unavailable, errs.Msg("full load failed: "+st.LastError))
		}
	}
}

// Pull merges the changes since the last successful sync into the
// catalogue (a full load when there is nothing yet). Nothing changed: no
// new version. On failure the previous snapshot keeps serving.
func (s *Syncer) Pull(ctx context.Context) error {
	done, ok := s.lead(ctx)
	if !ok {
		return errs.E(errs.Op("catalogue.pull"), errs.Conflict, errs.Msg("another replica holds the catalogue sync lease"))
	}
	defer done()
	cur := s.store.Current()
	st := s.currentState()
	if cur == nil || st.LastSync.IsZero() {
		return s.Full(ctx)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, st = s.store.Current(), s.currentState() // a Full may have run meanwhile
	start := s.opts.Now()
	delta, err := s.src.Since(ctx, st.LastSync)
	s.pulls.Add(1)
	if err != nil {
		s.fail(ctx, "incremental pull", start, err)
		return err
	}
	changed := cur.Changes(delta)
	st.LastSync, st.LastAttempt, st.LastError, st.LastErrorAt = start, start, "", time.Time{}
	if changed == 0 {
		s.stMu.Lock()
		s.state = st
		s.stMu.Unlock()
		s.log.Debug("catalogue pull: nothing changed", "since", st.LastSync)
		if s.persist != nil {
			if err := s.persist.SaveState(ctx, st); err != nil {
				s.saveFailed(err)
			}
		}
		return nil
	}
	snap := cur.Merge(delta, s.nextVersion(start), start)
	st.Version = snap.Version
	s.install(snap, st)
	s.log.Info("catalogue pull merged", "version", snap.Version, "changed", changed, "shows_in_delta", len(delta.Shows))
	s.save(ctx, snap, st)
	return nil
}

func (s *Syncer) currentState() SyncState {
	s.stMu.Lock()
	defer s.stMu.Unlock()
	return s.state
}

func (s *Syncer) fail(ctx context.Context, what string, at time.Time, err error) {
	s.failures.Add(1)
	s.stMu.Lock()
	s.state.LastAttempt, s.state.LastError, s.state.LastErrorAt = at, what+": "+safeError(err), at
	st := s.state
	s.stMu.Unlock()
	s.log.Error("catalogue "+what+" failed; previous catalogue keeps serving", "error", err, "version", st.Version)
	if s.persist != nil && st.Version != "" {
		if serr := s.persist.SaveState(context.WithoutCancel(ctx), st); serr != nil {
			s.saveFailed(serr)
		}
	}
}

func (s *Syncer) save(ctx context.Context, snap *Snapshot, st SyncState) {
	if s.persist == nil {
		return
	}
	// A save cut short by shutdown would cost a full load at next start.
	if err := s.persist.Save(context.WithoutCancel(ctx), snap, st); err != nil {
		s.saveFailed(err)
	}
}

func (s *Syncer) saveFailed(err error) {
	s.failures.Add(1)
	s.log.Error("catalogue not saved; the served snapshot is unaffected", "error", err)
}

var versionSeq atomic.Uint64

// nextVersion names a new snapshot: time-based, with a sequence so two
// snapshots built within one clock tick (or a fake clock) still differ.
func (s *Syncer) nextVersion(at time.Time) string {
	g := versionSeq.Add(1)
	return strconv.FormatInt(at.UnixNano(), 36) + "-" + strconv.FormatUint(g, 36) + "-" + strconv.FormatInt(int64(os.Getpid()), 36)
}
