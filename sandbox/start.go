package sandbox

import (
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
)

// Ticketing is a started L@billetterie simulator: where it answers and the
// credentials it accepts, what BILLETTERIE_* would name for a real one.
type Ticketing struct {
	*Running
	Sim                      *bilsandbox.Server
	Login, Password, Client  string
	APILogin, APIKey, PwdKey string
	BaseURL, APIURL          string // both the simulator's root, with a trailing slash
}

// StartTicketing serves a ticketing simulator of cfg on addr.
func StartTicketing(addr string, cfg bilsandbox.Config) (*Ticketing, error) {
	sim := bilsandbox.New(cfg)
	run, err := Serve(addr, sim)
	if err != nil {
		return nil, err
	}
	return &Ticketing{Running: run, Sim: sim, Login: cfg.Login, Password: cfg.Password, Client: cfg.Client,
		APILogin: cfg.APILogin, APIKey: cfg.APIKey, PwdKey: cfg.PwdKey, BaseURL: run.URL + "/", APIURL: run.URL + "/"}, nil
}

// CRM is a started AboWeb simulator: its ClientService endpoint and the
// WS-Security account it accepts, what ABOWEB_* would name for a real one.
type CRM struct {
	*Running
	Sim                *abosandbox.Server
	Endpoint           string // …/ClientService (the simulator answers on any path)
	Username, Password string
}

// StartCRM serves a CRM simulator of cfg on addr.
func StartCRM(addr string, cfg abosandbox.Config) (*CRM, error) {
	sim := abosandbox.New(cfg)
	run, err := Serve(addr, sim)
	if err != nil {
		return nil, err
	}
	return &CRM{Running: run, Sim: sim, Endpoint: run.URL + "/ClientService", Username: cfg.Username, Password: cfg.Password}, nil
}
