// Package version reports the build's version from the Go build information.
package version

import (
	"runtime/debug"
	"sync"
)

// Set at link time with -ldflags "-X github.com/sneller-re/sneller/internal/version.tag=v1.2.3".
var tag string

var once = sync.OnceValues(func() (string, string) {
	var rev, at string
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			}
		}
	}
	return rev, at
})

// Revision is the VCS revision of the build, or "" when unknown.
func Revision() string { r, _ := once(); return r }

// Date is the VCS commit time of the build, or "" when unknown.
func Date() string { _, d := once(); return d }

// String is a one-line description: the tag if set, else "date: D, revision: R", else
// "development".
func String() string {
	if tag != "" {
		return tag
	}
	r, d := once()
	if r == "" {
		return "development"
	}
	return "date: " + d + ", revision: " + r
}
