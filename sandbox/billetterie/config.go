// Package billetterie is an HTTP simulator of the L@billetterie ticketing web
// services, written from the vendor's spec (SPWS_RSI): form-encoded POST or
// GET requests to <base>/ws_<name>, JSON envelopes with the statut codes and
// messages of table 4.2 (status_table.go), ISO-8859-1 XML catalogue flux whose
// guessed names sit in flux_names.go, and only the parameter names of the
// spec (annex 4.1 and each service's table). Everything is seeded
// deterministically from the configured clock, so two servers built at the
// same instant answer byte for byte the same. Besides the services it serves
// run-time controls under /_sandbox/: faults, calls, and the vendor's pushes
// (callbacks, purchase, print_card: notify.go).
package billetterie

import "time"

// Config holds the credentials the simulator accepts and its clock.
type Config struct {
	Login, Password, Client  string // x_rsi_ws_login, x_rsi_ws_mdp, x_rsi_client
	APILogin, APIKey, PwdKey string // ws_execute_programme credentials and x_rsi_pwd_key
	SessionTTL               time.Duration
	Now                      func() time.Time
	Callbacks                Callbacks // push URLs at start; SetCallbacks changes them
	// Quirks rewrites every JSON answer into the loose shapes real sites
	// send (quirks.go): quoted and empty numbers, ids as strings,
	// ws_info_contact with only "id", unknown keys. Off by default.
	Quirks bool
}

// DefaultConfig returns the sandbox credentials printed by cmd/sandbox.
func DefaultConfig() Config {
	return Config{
		Login:      "guichet-demo",
		Password:   "demo-ws-2026",
		Client:     "677",
		APILogin:   "WSCE",
		APIKey:     "sandbox-api-key-0001",
		PwdKey:     "sandbox-pwd-key",
		SessionTTL: 20 * time.Minute,
		Now:        time.Now,
	}
}

// paris is the venue's time zone: every vendor date (REP_DATE, TS_MODIF,
// datevente, date_modif, ts…) is Paris local time whatever the host's zone.
var paris = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	// Without tzdata on the host: winter time, close enough for a simulator.
	return time.FixedZone("CET", 3600)
}()

func (s *Server) now() time.Time { return s.cfg.Now().In(paris) }
