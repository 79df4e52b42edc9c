// Package config loads Guichet's configuration from the environment, once,
// at start. Every variable is declared in one table so that `-h`, the README
// and the startup log list the same names.
package config

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
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
	AvailabilityTTL time.Duration // shared cache of live seat counts; 0 turns it off
	Playground      bool
	Introspection   bool
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
	{Name: "GUICHET_AVAILABILITY_TTL", Default: "30s", Help: "how long a live seat count is shared across requests (0 asks the ticketing system every time)",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return fmt.Errorf("want a duration such as 30s (0 turns the cache off), got %q", v)
			}
			c.AvailabilityTTL = d
			return nil
		}},
	// Read by the catalogue package itself; listed here so -h and the README show them.
	{Name: "GUICHET_DATA_DIR", Default: "data", Help: "where the catalogue snapshot and its sync state are kept",
		set: func(*Config, string) error { return nil }},
	{Name: "GUICHET_SYNC_INTERVAL", Default: "5m", Help: "interval of the incremental catalogue pulls (filtre=1&date_modif=)",
		set: func(*Config, string) error { return nil }},
	{Name: "GUICHET_REDIS_URL", Secret: true, Help: "Redis shared by replicas: snapshot, sync state and the sync lease",
		set: func(*Config, string) error { return nil }},
	{Name: "GUICHET_PLAYGROUND", Default: "true", Help: "serve GraphiQL at /",
		set: boolean(func(c *Config) *bool { return &c.Playground })},
	{Name: "GUICHET_INTROSPECTION", Default: "true", Help: "allow schema introspection",
		set: boolean(func(c *Config) *bool { return &c.Introspection })},
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
	}
	if c.BilletterieURL != "" && (c.BilletterieLogin == "" || c.BilletteriePassword == "" || c.BilletterieClient == "") {
		problems = append(problems, "BILLETTERIE_URL is set: BILLETTERIE_LOGIN, BILLETTERIE_PASSWORD and BILLETTERIE_CLIENT are required")
	}
	if c.AbowebURL != "" && (c.AbowebUsername == "" || c.AbowebPassword == "") {
		problems = append(problems, "ABOWEB_URL is set: ABOWEB_USERNAME and ABOWEB_PASSWORD are required")
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
