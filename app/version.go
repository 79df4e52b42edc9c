package app

import (
	"runtime/debug"
	"strings"
)

// version and revision are set at build time by the image
// (-ldflags "-X github.com/guichet/guichet/app.version=…
// -X github.com/guichet/guichet/app.revision=…"); a plain `go build`
// falls back to what the Go toolchain recorded.
var (
	version  = ""
	revision = ""
)

// BuildVersion reports the version, the VCS revision and the Go version of
// this binary.
func BuildVersion() (ver, rev, goVersion string) {
	ver, rev = version, revision
	info, ok := debug.ReadBuildInfo()
	if ok {
		goVersion = info.GoVersion
		if ver == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			ver = info.Main.Version
		}
		if rev == "" {
			dirty := false
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
				case "vcs.modified":
					dirty = s.Value == "true"
				}
			}
			if rev != "" && dirty {
				rev += "-dirty"
			}
		}
	}
	if ver == "" {
		ver = "dev"
	}
	if rev == "" {
		rev = "unknown"
	}
	return ver, rev, strings.TrimSpace(goVersion)
}
