package gctarget

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Ensure the container's limit is read from cgroup v2 and v1 files, and
// that "no limit" in either form reads as 0.
func TestCgroupLimit(t *testing.T) {
	v2 := t.TempDir()
	write(t, filepath.Join(v2, "memory.max"), "536870912\n")
	v2max := t.TempDir()
	write(t, filepath.Join(v2max, "memory.max"), "max\n")
	v1 := t.TempDir()
	write(t, filepath.Join(v1, "memory", "memory.limit_in_bytes"), "268435456\n")
	v1none := t.TempDir()
	write(t, filepath.Join(v1none, "memory", "memory.limit_in_bytes"), "9223372036854771712\n")
	for dir, want := range map[string]int64{v2: 512 << 20, v2max: 0, v1: 256 << 20, v1none: 0, t.TempDir(): 0} {
		if got := CgroupLimit(dir); got != want {
			t.Errorf("%s: %d, want %d", dir, got, want)
		}
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"auto": Auto, "off": 0, "0": 0, "1048576": 1 << 20, "512MiB": 512 << 20, "2 GiB": 2 << 30, "64KB": 64 << 10} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "lots", "12TB", "1.5GiB"} {
		if _, err := ParseBytes(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Ensure Apply sets what it reports, takes 90% of a cgroup limit in auto
// mode, and leaves GOGC / GOMEMLIMIT to the runtime when they are set.
func TestApply(t *testing.T) {
	oldGC, oldLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(oldGC); debug.SetMemoryLimit(oldLimit) })
	root := t.TempDir()
	write(t, filepath.Join(root, "memory.max"), "1000000000")
	none := func(string) string { return "" }

	s := Apply(400, Auto, none, root)
	if s.GCPercent != 400 || s.MemoryLimit != 900000000 || debug.SetGCPercent(400) != 400 {
		t.Fatalf("auto: %+v", s)
	}
	s = Apply(250, 64<<20, none, root)
	if s.GCPercent != 250 || s.MemoryLimit != 64<<20 {
		t.Fatalf("explicit: %+v", s)
	}
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(123 << 20)
	std := func(k string) string { return map[string]string{"GOGC": "100", "GOMEMLIMIT": "123MiB"}[k] }
	s = Apply(400, Auto, std, root)
	if s.GCPercent != 100 || s.MemoryLimit != 123<<20 || s.Source != "gogc=GOGC limit=GOMEMLIMIT" {
		t.Fatalf("standard variables must win: %+v", s)
	}
}
