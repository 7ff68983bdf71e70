package deploytest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// TestClusterWithoutCluster proves the chart and the binaries agree: it renders the chart for
// an S3 bucket on loopback, runs `sdb` with exactly the arguments and environment the CronJob
// gets and `snellerd` with those of the Deployment (only the listen addresses and the cache
// directory are moved to the test's own), and checks the installation guide's curl: a count of
// 6 over the guide's three sample files, then 7 after a fourth object and another sync.
func TestClusterWithoutCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binaries")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	for _, cmd := range []string{"sdb", "snellerd"} {
		build := exec.Command("go", "build", "-o", filepath.Join(bin, cmd), "./cmd/"+cmd)
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", cmd, err, out)
		}
	}

	// the S3 server, holding what the Terraform of step 2 creates
	backend := s3mem.New()
	faker := gofakes3.New(backend)
	srv := httptest.NewServer(faker.Server())
	defer srv.Close()
	for _, b := range []string{"sneller-source", "sneller-ingest"} {
		if err := backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	put := func(bucket, key string, data []byte) {
		t.Helper()
		if _, err := backend.PutObject(bucket, key, map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
			t.Fatal(err)
		}
	}
	samples, err := filepath.Glob(filepath.Join(root, "terraform", "modules", "sneller", "sample_data", "*.ndjson"))
	if err != nil || len(samples) != 3 {
		t.Fatalf("sample data: %v %v", samples, err)
	}
	for _, s := range samples {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		put("sneller-source", "sample_data/"+filepath.Base(s), data)
	}
	// the definition step 2 writes: jsonencode({input = [{pattern = ..., format = "json"}]})
	put("sneller-ingest", "db/tutorial/table1/definition.json",
		[]byte(`{"input":[{"format":"json","pattern":"s3://sneller-source/sample_data/*.ndjson"}]}`))

	values := map[string]any{
		"secrets": map[string]any{
			"s3": map[string]any{"values": map[string]any{
				"awsRegion": "us-east-1", "awsAccessKeyId": "AKIDEXAMPLE", "awsSecretAccessKey": "secret-example"}},
			"token": map[string]any{"values": map[string]any{"snellerToken": "guide-token"}},
		},
		"configuration": map[string]any{"values": map[string]any{"s3EndPoint": srv.URL, "s3Bucket": "s3://sneller-ingest"}},
		"sdb":           map[string]any{"database": "tutorial", "tablePattern": "table1"},
	}
	snellerd, sdb, err := ReleaseCommands(filepath.Join(root, "charts", "sneller"), values, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sdb.Env["SNELLER_TOKEN"] != "" {
		t.Errorf("the sdb CronJob gets SNELLER_TOKEN")
	}
	environ := func(env map[string]string, extra ...string) []string {
		out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
		for k, v := range env {
			out = append(out, k+"="+v)
		}
		return append(out, extra...)
	}
	runSDB := func() {
		t.Helper()
		argv := append(tail(sdb.Command), sdb.Args...)
		cmd := exec.Command(filepath.Join(bin, "sdb"), argv...)
		cmd.Env = environ(sdb.Env)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sdb %s: %v\n%s", strings.Join(argv, " "), err, out)
		}
	}
	runSDB()

	// snellerd with the Deployment's arguments, on free loopback ports
	api, internode := freePort(t), freePort(t)
	args := append(tail(snellerd.Command), snellerd.Args...)
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "-e":
			args[i+1] = api
		case "-r":
			args[i+1] = internode
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	daemon := exec.CommandContext(ctx, filepath.Join(bin, "snellerd"), args...)
	daemon.Env = environ(snellerd.Env, "CACHEDIR="+t.TempDir())
	var logs bytes.Buffer
	daemon.Stdout, daemon.Stderr = &logs, &logs
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		daemon.Wait()
		if t.Failed() {
			t.Logf("snellerd output:\n%s", logs.String())
		}
	}()
	base := "http://" + api
	waitReady(t, base+"/ping")

	// the guide's curl
	query := func() string {
		t.Helper()
		req, _ := http.NewRequest("POST", base+"/query?database=tutorial", strings.NewReader("SELECT COUNT(*) FROM table1"))
		req.Header.Set("Authorization", "Bearer "+snellerd.Env["SNELLER_TOKEN"])
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("query: %s: %s", resp.Status, body)
		}
		return string(body)
	}
	if got := query(); got != `[{"count": 6}]` {
		t.Fatalf("count after the first sync: %s", got)
	}
	// the guide's "adding data": a fourth object, the next CronJob run, the new count
	put("sneller-source", "sample_data/test4.ndjson", []byte(`{"value": 7}`+"\n"))
	runSDB()
	if got := query(); got != `[{"count": 7}]` {
		t.Fatalf("count after adding a fourth object: %s", got)
	}
	// the version endpoint answers without a token
	resp, err := http.Get(base + "/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /: %v %v", resp, err)
	}
	resp.Body.Close()
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal(fmt.Errorf("%s did not answer within 30s", url))
}

// tail drops the binary from a container's command (the image's entrypoint when empty).
func tail(command []string) []string {
	if len(command) == 0 {
		return nil
	}
	return append([]string{}, command[1:]...)
}
