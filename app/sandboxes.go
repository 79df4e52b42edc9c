package app

import (
	"sync"

	"github.com/guichet/guichet/config"
	"github.com/guichet/guichet/sandbox"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
)

// Sandboxes are the back offices simulated in-process for the ones the
// configuration leaves unset (`go run .`, the tests).
type Sandboxes struct {
	Ticketing *sandbox.Ticketing // nil: BILLETTERIE_URL names a real one
	CRM       *sandbox.CRM       // nil: ABOWEB_URL names a real one
	// DemoKey is the back-office key made up when both back offices are
	// simulated and no GUICHET_API_KEYS is set.
	DemoKey string
	once    sync.Once
}

// StartSandboxes starts a simulator for each back office cfg leaves unset
// and returns cfg completed with their endpoints and credentials (plus, in
// sandbox mode, a fresh demo key and hook secret). Called before the logger
// is made, so the redactor knows every credential from its first line.
func StartSandboxes(cfg config.Config) (config.Config, *Sandboxes, error) {
	s := &Sandboxes{}
	if cfg.BilletterieSandbox() && cfg.AbowebSandbox() && len(cfg.APIKeys) == 0 {
		// Sandbox mode needs a back-office key to explore back-office fields;
		// a fresh random one per run keeps it from becoming a known default.
		s.DemoKey = "sandbox-" + randomHex(16)
		cfg.APIKeys = []string{s.DemoKey}
	}
	if cfg.AbowebSandbox() {
		sc := abosandbox.DefaultConfig()
		sc.Quirks = cfg.SandboxQuirks
		crm, err := sandbox.StartCRM("127.0.0.1:0", sc)
		if err != nil {
			return cfg, nil, err
		}
		s.CRM = crm
		cfg.AbowebURL, cfg.AbowebUsername, cfg.AbowebPassword = crm.Endpoint, crm.Username, crm.Password
	}
	if cfg.BilletterieSandbox() {
		sc := bilsandbox.DefaultConfig()
		sc.Quirks = cfg.SandboxQuirks
		t, err := sandbox.StartTicketing("127.0.0.1:0", sc)
		if err != nil {
			s.Close()
			return cfg, nil, err
		}
		s.Ticketing = t
		cfg.BilletterieURL, cfg.BilletterieLogin, cfg.BilletteriePassword, cfg.BilletterieClient = t.BaseURL, t.Login, t.Password, t.Client
		cfg.BilletterieAPIURL, cfg.BilletterieAPILogin, cfg.BilletterieAPIKey, cfg.BilletteriePwdKey = t.APIURL, t.APILogin, t.APIKey, t.PwdKey
		if cfg.HookSecret == "" {
			// The simulated pushes need an endpoint to reach.
			cfg.HookSecret = randomHex(16)
		}
	}
	return cfg, s, nil
}

// names are the simulated back offices, for the startup log.
func (s *Sandboxes) names() []string {
	var out []string
	if s != nil && s.CRM != nil {
		out = append(out, "aboweb")
	}
	if s != nil && s.Ticketing != nil {
		out = append(out, "billetterie")
	}
	return out
}

// ticketing is the ticketing simulator's control surface, nil without one.
func (s *Sandboxes) ticketing() *bilsandbox.Server {
	if s == nil || s.Ticketing == nil {
		return nil
	}
	return s.Ticketing.Sim
}

// Close stops the simulators; later calls do nothing.
func (s *Sandboxes) Close() {
	if s == nil {
		return
	}
	s.once.Do(func() {
		if s.Ticketing != nil {
			s.Ticketing.Close()
		}
		if s.CRM != nil {
			s.CRM.Close()
		}
	})
}

func (s *Sandboxes) demoKey() string {
	if s == nil {
		return ""
	}
	return s.DemoKey
}
