package catalogue

import (
	"context"
)

// OpenPersister picks the storage: Redis, shared by the replicas, when
// redisURL is set (the Syncer then also uses it as its Coordinator);
// otherwise files in dir. close releases the Redis client.
func OpenPersister(ctx context.Context, redisURL, dir string) (p Persister, close func() error, err error) {
	if redisURL != "" {
		r, err := OpenRedis(ctx, redisURL)
		if err != nil {
			return nil, nil, err
		}
		return r, r.Close, nil
	}
	return FilePersister{Dir: dir}, func() error { return nil }, nil
}
