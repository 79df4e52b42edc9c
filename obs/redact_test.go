package obs

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const (
	wsPass  = "Ws-Pass-7c1e9a"
	aboPass = "Abo-Pass-3f8d21"
	apiKey  = "guichet-key-5b0c7d2e91aa"
)

func digest(s string) string {
	sum := sha1.Sum([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// logLine logs one record through NewLogger and returns the decoded line
// and its raw text.
func logLine(t *testing.T, f func(l *slog.Logger)) (map[string]any, string) {
	t.Helper()
	var buf bytes.Buffer
	l := NewLogger(&buf, slog.LevelDebug, NewSecrets(wsPass, aboPass, apiKey))
	f(l)
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("not one JSON line: %q: %v", buf.String(), err)
	}
	return m, buf.String()
}

type credentials struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	Note     string `json:"note"`
}

type loginValuer struct{ pass string }

func (v loginValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", "u"), slog.String("x_rsi_ws_mdp", v.pass))
}

// Ensure every kind of secret is removed, by key, by known value and by
// pattern, at any depth, while ordinary values survive.
func TestRedactionTable(t *testing.T) {
	cases := []struct {
		name   string
		log    func(l *slog.Logger)
		secret string // must be gone
		keep   string // must survive
	}{
		{"password key", func(l *slog.Logger) { l.Info("m", "password", "hunter2-free", "email_domain", "exemple.fr") }, "hunter2-free", "exemple.fr"},
		{"pwd key", func(l *slog.Logger) { l.Info("m", "pwd", "Guichet2026") }, "Guichet2026", ""},
		{"mot_de_passe key", func(l *slog.Logger) { l.Info("m", "mot_de_passe", "Secret-fr-1") }, "Secret-fr-1", ""},
		{"token key", func(l *slog.Logger) { l.Info("m", "token", "tok-aaaa-bbbb") }, "tok-aaaa-bbbb", ""},
		{"jeton key", func(l *slog.Logger) { l.Info("m", "jeton", "jeton-cccc") }, "jeton-cccc", ""},
		{"x_rsi key", func(l *slog.Logger) { l.Info("m", "x_rsi_pwd_key", "pwdkey-zzzz") }, "pwdkey-zzzz", ""},
		{"api_key key", func(l *slog.Logger) { l.Info("m", "api_key", "k-123456789") }, "k-123456789", ""},
		{"camelCase apiKey", func(l *slog.Logger) { l.Info("m", "apiKey", "k-abcdefghi") }, "k-abcdefghi", ""},
		{"authorization key", func(l *slog.Logger) { l.Info("m", "Authorization", "Opaque zzz-secret") }, "zzz-secret", ""},
		{"x-session-token key", func(l *slog.Logger) { l.Info("m", "X-Session-Token", "sess-0a1b2c3d") }, "sess-0a1b2c3d", ""},
		{"password digest key", func(l *slog.Logger) { l.Info("m", "PasswordDigest", digest("x")) }, digest("x"), ""},
		{"wsse key", func(l *slog.Logger) { l.Info("m", "wsse", "<wsse:Security>…</wsse:Security>") }, "Security", ""},
		{"known value under a harmless key", func(l *slog.Logger) { l.Info("m", "detail", "login failed with "+wsPass+" today") }, wsPass, "login failed with"},
		{"known value in the message", func(l *slog.Logger) { l.Info("calling with " + apiKey) }, apiKey, "calling with"},
		{"known value's SHA-1 digest", func(l *slog.Logger) { l.Info("m", "body", "digest is "+digest(aboPass)) }, digest(aboPass), "digest is"},
		{"bearer in free text", func(l *slog.Logger) { l.Info("m", "header", "Authorization: Bearer abc.def-ghi_jkl") }, "abc.def-ghi_jkl", ""},
		{"form body", func(l *slog.Logger) {
			l.Info("m", "body", "x_rsi_ws_login=guichet&x_rsi_ws_mdp=free-pass-99&id_spectacle=42")
		}, "free-pass-99", "id_spectacle=42"},
		{"query string password", func(l *slog.Logger) { l.Info("m", "url", "https://b.example/ws_login?email=a&pwd=Zz-987654") }, "Zz-987654", "email=a"},
		{"JSON text", func(l *slog.Logger) { l.Info("m", "raw", `{"email":"a@b.fr","password":"json-pass-1"}`) }, "json-pass-1", "a@b.fr"},
		{"GraphQL argument in an escaped request body", func(l *slog.Logger) {
			l.Error("internal error", "err", errors.New(`json request body could not be decoded: body:{\"query\":\"mutation { login(email: \\\"a@b.fr\\\", password: \\\"Echo2026\\\") }`))
		}, "Echo2026", "a@b.fr"},
		{"GraphQL argument in a once-escaped body", func(l *slog.Logger) {
			l.Error("internal error", "err", errors.New(`body:{"query":"mutation { login(email: \"a@b.fr\", password: \"Echo2027\") }`))
		}, "Echo2027", "a@b.fr"},
		{"UsernameToken text password", func(l *slog.Logger) {
			l.Info("m", "envelope", `<wsse:UsernameToken><wsse:Username>u</wsse:Username><wsse:Password Type="…#PasswordText">plain-pw-42</wsse:Password></wsse:UsernameToken>`)
		}, "plain-pw-42", "wsse:Username"},
		{"UsernameToken digest anywhere in it", func(l *slog.Logger) {
			l.Info("m", "envelope", `<UsernameToken><Username>u</Username><Other>`+digest("other")+`</Other></UsernameToken>`)
		}, digest("other"), "<Username>u</Username>"},
		{"URL password", func(l *slog.Logger) { l.Info("m", "redis", "redis://:redis-pw-77@cache:6379/0") }, "redis-pw-77", "cache:6379"},
		{"nested groups", func(l *slog.Logger) {
			l.Info("m", slog.Group("upstream", slog.Group("auth", slog.String("pwd", "deep-pw-11")), slog.String("op", "ws_login")))
		}, "deep-pw-11", "ws_login"},
		{"group named like a secret", func(l *slog.Logger) {
			l.Info("m", slog.Group("credentials", slog.String("user", "deep-user-22")))
		}, "deep-user-22", ""},
		{"WithGroup named like a secret", func(l *slog.Logger) { l.WithGroup("token").Info("m", "value", "grp-tok-33") }, "grp-tok-33", ""},
		{"WithAttrs", func(l *slog.Logger) { l.With("password", "with-pw-44").Info("m") }, "with-pw-44", ""},
		{"LogValuer", func(l *slog.Logger) { l.Info("m", "cfg", loginValuer{"valuer-pw-55"}) }, "valuer-pw-55", `"user":"u"`},
		{"error value", func(l *slog.Logger) {
			l.Error("m", "err", fmt.Errorf("upstream: %w", errors.New("refused pwd="+wsPass)))
		}, wsPass, "upstream: refused"},
		{"struct value", func(l *slog.Logger) { l.Info("m", "in", credentials{"bob", "struct-pw-66", "ok"}) }, "struct-pw-66", `"login":"bob"`},
		{"map value", func(l *slog.Logger) {
			l.Info("m", "in", map[string]any{"nested": map[string]string{"jeton": "map-tok-77"}})
		}, "map-tok-77", "nested"},
		{"slice value", func(l *slog.Logger) { l.Info("m", "list", []string{"a", "Bearer sl-tok-88"}) }, "sl-tok-88", `"a"`},
		{"bytes value", func(l *slog.Logger) { l.Info("m", "raw", []byte("x_rsi_api_key=bytes-key-99")) }, "bytes-key-99", "x_rsi_api_key="},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, raw := logLine(t, c.log)
			if strings.Contains(raw, c.secret) {
				t.Fatalf("secret %q in %s", c.secret, raw)
			}
			if !strings.Contains(raw, Redacted) {
				t.Fatalf("no redaction mark in %s", raw)
			}
			if c.keep != "" && !strings.Contains(raw, c.keep) {
				t.Fatalf("%q lost from %s", c.keep, raw)
			}
		})
	}
}

