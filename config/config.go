// Package config loads Guichet's configuration from the environment, once,
// at start. Every variable is declared in one table so that `-h`, the README
// and the startup log list the same names.
package config

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/guichet/guichet/internal/gctarget"
)

// Config is the whole configuration of a Guichet process.
type Config struct {
	Addr string

	BilletterieURL      string
	BilletterieLogin    string
	BilletteriePassword string
	BilletterieClient   string
	BilletterieAPIURL   string
	BilletterieAPILogin string
	BilletterieAPIKey   string
	BilletteriePwdKey   string

	AbowebURL            string
	AbowebUsername       string
	AbowebPassword       string
	AbowebPasswordMode   string
	AbowebUpdateSendsAll bool

	APIKeys []string

	UpstreamTimeout time.Duration

	// Resilience of each back office (package upstream).
	UpstreamRetries     int           // extra attempts of an idempotent read
	UpstreamConcurrency int           // calls in flight at most, per back office
	BreakerFailures     int           // consecutive failures that open a breaker
	BreakerCooldown     time.Duration // open time before a probe

	AvailabilityTTL time.Duration // shared cache of live seat counts; 0 turns it off
	RateLimits      bool          // throttle login, registration and password mutations
	ProxyHops       int           // reverse proxies appending to X-Forwarded-For
	Playground      bool
	Introspection   bool

	ResponseCacheBytes int64 // public catalogue answers kept in memory; 0: none
	PublicMaxAge       int   // seconds a browser or CDN may reuse a public GET answer

	// Observability (package obs).
	LogLevel     slog.Level
	CORSOrigins  []string // browser origins allowed to call the API; none: same origin only
	RedisURL     string   // shared state of replicas (catalogue, APQ); "" none
	DataDir      string   // catalogue snapshot and sync state on disk
	SyncInterval time.Duration
	Persisted    string // allow-list file of the persisted-only mode; "" off
	OTLPEndpoint string // OTLP/HTTP collector base URL; tracing is off without it (or OTEL_EXPORTER_OTLP_ENDPOINT)

	// Vendor tolerance (issue 13).
	SandboxQuirks      bool // embedded sandboxes answer with the vendors' loose shapes
	AbowebAuthFallback bool // retry authenticateByEmail when authenticateEncrypteByEmail is unknown

	// Request limits (graph.Limits): 0 is the default, -1 no limit.
	MaxDepth              int
	MaxIntrospectionDepth int
	MaxAliases            int
	MaxRootFields         int
	MaxFields             int
	MaxRepeats            int
	MaxComplexity         int
	MaxBodyBytes          int64
	MaxEntities           int
	MaxErrors             int
	RouterSecret          string // sent by the federation router; set: _entities and _service are its alone

	// Live: vendor pushes and subscriptions (packages hooks and live).
	HookSecret           string   // secret path segment of the push URLs; "" : no push endpoint
	HookAllow            []string // source networks allowed to push; none: any
	SubscriptionsPerConn int
	SubscriptionsPerIP   int
	WebSocketReadRate    int

	// Deployment (issue 16): admin listener, drain on SIGTERM, profiling.
	AdminAddr string        // /metrics (and pprof) here instead of the API port; "" keeps /metrics on Addr
	Drain     time.Duration // unready but serving, after SIGTERM and before shutdown
	Pprof     bool          // net/http/pprof on the admin listener

	// Garbage collector target (package internal/gctarget).
	GCPercent   int   // GOGC-style percentage; -1 turns the collector off
	MemoryLimit int64 // bytes; 0 none; gctarget.Auto (-1): 90% of the cgroup's

	secrets []string // raw values of the Secret variables, for log redaction
}

// Var describes one environment variable.
type Var struct {
	Name    string
	Default string
	Secret  bool
	Help    string
	set     func(c *Config, v string) error
}

func str(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func boolean(p func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", v)
		}
		*p(c) = b
		return nil
	}
}

func atLeast(min int, p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < min {
			return fmt.Errorf("want a whole number of at least %d, got %q", min, v)
		}
		*p(c) = n
		return nil
	}
}

