package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sneller-re/sneller/db"
)

// FuzzDecodeIdentity feeds webhook answers and token-file entries to the identity decoder.
func FuzzDecodeIdentity(f *testing.F) {
	f.Add([]byte(`{"id":"acme","root":"/tmp","index_key":"` + testKey + `","max_scan_bytes":5}`))
	f.Add([]byte(`{"TenantID":"acme","Region":"us-east-1","IndexKey":"` + testKey + `","SnellerBucket":"s3://my-bucket",
	 "Credentials":{"BaseURI":"http://minio:9000","AccessKeyID":"AK","SecretAccessKey":"SK","Expires":"2030-01-01T00:00:00Z","CanExpire":true},"MaxScanBytes":42}`))
	f.Add([]byte(`{"id":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := DecodeIdentity("fuzz", b, time.Unix(1_700_000_000, 0))
		if err != nil {
			return
		}
		if id.S3 != nil && id.Root == "" {
			t.Fatalf("credentials without a root: %+v", id)
		}
	})
}

// FuzzParseTokenFile feeds token files to the parser; roots are never opened (the roots opener
// refuses), so only decoding and validation run.
func FuzzParseTokenFile(f *testing.F) {
	f.Add([]byte(`{"tenants":[{"id":"a","root":"/r","index_key":"` + testKey + `","tokens":["x"],"token_sha256":["` + Digest("y").String() + `"]}]}`))
	f.Add([]byte(`{"TenantID":"acme","Region":"r","IndexKey":"` + testKey + `","SnellerBucket":"s3://b","allowed_tokens":["t"]}`))
	f.Add([]byte(`{"tenants":[]}`))
	roots := &Roots{OpenDefault: func(ctx context.Context, spec string) (db.FS, error) { return nil, errNoRoot }}
	f.Fuzz(func(t *testing.T, b []byte) {
		tt, err := parseTokenFile(context.Background(), "fuzz", b, roots, time.Unix(1_700_000_000, 0))
		if err == nil && len(tt.entries) == 0 {
			t.Fatal("a token file without tokens was accepted")
		}
	})
}

var errNoRoot = errors.New("fuzz: roots are not opened")