// Ensure ordinary fields pass untouched (types included) so logs stay useful.
func TestRedactionKeepsOrdinaryFields(t *testing.T) {
	m, raw := logLine(t, func(l *slog.Logger) {
		l.Info("graphql operation", "operation", "Me", "status", 200, "duration_ms", 1.5, "ok", true, "tokens_limit_hit", false)
	})
	if m["msg"] != "graphql operation" || m["operation"] != "Me" || m["status"] != 200.0 || m["duration_ms"] != 1.5 || m["ok"] != true {
		t.Fatalf("fields changed: %s", raw)
	}
}

// Ensure secrets added after the logger exists (sandbox credentials known
// only once the app has started them) are redacted too, and that very short
// values are not treated as secrets.
func TestSecretsAddedLater(t *testing.T) {
	var buf bytes.Buffer
	l := NewLogger(&buf, slog.LevelInfo, nil)
	SecretsOf(l).Add("late-secret-1", "677")
	l.Info("m", "detail", "late-secret-1 client 677")
	if s := buf.String(); strings.Contains(s, "late-secret-1") || !strings.Contains(s, "client 677") {
		t.Fatalf("got %s", s)
	}
	if SecretsOf(slog.New(slog.NewJSONHandler(&buf, nil))) != nil {
		t.Fatal("a plain logger has no secret registry")
	}
}

// Ensure the request id and operation of the context reach every line.
func TestContextAttrs(t *testing.T) {
	ctx := WithRequestID(context.Background(), "req-0123456789")
	setOperation(ctx, "Login")
	m, raw := logLine(t, func(l *slog.Logger) { l.InfoContext(ctx, "m") })
	if m["request_id"] != "req-0123456789" || m["operation"] != "Login" {
		t.Fatalf("got %s", raw)
	}
}

func TestParseLevel(t *testing.T) {
	if l, err := ParseLevel("debug"); err != nil || l != slog.LevelDebug {
		t.Fatal(l, err)
	}
	if l, err := ParseLevel("WARN"); err != nil || l != slog.LevelWarn {
		t.Fatal(l, err)
	}
	if _, err := ParseLevel("loud"); err == nil {
		t.Fatal("loud accepted")
	}
}

func BenchmarkRedactedLine(b *testing.B) {
	var buf bytes.Buffer
	l := NewLogger(&buf, slog.LevelInfo, NewSecrets(wsPass, aboPass, apiKey))
	ctx := WithRequestID(context.Background(), "req-0123456789")
	for b.Loop() {
		buf.Reset()
		l.LogAttrs(ctx, slog.LevelInfo, "graphql operation", slog.String("type", "query"), slog.String("outcome", "ok"), slog.Float64("duration_ms", 3.2))
	}
}
