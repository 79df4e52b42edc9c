package catalogue

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/guichet/guichet/errs"
)

// Redis shares the snapshot, its sync state and the sync lease between
// replicas (GUICHET_REDIS_URL). It is a Persister and a Coordinator: the
// replica holding the lease calls the ticketing system and saves here; the
// others poll the small state key and reload the snapshot when its version
// changes. Writes are fenced by the lease, so a replica that lost it (a
// long pause, a partition) cannot overwrite its successor's snapshot.
type Redis struct {
	c        redis.UniversalClient
	prefix   string
	leaseTTL time.Duration
	token    string
}

// DefaultLeaseTTL is how long a silent leader keeps the lease: the others
// take over at most this long after it died without releasing it.
const DefaultLeaseTTL = 10 * time.Second

// errLeaseLost refuses a save from a replica that no longer holds the lease.
var errLeaseLost = errors.New("catalogue: sync lease not held; save refused")

// NewRedis shares through c under keys "<prefix>:…"; leaseTTL 0 means
// DefaultLeaseTTL. The Syncer renews the lease every PollInterval, which
// must stay well under leaseTTL.
func NewRedis(c redis.UniversalClient, prefix string, leaseTTL time.Duration) *Redis {
	if prefix == "" {
		prefix = "guichet:catalogue"
	}
	if leaseTTL <= 0 {
		leaseTTL = DefaultLeaseTTL
	}
	var b [12]byte
	rand.Read(b[:])
	host, _ := os.Hostname()
	return &Redis{c: c, prefix: prefix, leaseTTL: leaseTTL, token: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))}
}

// OpenRedis connects to a redis:// or rediss:// URL (GUICHET_REDIS_URL)
// and checks it answers.
func OpenRedis(ctx context.Context, url string) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		// The URL may hold a password: never echo it.
		return nil, errs.E(errs.Op("catalogue.redis"), errs.Invalid, errs.Field("GUICHET_REDIS_URL"), errs.Msg("GUICHET_REDIS_URL is not a redis:// URL"))
	}
	c := redis.NewClient(opt)
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, errs.E(errs.Op("catalogue.redis"), errs.Unavailable, errs.Msg("Redis does not answer"), err)
	}
	return NewRedis(c, "", 0), nil
}

// Close closes the client.
func (r *Redis) Close() error { return r.c.Close() }

func (r *Redis) key(k string) string { return r.prefix + ":" + k }

// Load reads the shared snapshot and state in one round trip.
func (r *Redis) Load(ctx context.Context) (*Snapshot, SyncState, error) {
	vals, err := r.c.MGet(ctx, r.key("snapshot"), r.key("state")).Result()
	if err != nil {
		return nil, SyncState{}, fmt.Errorf("catalogue: redis load: %w", err)
	}
	blob, ok := vals[0].(string)
	if !ok {
		return nil, SyncState{}, ErrNoSnapshot
	}
	s, st, err := DecodeSnapshot([]byte(blob))
	if err != nil {
		return nil, SyncState{}, fmt.Errorf("%w: %v", ErrNoSnapshot, err)
	}
	if js, ok := vals[1].(string); ok {
		var later SyncState
		if json.Unmarshal([]byte(js), &later) == nil && later.Version == s.Version {
			st = later
		}
	}
	return s, st.inParisZone(), nil
}

// saveScript writes the snapshot (when given) and the state only while
// the caller holds the lease.
var saveScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[3]) end
redis.call('SET', KEYS[3], ARGV[2])
return 1`)

// Save stores snapshot and state atomically, if this replica holds the lease.
func (r *Redis) Save(ctx context.Context, s *Snapshot, st SyncState) error {
	var buf bytes.Buffer
	if err := EncodeSnapshot(&buf, s, st); err != nil {
		return err
	}
	return r.save(ctx, buf.Bytes(), st)
}

// SaveState stores the state alone, if this replica holds the lease.
func (r *Redis) SaveState(ctx context.Context, st SyncState) error { return r.save(ctx, nil, st) }

func (r *Redis) save(ctx context.Context, blob []byte, st SyncState) error {
	js, err := json.Marshal(st)
	if err != nil {
		return err
	}
	ok, err := saveScript.Run(ctx, r.c, []string{r.key("lease"), r.key("snapshot"), r.key("state")}, r.token, js, blob).Int()
	if err != nil {
		return fmt.Errorf("catalogue: redis save: %w", err)
	}
	if ok != 1 {
		return errLeaseLost
	}
	return nil
}

var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// Hold takes the lease when free (SET NX PX) or renews it when ours.
func (r *Redis) Hold(ctx context.Context) (bool, error) {
	ok, err := r.c.SetNX(ctx, r.key("lease"), r.token, r.leaseTTL).Result()
	if err != nil {
		return false, fmt.Errorf("catalogue: redis lease: %w", err)
	}
	if ok {
		return true, nil
	}
	n, err := renewScript.Run(ctx, r.c, []string{r.key("lease")}, r.token, r.leaseTTL.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("catalogue: redis lease: %w", err)
	}
	return n == 1, nil
}

// Release frees the lease if this replica holds it, so a successor need
// not wait for it to expire.
func (r *Redis) Release(ctx context.Context) error {
	return releaseScript.Run(ctx, r.c, []string{r.key("lease")}, r.token).Err()
}

// State reads the shared sync state; zero when nothing was saved yet.
func (r *Redis) State(ctx context.Context) (SyncState, error) {
	js, err := r.c.Get(ctx, r.key("state")).Bytes()
	if errors.Is(err, redis.Nil) {
		return SyncState{}, nil
	}
	if err != nil {
		return SyncState{}, fmt.Errorf("catalogue: redis state: %w", err)
	}
	var st SyncState
	if err := json.Unmarshal(js, &st); err != nil {
		return SyncState{}, fmt.Errorf("catalogue: redis state: %w", err)
	}
	return st.inParisZone(), nil
}

// RequestFull leaves a full-load request for the lease holder; it expires
// unanswered after an hour rather than surprise anyone much later.
func (r *Redis) RequestFull(ctx context.Context) error {
	return r.c.Set(ctx, r.key("full"), "1", time.Hour).Err()
}

// TakeFullRequest reports and clears a pending request.
func (r *Redis) TakeFullRequest(ctx context.Context) (bool, error) {
	err := r.c.GetDel(ctx, r.key("full")).Err()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	return err == nil, err
}
