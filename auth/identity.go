package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Identity describes a tenant as a token file or a webhook gives it:
//
//	{"id": "acme", "root": "s3://acme-data", "index_key": "<base64 of 32 bytes>",
//	 "max_scan_bytes": 0, "s3": {"endpoint": "...", "region": "...", "access_key_id": "...",
//	 "secret_access_key": "...", "session_token": "..."}}
//
// "s3" is optional (without it the daemon's own S3 configuration is used). The original
// daemon's identity form (TenantID, SnellerBucket, IndexKey, Region, Credentials{BaseURI,
// AccessKeyID, SecretAccessKey, SessionToken, Expires, CanExpire}, MaxScanBytes) is accepted
// too; see DecodeIdentity.
type Identity struct {
	ID           string         `json:"id"`
	Root         string         `json:"root"`
	IndexKey     string         `json:"index_key"`
	MaxScanBytes int64          `json:"max_scan_bytes,omitempty"`
	S3           *S3Credentials `json:"s3,omitempty"`
}

// legacyIdentity is the original daemon's identity document (S3BearerIdentity).
type legacyIdentity struct {
	TenantID      string
	Region        string
	IndexKey      string
	SnellerBucket string
	Credentials   *struct {
		BaseURI         string
		AccessKeyID     string
		SecretAccessKey string
		SessionToken    string
		Source          string
		Expires         time.Time
		CanExpire       bool
	}
	MaxScanBytes int64
}

// isLegacy reports whether a JSON object is in the original's form (it has TenantID or
// SnellerBucket).
func isLegacy(fields map[string]json.RawMessage) bool {
	_, a := fields["TenantID"]
	_, b := fields["SnellerBucket"]
	return a || b
}

// DecodeIdentity decodes one identity document in either form. Unknown keys are errors (a
// misspelt key must not silently drop a setting). name labels errors (a file name, a URL).
func DecodeIdentity(name string, b []byte, now time.Time) (Identity, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return Identity{}, jsonError(name, b, err)
	}
	if isLegacy(fields) {
		var l legacyIdentity
		if err := strictUnmarshal(b, &l); err != nil {
			return Identity{}, jsonError(name, b, err)
		}
		return l.identity(name, now)
	}
	var id Identity
	if err := strictUnmarshal(b, &id); err != nil {
		return Identity{}, jsonError(name, b, err)
	}
	return id, nil
}

func (l *legacyIdentity) identity(name string, now time.Time) (Identity, error) {
	if !strings.HasPrefix(l.SnellerBucket, "s3://") {
		return Identity{}, fmt.Errorf("%w: %s: SnellerBucket %q is not an s3:// URL", ErrConfig, name, l.SnellerBucket)
	}
	id := Identity{ID: l.TenantID, Root: l.SnellerBucket, IndexKey: l.IndexKey, MaxScanBytes: l.MaxScanBytes}
	if c := l.Credentials; c != nil {
		if c.CanExpire && !c.Expires.IsZero() && now.After(c.Expires) {
			return Identity{}, fmt.Errorf("%w: %s: the credentials of tenant %q expired at %s", ErrConfig, name, l.TenantID, c.Expires.Format(time.RFC3339))
		}
		if c.AccessKeyID == "" || c.SecretAccessKey == "" || l.Region == "" {
			return Identity{}, fmt.Errorf("%w: %s: tenant %q: Credentials need AccessKeyID, SecretAccessKey and Region", ErrConfig, name, l.TenantID)
		}
		id.S3 = &S3Credentials{Endpoint: c.BaseURI, Region: l.Region, AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
	}
	return id, nil
}

// Tenant validates the identity and opens its root.
func (id *Identity) Tenant(ctx context.Context, name string, roots *Roots) (*Tenant, error) {
	if err := validTenantID(id.ID); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if id.Root == "" {
		return nil, fmt.Errorf("%w: %s: tenant %q has no root", ErrConfig, name, id.ID)
	}
	key, err := ParseIndexKey(id.IndexKey)
	if err != nil {
		return nil, fmt.Errorf("%s: tenant %q: %w", name, id.ID, err)
	}
	if id.MaxScanBytes < 0 {
		return nil, fmt.Errorf("%w: %s: tenant %q: negative max_scan_bytes", ErrConfig, name, id.ID)
	}
	root, err := roots.Open(ctx, id.Root, id.S3)
	if err != nil {
		return nil, fmt.Errorf("%s: tenant %q: root %s: %w", name, id.ID, id.Root, err)
	}
	return &Tenant{ID: id.ID, Root: root, Key: key, MaxScanBytes: id.MaxScanBytes}, nil
}

// validTenantID accepts 1 to 128 printable, non-space characters.
func validTenantID(s string) error {
	if s == "" || len(s) > 128 {
		return fmt.Errorf("%w: tenant ID must have 1 to 128 characters", ErrConfig)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return fmt.Errorf("%w: tenant ID %q has a space or an unprintable character", ErrConfig, s)
		}
	}
	return nil
}

func strictUnmarshal(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("trailing data after the JSON value at byte %d", d.InputOffset())
	}
	return nil
}

// jsonError names the document and, where the decoder knows it, the line and column.
func jsonError(name string, b []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off >= 0 && off <= int64(len(b)) {
		line, col := 1, 1
		for _, c := range b[:off] {
			if c == '\n' {
				line++
				col = 1
			} else {
				col++
			}
		}
		return fmt.Errorf("%w: %s: line %d, column %d: %w", ErrConfig, name, line, col, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrConfig, name, err)
}
