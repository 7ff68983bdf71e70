package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/sneller-re/sneller/internal/s3test"
)

// daemonEnv, set in a child's environment, makes the test binary run the daemon itself: the
// end-to-end tests start snellerd as a real process without a separate build.
const daemonEnv = "SNELLERD_TEST_RUN_DAEMON"

func TestMain(m *testing.M) {
	if os.Getenv(daemonEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func runCLI(args []string, vars map[string]string) (int, string, string) {
	var o, e bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a daemon that gets this far stops at once
	code := run(ctx, args, env(vars), &o, &e)
	return code, o.String(), e.String()
}

func TestHelpAndVersion(t *testing.T) {
	code, out, _ := runCLI([]string{"--help"}, nil)
	if code != 0 {
		t.Fatalf("--help: %d", code)
	}
	for _, s := range []string{"-e address", "-r address", "-peers", "-root", "-a provider", "-cache-dir", "-cache-size", "-max-concurrent",
		"-query-timeout", "-query-memory", "-max-body", "-shutdown-timeout",
		"SNELLER_TOKEN", "SNELLER_INDEX_KEY", "SNELLER_BUCKET", "SNELLER_PEERS", "CACHEDIR", "SNELLER_CACHE_SIZE", "S3_ENDPOINT", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"} {
		if !strings.Contains(out, s) {
			t.Errorf("--help does not mention %s", s)
		}
	}
	if code, out, _ := runCLI([]string{"version"}, nil); code != 0 || !strings.HasPrefix(out, "snellerd ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errs := runCLI([]string{"-nosuchflag"}, nil); code != 2 || !strings.Contains(errs, "nosuchflag") {
		t.Fatalf("bad flag: %d %q", code, errs)
	}
	if code, _, _ := runCLI([]string{"daemon", "extra"}, nil); code != 2 {
		t.Fatalf("extra argument: %d", code)
	}
}

func TestStartupErrors(t *testing.T) {
	dir := t.TempDir()
	key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	tests := []struct {
		name string
		args []string
		vars map[string]string
		want string
	}{
		{"no token", []string{"-root", dir, "-e", "127.0.0.1:0"}, map[string]string{"SNELLER_INDEX_KEY": key}, "SNELLER_TOKEN"},
		{"no key and a damaged key file", []string{"-root", badKeyDir(t), "-e", "127.0.0.1:0"}, map[string]string{"SNELLER_TOKEN": "t"}, "SNELLER_INDEX_KEY"},
		{"bad key", []string{"-root", dir, "-e", "127.0.0.1:0"}, map[string]string{"SNELLER_TOKEN": "t", "SNELLER_INDEX_KEY": "abcd"}, "32"},
		{"no root", []string{"-e", "127.0.0.1:0"}, map[string]string{"SNELLER_TOKEN": "t", "SNELLER_INDEX_KEY": key}, "root"},
		{"missing root", []string{"-root", dir + "/nope", "-e", "127.0.0.1:0"}, map[string]string{"SNELLER_TOKEN": "t", "SNELLER_INDEX_KEY": key}, "nope"},
		{"bad peers", []string{"-root", dir, "-e", "127.0.0.1:0", "-peers", "dns:x"}, map[string]string{"SNELLER_TOKEN": "t", "SNELLER_INDEX_KEY": key}, "peers"},
		{"missing token file", []string{"-a", dir + "/tokens.json", "-e", "127.0.0.1:0"}, nil, "tokens.json"},
		{"bad cache size", []string{"-root", dir, "-cache-size", "lots"}, nil, "cache-size"},
		{"bad cache size variable", []string{"-root", dir, "-e", "127.0.0.1:0"}, map[string]string{"SNELLER_TOKEN": "t", "SNELLER_INDEX_KEY": key, "SNELLER_CACHE_SIZE": "big"}, "SNELLER_CACHE_SIZE"},
		{"bad log level", []string{"-root", dir, "-log-level", "loud"}, nil, "log-level"},
	}
	for _, tt := range tests {
		code, _, errs := runCLI(tt.args, tt.vars)
		if code == 0 || !strings.Contains(errs, tt.want) {
			t.Errorf("%s: exit %d, stderr %q (want mention of %q)", tt.name, code, errs, tt.want)
		}
		if k := tt.vars["SNELLER_TOKEN"]; k != "" && len(k) > 3 && strings.Contains(errs, k) {
			t.Errorf("%s: the token is in the error", tt.name)
		}
	}
}

// syncBuf collects a child's stderr.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// daemon is snellerd running as a child process.
type daemon struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	logs   *syncBuf
	exited chan struct{}
}

// startDaemon runs the daemon with the environment vars (on top of a clean one) and flags,
// and waits until it listens.
func startDaemon(t *testing.T, vars []string, args ...string) *daemon {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"daemon", "-e", "127.0.0.1:0", "-cache-dir", t.TempDir()}, args...)...)
	cmd.Env = append([]string{daemonEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, vars...)
	d := &daemon{t: t, cmd: cmd, logs: &syncBuf{}, exited: make(chan struct{})}
	cmd.Stderr = d.logs
	cmd.Stdout = d.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(d.exited) }()
	t.Cleanup(func() {
		select {
		case <-d.exited:
		default:
			cmd.Process.Kill()
			<-d.exited
		}
		if t.Failed() {
			t.Logf("daemon log:\n%s", d.logs.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		sc := bufio.NewScanner(strings.NewReader(d.logs.String()))
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == "snellerd listening" {
				d.url = "http://" + m["listen"].(string)
				return d
			}
		}
		select {
		case <-d.exited:
			t.Fatalf("daemon exited: %s", d.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("daemon did not start: %s", d.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends SIGTERM and returns the exit status.
func (d *daemon) stop() int {
	d.t.Helper()
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(20 * time.Second):
		d.t.Fatal("daemon did not stop on SIGTERM")
	}
	return d.cmd.ProcessState.ExitCode()
}

func (d *daemon) get(method, path, token, body string, headers ...string) (int, http.Header, string) {
	d.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, d.url+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func (d *daemon) expect(method, path, token, body string, status int, contains string, headers ...string) string {
	d.t.Helper()
	code, _, b := d.get(method, path, token, body, headers...)
	if code != status || !strings.Contains(b, contains) {
		d.t.Fatalf("%s %s: %d %q, want %d containing %q", method, path, code, b, status, contains)
	}
	return b
}

var testKey = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))

// checkDaemon runs the checks that need no synced table against a daemon whose root holds
// db/tutorial/table1/index (not a valid index).
func checkDaemon(t *testing.T, d *daemon, token string) {
	d.expect("GET", "/", "", "", 200, "Sneller daemon")
	d.expect("GET", "/ping", "", "", 200, "pong")
	d.expect("POST", "/query?database=tutorial", "", "SELECT 1", 401, "")
	d.expect("POST", "/query?database=tutorial", "wrong", "SELECT 1", 403, "token not allowed")
	d.expect("POST", "/query?database=tutorial", "", "SELECT 1", 403, "", "Authorization: Basic eDp5")
	d.expect("POST", "/query?database=tutorial", token, "SELECT FROM WHERE", 400, "line 1, column")
	d.expect("POST", "/query?database=tutorial", token, "SELECT * FROM nosuchtable", 404, "nosuchtable")
	d.expect("GET", "/databases", token, "", 200, `[{"name":"tutorial"}]`)
	d.expect("GET", "/tables?database=tutorial", token, "", 200, `["table1"]`)
	d.expect("GET", "/tables?database=nope", token, "", 404, "")
	// the index is not a valid signed index: refused, no rows
	code, _, b := d.get("POST", "/query?database=tutorial", token, "SELECT COUNT(*) FROM table1", "Accept: application/json")
	if code != 500 || strings.Contains(b, "count") {
		t.Fatalf("invalid index: %d %q", code, b)
	}
	code, h, _ := d.get("POST", "/query?database=tutorial", token, "SELECT 1", "Accept: application/json")
	if h.Get("X-Sneller-Query-ID") == "" {
		t.Fatalf("no query ID (status %d)", code)
	}
	m := d.expect("GET", "/metrics", "", "", 200, "sneller_queries_total")
	if !strings.Contains(m, `sneller_auth_failures_total{reason="rejected"} 1`) {
		t.Fatalf("metrics: %s", m)
	}
	for _, secret := range []string{token, testKey} {
		if strings.Contains(d.logs.String(), secret) {
			t.Fatal("a secret reached the daemon's log")
		}
	}
}

func TestDaemonLocalRoot(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "db", "tutorial", "table1"), 0o755)
	os.WriteFile(filepath.Join(root, "db", "tutorial", "table1", "index"), []byte("not an index"), 0o644)
	const token = "local-token-4d3c2b1a"
	d := startDaemon(t, []string{"SNELLER_TOKEN=old-token," + token, "SNELLER_INDEX_KEY=" + testKey, "SNELLER_BUCKET=" + root})
	checkDaemon(t, d, token)
	d.expect("GET", "/databases", "old-token", "", 200, "tutorial") // rotation: both tokens work
	if code := d.stop(); code != 0 {
		t.Fatalf("exit status %d after SIGTERM", code)
	}
	if !strings.Contains(d.logs.String(), "snellerd stopped") {
		t.Fatal("no clean stop in the log")
	}
}

func TestDaemonInternodeAndPeers(t *testing.T) {
	root := t.TempDir()
	d := startDaemon(t, []string{"SNELLER_TOKEN=x", "SNELLER_INDEX_KEY=" + testKey, "SNELLER_BUCKET=" + root, "SNELLER_PEERS=10.1.0.1:8001,10.1.0.2:8001"},
		"-r", "127.0.0.1:0")
	d.expect("GET", "/", "", "", 200, "cluster size: 2 nodes")
	// the internode listener is up and refuses unsigned requests
	var addr string
	sc := bufio.NewScanner(strings.NewReader(d.logs.String()))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["internode"] != nil {
			addr = m["internode"].(string)
		}
	}
	if addr == "" {
		t.Fatal("no internode address logged")
	}
	resp, err := http.Get("http://" + addr + "/internode/ping")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("unsigned internode request: %d", resp.StatusCode)
	}
	if code := d.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestDaemonS3Root(t *testing.T) {
	srv := s3test.StartVersity(t, "snellerdata")
	ctx := context.Background()
	_, err := srv.Client().PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("snellerdata"), Key: aws.String("db/tutorial/table1/index"), Body: strings.NewReader("not an index"),
	})
	if err != nil {
		t.Fatal(err)
	}
	const token = "s3-token-9a8b7c"
	vars := append(srv.Env(), "SNELLER_TOKEN="+token, "SNELLER_INDEX_KEY="+testKey, "SNELLER_BUCKET=s3://snellerdata")
	d := startDaemon(t, vars)
	checkDaemon(t, d, token)
	if code := d.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}

	// with a wrong secret the server refuses our signed requests: listing fails, clearly
	bad := []string{}
	for _, kv := range vars {
		if strings.HasPrefix(kv, "AWS_SECRET_ACCESS_KEY=") {
			kv = "AWS_SECRET_ACCESS_KEY=wrong-secret"
		}
		bad = append(bad, kv)
	}
	d = startDaemon(t, bad)
	code, _, b := d.get("GET", "/databases", token, "")
	if code != 500 {
		t.Fatalf("wrong S3 secret: %d %q", code, b)
	}
	d.stop()
}

// badKeyDir returns a root whose index key file is damaged.
func badKeyDir(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".sneller-index-key"), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}
