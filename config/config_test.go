package config

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsRunBothSandboxes(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || !c.BilletterieSandbox() || !c.AbowebSandbox() || c.UpstreamTimeout != 10*time.Second || c.AbowebPasswordMode != "sha1" {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestRealBackendNeedsCredentials(t *testing.T) {
	_, err := Load(env(map[string]string{"BILLETTERIE_URL": "https://billetterie.example.fr/", "ABOWEB_URL": "https://abo.example.fr/ws"}))
	if err == nil || !strings.Contains(err.Error(), "BILLETTERIE_LOGIN") || !strings.Contains(err.Error(), "ABOWEB_USERNAME") {
		t.Fatalf("want both missing credentials named, got %v", err)
	}
}

func TestBadValuesAreNamed(t *testing.T) {
	_, err := Load(env(map[string]string{"ABOWEB_PASSWORD_MODE": "md5", "GUICHET_UPSTREAM_TIMEOUT": "soon", "GUICHET_API_KEYS": "short"}))
	for _, name := range []string{"ABOWEB_PASSWORD_MODE", "GUICHET_UPSTREAM_TIMEOUT", "GUICHET_API_KEYS"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Fatalf("error %v does not name %s", err, name)
		}
	}
}

func TestSecretsNeverPrinted(t *testing.T) {
	c, err := Load(env(map[string]string{
		"BILLETTERIE_URL": "https://b.example.fr/", "BILLETTERIE_LOGIN": "l", "BILLETTERIE_PASSWORD": "s3cret-bil", "BILLETTERIE_CLIENT": "677",
		"ABOWEB_URL": "https://a.example.fr/", "ABOWEB_USERNAME": "u", "ABOWEB_PASSWORD": "s3cret-abo",
		"GUICHET_API_KEYS": "key-0123456789abcdef, key-fedcba9876543210",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.APIKeys) != 2 || c.APIKeys[1] != "key-fedcba9876543210" {
		t.Fatalf("keys: %v", c.APIKeys)
	}
	for _, s := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", c)} {
		for _, secret := range []string{"s3cret-bil", "s3cret-abo", "0123456789abcdef"} {
			if strings.Contains(s, secret) {
				t.Fatalf("secret %q printed in %q", secret, s)
			}
		}
	}
}

func TestUsageListsEveryVariable(t *testing.T) {
	var b bytes.Buffer
	Usage(&b)
	for _, v := range Vars {
		if !strings.Contains(b.String(), v.Name) {
			t.Fatalf("usage misses %s", v.Name)
		}
	}
}

// Ensure the observability variables parse, reject bad values by name, and
// that every credential is listed for the log redactor.
func TestObservabilityVars(t *testing.T) {
	c, err := Load(env(map[string]string{
		"GUICHET_LOG_LEVEL": "debug", "GUICHET_CORS_ORIGINS": " https://www.theatre.example/, https://*.venue.example ,",
		"GUICHET_OTLP_ENDPOINT": "http://collector:4318",
		"GUICHET_API_KEYS":      "key-0123456789abcdef,key-fedcba9876543210", "GUICHET_REDIS_URL": "redis://:redis-pw-0042@cache:6379/0",
		"BILLETTERIE_URL": "https://b.example.fr/", "BILLETTERIE_LOGIN": "l", "BILLETTERIE_PASSWORD": "s3cret-bil", "BILLETTERIE_CLIENT": "677",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.LogLevel.String() != "DEBUG" || c.OTLPEndpoint != "http://collector:4318" ||
		strings.Join(c.CORSOrigins, " ") != "https://www.theatre.example https://*.venue.example" {
		t.Fatalf("got level %v, otlp %q, origins %q", c.LogLevel, c.OTLPEndpoint, c.CORSOrigins)
	}
	secrets := strings.Join(c.Secrets(), "\n")
	for _, s := range []string{"key-0123456789abcdef", "key-fedcba9876543210", "redis-pw-0042", "s3cret-bil"} {
		if !strings.Contains(secrets, s) {
			t.Fatalf("secret %q not listed", s)
		}
	}
	if strings.Contains(secrets, "677") || strings.Contains(secrets, "collector") {
		t.Fatalf("non-secret listed: %q", secrets)
	}
	if d, _ := Load(env(nil)); d.LogLevel.String() != "INFO" || d.CORSOrigins != nil || d.OTLPEndpoint != "" {
		t.Fatalf("defaults: level %v origins %v otlp %q", d.LogLevel, d.CORSOrigins, d.OTLPEndpoint)
	}
	_, err = Load(env(map[string]string{"GUICHET_LOG_LEVEL": "loud", "GUICHET_CORS_ORIGINS": "theatre.example", "GUICHET_OTLP_ENDPOINT": "collector:4318"}))
	for _, name := range []string{"GUICHET_LOG_LEVEL", "GUICHET_CORS_ORIGINS", "GUICHET_OTLP_ENDPOINT"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Fatalf("error %v does not name %s", err, name)
		}
	}
}

// Ensure the response cache and public max-age default to 64 MiB and 60 s,
// read plain numbers, and name bad values.
func TestResponseCacheVariables(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ResponseCacheBytes != 64<<20 || c.PublicMaxAge != 60 {
		t.Fatalf("defaults: %d bytes, max-age %d", c.ResponseCacheBytes, c.PublicMaxAge)
	}
	c, err = Load(env(map[string]string{"GUICHET_RESPONSE_CACHE_BYTES": "0", "GUICHET_PUBLIC_MAX_AGE": "300"}))
	if err != nil || c.ResponseCacheBytes != 0 || c.PublicMaxAge != 300 {
		t.Fatalf("set: %d %d %v", c.ResponseCacheBytes, c.PublicMaxAge, err)
	}
	_, err = Load(env(map[string]string{"GUICHET_RESPONSE_CACHE_BYTES": "64MiB", "GUICHET_PUBLIC_MAX_AGE": "-1"}))
	for _, name := range []string{"GUICHET_RESPONSE_CACHE_BYTES", "GUICHET_PUBLIC_MAX_AGE"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Fatalf("error %v does not name %s", err, name)
		}
	}
}
