// Package obs is Guichet's observability: JSON logs that cannot carry a
// credential, request ids, Prometheus metrics, OpenTelemetry traces and CORS.
package obs

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Redacted replaces every secret in a log record.
const Redacted = "[REDACTED]"

// minSecretLen keeps very short configured values (a client number, a
// one-letter test password) from blanking unrelated text.
const minSecretLen = 4

// Secrets are the credential values known at start (configuration, demo
// keys). Any occurrence of one in a log value is replaced, whatever its key.
// Safe for concurrent use; Add may be called after loggers exist.
type Secrets struct {
	mu   sync.RWMutex
	vals []string
	repl *strings.Replacer
}

// NewSecrets registers values (empty and very short ones are ignored).
func NewSecrets(values ...string) *Secrets {
	s := &Secrets{}
	s.Add(values...)
	return s
}

// Add registers more secret values, with the forms they take on the wire:
// URL-escaped, and base64(SHA-1) which AboWeb's WS-Security "sha1" mode
// sends in place of the password (as good as the password to the vendor).
func (s *Secrets) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) < minSecretLen {
			continue
		}
		sum := sha1.Sum([]byte(v))
		for _, form := range []string{v, url.QueryEscape(v), base64.StdEncoding.EncodeToString(sum[:])} {
			if !slices.Contains(s.vals, form) {
				s.vals = append(s.vals, form)
			}
		}
	}
	// Longest first: a secret containing another is replaced whole.
	slices.SortFunc(s.vals, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(s.vals))
	for _, v := range s.vals {
		pairs = append(pairs, v, Redacted)
	}
	s.repl = strings.NewReplacer(pairs...)
}

// Redact removes known secret values and secret-looking patterns from text.
func (s *Secrets) Redact(text string) string {
	if text == "" {
		return text
	}
	if s != nil {
		s.mu.RLock()
		r := s.repl
		s.mu.RUnlock()
		if r != nil {
			text = r.Replace(text)
		}
	}
	return redactPatterns(text)
}

var (
	// Authorization schemes: the credential runs to the end of the token68.
	authScheme = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*`)
	// key=value, key: value, "key":"value" where the key names a secret
	// (form bodies and query strings of the ticketing web services, JSON,
	// GraphQL arguments, also inside an escaped string: \"key\": \"value\").
	keyValue = regexp.MustCompile(`(?i)((?:x_rsi_\w*|[\w-]*(?:password|passwd|pwd|mdp|mot_de_passe|motdepasse|token|jeton|api_?key|secret|authorization))\\*["']?\s*[=:]\s*\\*["']?)([^\s&"',;<>\\]+)`)
	// WS-Security: password (text or digest) and nonce element contents.
	wssElement = regexp.MustCompile(`(?is)(<(?:[\w-]+:)?(?:Password|Nonce)\b[^>]*>)[^<]*(</(?:[\w-]+:)?(?:Password|Nonce)\s*>)`)
	// A whole UsernameToken: inside it any base64 SHA-1 digest goes too,
	// whatever element carries it.
	usernameToken = regexp.MustCompile(`(?is)<(?:[\w-]+:)?UsernameToken\b.*?</(?:[\w-]+:)?UsernameToken\s*>`)
	sha1Digest    = regexp.MustCompile(`[A-Za-z0-9+/]{27}=`)
	// user:password@ in URLs (Redis, proxies).
	urlPassword = regexp.MustCompile(`(://[^/\s:@]*:)[^@/\s]+@`)
)

func redactPatterns(text string) string {
	// Cheap pre-checks: most log values contain none of these.
	lower := strings.ToLower(text)
	if strings.Contains(lower, "bearer") || strings.Contains(lower, "basic") {
		text = authScheme.ReplaceAllString(text, "${1} "+Redacted)
	}
	if strings.ContainsAny(text, "=:") {
		text = keyValue.ReplaceAllString(text, "${1}"+Redacted)
	}
	if strings.Contains(text, "://") {
		text = urlPassword.ReplaceAllString(text, "${1}"+Redacted+"@")
	}
	if strings.Contains(text, "<") {
		text = wssElement.ReplaceAllString(text, "${1}"+Redacted+"${2}")
		text = usernameToken.ReplaceAllStringFunc(text, func(block string) string {
			return sha1Digest.ReplaceAllString(block, Redacted)
		})
	}
	return text
}

// secretWords are looked for in attribute keys once lower-cased and
// stripped of separators, so "apiKey", "api-key" and "API_KEY" all match.
var secretWords = []string{"password", "passwd", "motdepasse", "pwd", "mdp", "token", "jeton",
	"apikey", "secret", "authorization", "wsse", "usernametoken", "cookie", "credential"}

var separators = strings.NewReplacer("-", "_", " ", "_", ".", "_")

// SensitiveKey reports whether an attribute key names a credential.
func SensitiveKey(key string) bool {
	k := strings.ToLower(key)
	norm := separators.Replace(k)
	if strings.HasPrefix(norm, "x_rsi_") {
		return true
	}
	compact := strings.ReplaceAll(norm, "_", "")
	for _, w := range secretWords {
		if strings.Contains(compact, w) {
			return true
		}
	}
	return false
}

// Redactor is a slog.Handler that removes credentials from every record
// before the next handler formats it: values of attributes whose key names
// a secret, known secret values and secret patterns anywhere (message,
// strings, errors, nested groups, structured values). It also adds the
// request id and GraphQL operation found in the record's context.
type Redactor struct {
	next      slog.Handler
	secrets   *Secrets
	sensitive bool // inside a group whose name is a secret key
}

// NewRedactor wraps next; secrets may be nil (patterns and keys still apply).
func NewRedactor(next slog.Handler, secrets *Secrets) *Redactor {
	if secrets == nil {
		secrets = NewSecrets()
	}
	return &Redactor{next: next, secrets: secrets}
}

// Secrets returns the registry the redactor uses, to add values later.
func (h *Redactor) Secrets() *Secrets { return h.secrets }

// SecretsOf returns the secret registry of a logger built by NewLogger (or
// any handler that is a *Redactor), nil otherwise.
func SecretsOf(l *slog.Logger) *Secrets {
	if l == nil {
		return nil
	}
	if r, ok := l.Handler().(*Redactor); ok {
		return r.secrets
	}
	return nil
}

func (h *Redactor) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h *Redactor) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.secrets.Redact(r.Message), r.PC)
	if info := infoFrom(ctx); info != nil {
		// A caller may choose its id: known secrets in it are redacted too.
		out.AddAttrs(h.attr(slog.String("request_id", info.id)))
		if op := info.Operation(); op != "" {
			out.AddAttrs(h.attr(slog.String("operation", op)))
		}
	}
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *Redactor) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &Redactor{next: h.next.WithAttrs(clean), secrets: h.secrets, sensitive: h.sensitive}
}

