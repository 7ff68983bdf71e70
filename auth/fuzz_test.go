package auth

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/sneller-re/sneller/db"
)

// FuzzDecodeIdentity feeds webhook answers and token-file entries to the identity decoder.
func FuzzDecodeIdentity(f *testing.F) {
	for _, name := range []string{"testdata/legacy-identity.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
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
	for _, name := range []string{"testdata/tokens.json", "testdata/legacy-identity.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
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

// TestExampleTokenFiles loads the example files (the documented format and the original's)
// with a roots opener that records what it is asked to open.
func TestExampleTokenFiles(t *testing.T) {
	var opened []string
	roots := &Roots{OpenDefault: func(ctx context.Context, spec string) (db.FS, error) {
		opened = append(opened, spec)
		return db.OpenDir(t.TempDir())
	}}
	b, err := os.ReadFile("testdata/tokens.json")
	if err != nil {
		t.Fatal(err)
	}
	tt, err := parseTokenFile(context.Background(), "tokens.json", b, roots, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(tt.entries) != 4 {
		t.Fatalf("%d tokens", len(tt.entries))
	}
	acme := tt.lookup("acme-token-2024")
	if acme == nil || acme.ID != "acme" || acme.MaxScanBytes != 100<<30 {
		t.Fatalf("acme: %+v", acme)
	}
	g1, g2 := tt.lookup("globex-old"), tt.lookup("globex-new")
	if g1 == nil || g1 != g2 || g1.Root.URL() != "s3://globex-sneller/prod" {
		t.Fatalf("globex: %+v %+v", g1, g2)
	}
	if len(opened) != 1 || opened[0] != "s3://acme-sneller" {
		t.Fatalf("opened with the default configuration: %v", opened)
	}
	b, err = os.ReadFile("testdata/legacy-identity.json")
	if err != nil {
		t.Fatal(err)
	}
	tt, err = parseTokenFile(context.Background(), "legacy.json", b, roots, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if tn := tt.lookup("t2"); tn == nil || tn.ID != "acme" {
		t.Fatalf("legacy: %+v", tn)
	}
}
