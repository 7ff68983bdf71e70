package s3test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// RequireVersityEnv names the variable that, set to 1 (as CI does), turns the inability to
// build or start versitygw into a test failure instead of a skip.
const RequireVersityEnv = "SNELLER_REQUIRE_VERSITYGW"

// versityPkg is the package built from the tools module (tools/go.mod pins v1.8.0).
const versityPkg = "github.com/versity/versitygw/cmd/versitygw"

// buildTimeout bounds the build of versitygw: a cold build takes about three minutes on two
// cores.
const buildTimeout = 12 * time.Minute

var (
	buildOnce sync.Once
	buildBin  string
	buildErr  error
)

// StartVersity runs versitygw (posix backend, metadata in a sidecar directory, in a temporary
// directory) on a free loopback port, creates the buckets, and stops the process when the test
// ends. The binary is built from the repository's tools module the first time it is needed
// and kept, keyed by tools/go.sum and the Go version, in the user cache directory, so later
// runs start it at once.
//
// If versitygw cannot be built or started the test is skipped with the reason, or fails when
// SNELLER_REQUIRE_VERSITYGW=1. Under -short it is skipped.
func StartVersity(t testing.TB, buckets ...string) *Server {
	t.Helper()
	if testing.Short() {
		t.Skip("s3test: versitygw skipped under -short")
	}
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf("s3test: versitygw unavailable: "+format, args...)
		if os.Getenv(RequireVersityEnv) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg + " (set " + RequireVersityEnv + "=1 to fail instead)")
	}
	buildOnce.Do(func() { buildBin, buildErr = buildVersity() })
	if buildErr != nil {
		unavailable("%v", buildErr)
	}
	var lastErr error
	for range 3 {
		s, err := runVersity(t, buildBin)
		if err == nil {
			for _, b := range buckets {
				s.MustCreateBucket(t, b)
			}
			return s
		}
		lastErr = err
	}
	unavailable("%v", lastErr)
	return nil
}

// repoRoot finds the repository root: the nearest ancestor of the working directory that
// holds tools/go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "tools", "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no tools/go.mod above the working directory")
		}
		dir = parent
	}
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// buildVersity returns the path of a versitygw binary built from tools/go.mod, building it if
// the cache has none for the current go.sum and Go version.
func buildVersity() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	sum, err := os.ReadFile(filepath.Join(root, "tools", "go.sum"))
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(sum)
	h.Write([]byte(runtime.Version() + runtime.GOOS + runtime.GOARCH))
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "sneller-s3test")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "versitygw-"+hex.EncodeToString(h.Sum(nil))[:16])
	if fi, err := os.Stat(bin); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
		return bin, nil
	}
	// Build under a private name and rename, so concurrent test binaries never run a
	// half-written file.
	tmp := bin + ".tmp" + strconv.Itoa(os.Getpid())
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool(), "build", "-modfile="+filepath.Join(root, "tools", "go.mod"),
		"-o", tmp, versityPkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("go build %s: %w\n%s", versityPkg, err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return bin, nil
}

// runVersity starts one versitygw process and waits until it answers.
func runVersity(t testing.TB, bin string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()

	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	meta := filepath.Join(dir, "meta")
	for _, d := range []string{data, meta} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, err
		}
	}
	s := &Server{
		Kind:             "versitygw",
		Endpoint:         "http://" + addr,
		AccessKey:        "sneller-test-access",
		SecretKey:        "sneller-test-secret-key",
		Region:           Region,
		ChecksSignatures: true,
	}
	cmd := exec.Command(bin, "--port", addr, "--quiet", "posix", "--sidecar", meta, data)
	cmd.Env = append(os.Environ(),
		"ROOT_ACCESS_KEY_ID="+s.AccessKey,
		"ROOT_SECRET_ACCESS_KEY="+s.SecretKey,
		"VGW_REGION="+s.Region,
	)
	var logs bytes.Buffer
	cmd.Stdout = &logs
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := waitReady(ctx, s.Endpoint, exited); err != nil {
		stop()
		return nil, fmt.Errorf("%w\n%s", err, logs.String())
	}
	t.Cleanup(stop)
	return s, nil
}
