package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is one system under test, run as its own process group so its
// CPU time and memory can be read from /proc and it can be stopped whole
// (Mesh forks workers).
type server struct {
	name string
	url  string
	cmd  *exec.Cmd
	logs *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 { // keep the head: start-up failures are what we print
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// start runs cmd in its own process group and waits until GET ready
// answers 200 (or any status when ready ends with "*").
func start(name string, cmd *exec.Cmd, base, ready string, wait time.Duration) (*server, error) {
	s := &server{name: name, url: base, cmd: cmd, logs: &lockedBuffer{}}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	anyStatus := strings.HasSuffix(ready, "*")
	ready = strings.TrimSuffix(ready, "*")
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	for deadline := time.Now().Add(wait); ; time.Sleep(100 * time.Millisecond) {
		select {
		case <-exited:
			return nil, fmt.Errorf("%s exited at start:\n%s", name, tail(s.logs.String(), 3000))
		default:
		}
		if resp, err := http.Get(base + ready); err == nil {
			resp.Body.Close()
			if anyStatus || resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s not ready after %s:\n%s", name, wait, tail(s.logs.String(), 3000))
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// stop signals the whole process group (a Node master may ignore the first
// SIGTERM), then kills what is left.
func (s *server) stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	pgid := s.cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	for i := 0; i < 30; i++ {
		if len(groupPIDs(pgid)) == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
}

// usage is the CPU time and peak memory of a process group.
type usage struct {
	CPU     time.Duration
	PeakRSS int64 // bytes: sum of VmHWM of the group's live processes
}

var clockTick = func() float64 {
	if out, err := exec.Command("getconf", "CLK_TCK").Output(); err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64); err == nil && v > 0 {
			return v
		}
	}
	return 100
}()

// groupPIDs lists the live processes of a process group.
func groupPIDs(pgid int) []int {
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []int
	for _, d := range dirs {
		f, ok := statFields(d)
		if !ok || len(f) < 3 {
			continue
		}
		// f[0] is the state after the command name; pgrp is two fields on.
		if f[0] == "Z" {
			continue
		}
		if g, _ := strconv.Atoi(f[2]); g == pgid {
			pid, _ := strconv.Atoi(strings.Split(d, "/")[2])
			out = append(out, pid)
		}
	}
	return out
}

// statFields returns the fields of /proc/<pid>/stat after "(comm)".
func statFields(path string) ([]string, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, false
	}
	return strings.Fields(s[i+1:]), true
}

func (s *server) usage() usage {
	var u usage
	for _, pid := range groupPIDs(s.cmd.Process.Pid) {
		if f, ok := statFields(fmt.Sprintf("/proc/%d/stat", pid)); ok && len(f) > 12 {
			ut, _ := strconv.ParseFloat(f[11], 64) // utime: field 14 of stat
			st, _ := strconv.ParseFloat(f[12], 64) // stime: field 15
			u.CPU += time.Duration((ut + st) / clockTick * float64(time.Second))
		}
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
					u.PeakRSS += kb << 10
				}
			}
		}
	}
	return u
}
