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
