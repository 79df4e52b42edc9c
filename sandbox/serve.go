// Package sandbox runs the back-office simulators on real TCP listeners, for
// `go run .` (embedded, on a loopback port), `cmd/sandbox` and tests.
// The simulators themselves live in sandbox/billetterie and sandbox/aboweb.
package sandbox

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Running is a simulator served on a listener.
type Running struct {
	URL string // http://host:port, no trailing slash
	srv *http.Server
}

// Serve starts h on addr ("127.0.0.1:0" picks a free loopback port).
func Serve(addr string, h http.Handler) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("sandbox stopped serving", "addr", ln.Addr().String(), "err", err)
		}
	}()
	host := ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return &Running{URL: "http://" + host, srv: srv}, nil
}

// Close stops the simulator; requests in flight (even hung by fault
// injection) are cut after a second.
func (r *Running) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if r.srv.Shutdown(ctx) != nil {
		r.srv.Close()
	}
}
