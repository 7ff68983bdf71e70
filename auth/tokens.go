package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
)

// TokenDigest is the SHA-256 of a token: providers keep and compare digests, never the tokens.
type TokenDigest [32]byte

// Digest returns the digest of a token.
func Digest(token string) TokenDigest { return sha256.Sum256([]byte(token)) }

// ParseDigest decodes the hex form of a digest (as written in a token file's "token_sha256").
func ParseDigest(s string) (TokenDigest, error) {
	var d TokenDigest
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != len(d) {
		return d, fmt.Errorf("%w: token digest %q is not 64 hex digits", ErrConfig, s)
	}
	copy(d[:], b)
	return d, nil
}

// String returns the hex form of the digest.
func (d TokenDigest) String() string { return hex.EncodeToString(d[:]) }

// tokenTable maps token digests to tenants. Lookups compare the presented token's digest with
// every entry in constant time, without stopping at the first match, so the time taken does
// not depend on which entry (if any) matches or on how much of a digest matches.
type tokenTable struct {
	entries []tokenEntry
}

type tokenEntry struct {
	digest TokenDigest
	tenant *Tenant
}

// add records a token digest for a tenant; a digest may belong to one tenant only.
func (t *tokenTable) add(d TokenDigest, tn *Tenant) error {
	for _, e := range t.entries {
		if e.digest == d {
			if e.tenant == tn {
				return nil
			}
			return fmt.Errorf("%w: the same token is given to tenants %q and %q", ErrConfig, e.tenant.ID, tn.ID)
		}
	}
	t.entries = append(t.entries, tokenEntry{digest: d, tenant: tn})
	return nil
}

// lookup returns the tenant of token, or nil.
func (t *tokenTable) lookup(token string) *Tenant {
	if token == "" {
		return nil
	}
	d := Digest(token)
	var found *Tenant
	for i := range t.entries {
		if subtle.ConstantTimeCompare(d[:], t.entries[i].digest[:]) == 1 {
			found = t.entries[i].tenant
		}
	}
	return found
}

// Static is a provider over a fixed set of tokens (the environment provider, and each
// generation of a file provider).
type Static struct {
	table tokenTable
}

// NewStatic returns a provider that grants tenant to each of tokens. Empty tokens are
// ignored; at least one token must remain.
func NewStatic(tenant *Tenant, tokens []string) (*Static, error) {
	s := &Static{}
	for _, tok := range tokens {
		if tok == "" {
			continue
		}
		if err := s.table.add(Digest(tok), tenant); err != nil {
			return nil, err
		}
	}
	if len(s.table.entries) == 0 {
		return nil, fmt.Errorf("%w: no token for tenant %q", ErrConfig, tenant.ID)
	}
	return s, nil
}

// Authorize implements Provider.
func (s *Static) Authorize(_ context.Context, token string) (*Tenant, error) {
	if tn := s.table.lookup(token); tn != nil {
		return tn, nil
	}
	return nil, ErrRejected
}
