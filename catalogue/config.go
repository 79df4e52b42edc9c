package catalogue

import (
	"context"
	"os"
)

// PersisterFromEnv picks the storage the environment asks for: Redis,
// shared by the replicas, when GUICHET_REDIS_URL is set (the Syncer then
// also uses it as its Coordinator); otherwise files in GUICHET_DATA_DIR
// (default ./data). close releases the Redis client.
func PersisterFromEnv(ctx context.Context) (p Persister, close func() error, err error) {
	if u := os.Getenv("GUICHET_REDIS_URL"); u != "" {
		r, err := OpenRedis(ctx, u)
		if err != nil {
			return nil, nil, err
		}
		return r, r.Close, nil
	}
	return FilePersister{Dir: DataDir()}, func() error { return nil }, nil
}
