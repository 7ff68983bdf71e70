package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sneller-re/sneller/db"
)

var testKey = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

func TestParseIndexKey(t *testing.T) {
	raw := []byte("0123456789abcdef0123456789abcdef")
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"padded", base64.StdEncoding.EncodeToString(raw), true},
		{"unpadded", base64.RawStdEncoding.EncodeToString(raw), true},
		{"spaces", " " + base64.StdEncoding.EncodeToString(raw) + "\n", true},
		{"empty", "", false},
		{"short", base64.StdEncoding.EncodeToString(raw[:31]), false},
		{"long", base64.StdEncoding.EncodeToString(append(raw, 'x')), false},
		{"hex of 32 bytes (the original chart's mistake)", strings.Repeat("ab", 32), false},
		{"not base64", "!!!!", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseIndexKey(tt.in)
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if string(k[:]) != string(raw) {
					t.Fatalf("key = %q", k[:])
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v does not wrap ErrConfig", err)
			}
			if tt.in != "" && len(tt.in) > 8 && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Fatalf("error repeats the key: %v", err)
			}
		})
	}
}

func TestStatic(t *testing.T) {
	tn := &Tenant{ID: "a"}
	s, err := NewStatic(tn, []string{"old", "", "new"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tok := range []string{"old", "new"} {
		got, err := s.Authorize(ctx, tok)
		if err != nil || got != tn {
			t.Errorf("Authorize(%q) = %v, %v", tok, got, err)
		}
	}
	for _, tok := range []string{"", "ol", "oldx", "OLD", "new "} {
		if _, err := s.Authorize(ctx, tok); !errors.Is(err, ErrRejected) {
			t.Errorf("Authorize(%q): err = %v, want ErrRejected", tok, err)
		}
	}
	if _, err := NewStatic(tn, []string{"", ""}); !errors.Is(err, ErrConfig) {
		t.Errorf("no tokens: err = %v", err)
	}
}

func TestTokenTableSharedToken(t *testing.T) {
	var tt tokenTable
	a, b := &Tenant{ID: "a"}, &Tenant{ID: "b"}
	if err := tt.add(Digest("x"), a); err != nil {
		t.Fatal(err)
	}
	if err := tt.add(Digest("x"), a); err != nil {
		t.Fatalf("same token twice for one tenant: %v", err)
	}
	err := tt.add(Digest("x"), b)
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("token shared by two tenants: err = %v", err)
	}
	if strings.Contains(err.Error(), Digest("x").String()) {
		t.Fatalf("error shows the digest: %v", err)
	}
}

func envFunc(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestEnvProvider(t *testing.T) {
	root, err := db.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	good := map[string]string{EnvToken: " t1 , t2 ", EnvIndexKey: testKey}
	p, err := NewEnvProvider(envFunc(good), root)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"t1", "t2"} {
		tn, err := p.Authorize(ctx, tok)
		if err != nil {
			t.Fatalf("%s: %v", tok, err)
		}
		if tn.ID != DefaultTenantID || tn.Root != root || tn.MaxScanBytes != 0 || tn.Key == nil {
			t.Fatalf("tenant = %+v", tn)
		}
	}
	if _, err := p.Authorize(ctx, "t1 , t2"); !errors.Is(err, ErrRejected) {
		t.Fatalf("the whole variable was accepted as a token: %v", err)
	}

	withLimit := map[string]string{EnvToken: "x", EnvIndexKey: testKey, EnvTenantID: "acme", EnvMaxScanBytes: "1GiB"}
	p, err = NewEnvProvider(envFunc(withLimit), root)
	if err != nil {
		t.Fatal(err)
	}
	tn, _ := p.Authorize(ctx, "x")
	if tn.ID != "acme" || tn.MaxScanBytes != 1<<30 {
		t.Fatalf("tenant = %+v", tn)
	}

	bad := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no token", map[string]string{EnvIndexKey: testKey}, EnvToken},
		{"only commas", map[string]string{EnvToken: ",,", EnvIndexKey: testKey}, EnvToken},
		{"bad key", map[string]string{EnvToken: "x", EnvIndexKey: "AAAA"}, EnvIndexKey},
		{"bad limit", map[string]string{EnvToken: "x", EnvIndexKey: testKey, EnvMaxScanBytes: "lots"}, EnvMaxScanBytes},
		{"bad tenant", map[string]string{EnvToken: "x", EnvIndexKey: testKey, EnvTenantID: "a b"}, EnvTenantID},
	}
	for _, b := range bad {
		_, err := NewEnvProvider(envFunc(b.env), root)
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: err = %v, want ErrConfig naming %s", b.name, err, b.want)
		}
	}
	if _, err := NewEnvProvider(envFunc(good), nil); !errors.Is(err, ErrConfig) {
		t.Errorf("no root: err = %v", err)
	}
	// without SNELLER_INDEX_KEY, a local root's key file (the one sdb uses) is the key
	p2, err := NewEnvProvider(envFunc(map[string]string{EnvToken: "x"}), root)
	if err != nil {
		t.Fatalf("local root without the variable: %v", err)
	}
	want, err := db.IndexKey(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	if tn, _ := p2.Authorize(ctx, "x"); tn == nil || *tn.Key != *want {
		t.Errorf("the tenant's key is not the root's key file")
	}
	// a damaged key file is an error naming the variable
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".sneller-index-key"), []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken, err := db.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewEnvProvider(envFunc(map[string]string{EnvToken: "x"}), broken); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), EnvIndexKey) {
		t.Errorf("damaged key file: err = %v", err)
	}
}

