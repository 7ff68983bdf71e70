package auth

import (
	"context"
	"errors"

	"github.com/sneller-re/sneller/db"
)

// Sentinel errors of the providers.
var (
	// ErrRejected means the token is not accepted: unknown, malformed, or refused by the
	// webhook. snellerd answers 403.
	ErrRejected = errors.New("token not allowed")
	// ErrUnavailable means the provider could not decide (a webhook that cannot be reached or
	// answers with a server error). snellerd answers 503.
	ErrUnavailable = errors.New("authentication unavailable")
	// ErrConfig means a provider's configuration (environment, file, webhook answer) is
	// invalid.
	ErrConfig = errors.New("invalid authentication configuration")
)

// Tenant is what an accepted token grants: one storage root, read with one index key.
// Tenants are immutable once returned by a provider.
type Tenant struct {
	// ID names the tenant in logs and metrics. It is not secret.
	ID string
	// Root is the tenant's storage: its tables live under db/<database>/<table>/ in it.
	Root db.FS
	// Key is the 256-bit key that signs the tenant's table indexes.
	Key *[32]byte
	// MaxScanBytes, when positive, bounds the bytes one query of the tenant may scan; a query
	// that would scan more is refused before it runs.
	MaxScanBytes int64
}

// Provider authorizes bearer tokens. Implementations are safe for concurrent use.
type Provider interface {
	// Authorize returns the tenant of token, or an error wrapping ErrRejected when the token
	// is not accepted (any other error: the provider could not decide).
	Authorize(ctx context.Context, token string) (*Tenant, error)
}
