package obs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// NewLogger is Guichet's logger: JSON lines on w at level and above,
// every record passed through a Redactor holding secrets (may be nil).
func NewLogger(w io.Writer, level slog.Leveler, secrets *Secrets) *slog.Logger {
	return slog.New(NewRedactor(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}), secrets))
}

// ParseLevel reads debug, info, warn or error.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return 0, fmt.Errorf("want debug, info, warn or error, got %q", s)
	}
	return l, nil
}

// reqInfo travels in a request's context so every log line of the request
// carries its id and, once known, its GraphQL operation.
type reqInfo struct {
	id string
	op atomic.Pointer[string] // set by the GraphQL extension, read by other goroutines' logs
}

func (i *reqInfo) Operation() string {
	if p := i.op.Load(); p != nil {
		return *p
	}
	return ""
}

type infoKey struct{}

func infoFrom(ctx context.Context) *reqInfo {
	if ctx == nil {
		return nil
	}
	i, _ := ctx.Value(infoKey{}).(*reqInfo)
	return i
}

// RequestIDFrom returns the id of the request ctx belongs to, or "".
func RequestIDFrom(ctx context.Context) string {
	if i := infoFrom(ctx); i != nil {
		return i.id
	}
	return ""
}

// OperationFrom returns the GraphQL operation recorded for the request, or "".
func OperationFrom(ctx context.Context) string {
	if i := infoFrom(ctx); i != nil {
		return i.Operation()
	}
	return ""
}

func setOperation(ctx context.Context, name string) {
	if i := infoFrom(ctx); i != nil {
		i.op.Store(&name)
	}
}

// WithRequestID attaches a request id to ctx (background jobs, tests).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, infoKey{}, &reqInfo{id: id})
}

// RequestIDHeader carries the id both ways.
const RequestIDHeader = "X-Request-Id"

// A caller's id is kept only if it looks like an id: a load balancer's or
// router's id then joins their logs to ours, and nothing else (free text, a
// token pasted by mistake into a header) reaches the logs.
var goodRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,64}$`)

// RequestID gives every request an id: the caller's X-Request-Id when it is
// a plausible id, else a random one. The id is echoed in the response header
// and put in the context, where the Redactor adds it to every log line.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !goodRequestID.MatchString(id) {
			id = newID()
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(WithRequestID(r.Context(), id)))
	})
}

func newID() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// quietPaths are polled by orchestrators and scrapers: logged at debug only.
var quietPaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// AccessLog writes one line per HTTP request: method, path (never the query
// string, which may carry a GET query's variables), status, size, duration.
// Put it inside RequestID so the line has the id.
func AccessLog(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if quietPaths[r.URL.Path] {
			level = slog.LevelDebug
		}
		if rec.status >= 500 {
			level = slog.LevelWarn
		}
		logger.LogAttrs(r.Context(), level, "http request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
