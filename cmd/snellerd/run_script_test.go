package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunScript runs `scripts/run.sh --check` (what `make run` does, with the printed curl and
// the README's tour checked against the started daemon) in a temporary run directory.
func TestRunScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sdb and snellerd; skipped under -short")
	}
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tmp := t.TempDir()
	script, _ := filepath.Abs(filepath.Join("..", "..", "scripts", "run.sh"))
	cmd := exec.Command(script, "--check")
	cmd.Env = append(os.Environ(),
		"ADDR="+addr, "RUN_DIR="+filepath.Join(tmp, "run"), "BIN="+filepath.Join(tmp, "bin"),
		"GO="+goTool())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("run.sh --check: %v\n%s", err, out)
	}
	for _, want := range []string{"token: ", "curl -s -H \"Authorization: Bearer ", "ok   GET /"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "FAIL") {
		t.Fatalf("%s", out)
	}
}
