package cache

import (
	"os"
	"path/filepath"
)

// EnvDir names the environment variable that sets the cache's parent directory.
const EnvDir = "CACHEDIR"

// DefaultDir returns the cache's own directory: "blocks" under $CACHEDIR when set, else under
// "sneller" in the OS cache directory (for example ~/.cache/sneller/blocks), else under the
// temporary directory.
func DefaultDir(getenv func(string) string) string {
	if d := getenv(EnvDir); d != "" {
		return filepath.Join(d, "blocks")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "sneller", "blocks")
	}
	return filepath.Join(os.TempDir(), "sneller-cache", "blocks")
}