// limit reads a request limit: 0 (off) is kept as -1, so that a Config
// built in code, where 0 means unset, gets the defaults.
func limit(p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("want a whole number (0 for no limit), got %q", v)
		}
		if n == 0 {
			n = -1
		}
		*p(c) = n
		return nil
	}
}

// Vars is the table of every variable Guichet reads.
var Vars = []Var{
	{Name: "GUICHET_ADDR", Default: ":8080", Help: "listen address of the API and GraphiQL",
		set: str(func(c *Config) *string { return &c.Addr })},
	{Name: "BILLETTERIE_URL", Help: "base URL of the venue's L@billetterie sales site (unset: embedded sandbox)",
		set: str(func(c *Config) *string { return &c.BilletterieURL })},
	{Name: "BILLETTERIE_LOGIN", Help: "web service login (x_rsi_ws_login)",
		set: str(func(c *Config) *string { return &c.BilletterieLogin })},
	{Name: "BILLETTERIE_PASSWORD", Secret: true, Help: "web service password (x_rsi_ws_mdp)",
		set: str(func(c *Config) *string { return &c.BilletteriePassword })},
	{Name: "BILLETTERIE_CLIENT", Help: "client number (x_rsi_client)",
		set: str(func(c *Config) *string { return &c.BilletterieClient })},
	{Name: "BILLETTERIE_API_URL", Help: "base URL of the ws_execute_programme API host (ws_liste_fiches_modifiees)",
		set: str(func(c *Config) *string { return &c.BilletterieAPIURL })},
	{Name: "BILLETTERIE_API_LOGIN", Help: "API login (x_rsi_login)",
		set: str(func(c *Config) *string { return &c.BilletterieAPILogin })},
	{Name: "BILLETTERIE_API_KEY", Secret: true, Help: "API key (x_rsi_api_key)",
		set: str(func(c *Config) *string { return &c.BilletterieAPIKey })},
	{Name: "BILLETTERIE_PWD_KEY", Secret: true, Help: "key for ws_modification_pwd (x_rsi_pwd_key)",
		set: str(func(c *Config) *string { return &c.BilletteriePwdKey })},
	{Name: "ABOWEB_URL", Help: "AboWeb ClientService endpoint (unset: embedded sandbox)",
		set: str(func(c *Config) *string { return &c.AbowebURL })},
	{Name: "ABOWEB_USERNAME", Help: "WS-Security username",
		set: str(func(c *Config) *string { return &c.AbowebUsername })},
	{Name: "ABOWEB_PASSWORD", Secret: true, Help: "WS-Security password, in plain text (the client hashes it)",
		set: str(func(c *Config) *string { return &c.AbowebPassword })},
	{Name: "ABOWEB_PASSWORD_MODE", Default: "sha1", Help: "how the password travels: sha1 (vendor), text, digest",
		set: func(c *Config, v string) error {
			switch v {
			case "sha1", "text", "digest":
				c.AbowebPasswordMode = v
				return nil
			}
			return fmt.Errorf("want sha1, text or digest, got %q", v)
		}},
	{Name: "ABOWEB_UPDATE_SENDS_ALL", Default: "false", Help: "true when AboWeb erases fields missing from an update (WS_FORCE_UPDATE_ONLY_SENDING_PARAMS off): updates become read-modify-write",
		set: boolean(func(c *Config) *bool { return &c.AbowebUpdateSendsAll })},
	{Name: "GUICHET_API_KEYS", Secret: true, Help: "comma-separated back-office keys, sent as Authorization: Bearer <key>",
		set: func(c *Config, v string) error {
			c.APIKeys = nil
			for _, k := range strings.Split(v, ",") {
				if k = strings.TrimSpace(k); k != "" {
					if len(k) < 16 {
						return fmt.Errorf("every key needs at least 16 characters")
					}
					c.APIKeys = append(c.APIKeys, k)
				}
			}
			return nil
		}},
	{Name: "GUICHET_UPSTREAM_TIMEOUT", Default: "10s", Help: "deadline of one upstream call",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("want a positive duration such as 10s, got %q", v)
			}
			c.UpstreamTimeout = d
			return nil
		}},
	{Name: "GUICHET_UPSTREAM_RETRIES", Default: "2", Help: "extra attempts of an idempotent read after a transport error, timeout, 5xx or 429, inside the call's deadline (mutations are never retried)",
		set: atLeast(0, func(c *Config) *int { return &c.UpstreamRetries })},
	{Name: "GUICHET_UPSTREAM_CONCURRENCY", Default: "32", Help: "calls in flight at most to each back office; more wait for a slot within their deadline",
		set: atLeast(1, func(c *Config) *int { return &c.UpstreamConcurrency })},
	{Name: "GUICHET_BREAKER_FAILURES", Default: "5", Help: "consecutive failed calls to a back office that open its circuit breaker (calls then fail fast)",
		set: atLeast(1, func(c *Config) *int { return &c.BreakerFailures })},
	{Name: "GUICHET_BREAKER_COOLDOWN", Default: "10s", Help: "how long an open breaker fails fast before letting one probe call through",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("want a positive duration such as 10s, got %q", v)
			}
			c.BreakerCooldown = d
			return nil
		}},
	{Name: "GUICHET_AVAILABILITY_TTL", Default: "30s", Help: "how long a live seat count is shared across requests (0 asks the ticketing system every time)",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return fmt.Errorf("want a duration such as 30s (0 turns the cache off), got %q", v)
			}
			c.AvailabilityTTL = d
			return nil
		}},
	{Name: "GUICHET_RATE_LIMITS", Default: "true", Help: "limit login, registerContact, changePassword and sendSubscriberPassword per client IP and per account",
		set: boolean(func(c *Config) *bool { return &c.RateLimits })},
	{Name: "GUICHET_PROXY_HOPS", Default: "0", Help: "reverse proxies in front that append to X-Forwarded-For (0: the TCP peer is the client)",
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 10 {
				return fmt.Errorf("want a number of proxies from 0 to 10, got %q", v)
			}
			c.ProxyHops = n
			return nil
		}},
	{Name: "GUICHET_DATA_DIR", Default: "data", Help: "where the catalogue snapshot and its sync state are kept",
		set: func(c *Config, v string) error { c.DataDir = v; return nil }},
	{Name: "GUICHET_SYNC_INTERVAL", Default: "5m", Help: "interval of the incremental catalogue pulls (filtre=1&date_modif=)",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("want a positive duration such as 5m, got %q", v)
			}
			c.SyncInterval = d
			return nil
		}},
	{Name: "GUICHET_REDIS_URL", Secret: true, Help: "Redis shared by replicas: catalogue snapshot, sync state and lease, persisted queries",
		set: func(c *Config, v string) error { c.RedisURL = v; return nil }},
	{Name: "GUICHET_PERSISTED_QUERIES", Help: "persisted-only mode: a JSON file of allowed operations (Apollo manifest or hash → document); others are refused",
		set: func(c *Config, v string) error { c.Persisted = v; return nil }},
	{Name: "GUICHET_RESPONSE_CACHE_BYTES", Default: "67108864", Help: "memory for public catalogue answers, in bytes (64 MiB; 0 keeps none)",
		set: func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return fmt.Errorf("want a number of bytes (0 or more), got %q", v)
			}
			c.ResponseCacheBytes = n
			return nil
		}},
	{Name: "GUICHET_PUBLIC_MAX_AGE", Default: "60", Help: "max-age in seconds of public catalogue answers sent with GET (Cache-Control for browsers and CDNs)",
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("want a number of seconds (0 or more), got %q", v)
			}
			c.PublicMaxAge = n
			return nil
		}},
	{Name: "GUICHET_PLAYGROUND", Default: "true", Help: "serve GraphiQL at /",
		set: boolean(func(c *Config) *bool { return &c.Playground })},
	{Name: "GUICHET_INTROSPECTION", Default: "true", Help: "allow schema introspection",
		set: boolean(func(c *Config) *bool { return &c.Introspection })},
	{Name: "GUICHET_LOG_LEVEL", Default: "info", Help: "JSON log level on stderr: debug, info, warn or error (credentials are redacted at every level)",
		set: func(c *Config, v string) error {
			var l slog.Level
			if err := l.UnmarshalText([]byte(v)); err != nil {
				return fmt.Errorf("want debug, info, warn or error, got %q", v)
			}
			c.LogLevel = l
			return nil
		}},
	{Name: "GUICHET_CORS_ORIGINS", Help: "comma-separated browser origins allowed to call the API (https://www.theatre.fr, https://*.theatre.fr or *); unset: same origin only",
		set: func(c *Config, v string) error {
			c.CORSOrigins = nil
			for _, o := range strings.Split(v, ",") {
				if o = strings.TrimSpace(o); o == "" {
					continue
				}
				if o != "*" && !strings.HasPrefix(o, "https://") && !strings.HasPrefix(o, "http://") {
					return fmt.Errorf("want origins such as https://www.theatre.fr, got %q", o)
				}
				c.CORSOrigins = append(c.CORSOrigins, strings.TrimSuffix(o, "/"))
			}
			return nil
		}},
	{Name: "GUICHET_OTLP_ENDPOINT", Help: "OpenTelemetry collector (OTLP/HTTP) base URL, e.g. http://collector:4318; tracing is off unless this or OTEL_EXPORTER_OTLP_ENDPOINT is set",
		set: func(c *Config, v string) error {
			u, err := url.Parse(v)
			if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				return fmt.Errorf("want an http(s) URL such as http://collector:4318, got %q", v)
			}
			c.OTLPEndpoint = v
			return nil
		}},
	// Request limits: refusals before validation and execution (graph.Limits).
	{Name: "GUICHET_MAX_DEPTH", Default: "12", Help: "nesting of selection sets, fragments expanded (introspection counted apart); 0: no limit",
		set: limit(func(c *Config) *int { return &c.MaxDepth })},
	{Name: "GUICHET_MAX_INTROSPECTION_DEPTH", Default: "20", Help: "nesting under __schema and __type (the standard introspection queries need 15); 0: no limit",
		set: limit(func(c *Config) *int { return &c.MaxIntrospectionDepth })},
	{Name: "GUICHET_MAX_ALIASES", Default: "50", Help: "aliased fields in one document; 0: no limit",
		set: limit(func(c *Config) *int { return &c.MaxAliases })},
	{Name: "GUICHET_MAX_ROOT_FIELDS", Default: "20", Help: "top-level fields of one operation; 0: no limit",
		set: limit(func(c *Config) *int { return &c.MaxRootFields })},
	{Name: "GUICHET_MAX_FIELDS", Default: "500", Help: "field selections in one document, each fragment counted once; 0: no limit",
		set: limit(func(c *Config) *int { return &c.MaxFields })},
	{Name: "GUICHET_MAX_REPEATS", Default: "8", Help: "fields answering under one name in one selection set, fragments merged (validation compares them pairwise); 0: no limit",
		set: limit(func(c *Config) *int { return &c.MaxRepeats })},
	{Name: "GUICHET_MAX_COMPLEXITY", Default: "5000", Help: "cost of one operation (a list field costs its expected length times its selection)",
		set: atLeast(1, func(c *Config) *int { return &c.MaxComplexity })},
	{Name: "GUICHET_MAX_BODY_BYTES", Default: "1048576", Help: "request body size; larger ones get 413 from their declared length, before anything reads them",
		set: func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1024 {
				return fmt.Errorf("want a number of bytes (at least 1024), got %q", v)
			}
			c.MaxBodyBytes = n
			return nil
		}},
	{Name: "GUICHET_MAX_ENTITIES", Default: "100", Help: "representations of one _entities call (federation); 0: no limit",
		set: limit(func(c *Config) *int { return &c.MaxEntities })},
	{Name: "GUICHET_MAX_ERRORS", Default: "50", Help: "errors in one answer, the rest summed up in a last TOO_MANY_ERRORS one; 0: no limit",
		set: limit(func(c *Config) *int { return &c.MaxErrors })},
	{Name: "GUICHET_ROUTER_SECRET", Secret: true, Help: "shared secret the federation router sends in X-Router-Secret; when set, only it may use _entities and _service",
		set: func(c *Config, v string) error {
			if len(v) < 16 {
				return fmt.Errorf("want at least 16 characters")
			}
			c.RouterSecret = v
			return nil
		}},

	{Name: "GUICHET_HOOK_SECRET", Secret: true, Help: "secret path segment of the push URLs given to the ticketing system (/hooks/billetterie/<secret>/purchase and /card), 16 characters or more; unset: no push endpoint (sandbox mode: a random one)",
		set: func(c *Config, v string) error {
			if len(v) < 16 || strings.ContainsAny(v, "/?#% ") {
				return fmt.Errorf("want at least 16 URL-safe characters")
			}
			c.HookSecret = v
			return nil
		}},
	{Name: "GUICHET_HOOK_ALLOW", Help: "comma-separated addresses or networks (CIDR) allowed to push; unset: any source",
		set: func(c *Config, v string) error {
			c.HookAllow = nil
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p == "" {
					continue
				}
				if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
					return fmt.Errorf("want addresses or networks such as 203.0.113.0/24, got %q", p)
				}
				c.HookAllow = append(c.HookAllow, p)
			}
			return nil
		}},
	{Name: "GUICHET_SUBSCRIPTIONS_PER_CONNECTION", Default: "20", Help: "GraphQL subscriptions one WebSocket connection may hold",
		set: atLeast(1, func(c *Config) *int { return &c.SubscriptionsPerConn })},
	{Name: "GUICHET_SUBSCRIPTIONS_PER_IP", Default: "200", Help: "GraphQL subscriptions (WebSocket and SSE), and open WebSockets and event streams, one client address may hold",
		set: atLeast(1, func(c *Config) *int { return &c.SubscriptionsPerIP })},
	{Name: "GUICHET_WEBSOCKET_READ_RATE", Default: "4096", Help: "bytes per second one WebSocket may send after a 64 KiB burst; a faster client is read more slowly (its messages wait), which bounds the parsing and validation it can cost",
		set: atLeast(64, func(c *Config) *int { return &c.WebSocketReadRate })},

	// Deployment (issue 16).
	{Name: "GUICHET_ADMIN_ADDR", Help: "listen address of /metrics, /healthz, /readyz (and pprof) for the platform, e.g. :9090; when set, /metrics leaves the API port",
		set: str(func(c *Config) *string { return &c.AdminAddr })},
	{Name: "GUICHET_DRAIN", Default: "0s", Help: "after SIGTERM: /readyz answers 503 while requests are still served for this long (e.g. 5s, longer than the load balancer's check interval), then a graceful shutdown",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > 5*time.Minute {
				return fmt.Errorf("want a duration from 0s to 5m such as 5s, got %q", v)
			}
			c.Drain = d
			return nil
		}},
	{Name: "GUICHET_PPROF", Default: "false", Help: "serve net/http/pprof under /debug/pprof/ on GUICHET_ADMIN_ADDR (never on the API port)",
		set: boolean(func(c *Config) *bool { return &c.Pprof })},
	// Read by the OpenTelemetry exporter itself; listed so -h and the README show it.
	{Name: "OTEL_EXPORTER_OTLP_ENDPOINT", Help: "standard OpenTelemetry variable, an alternative to GUICHET_OTLP_ENDPOINT (OTEL_* variables tune the exporter)",
		set: func(*Config, string) error { return nil }},
	{Name: "GUICHET_SANDBOX_QUIRKS", Default: "false", Help: "embedded sandboxes answer with the loose shapes real back offices send (quoted or empty numbers, ids as strings, words in numeric fields, unknown fields and elements), to exercise Guichet's tolerance",
		set: boolean(func(c *Config) *bool { return &c.SandboxQuirks })},
	{Name: "ABOWEB_AUTH_FALLBACK", Default: "false", Help: "when AboWeb does not know authenticateEncrypteByEmail (the documented name), retry with authenticateByEmail (the name public code used in 2015-16)",
		set: boolean(func(c *Config) *bool { return &c.AbowebAuthFallback })},

	// Garbage collector target (internal/gctarget); GOGC and GOMEMLIMIT, when set, win.
	{Name: "GUICHET_GOGC", Default: "400", Help: "GC percentage (as GOGC): heap growth between collections; higher spends memory to save CPU; off disables the collector",
		set: func(c *Config, v string) error {
			if v == "off" {
				c.GCPercent = -1
				return nil
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 10 || n > 10000 {
				return fmt.Errorf("want a percentage from 10 to 10000 or off, got %q", v)
			}
			c.GCPercent = n
			return nil
		}},
	{Name: "GUICHET_MEMORY_LIMIT", Default: "auto", Help: "soft memory limit of the Go heap (as GOMEMLIMIT), e.g. 512MiB; auto: 90% of the container's cgroup limit if any; off: none",
		set: func(c *Config, v string) error {
			n, err := gctarget.ParseBytes(v)
			if err != nil {
				return fmt.Errorf("%v, got %q", err, v)
			}
			c.MemoryLimit = n
			return nil
		}},
}

