// Package gctarget sets the garbage collector's target at start.
//
// Why: Go's default (GOGC=100) collects every time the heap doubles. A
// Guichet process keeps a few MB live (catalogue, caches) and allocates
// about as much for one uncached listing, so with the default it collects
// every request or two: 11–29% of the CPU of a request was GC, measured. A
// higher percentage trades memory for CPU; a memory limit derived from the
// container's keeps that trade from ever costing an OOM kill (the limit
// makes the collector run sooner as the heap nears it).
package gctarget

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
)

// Auto asks for a memory limit derived from the cgroup's (Apply).
const Auto = -1

// autoShare is the share of the container's memory the Go heap may use:
// the rest is for stacks, buffers outside the heap and the page cache.
const autoShare = 0.9

// Settings is what Apply did, for the startup log.
type Settings struct {
	GCPercent   int    // -1: collector off
	MemoryLimit int64  // bytes; 0: none
	Source      string // where each value came from
}

// Apply sets the GC percentage and the memory limit, unless the standard
// GOGC / GOMEMLIMIT variables are set (the runtime has applied those
// already and they win). memoryLimit is a byte count, 0 for none or Auto
// for autoShare of the cgroup limit found under cgroupRoot (none if the
// process has no limit).
func Apply(gcPercent int, memoryLimit int64, getenv func(string) string, cgroupRoot string) Settings {
	var s Settings
	var src []string
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
		src = append(src, "gogc=GUICHET_GOGC")
	} else {
		src = append(src, "gogc=GOGC")
	}
	s.GCPercent = debug.SetGCPercent(-1)
	debug.SetGCPercent(s.GCPercent)

	switch {
	case getenv("GOMEMLIMIT") != "":
		src = append(src, "limit=GOMEMLIMIT")
	case memoryLimit == Auto:
		if n := CgroupLimit(cgroupRoot); n > 0 {
			debug.SetMemoryLimit(int64(float64(n) * autoShare))
			src = append(src, "limit=cgroup")
		} else {
			src = append(src, "limit=none (no cgroup limit)")
		}
	case memoryLimit > 0:
		debug.SetMemoryLimit(memoryLimit)
		src = append(src, "limit=GUICHET_MEMORY_LIMIT")
	default:
		src = append(src, "limit=none")
	}
	if l := debug.SetMemoryLimit(-1); l != int64(^uint64(0)>>1) {
		s.MemoryLimit = l
	}
	s.Source = strings.Join(src, " ")
	return s
}

// CgroupLimit is the memory limit of this process's cgroup in bytes, 0 if
// none: cgroup v2 (memory.max) first, then v1 (memory/memory.limit_in_bytes,
// where "no limit" is a huge number).
func CgroupLimit(root string) int64 {
	if b, err := os.ReadFile(filepath.Join(root, "memory.max")); err == nil {
		v := strings.TrimSpace(string(b))
		if v == "max" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0
		}
		return n
	}
	if b, err := os.ReadFile(filepath.Join(root, "memory", "memory.limit_in_bytes")); err == nil {
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 {
			return 0
		}
		return n
	}
	return 0
}

// ParseBytes reads a memory size: a whole number of bytes or one with a
// KiB, MiB or GiB suffix (also KB, MB, GB, taken as powers of 1024, as
// GOMEMLIMIT does not). "auto" is Auto; "0" and "off" are 0.
func ParseBytes(v string) (int64, error) {
	v = strings.TrimSpace(v)
	switch strings.ToLower(v) {
	case "auto":
		return Auto, nil
	case "off", "0":
		return 0, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(v, u.suffix) {
			v, mult = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("want a size such as 512MiB, auto or off")
	}
	return n * mult, nil
}
