package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// limitBody refuses request bodies over max bytes with 413 and a GraphQL
// error, before any decoding: a declared length is refused at once, a
// chunked body as soon as it passes the limit (only those are read ahead;
// a declared length within the limit is already bounded by net/http).
// gqlgen alone would answer a generic decoding error.
//
// LimitBody is the same guard for what wraps the GraphQL handler (the
// response cache reads bodies too): it must come first. It also sends
// large requests through a narrow lane (heavyLane).
//
// lane gives the client address a large request counts against ("": not
// counted, the federation router); nil counts none.
func LimitBody(next http.Handler, max int64, lane func(*http.Request) string) http.Handler {
	return limitBody(heavyLane(next, laneLimits{threshold: HeavyRequestBytes, slots: 1, queue: heavyQueue,
		perAddress: heavyPerAddress, address: lane}), max)
}

// heavyQueue is how many large requests may wait for the lane; more are
// refused at once (429): each waiting one holds a goroutine and a
// connection, and a hostile client could queue them without limit.
const heavyQueue = 32

// heavyPerAddress is how many large requests one client address may have
// waiting or running at once: one address alone cannot fill the queue and
// turn everyone else's rare large request (a big introspection, a long
// _entities batch) into a 429.
const heavyPerAddress = 4

type laneLimits struct {
	threshold    int64
	slots, queue int
	perAddress   int
	address      func(*http.Request) string
}

// HeavyRequestBytes is the size from which a request takes the heavy lane.
// The website's operations and the standard introspection query are a few
// kilobytes; every expensive refusal of the abuse corpus is larger.
const HeavyRequestBytes = 8 << 10

// heavyLane lets at most slots large requests (declared body, or URL, over
// threshold bytes; chunked bodies count as large) be decoded and checked
// at once: refusing a large hostile request costs milliseconds of CPU, and
// a few clients sending them in a loop would otherwise take every core from
// ordinary traffic. They wait their turn for as long as their client does.
// A request leaves the lane with the first byte of its answer, so a
// subscription stream opened by a large request does not hold it. At most
// queue requests wait; more are refused with RATE_LIMITED.
func heavyLane(next http.Handler, o laneLimits) http.Handler {
	lane := make(chan struct{}, o.slots)
	var waiting atomic.Int64
	var mu sync.Mutex
	held := map[string]int{} // large requests waiting or running, per address
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		heavy := r.ContentLength > o.threshold || int64(len(r.URL.RawQuery)) > o.threshold ||
			(r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
		if !heavy {
			next.ServeHTTP(w, r)
			return
		}
		if o.address != nil && o.perAddress > 0 {
			if addr := o.address(r); addr != "" {
				mu.Lock()
				over := held[addr] >= o.perAddress
				if !over {
					held[addr]++
				}
				mu.Unlock()
				if over {
					w.Header().Set("Connection", "close")
					w.Header().Set("Retry-After", "1")
					writeError(w, http.StatusTooManyRequests, CodeRateLimited, "too many large requests from this address at once; try again", 0)
					return
				}
				defer func() {
					mu.Lock()
					if held[addr]--; held[addr] == 0 {
						delete(held, addr)
					}
					mu.Unlock()
				}()
			}
		}
		select {
		case lane <- struct{}{}:
		default:
			if waiting.Add(1) > int64(o.queue) {
				waiting.Add(-1)
				w.Header().Set("Connection", "close") // the body stays unread
				w.Header().Set("Retry-After", "1")
				writeError(w, http.StatusTooManyRequests, CodeRateLimited, "too many large requests at once; try again", 0)
				return
			}
			select {
			case lane <- struct{}{}:
				waiting.Add(-1)
			case <-r.Context().Done():
				waiting.Add(-1)
				return
			}
		}
		lw := &laneWriter{ResponseWriter: w, leave: func() { <-lane }}
		defer lw.out()
		next.ServeHTTP(lw, r)
	})
}

// laneWriter gives the lane back once the answer starts.
type laneWriter struct {
	http.ResponseWriter
	leave func()
	left  bool
}

func (l *laneWriter) out() {
	if !l.left {
		l.left = true
		l.leave()
	}
}

func (l *laneWriter) WriteHeader(status int) {
	l.out()
	l.ResponseWriter.WriteHeader(status)
}

func (l *laneWriter) Write(b []byte) (int, error) {
	l.out()
	return l.ResponseWriter.Write(b)
}

func (l *laneWriter) Flush() {
	l.out()
	http.NewResponseController(l.ResponseWriter).Flush()
}

// Unwrap lets a WebSocket upgrade reach the connection (Hijack).
func (l *laneWriter) Unwrap() http.ResponseWriter { return l.ResponseWriter }

func limitBody(next http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeError(w, http.StatusRequestEntityTooLarge, CodePayloadTooLarge, "the request body is larger than the limit", max)
			return
		}
		if r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody {
			buf, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
			var mbe *http.MaxBytesError
			switch {
			case errors.As(err, &mbe):
				writeError(w, http.StatusRequestEntityTooLarge, CodePayloadTooLarge, "the request body is larger than the limit", max)
				return
			case err != nil:
				writeError(w, http.StatusBadRequest, CodeBadRequest, "the request body could not be read", 0)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(buf))
		}
		next.ServeHTTP(w, r)
	})
}

// writeError answers a request refused before GraphQL runs.
func writeError(w http.ResponseWriter, status int, code, msg string, limit int64) {
	ext := map[string]any{"code": code}
	if limit > 0 {
		ext["limit"] = limit
		w.Header().Set("Connection", "close") // do not read the rest of a huge body
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": ext}}})
}

// codedErrors gives an extensions.code to the few error answers gqlgen's
// transports write without the presenter (a bad GET parameter, a mutation
// over GET), so every GraphQL error a client sees carries a code. Only
// non-200 answers are held back, and those are a few bytes.
func codedErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &codeWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		cw.flush()
	})
}

type codeWriter struct {
	http.ResponseWriter
	status int
	held   *bytes.Buffer
}

func (c *codeWriter) WriteHeader(status int) {
	if c.status != 0 {
		return
	}
	c.status = status
	if status >= 400 && status != http.StatusRequestEntityTooLarge {
		c.held = &bytes.Buffer{}
		return
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *codeWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if c.held != nil {
		return c.held.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

func (c *codeWriter) Flush() {
	if c.held == nil {
		// Through wrappers that only Unwrap (the access log's): an event
		// stream must reach the client as it is written.
		http.NewResponseController(c.ResponseWriter).Flush()
	}
}

// Unwrap lets a WebSocket upgrade reach the connection (Hijack).
func (c *codeWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *codeWriter) flush() {
	if c.held == nil {
		return
	}
	body := c.held.Bytes()
	var resp map[string]any
	if json.Unmarshal(body, &resp) == nil {
		if list, ok := resp["errors"].([]any); ok {
			code := CodeBadRequest
			if c.status == http.StatusMethodNotAllowed || c.status == http.StatusNotAcceptable {
				code = CodeMethodNotAllowed
			}
			for _, e := range list {
				if m, ok := e.(map[string]any); ok {
					ext, _ := m["extensions"].(map[string]any)
					if ext == nil {
						ext = map[string]any{}
						m["extensions"] = ext
					}
					if _, has := ext["code"]; !has {
						ext["code"] = code
					}
				}
			}
			if b, err := json.Marshal(resp); err == nil {
				body = b
			}
		}
	}
	c.ResponseWriter.Header().Del("Content-Length")
	c.ResponseWriter.WriteHeader(c.status)
	c.ResponseWriter.Write(body)
}
