package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/sneller-re/sneller/internal/s3test"
	"github.com/sneller-re/sneller/ion"
)

// The end-to-end tests through `sdb sync`: they wait for the signed index and sync (package
// db's OpenTable, sdb create/sync). Each starts with t.Skip("needs sdb sync"); remove it when
// they land (and build snellerd with the db-backed catalog).

// buildSDB builds cmd/sdb into a temporary directory.
func buildSDB(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sdb")
	cmd := exec.Command(goTool(), "build", "-o", bin, "github.com/sneller-re/sneller/cmd/sdb")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build sdb: %v\n%s", err, out)
	}
	return bin
}

func sdb(t *testing.T, bin string, vars []string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), vars...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sdb %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// guideFiles are the guide's three sample files: six {"value": N} rows.
var guideFiles = map[string]string{
	"test1.ndjson": "{\"value\": 1}\n{\"value\": 2}\n",
	"test2.ndjson": "{\"value\": 3}\n{\"value\": 4}\n",
	"test3.ndjson": "{\"value\": 5}\n{\"value\": 6}\n",
}

// guideChecks runs the guide's query, adds a fourth file, syncs, checks the new answer, reads
// Ion output back, and finally tampers with the index. put stores a file under the root.
func guideChecks(t *testing.T, d *daemon, token string, syncAgain func(), tamper func()) {
	body := d.expect("POST", "/query?database=tutorial", token, "SELECT COUNT(*) FROM table1", 200, "", "Accept: application/json")
	if body != `[{"count": 6}]` {
		t.Fatalf("guide query: %q", body)
	}
	syncAgain()
	body = d.expect("POST", "/query?database=tutorial", token, "SELECT COUNT(*) FROM table1", 200, "", "Accept: application/json")
	if body != `[{"count": 7}]` {
		t.Fatalf("after a fourth file: %q", body)
	}
	ionBody := d.expect("POST", "/query?database=tutorial", token, "SELECT value FROM table1 WHERE value = 7", 200, "", "Accept: application/ion")
	vals, err := ion.DecodeAll([]byte(ionBody))
	if err != nil || len(vals) != 2 || !vals[0].Equal(ion.Struct(ion.F("value", ion.Int(7)))) {
		t.Fatalf("Ion: %v %v", vals, err)
	}
	d.expect("GET", "/inputs?database=tutorial&table=table1", token, "", 200, "test4.ndjson")
	tamper()
	code, _, b := d.get("POST", "/query?database=tutorial", token, "SELECT * FROM table1", "Accept: application/json")
	if code != 500 || !strings.Contains(b, "refused") || strings.Contains(b, "value") {
		t.Fatalf("tampered index: %d %q", code, b)
	}
}

func TestGuideLocalEndToEnd(t *testing.T) {
	bin := buildSDB(t)
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "sample"), 0o755)
	for name, text := range guideFiles {
		os.WriteFile(filepath.Join(root, "sample", name), []byte(text), 0o644)
	}
	def := filepath.Join(t.TempDir(), "definition.json")
	os.WriteFile(def, []byte(`{"input": [{"pattern": "file://sample/*.ndjson", "format": "json"}]}`), 0o644)
	vars := []string{"SNELLER_INDEX_KEY=" + testKey}
	sdb(t, bin, vars, "-root", root, "create", "tutorial", "table1", def)
	sdb(t, bin, vars, "-root", root, "sync", "tutorial", "table1")
	const token = "e2e-local-token"
	d := startDaemon(t, append(vars, "SNELLER_TOKEN="+token, "SNELLER_BUCKET="+root))
	guideChecks(t, d, token, func() {
		os.WriteFile(filepath.Join(root, "sample", "test4.ndjson"), []byte("{\"value\": 7}\n"), 0o644)
		sdb(t, bin, vars, "-root", root, "sync", "tutorial", "table1")
	}, func() {
		p := filepath.Join(root, "db", "tutorial", "table1", "index")
		b, _ := os.ReadFile(p)
		b[len(b)/2] ^= 1
		os.WriteFile(p, b, 0o644)
	})
	if code := d.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestGuideS3EndToEnd(t *testing.T) {
	srv := s3test.StartVersity(t, "snellerdata")
	ctx := context.Background()
	put := func(key, text string) {
		_, err := srv.Client().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("snellerdata"), Key: aws.String(key), Body: strings.NewReader(text)})
		if err != nil {
			t.Fatal(err)
		}
	}
	for name, text := range guideFiles {
		put("sample/"+name, text)
	}
	bin := buildSDB(t)
	def := filepath.Join(t.TempDir(), "definition.json")
	os.WriteFile(def, []byte(`{"input": [{"pattern": "s3://snellerdata/sample/*.ndjson", "format": "json"}]}`), 0o644)
	vars := append(srv.Env(), "SNELLER_INDEX_KEY="+testKey, "SNELLER_BUCKET=s3://snellerdata")
	sdb(t, bin, vars, "create", "tutorial", "table1", def)
	sdb(t, bin, vars, "sync", "tutorial", "table1")
	const token = "e2e-s3-token"
	d := startDaemon(t, append(vars, "SNELLER_TOKEN="+token))
	guideChecks(t, d, token, func() {
		put("sample/test4.ndjson", "{\"value\": 7}\n")
		sdb(t, bin, vars, "sync", "tutorial", "table1")
	}, func() {
		out, err := srv.Client().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("snellerdata"), Key: aws.String("db/tutorial/table1/index")})
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(out.Body)
		if err != nil {
			t.Fatal(err)
		}
		out.Body.Close()
		b[len(b)/2] ^= 1
		put("db/tutorial/table1/index", string(b))
	})
	if code := d.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// goTool is the go command: from PATH, else beside the test's toolchain.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if p, err := exec.LookPath("/usr/local/go/bin/go"); err == nil {
		return p
	}
	return "go"
}
