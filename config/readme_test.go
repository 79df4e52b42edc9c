package config

import (
	"os"
	"strings"
	"testing"
)

// Ensure the README documents every environment variable Guichet reads.
func TestReadmeListsEveryVariable(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Vars {
		if !strings.Contains(string(raw), "`"+v.Name+"`") {
			t.Errorf("README.md does not document %s", v.Name)
		}
	}
}