func TestParseChoosesProvider(t *testing.T) {
	dir := t.TempDir()
	root, _ := db.OpenDir(dir)
	ctx := context.Background()
	env := envFunc(map[string]string{EnvToken: "x", EnvIndexKey: testKey})
	p, err := Parse(ctx, "", Options{Getenv: env, Root: root})
	if _, ok := p.(*Static); err != nil || !ok {
		t.Fatalf("empty spec: %T, %v", p, err)
	}
	p, err = Parse(ctx, "https://auth.example.com/check", Options{})
	if _, ok := p.(*WebhookProvider); err != nil || !ok {
		t.Fatalf("https spec: %T, %v", p, err)
	}
	path := writeFile(t, `{"tenants":[{"id":"a","root":"`+dir+`","index_key":"`+testKey+`","tokens":["k"]}]}`)
	for _, spec := range []string{path, "file://" + path} {
		p, err = Parse(ctx, spec, Options{})
		if _, ok := p.(*FileProvider); err != nil || !ok {
			t.Fatalf("%s: %T, %v", spec, p, err)
		}
	}
	if _, err := Parse(ctx, "/nonexistent/tokens.json", Options{}); !errors.Is(err, ErrConfig) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestDecodeIdentityLegacy(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	doc := `{"TenantID":"acme","Region":"us-east-1","IndexKey":"` + testKey + `",
	 "SnellerBucket":"s3://my-bucket",
	 "Credentials":{"BaseURI":"http://minio:9000","AccessKeyID":"AK","SecretAccessKey":"SK",
	                "SessionToken":"","Source":"","Expires":"2030-01-01T00:00:00Z","CanExpire":false},
	 "MaxScanBytes":42}`
	id, err := DecodeIdentity("doc", []byte(doc), now)
	if err != nil {
		t.Fatal(err)
	}
	if id.ID != "acme" || id.Root != "s3://my-bucket" || id.MaxScanBytes != 42 || id.S3 == nil ||
		id.S3.Endpoint != "http://minio:9000" || id.S3.AccessKeyID != "AK" || id.S3.Region != "us-east-1" {
		t.Fatalf("identity = %+v %+v", id, id.S3)
	}
	expired := strings.Replace(doc, `"CanExpire":false`, `"CanExpire":true`, 1)
	if _, err := DecodeIdentity("doc", []byte(expired), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("expired credentials: %v", err)
	}
	local := strings.Replace(doc, "s3://my-bucket", "/data", 1)
	if _, err := DecodeIdentity("doc", []byte(local), now); !errors.Is(err, ErrConfig) {
		t.Fatalf("non-s3 SnellerBucket: %v", err)
	}
	noRegion := strings.Replace(doc, `"Region":"us-east-1",`, "", 1)
	if _, err := DecodeIdentity("doc", []byte(noRegion), now); !errors.Is(err, ErrConfig) {
		t.Fatalf("credentials without region: %v", err)
	}
}

func TestDecodeIdentityErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"syntax", "{\n  \"id\": \"a\",\n  \"root\" \"x\"}", "line 3, column"},
		{"unknown key", `{"id":"a","rot":"x"}`, `unknown field "rot"`},
		{"wrong type", `{"id":"a","max_scan_bytes":"big"}`, "max_scan_bytes"},
		{"not an object", `[1]`, "doc"},
		{"trailing", `{"id":"a"} {"id":"b"}`, "after top-level value"},
	}
	for _, tt := range tests {
		_, err := DecodeIdentity("doc", []byte(tt.doc), time.Now())
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want ErrConfig containing %q", tt.name, err, tt.want)
		}
	}
}

func TestIdentityTenant(t *testing.T) {
	dir := t.TempDir()
	roots := &Roots{}
	ctx := context.Background()
	id := Identity{ID: "a", Root: dir, IndexKey: testKey, MaxScanBytes: 7}
	tn, err := id.Tenant(ctx, "x", roots)
	if err != nil {
		t.Fatal(err)
	}
	tn2, _ := id.Tenant(ctx, "x", roots)
	if tn.Root != tn2.Root {
		t.Fatal("the root was opened twice")
	}
	bad := []Identity{
		{ID: "", Root: dir, IndexKey: testKey},
		{ID: "a", Root: "", IndexKey: testKey},
		{ID: "a", Root: dir, IndexKey: "AAAA"},
		{ID: "a", Root: dir, IndexKey: testKey, MaxScanBytes: -1},
		{ID: "a", Root: dir + "/missing", IndexKey: testKey},
		{ID: "a", Root: "ftp://x", IndexKey: testKey},
		{ID: "a", Root: dir, IndexKey: testKey, S3: &S3Credentials{AccessKeyID: "a", SecretAccessKey: "b"}},
		{ID: "a", Root: "s3://bucket", IndexKey: testKey, S3: &S3Credentials{AccessKeyID: "a"}},
	}
	for i, b := range bad {
		if _, err := b.Tenant(ctx, "x", roots); err == nil {
			t.Errorf("bad[%d] %+v accepted", i, b)
		}
	}
	// explicit credentials open an S3 root without a request
	s3id := Identity{ID: "a", Root: "s3://bucket/pre", IndexKey: testKey, S3: &S3Credentials{Endpoint: "http://127.0.0.1:1", AccessKeyID: "a", SecretAccessKey: "b"}}
	tn, err = s3id.Tenant(ctx, "x", roots)
	if err != nil {
		t.Fatal(err)
	}
	if tn.Root.URL() != "s3://bucket/pre" {
		t.Fatalf("root = %s", tn.Root.URL())
	}
}
