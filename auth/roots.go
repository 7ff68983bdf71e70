package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/sneller-re/sneller/db"
)

// S3Credentials are explicit S3 credentials for a tenant's root (from a token file or a
// webhook); without them a root is opened with the daemon's own configuration (AWS_*,
// S3_ENDPOINT).
type S3Credentials struct {
	// Endpoint is the base URL of an S3-compatible server ("" for AWS).
	Endpoint string `json:"endpoint,omitempty"`
	// Region is the bucket's region (default us-east-1).
	Region          string `json:"region,omitempty"`
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	SessionToken    string `json:"session_token,omitempty"`
}

// maxRoots bounds the opened roots a Roots keeps; past it the cache starts over (webhooks
// may hand out short-lived session credentials, each a distinct root).
const maxRoots = 1024

// Roots opens tenants' storage roots and keeps them open, so that each request of a tenant
// reuses its S3 client. The zero value is ready; it is safe for concurrent use.
type Roots struct {
	// OpenDefault opens a root with the daemon's own configuration; nil means db.OpenRoot.
	OpenDefault func(ctx context.Context, spec string) (db.FS, error)

	mu sync.Mutex
	m  map[string]db.FS
}

// Open returns the FS of root spec (see db.OpenRoot), opened with creds when they are given
// (then spec must be an s3:// URL).
func (r *Roots) Open(ctx context.Context, spec string, creds *S3Credentials) (db.FS, error) {
	key := spec
	if creds != nil {
		h := sha256.New()
		for _, s := range []string{creds.Endpoint, creds.Region, creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken} {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
		key += "\x00" + hex.EncodeToString(h.Sum(nil))
	}
	r.mu.Lock()
	if f, ok := r.m[key]; ok {
		r.mu.Unlock()
		return f, nil
	}
	r.mu.Unlock()
	f, err := r.open(ctx, spec, creds)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil || len(r.m) >= maxRoots {
		r.m = map[string]db.FS{}
	}
	if g, ok := r.m[key]; ok {
		return g, nil
	}
	r.m[key] = f
	return f, nil
}

func (r *Roots) open(ctx context.Context, spec string, creds *S3Credentials) (db.FS, error) {
	if creds == nil {
		if r.OpenDefault != nil {
			return r.OpenDefault(ctx, spec)
		}
		return db.OpenRoot(ctx, spec)
	}
	bucket, prefix, err := db.ParseS3URL(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: credentials are given, so the root must be s3://bucket[/prefix]: %w", ErrConfig, err)
	}
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		return nil, fmt.Errorf("%w: S3 credentials for %s lack the access key ID or the secret", ErrConfig, spec)
	}
	region := creds.Region
	if region == "" {
		region = db.DefaultRegion
	}
	cfg := db.S3Config{
		AWS: aws.Config{
			Region:      region,
			Credentials: credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
			HTTPClient:  &http.Client{Timeout: 5 * time.Minute},
		},
		Endpoint: strings.TrimRight(creds.Endpoint, "/"),
	}
	return db.NewS3Client(cfg).Open(bucket, prefix)
}