// Load reads the configuration through getenv (os.Getenv in production).
func Load(getenv func(string) string) (Config, error) {
	var c Config
	var problems []string
	for _, v := range Vars {
		val := getenv(v.Name)
		if val == "" {
			val = v.Default
		}
		if val == "" {
			continue
		}
		if err := v.set(&c, val); err != nil {
			problems = append(problems, v.Name+": "+err.Error())
		}
		if v.Secret {
			c.secrets = append(c.secrets, secretForms(val)...)
		}
	}
	if c.BilletterieURL != "" && (c.BilletterieLogin == "" || c.BilletteriePassword == "" || c.BilletterieClient == "") {
		problems = append(problems, "BILLETTERIE_URL is set: BILLETTERIE_LOGIN, BILLETTERIE_PASSWORD and BILLETTERIE_CLIENT are required")
	}
	if c.AbowebURL != "" && (c.AbowebUsername == "" || c.AbowebPassword == "") {
		problems = append(problems, "ABOWEB_URL is set: ABOWEB_USERNAME and ABOWEB_PASSWORD are required")
	}
	if c.Pprof && c.AdminAddr == "" {
		problems = append(problems, "GUICHET_PPROF=true needs GUICHET_ADMIN_ADDR: profiles are never served on the API port")
	}
	if len(problems) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(problems, "; "))
	}
	return c, nil
}

