package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/internal/s3test"
)

// sdbAsMainEnv makes the test binary run as sdb itself, so end-to-end tests run sdb as a
// child process with the environment the Helm chart's CronJob gives it.
const sdbAsMainEnv = "SDB_TEST_RUN_AS_SDB"

func TestMain(m *testing.M) {
	if os.Getenv(sdbAsMainEnv) == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// sdbProcess runs sdb as a child process with env added to a clean environment.
func sdbProcess(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append([]string{sdbAsMainEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if err != nil {
		if x, ok := err.(*exec.ExitError); ok {
			return x.ExitCode(), o.String(), e.String()
		}
		t.Fatal(err)
	}
	return 0, o.String(), e.String()
}

// TestEndToEndS3 is the EKS guide's tutorial against versitygw (which checks SigV4
// signatures and conditional writes), with sdb run as a process configured as the chart's
// CronJob configures it: SNELLER_BUCKET, S3_ENDPOINT, AWS_* and SNELLER_INDEX_KEY, and the
// CronJob's arguments.
func TestEndToEndS3(t *testing.T) {
	srv := s3test.StartVersity(t, "source", "ingest")
	ctx := context.Background()
	client := srv.Client()
	upload := func(key, body string) {
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("source"), Key: aws.String(key), Body: strings.NewReader(body)})
		if err != nil {
			t.Fatal(err)
		}
	}
	upload("sample_data/test1.ndjson", "{\"value\": 1}\n")
	upload("sample_data/test2.ndjson", "{\"value\": 2}\n{\"value\": 3}\n")
	upload("sample_data/test3.ndjson", "{\"value\": 4}\n{\"value\": 5}\n{\"value\": 6}\n")
	var key [32]byte
	rand.Read(key[:])
	env := append(srv.Env(), "SNELLER_BUCKET=s3://ingest", db.IndexKeyEnv+"="+db.FormatIndexKey(&key))
	def := filepath.Join(t.TempDir(), "definition.json")
	os.WriteFile(def, []byte(`{"input": [{"pattern": "s3://source/sample_data/*.ndjson", "format": "json"}]}`), 0o644)

	if code, _, errs := sdbProcess(t, env, "create", "tutorial", "table1", def); code != 0 {
		t.Fatalf("create: %s", errs)
	}
	code, out, errs := sdbProcess(t, env, "sync", "-m", "1073741824", "tutorial", "table1")
	if code != 0 || !strings.Contains(out, "6 rows") {
		t.Fatalf("sync: %d %q %q", code, out, errs)
	}
	query := func() string {
		code, out, errs := sdbProcess(t, env, "query", "SELECT COUNT(*) AS n FROM tutorial.table1")
		if code != 0 {
			t.Fatalf("query: %s", errs)
		}
		return strings.TrimSpace(out)
	}
	if got := query(); got != `{"n": 6}` {
		t.Fatalf("count %s", got)
	}
	upload("sample_data/test4.ndjson", "{\"value\": 7}\n")
	upload("sample_data/test5.ndjson", "{\"value\": \n")
	code, out, errs = sdbProcess(t, env, "sync", "-m", "1073741824", "tutorial", "*")
	if code != 1 || !strings.Contains(errs, "rejected: s3://source/sample_data/test5.ndjson") || !strings.Contains(out, "1 new inputs ingested") {
		t.Fatalf("sync 2: %d %q %q", code, out, errs)
	}
	if got := query(); got != `{"n": 7}` {
		t.Fatalf("count %s", got)
	}
	if code, out, errs := sdbProcess(t, env, "validate", "tutorial", "table1"); code != 0 || !strings.Contains(out, "0 faults") {
		t.Fatalf("validate: %q %q", out, errs)
	}
	// another key: the index is refused
	var other [32]byte
	rand.Read(other[:])
	bad := append(srv.Env(), "SNELLER_BUCKET=s3://ingest", db.IndexKeyEnv+"="+db.FormatIndexKey(&other))
	if code, _, errs := sdbProcess(t, bad, "query", "SELECT COUNT(*) FROM tutorial.table1"); code != 1 || !strings.Contains(errs, "signature") {
		t.Fatalf("query with another key: %d %q", code, errs)
	}
	// no key at all on S3: refused rather than read unverified
	nokey := append(srv.Env(), "SNELLER_BUCKET=s3://ingest")
	if code, _, errs := sdbProcess(t, nokey, "query", "SELECT COUNT(*) FROM tutorial.table1"); code != 1 || !strings.Contains(errs, db.IndexKeyEnv) {
		t.Fatalf("query without a key: %d %q", code, errs)
	}
}
