package auth

import (
	"context"
	"fmt"
	"strings"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/internal/bytesize"
)

// Environment variables read by the environment provider.
const (
	EnvToken        = "SNELLER_TOKEN"          // the accepted tokens, comma-separated
	EnvIndexKey     = "SNELLER_INDEX_KEY"      // base64 of the 32-byte index key
	EnvTenantID     = "SNELLER_TENANT_ID"      // the tenant's ID in logs (default "default")
	EnvMaxScanBytes = "SNELLER_MAX_SCAN_BYTES" // optional scan limit per query ("10GiB")
)

// DefaultTenantID is the tenant ID of the environment provider when SNELLER_TENANT_ID is unset.
const DefaultTenantID = "default"

// SplitTokens splits a SNELLER_TOKEN value: tokens are separated by commas (so that a new
// token can be added before the old one is retired); spaces around them are ignored.
func SplitTokens(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// NewEnvProvider returns the provider of a single tenant configured by the environment
// (getenv is os.Getenv in the daemon): tokens from SNELLER_TOKEN, the index key from
// SNELLER_INDEX_KEY, the ID from SNELLER_TENANT_ID and the scan limit from
// SNELLER_MAX_SCAN_BYTES. root is the daemon's root (-root or SNELLER_BUCKET).
func NewEnvProvider(getenv func(string) string, root db.FS) (*Static, error) {
	tokens := SplitTokens(getenv(EnvToken))
	if len(tokens) == 0 {
		return nil, fmt.Errorf("%w: %s is not set: set it to the bearer token clients must present (several tokens may be given, comma-separated), or choose another provider with -a", ErrConfig, EnvToken)
	}
	k := getenv(EnvIndexKey)
	var key *[32]byte
	var err error
	if strings.TrimSpace(k) == "" {
		// a local root keeps its key in a file beside the tables (db.IndexKey); S3 needs the
		// variable
		if root == nil || !strings.HasPrefix(root.URL(), "file://") {
			return nil, fmt.Errorf("%w: %s is not set: it must hold the base64 of the 32-byte key that signs the table indexes (the same as sdb's)", ErrConfig, EnvIndexKey)
		}
		if key, err = db.IndexKey(context.Background(), root); err != nil {
			return nil, fmt.Errorf("%w: %s is not set and the root's key file cannot be read: %w", ErrConfig, EnvIndexKey, err)
		}
	} else if key, err = ParseIndexKey(k); err != nil {
		return nil, fmt.Errorf("%s: %w", EnvIndexKey, err)
	}
	id := getenv(EnvTenantID)
	if id == "" {
		id = DefaultTenantID
	}
	if err := validTenantID(id); err != nil {
		return nil, fmt.Errorf("%s: %w", EnvTenantID, err)
	}
	var limit int64
	if s := getenv(EnvMaxScanBytes); s != "" {
		if limit, err = bytesize.Parse(s); err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrConfig, EnvMaxScanBytes, err)
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: no root: set -root or SNELLER_BUCKET", ErrConfig)
	}
	return NewStatic(&Tenant{ID: id, Root: root, Key: key, MaxScanBytes: limit}, tokens)
}
