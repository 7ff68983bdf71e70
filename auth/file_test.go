package auth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tokens.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFileProvider(t *testing.T) {
	dirA, dirB := t.TempDir(), t.TempDir()
	sum := sha256.Sum256([]byte("hashed-token"))
	doc := `{"tenants": [
  {"id": "a", "root": "` + dirA + `", "index_key": "` + testKey + `", "tokens": ["ta1", "ta2"]},
  {"id": "b", "root": "` + dirB + `", "index_key": "` + testKey + `", "max_scan_bytes": 1000,
   "token_sha256": ["` + hex.EncodeToString(sum[:]) + `"]}
]}`
	p, err := NewFileProvider(context.Background(), writeFile(t, doc), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		token  string
		tenant string
		limit  int64
	}{
		{"ta1", "a", 0}, {"ta2", "a", 0}, {"hashed-token", "b", 1000},
	}
	for _, tt := range tests {
		tn, err := p.Authorize(ctx, tt.token)
		if err != nil {
			t.Fatalf("%s: %v", tt.token, err)
		}
		if tn.ID != tt.tenant || tn.MaxScanBytes != tt.limit {
			t.Fatalf("%s: tenant %+v", tt.token, tn)
		}
		want := dirA
		if tt.tenant == "b" {
			want = dirB
		}
		if !strings.HasSuffix(tn.Root.URL(), want) {
			t.Fatalf("%s: root %s, want %s", tt.token, tn.Root.URL(), want)
		}
	}
	for _, tok := range []string{"", "tb", hex.EncodeToString(sum[:]), "ta"} {
		if _, err := p.Authorize(ctx, tok); !errors.Is(err, ErrRejected) {
			t.Errorf("%q: %v", tok, err)
		}
	}
}

func TestFileProviderLegacy(t *testing.T) {
	doc := `{"TenantID":"acme","Region":"us-east-1","IndexKey":"` + testKey + `","SnellerBucket":"s3://bucket",
	"Credentials":{"BaseURI":"http://127.0.0.1:1","AccessKeyID":"AK","SecretAccessKey":"SK"},
	"allowed_tokens":["t1","t2"]}`
	p, err := NewFileProvider(context.Background(), writeFile(t, doc), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tn, err := p.Authorize(context.Background(), "t2")
	if err != nil || tn.ID != "acme" || tn.Root.URL() != "s3://bucket" {
		t.Fatalf("%+v %v", tn, err)
	}
	if _, err := p.Authorize(context.Background(), "t3"); !errors.Is(err, ErrRejected) {
		t.Fatal(err)
	}
	// Without allowed_tokens the original accepted any token; we refuse the file.
	noList := strings.Replace(doc, `,
	"allowed_tokens":["t1","t2"]`, "", 1)
	if noList == doc {
		t.Fatal("test document not edited")
	}
	_, err = NewFileProvider(context.Background(), writeFile(t, noList), nil, nil)
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "allowed_tokens") {
		t.Fatalf("err = %v", err)
	}
}

func TestFileProviderErrors(t *testing.T) {
	dir := t.TempDir()
	ten := func(id, extra string) string {
		return `{"id":"` + id + `","root":"` + dir + `","index_key":"` + testKey + `"` + extra + `}`
	}
	tests := []struct {
		name, doc, want string
	}{
		{"no tenants", `{"tenants":[]}`, "no tenants"},
		{"no token", `{"tenants":[` + ten("a", "") + `]}`, "no token"},
		{"empty token", `{"tenants":[` + ten("a", `,"tokens":[""]`) + `]}`, "empty token"},
		{"shared token", `{"tenants":[` + ten("a", `,"tokens":["x"]`) + `,` + ten("b", `,"tokens":["x"]`) + `]}`, "same token"},
		{"duplicate tenant", `{"tenants":[` + ten("a", `,"tokens":["x"]`) + `,` + ten("a", `,"tokens":["y"]`) + `]}`, "twice"},
		{"bad digest", `{"tenants":[` + ten("a", `,"token_sha256":["abc"]`) + `]}`, "64 hex"},
		{"misspelt key", `{"tenants":[` + ten("a", `,"token":["x"]`) + `]}`, `unknown field "token"`},
		{"top-level typo", `{"tenant":[]}`, `unknown field "tenant"`},
		{"syntax", "{\"tenants\": [\n}", "line 2"},
		{"bad key", `{"tenants":[{"id":"a","root":"` + dir + `","index_key":"AAAA","tokens":["x"]}]}`, "tenants[0]"},
	}
	for _, tt := range tests {
		_, err := NewFileProvider(context.Background(), writeFile(t, tt.doc), nil, nil)
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want ErrConfig containing %q", tt.name, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), testKey) {
			t.Errorf("%s: error shows the index key", tt.name)
		}
	}
}

func TestFileProviderReload(t *testing.T) {
	dir := t.TempDir()
	doc := func(tok string) string {
		return `{"tenants":[{"id":"a","root":"` + dir + `","index_key":"` + testKey + `","tokens":["` + tok + `"]}]}`
	}
	path := writeFile(t, doc("one"))
	var logs bytes.Buffer
	p, err := NewFileProvider(context.Background(), path, nil, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Now()
	p.now = func() time.Time { return clock }
	ctx := context.Background()
	if _, err := p.Authorize(ctx, "one"); err != nil {
		t.Fatal(err)
	}
	// A new version with another token (and another size, so the change is seen even when
	// the file system's timestamps are coarse).
	if err := os.WriteFile(path, []byte(doc("second")), 0o600); err != nil {
		t.Fatal(err)
	}
	// Within the check interval the old version is still in force.
	if _, err := p.Authorize(ctx, "one"); err != nil {
		t.Fatalf("reloaded before the interval: %v", err)
	}
	clock = clock.Add(2 * reloadInterval)
	if _, err := p.Authorize(ctx, "second"); err != nil {
		t.Fatalf("new token after reload: %v", err)
	}
	if _, err := p.Authorize(ctx, "one"); !errors.Is(err, ErrRejected) {
		t.Fatalf("old token after reload: %v", err)
	}
	// A broken version keeps the last good one and logs the failure (without tokens).
	if err := os.WriteFile(path, []byte(`{"tenants": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(2 * reloadInterval)
	if _, err := p.Authorize(ctx, "second"); err != nil {
		t.Fatalf("token lost after a broken reload: %v", err)
	}
	if !strings.Contains(logs.String(), "does not load") {
		t.Fatalf("no log of the failed reload: %s", logs.String())
	}
	if strings.Contains(logs.String(), "second") {
		t.Fatalf("a token reached the log: %s", logs.String())
	}
}