// FromEnv is Load(os.Getenv).
func FromEnv() (Config, error) { return Load(os.Getenv) }

// BilletterieSandbox reports whether the ticketing back office is simulated.
func (c Config) BilletterieSandbox() bool { return c.BilletterieURL == "" }

// AbowebSandbox reports whether AboWeb is simulated.
func (c Config) AbowebSandbox() bool { return c.AbowebURL == "" }

// Usage writes the variable table, as `-h` prints it.
func Usage(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tDEFAULT\tMEANING")
	for _, v := range Vars {
		d := v.Default
		if d == "" {
			d = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Name, d, v.Help)
	}
	tw.Flush()
}

// String lists the configuration for the startup log with secrets masked.
func (c Config) String() string {
	mask := func(s string) string {
		if s == "" {
			return "(unset)"
		}
		return "(set)"
	}
	orSandbox := func(s string) string {
		if s == "" {
			return "sandbox"
		}
		return s
	}
	return fmt.Sprintf("addr=%s billetterie=%s billetterie_login=%s billetterie_password=%s aboweb=%s aboweb_username=%s aboweb_password=%s aboweb_password_mode=%s api_keys=%d",
		c.Addr, orSandbox(c.BilletterieURL), c.BilletterieLogin, mask(c.BilletteriePassword),
		orSandbox(c.AbowebURL), c.AbowebUsername, mask(c.AbowebPassword), c.AbowebPasswordMode, len(c.APIKeys))
}

// GoString keeps %#v from printing secrets.
func (c Config) GoString() string { return c.String() }

// Secrets lists every credential value of the configuration, for the log
// redactor: the Secret variables as read (each key of a list, the password
// inside a URL) and the current credential fields, which sandbox mode
// replaces after Load.
func (c Config) Secrets() []string {
	out := append([]string(nil), c.secrets...)
	out = append(out, c.BilletteriePassword, c.BilletterieAPIKey, c.BilletteriePwdKey, c.AbowebPassword, c.HookSecret)
	out = append(out, c.APIKeys...)
	return out
}

func secretForms(v string) []string {
	out := []string{v}
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != v && part != "" {
			out = append(out, part)
		}
	}
	if u, err := url.Parse(v); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			out = append(out, pw)
		}
	}
	return out
}
