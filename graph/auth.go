package graph

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"strings"

	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/throttle"
)

// Caller is who sent the request, as the HTTP layer established it.
type Caller struct {
	// SessionToken is the visitor's ticketing session (X-Session-Token).
	SessionToken string
	// BackOffice is true when a valid back-office key was presented.
	BackOffice bool
	// BadKey is true when an Authorization header was sent but matched no key.
	BadKey bool
	// IP is the client's address, for rate limits (never logged with data).
	IP string
	// Router is true when the federation router's shared secret was sent
	// (RouterSecretHeader).
	Router bool
}

// RouterSecretHeader carries the secret a federation router sends with each
// subgraph request (GUICHET_ROUTER_SECRET).
const RouterSecretHeader = "X-Router-Secret"

type callerKey struct{}

// WithCaller attaches the caller to a request context.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller of a request (zero when anonymous).
func CallerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}

// Keys checks back-office keys in constant time over their hashes, so
// neither the length nor a prefix of a key leaks through timing.
type Keys struct {
	hashes [][32]byte
	router *[32]byte // hash of the router's secret; nil: none configured
	// ProxyHops is the number of reverse proxies in front of Guichet that
	// append to X-Forwarded-For; 0 trusts no header and uses the peer.
	ProxyHops int
}

// NewKeys prepares the configured keys.
func NewKeys(keys []string) *Keys {
	k := &Keys{}
	for _, s := range keys {
		k.hashes = append(k.hashes, sha256.Sum256([]byte(s)))
	}
	return k
}

// SetRouterSecret makes requests that send secret in RouterSecretHeader
// come from the federation router ("" forgets it).
func (k *Keys) SetRouterSecret(secret string) {
	k.router = nil
	if secret != "" {
		h := sha256.Sum256([]byte(secret))
		k.router = &h
	}
}

func (k *Keys) valid(key string) bool {
	h := sha256.Sum256([]byte(key))
	ok := 0
	for _, want := range k.hashes {
		ok |= subtle.ConstantTimeCompare(h[:], want[:])
	}
	return ok == 1
}

// Authenticate reads the session token and the bearer key of a request.
func (k *Keys) Authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := Caller{SessionToken: strings.TrimSpace(r.Header.Get("X-Session-Token")), IP: clientIP(r, k.ProxyHops)}
		if h := r.Header.Get("Authorization"); h != "" {
			key, isBearer := strings.CutPrefix(h, "Bearer ")
			if isBearer && k.valid(strings.TrimSpace(key)) {
				c.BackOffice = true
			} else {
				c.BadKey = true
			}
		}
		c.Router = k.isRouter(r)
		next.ServeHTTP(w, r.WithContext(WithCaller(r.Context(), c)))
	})
}

// isRouter reports whether r carries the federation router's secret.
func (k *Keys) isRouter(r *http.Request) bool {
	if k == nil || k.router == nil {
		return false
	}
	s := r.Header.Get(RouterSecretHeader)
	if s == "" {
		return false
	}
	h := sha256.Sum256([]byte(s))
	return subtle.ConstantTimeCompare(h[:], k.router[:]) == 1
}

// LaneKey is the client address a large request is counted against in
// the heavy lane (an IPv6 host by its /64), "" for the federation router,
// which carries every client's requests from one address.
func (k *Keys) LaneKey(r *http.Request) string {
	if k.isRouter(r) {
		return ""
	}
	hops := 0
	if k != nil {
		hops = k.ProxyHops
	}
	return throttle.IPKey(clientIP(r, hops))
}

// requireBackOffice guards back-office fields.
func requireBackOffice(ctx context.Context, op string) error {
	c := CallerFrom(ctx)
	switch {
	case c.BackOffice:
		return nil
	case c.BadKey:
		return errs.E(errs.Op(op), errs.Unauthenticated, errs.Msg("the back-office key is not valid"))
	case c.SessionToken != "":
		return errs.E(errs.Op(op), errs.Forbidden, errs.Msg("this field needs a back-office key, not a visitor session"))
	default:
		return errs.E(errs.Op(op), errs.Unauthenticated, errs.Msg("this field needs a back-office key (Authorization: Bearer <key>)"))
	}
}

// requireSession returns the visitor's session token.
func requireSession(ctx context.Context, op string) (string, error) {
	c := CallerFrom(ctx)
	if c.SessionToken == "" {
		return "", errs.E(errs.Op(op), errs.Unauthenticated, errs.Msg("this field needs a visitor session (X-Session-Token header)"))
	}
	return c.SessionToken, nil
}

// clientIP is the peer address, or with hops trusted proxies the entry of
// X-Forwarded-For the outermost of them appended: entries further left are
// whatever the client chose to send, so never trusted.
func clientIP(r *http.Request, hops int) string {
	peer := r.RemoteAddr
	if h, _, err := net.SplitHostPort(peer); err == nil {
		peer = h
	}
	if hops <= 0 {
		return peer
	}
	var hopsSeen []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for _, part := range strings.Split(v, ",") {
			if p := strings.TrimSpace(part); p != "" {
				hopsSeen = append(hopsSeen, p)
			}
		}
	}
	if i := len(hopsSeen) - hops; i >= 0 && i < len(hopsSeen) {
		if ip := net.ParseIP(hopsSeen[i]); ip != nil {
			return ip.String()
		}
	}
	return peer
}
