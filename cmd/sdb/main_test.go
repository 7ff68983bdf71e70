package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runSDB(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

func TestUsageAndHelp(t *testing.T) {
	if code, _, errs := runSDB(t); code != 2 || !strings.Contains(errs, "Commands:") {
		t.Fatalf("no args: code %d, stderr %q", code, errs)
	}
	if code, out, _ := runSDB(t, "--help"); code != 0 || !strings.Contains(out, "version") {
		t.Fatalf("--help: code %d, stdout %q", code, out)
	}
	if code, _, errs := runSDB(t, "nosuchcommand"); code != 2 || !strings.Contains(errs, `unknown command "nosuchcommand"`) {
		t.Fatalf("unknown: code %d, stderr %q", code, errs)
	}
	for name := range commands {
		code, out, _ := runSDB(t, name, "--help")
		if code != 0 || !strings.Contains(out, "usage: sdb") || !strings.Contains(out, name) {
			t.Errorf("%s --help: code %d, stdout %q", name, code, out)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runSDB(t, "version")
	if code != 0 || !strings.HasPrefix(out, "sdb ") {
		t.Fatalf("version: code %d, stdout %q", code, out)
	}
	if code, _, _ := runSDB(t, "version", "extra"); code != 2 {
		t.Fatalf("version extra: code %d, want 2", code)
	}
}