func (h *Redactor) WithGroup(name string) slog.Handler {
	return &Redactor{next: h.next.WithGroup(name), secrets: h.secrets, sensitive: h.sensitive || SensitiveKey(name)}
}

func (h *Redactor) attr(a slog.Attr) slog.Attr {
	a.Value = a.Value.Resolve()
	if h.sensitive || SensitiveKey(a.Key) {
		return slog.String(a.Key, Redacted)
	}
	a.Value = h.value(a.Value)
	return a
}

func (h *Redactor) value(v slog.Value) slog.Value {
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(h.secrets.Redact(v.String()))
	case slog.KindGroup:
		attrs := v.Group()
		clean := make([]slog.Attr, len(attrs))
		for i, a := range attrs {
			clean[i] = h.attr(a)
		}
		return slog.GroupValue(clean...)
	case slog.KindAny:
		return h.anyValue(v.Any())
	}
	return v
}

// anyValue redacts structured values (errors, structs, maps, slices) by
// going through their JSON form, so map keys and struct fields that name a
// secret are caught like attribute keys.
func (h *Redactor) anyValue(x any) slog.Value {
	switch x := x.(type) {
	case nil:
		return slog.AnyValue(nil)
	case error:
		return slog.StringValue(h.secrets.Redact(x.Error()))
	case []byte:
		return slog.StringValue(h.secrets.Redact(string(x)))
	case fmt.Stringer:
		if _, isJSON := x.(json.Marshaler); !isJSON {
			return slog.StringValue(h.secrets.Redact(x.String()))
		}
	}
	b, err := json.Marshal(x)
	if err != nil {
		return slog.StringValue(h.secrets.Redact(fmt.Sprintf("%+v", x)))
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return slog.StringValue(h.secrets.Redact(string(b)))
	}
	return slog.AnyValue(h.walk(generic))
}

func (h *Redactor) walk(x any) any {
	switch x := x.(type) {
	case string:
		return h.secrets.Redact(x)
	case map[string]any:
		for k, v := range x {
			if SensitiveKey(k) {
				x[k] = Redacted
			} else {
				x[k] = h.walk(v)
			}
		}
	case []any:
		for i, v := range x {
			x[i] = h.walk(v)
		}
	}
	return x
}
