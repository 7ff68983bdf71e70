package db_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/internal/s3test"
)

// isolateAWS points the SDK's shared files away from the user's and clears credentials.
func isolateAWS(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
		"AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "S3_ENDPOINT",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_STS"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestOpenRootLocal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("sub", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("afile", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	real, _ := filepath.EvalSymlinks(dir)
	for _, c := range []struct{ spec, dir string }{
		{"", dir},
		{".", dir},
		{"sub", filepath.Join(dir, "sub")},
		{dir + "/sub", filepath.Join(dir, "sub")},
		{"file://" + dir, dir},
		{"file://sub", filepath.Join(dir, "sub")},
	} {
		f, err := db.OpenRoot(ctx, c.spec)
		if err != nil {
			t.Errorf("open %q: %v", c.spec, err)
			continue
		}
		d := f.(*db.DirFS)
		if d.Dir() != c.dir && d.Dir() != filepath.Join(real, strings.TrimPrefix(c.dir, dir)) {
			t.Errorf("open %q: dir %s, want %s", c.spec, d.Dir(), c.dir)
		}
		if d.URL() != "file://"+d.Dir() {
			t.Errorf("URL %s", d.URL())
		}
		d.Close()
	}
	for _, spec := range []string{"missing", "afile", "http://x/y", "file://"} {
		if _, err := db.OpenRoot(ctx, spec); err == nil {
			t.Errorf("open %q succeeded", spec)
		}
	}
}

func TestOpenRootS3(t *testing.T) {
	isolateAWS(t)
	srv := s3test.StartFake(t, "root-bucket")
	srv.Setenv(t)
	t.Setenv("S3_ENDPOINT", srv.Endpoint+"/") // a trailing '/' is tolerated
	ctx := context.Background()
	for _, c := range []struct{ spec, url string }{
		{"s3://root-bucket", "s3://root-bucket"},
		{"s3://root-bucket/", "s3://root-bucket"},
		{"s3://root-bucket/pre/fix", "s3://root-bucket/pre/fix"},
		{"s3://root-bucket/pre/fix/", "s3://root-bucket/pre/fix"},
	} {
		f, err := db.OpenRoot(ctx, c.spec)
		if err != nil {
			t.Fatalf("open %q: %v", c.spec, err)
		}
		if f.URL() != c.url {
			t.Errorf("open %q: URL %s, want %s", c.spec, f.URL(), c.url)
		}
		if _, err := f.Put(ctx, "k", strings.NewReader(c.spec), db.Always); err != nil {
			t.Fatalf("put under %s: %v", c.spec, err)
		}
	}
	// The prefixed root wrote under its prefix.
	whole, _ := db.OpenRoot(ctx, "s3://root-bucket")
	var keys []string
	whole.List(ctx, "", "", func(fi db.FileInfo) error { keys = append(keys, fi.Path); return nil })
	if strings.Join(keys, ",") != "k,pre/fix/k" {
		t.Errorf("keys %q", keys)
	}
	for _, spec := range []string{"s3://", "s3://Bad_Bucket", "s3://ab", "s3://a..b/x", "s3://b-s3alias", "s3://xn--abc", "s3://192.168.1.1", "s3://bucket/a//b"} {
		if _, err := db.OpenRoot(ctx, spec); !errors.Is(err, db.ErrBadRoot) {
			t.Errorf("open %q: %v, want ErrBadRoot", spec, err)
		}
	}
}

func TestLoadS3ConfigEnv(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		region, defRegion, endpoint string
		wantRegion, wantEndpoint    string
	}{
		{"", "", "", db.DefaultRegion, ""},
		{"eu-west-1", "", "", "eu-west-1", ""},
		{"", "ap-south-1", "", "ap-south-1", ""},
		{"eu-west-1", "ap-south-1", "http://minio:9000/", "eu-west-1", "http://minio:9000"},
	}
	for _, c := range cases {
		isolateAWS(t)
		t.Setenv("AWS_REGION", c.region)
		t.Setenv("AWS_DEFAULT_REGION", c.defRegion)
		t.Setenv("S3_ENDPOINT", c.endpoint)
		cfg, err := db.LoadS3Config(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.AWS.Region != c.wantRegion || cfg.Endpoint != c.wantEndpoint {
			t.Errorf("%+v: region %q endpoint %q", c, cfg.AWS.Region, cfg.Endpoint)
		}
	}
}

// TestLoadS3ConfigWebIdentity checks that the EKS web identity variables lead to credentials
// obtained from STS with the token of the file (STS is a local fake here).
func TestLoadS3ConfigWebIdentity(t *testing.T) {
	isolateAWS(t)
	var gotToken, gotRole string
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		r.ParseForm()
		if r.Form.Get("Action") != "AssumeRoleWithWebIdentity" {
			http.Error(w, "unexpected action "+string(body), http.StatusBadRequest)
			return
		}
		gotToken, gotRole = r.Form.Get("WebIdentityToken"), r.Form.Get("RoleArn")
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>AKIAWEBIDENTITY</AccessKeyId>
<SecretAccessKey>web-secret</SecretAccessKey><SessionToken>web-session</SessionToken>
<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/sdb/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`)
	}))
	defer sts.Close()
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte("the-projected-token"), 0o600)
	t.Setenv("AWS_REGION", "us-west-2")
	t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/sdb")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile)
	t.Setenv("AWS_ENDPOINT_URL_STS", sts.URL)
	cfg, err := db.LoadS3Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.AWS.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "AKIAWEBIDENTITY" || creds.SessionToken != "web-session" {
		t.Errorf("credentials %+v", creds)
	}
	if gotToken != "the-projected-token" || gotRole != "arn:aws:iam::123456789012:role/sdb" {
		t.Errorf("STS saw token %q role %q", gotToken, gotRole)
	}
}

func TestResolvePatternS3(t *testing.T) {
	isolateAWS(t)
	srv := s3test.StartFake(t, "main", "source")
	srv.Setenv(t)
	ctx := context.Background()
	root, err := db.OpenRoot(ctx, "s3://main")
	if err != nil {
		t.Fatal(err)
	}
	f, pat, err := db.ResolvePattern(ctx, root, "s3://main/logs/{yyyy}/*.json")
	if err != nil || f != root || pat.String() != "logs/{yyyy}/*.json" {
		t.Fatalf("same bucket: %v %v %v", f, pat, err)
	}
	f, pat, err = db.ResolvePattern(ctx, root, "s3://source/in/*.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	src := f.(*db.S3FS)
	if src.URL() != "s3://source" || src.Client() != root.(*db.S3FS).Client() || pat.Prefix() != "in/" {
		t.Errorf("other bucket: %s %v", src.URL(), pat)
	}
	for _, u := range []string{"file://x/*.json", "logs/*.json", "s3://Bad/x", "s3://source/a//b", "s3://source/**"} {
		if _, _, err := db.ResolvePattern(ctx, root, u); err == nil {
			t.Errorf("resolve %q succeeded", u)
		}
	}
	// A local root reads s3:// inputs with the environment's configuration.
	local := newDirFS(t)
	if _, err := src.Put(ctx, "in/a.json.gz", strings.NewReader("x"), db.Always); err != nil {
		t.Fatal(err)
	}
	f, pat, err = db.ResolvePattern(ctx, local, "s3://source/in/*.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Stat(ctx, "in/a.json.gz"); err != nil || f.URL() != "s3://source" {
		t.Errorf("s3 input from a local root: %s %v", f.URL(), err)
	}
	if _, ok := pat.Match("in/a.json.gz"); !ok {
		t.Error("pattern does not match")
	}
}

func TestResolvePatternLocal(t *testing.T) {
	ctx := context.Background()
	root := newDirFS(t)
	f, pat, err := db.ResolvePattern(ctx, root, "file://data/{yyyy}/*.json")
	if err != nil || f != root || pat.String() != "data/{yyyy}/*.json" {
		t.Fatalf("relative: %v %v %v", f, pat, err)
	}
	f, pat, err = db.ResolvePattern(ctx, root, "file://"+filepath.ToSlash(root.Dir())+"/in/*.json")
	if err != nil || f != root || pat.String() != "in/*.json" {
		t.Fatalf("absolute inside the root: %v %v %v", f, pat, err)
	}
	outside := t.TempDir()
	os.MkdirAll(filepath.Join(outside, "logs", "2024"), 0o755)
	os.WriteFile(filepath.Join(outside, "logs", "2024", "a.json"), []byte("{}"), 0o644)
	f, pat, err = db.ResolvePattern(ctx, root, "file://"+filepath.ToSlash(outside)+"/logs/{yyyy}/*.json")
	if err != nil {
		t.Fatal(err)
	}
	// The leading literal segments become the directory of the FS.
	if f.(*db.DirFS).Dir() != filepath.Join(outside, "logs") || pat.String() != "{yyyy}/*.json" {
		t.Errorf("absolute outside: %s %s", f.URL(), pat)
	}
	var got []string
	db.WalkPattern(ctx, f, pat, "", func(fi db.FileInfo, c db.Captures) error {
		y, _ := c.Get("yyyy")
		got = append(got, fi.Path+" "+y)
		return nil
	})
	if strings.Join(got, ",") != "2024/a.json 2024" {
		t.Errorf("walk outside the root: %q", got)
	}
	for _, u := range []string{"data/*.json", "file://a/../b", "file:///nonexistent-dir-x/*.json", "file://x/**"} {
		if _, _, err := db.ResolvePattern(ctx, root, u); err == nil {
			t.Errorf("resolve %q succeeded", u)
		}
	}
}
