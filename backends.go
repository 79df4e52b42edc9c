package main

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/sandbox"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
	"github.com/guichet/guichet/soap"
)

// backends are the two back offices as Guichet talks to them: real ones
// from the configuration, or sandboxes started in-process on loopback.
type backends struct {
	crm       *soap.Client
	tickets   *ticketing
	links     *siteLinks
	closers   []func()
	sandboxes []string // names of the simulated back offices, for the startup log

	abowebSandbox         *abosandbox.Server
	abowebSandboxURL      string
	billetterieSandbox    *bilsandbox.Server
	billetterieSandboxURL string
}

// sharedHTTP is the one HTTP client of the upstream calls: explicit
// timeouts, keep-alive, enough idle connections for a season opening.
func sharedHTTP(timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 64
	tr.IdleConnTimeout = 90 * time.Second
	tr.TLSHandshakeTimeout = 10 * time.Second
	tr.ResponseHeaderTimeout = timeout
	return &http.Client{Transport: tr, Timeout: timeout + 5*time.Second}
}

func openBackends(cfg *config.Config, logger *slog.Logger) (*backends, error) {
	b := &backends{}
	httpClient := sharedHTTP(cfg.UpstreamTimeout)

	if cfg.AbowebSandbox() {
		sb := abosandbox.New(abosandbox.DefaultConfig())
		run, err := sandbox.Serve("127.0.0.1:0", sb)
		if err != nil {
			b.Close()
			return nil, err
		}
		b.closers = append(b.closers, run.Close)
		b.abowebSandbox, b.abowebSandboxURL = sb, run.URL+"/aboweb/ClientService"
		b.sandboxes = append(b.sandboxes, "aboweb")
		cfg.AbowebURL, cfg.AbowebUsername, cfg.AbowebPassword = b.abowebSandboxURL, abosandbox.DemoUsername, abosandbox.DemoPassword
	}
	crm, err := soap.New(soap.Config{
		URL: cfg.AbowebURL, Username: cfg.AbowebUsername, Password: cfg.AbowebPassword,
		PasswordMode: soap.PasswordMode(cfg.AbowebPasswordMode), UpdateSendsAll: cfg.AbowebUpdateSendsAll,
		HTTPClient: httpClient, Timeout: cfg.UpstreamTimeout, Logger: logger,
	})
	if err != nil {
		b.Close()
		return nil, err
	}
	b.crm = crm

	if err := b.openTicketing(cfg, httpClient, logger); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Close stops the sandboxes.
func (b *backends) Close() {
	for i := len(b.closers) - 1; i >= 0; i-- {
		b.closers[i]()
	}
	b.closers = nil
}
