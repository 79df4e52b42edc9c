// Package persisted holds the operations Guichet knows by hash: a Redis
// store for Automatic Persisted Queries shared by replicas, and the
// allow-list of the persisted-only mode, where a public deployment runs
// exactly the operations its website was built with and nothing else.
package persisted

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/redis/go-redis/v9"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Hash is the APQ hash of a document: hex SHA-256 of its exact text.
func Hash(query string) string {
	h := sha256.Sum256([]byte(query))
	return hex.EncodeToString(h[:])
}

// RedisCache is an APQ store in Redis, so a hash registered through one
// replica is known to all, with a small in-process LRU in front so a hot
// operation costs no Redis round trip.
type RedisCache struct {
	c      redis.UniversalClient
	ttl    time.Duration
	prefix string
	local  *lru.LRU[string]
}

// NewRedisCache stores documents for ttl after their last registration.
func NewRedisCache(c redis.UniversalClient, ttl time.Duration) *RedisCache {
	return &RedisCache{c: c, ttl: ttl, prefix: "guichet:apq:", local: lru.New[string](1000)}
}

// Get implements graphql.Cache. A Redis failure is a miss: the client then
// sends the full document, which still works.
func (r *RedisCache) Get(ctx context.Context, key string) (string, bool) {
	if q, ok := r.local.Get(ctx, key); ok {
		return q, true
	}
	q, err := r.c.Get(ctx, r.prefix+key).Result()
	if err != nil {
		return "", false
	}
	r.local.Add(ctx, key, q)
	return q, true
}

// Add implements graphql.Cache (gqlgen has checked the hash already).
func (r *RedisCache) Add(ctx context.Context, key, query string) {
	r.local.Add(ctx, key, query)
	r.c.Set(ctx, r.prefix+key, query, r.ttl)
}

// List is the allow-list of the persisted-only mode: hash → document.
type List struct{ ops map[string]string }

// Len is the number of allowed operations.
func (l *List) Len() int { return len(l.ops) }

// Load reads an allow-list file: Apollo's persisted query manifest
// ({"format":"apollo-persisted-query-manifest","operations":[{"id","body"}]})
// or a plain JSON object of hash → document. Every hash is checked against
// its document, so a typo cannot let another operation through.
func Load(path string) (*List, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("persisted queries: %w", err)
	}
	return Parse(raw)
}

// Parse is Load on bytes.
func Parse(raw []byte) (*List, error) {
	ops := map[string]string{}
	var manifest struct {
		Format     string `json:"format"`
		Operations []struct {
			ID   string `json:"id"`
			Body string `json:"body"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(raw, &manifest); err == nil && manifest.Format != "" {
		for _, op := range manifest.Operations {
			ops[strings.ToLower(op.ID)] = op.Body
		}
	} else if err := json.Unmarshal(raw, &ops); err != nil {
		return nil, fmt.Errorf("persisted queries: neither a manifest nor a hash → document object: %w", err)
	}
	out := &List{ops: map[string]string{}}
	for h, q := range ops {
		if Hash(q) != strings.ToLower(h) {
			return nil, fmt.Errorf("persisted queries: %s is not the SHA-256 of its document", h)
		}
		out.ops[strings.ToLower(h)] = q
	}
	if len(out.ops) == 0 {
		return nil, fmt.Errorf("persisted queries: the list is empty")
	}
	return out, nil
}

// CodeNotAllowed is the extensions.code of a refused operation.
const CodeNotAllowed = "PERSISTED_QUERY_NOT_ALLOWED"

// Only is the gqlgen extension of the persisted-only mode: a request names
// an allowed hash (or sends exactly an allowed document); anything else is
// refused before parsing.
type Only struct{ List *List }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = Only{}

func (Only) ExtensionName() string                   { return "PersistedOnly" }
func (Only) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters resolves the hash to its document.
func (o Only) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	hash := ""
	if pq, ok := p.Extensions["persistedQuery"].(map[string]any); ok {
		hash, _ = pq["sha256Hash"].(string)
	}
	if hash == "" && p.Query != "" {
		hash = Hash(p.Query)
	}
	q, ok := o.List.ops[strings.ToLower(hash)]
	if !ok {
		return &gqlerror.Error{Message: "this server only runs its registered operations; this one is not among them",
			Extensions: map[string]any{"code": CodeNotAllowed}}
	}
	p.Query = q
	return nil
}
