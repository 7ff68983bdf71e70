package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/db"
)

// tutorialRoot returns a local root with the EKS guide's three sample files and its
// definition written to a local file (not yet created).
func tutorialRoot(t *testing.T) (root, defFile string) {
	t.Setenv(db.IndexKeyEnv, "")
	os.Unsetenv(db.IndexKeyEnv)
	t.Setenv("SNELLER_BUCKET", "")
	root = t.TempDir()
	writeRows(t, root, "sample_data/test1.ndjson", 1, 1)
	writeRows(t, root, "sample_data/test2.ndjson", 2, 10)
	writeRows(t, root, "sample_data/test3.ndjson", 3, 20)
	defFile = filepath.Join(t.TempDir(), "definition.json")
	if err := os.WriteFile(defFile, []byte(`{"input": [{"pattern": "file://sample_data/*.ndjson", "format": "json"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return root, defFile
}

func writeRows(t *testing.T, root, name string, n, from int) {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "{\"value\": %d}\n", from+i)
	}
	writeFile(t, root, name, sb.String())
}

func writeFile(t *testing.T, root, name, text string) {
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, root, table string) string {
	t.Helper()
	code, out, errs := runSDB(t, "-root", root, "query", "SELECT COUNT(*) AS n FROM "+table)
	if code != 0 {
		t.Fatalf("query: code %d: %s", code, errs)
	}
	return strings.TrimSpace(out)
}

func TestTutorialCommands(t *testing.T) {
	root, defFile := tutorialRoot(t)
	if code, out, errs := runSDB(t, "-root", root, "create", "tutorial", "table1", defFile); code != 0 || !strings.Contains(out, "definition.json") {
		t.Fatalf("create: %d %s %s", code, out, errs)
	}
	code, out, errs := runSDB(t, "-root", root, "sync", "-m", "1073741824", "tutorial", "table1")
	if code != 0 || !strings.Contains(out, "3 new inputs ingested") || !strings.Contains(out, "6 rows") {
		t.Fatalf("sync: %d %q %q", code, out, errs)
	}
	if got := count(t, root, "tutorial.table1"); got != `{"n": 6}` {
		t.Fatalf("count %s", got)
	}
	// re-sync adds nothing
	if code, out, _ := runSDB(t, "-root", root, "sync", "tutorial", "*"); code != 0 || !strings.Contains(out, "0 new inputs") || !strings.Contains(out, "3 already ingested") {
		t.Fatalf("re-sync: %d %q", code, out)
	}
	// a fourth file adds its rows
	writeRows(t, root, "sample_data/test4.ndjson", 4, 30)
	if code, _, _ := runSDB(t, "-root", root, "sync", "tutorial", "table1"); code != 0 {
		t.Fatal("sync of the fourth file")
	}
	if got := count(t, root, "tutorial.table1"); got != `{"n": 10}` {
		t.Fatalf("count %s", got)
	}
	// a malformed fifth file is rejected and listed while the rest goes on
	writeFile(t, root, "sample_data/test5.ndjson", "{\"value\": 40}\n{\"value\": }\n")
	writeRows(t, root, "sample_data/test6.ndjson", 2, 50)
	code, out, errs = runSDB(t, "-root", root, "sync", "tutorial", "table1")
	if code != 1 || !strings.Contains(errs, "rejected: file://sample_data/test5.ndjson: line 2") || !strings.Contains(out, "1 rejected") {
		t.Fatalf("sync with a malformed file: %d %q %q", code, out, errs)
	}
	if got := count(t, root, "tutorial.table1"); got != `{"n": 12}` {
		t.Fatalf("count %s", got)
	}
	code, out, _ = runSDB(t, "-root", root, "inputs", "tutorial", "table1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 6 || !strings.Contains(lines[4], "test5.ndjson") || !strings.Contains(lines[4], "\trejected\t") ||
		!strings.Contains(lines[0], "\taccepted\t1 rows\tdb/tutorial/table1/packed-") {
		t.Fatalf("inputs: %d\n%s", code, out)
	}
	// describe, validate
	code, out, _ = runSDB(t, "-root", root, "describe", "tutorial", "table1")
	if code != 0 || !strings.Contains(out, "12 in 3 blobs") || !strings.Contains(out, "5 accepted, 1 rejected") {
		t.Fatalf("describe: %d\n%s", code, out)
	}
	code, out, errs = runSDB(t, "-root", root, "validate", "tutorial", "table1")
	if code != 0 || !strings.Contains(out, "12 rows") || !strings.Contains(out, "0 faults") {
		t.Fatalf("validate: %d %s %s", code, out, errs)
	}
	// unpack a blob of the table by its key
	blob := strings.Split(lines[0], "\t")[4]
	code, out, errs = runSDB(t, "-root", root, "unpack", blob)
	if code != 0 || strings.Count(out, "\n") != 6 || !strings.Contains(out, "{\"value\":1}\n") {
		t.Fatalf("unpack %s: %d %q %q", blob, code, out, errs)
	}
	// gc has nothing to collect
	if code, out, _ := runSDB(t, "-root", root, "gc", "tutorial"); code != 0 || !strings.Contains(out, "deleted 0 objects") {
		t.Fatalf("gc: %d %s", code, out)
	}
}

func TestTamperedTableCommands(t *testing.T) {
	root, defFile := tutorialRoot(t)
	runSDB(t, "-root", root, "create", "tutorial", "table1", defFile)
	if code, _, errs := runSDB(t, "-root", root, "sync", "tutorial", "table1"); code != 0 {
		t.Fatal(errs)
	}
	// a blob changed on disk: validate reports it, queries fail
	idx := filepath.Join(root, "db/tutorial/table1/index")
	matches, _ := filepath.Glob(filepath.Join(root, "db/tutorial/table1/packed-*"))
	if len(matches) != 1 {
		t.Fatalf("blobs %v", matches)
	}
	data, _ := os.ReadFile(matches[0])
	bad := append([]byte(nil), data...)
	bad[20] ^= 1
	os.WriteFile(matches[0], bad, 0o644)
	code, out, errs := runSDB(t, "-root", root, "validate", "tutorial", "table1")
	if code != 1 || !strings.Contains(errs, "fault:") || !strings.Contains(errs, filepath.Base(matches[0])) || !strings.Contains(out, "1 faults") {
		t.Fatalf("validate of a changed blob: %d %q %q", code, out, errs)
	}
	if code, _, errs := runSDB(t, "-root", root, "query", "SELECT SUM(value) FROM tutorial.table1"); code != 1 || !strings.Contains(errs, "ETag changed") {
		t.Fatalf("query of a changed blob: %d %q", code, errs)
	}
	os.WriteFile(matches[0], data, 0o644)
	// a tampered index: every command refuses it, naming the file
	x, _ := os.ReadFile(idx)
	x[len(x)/3] ^= 1
	os.WriteFile(idx, x, 0o644)
	for _, args := range [][]string{
		{"query", "SELECT COUNT(*) FROM tutorial.table1"},
		{"describe", "tutorial", "table1"},
		{"inputs", "tutorial", "table1"},
		{"validate", "tutorial", "table1"},
		{"sync", "tutorial", "table1"},
		{"gc", "tutorial"},
	} {
		code, _, errs := runSDB(t, append([]string{"-root", root}, args...)...)
		if code != 1 || !strings.Contains(errs, "signature") || !strings.Contains(errs, "db/tutorial/table1/index") {
			t.Errorf("%v on a tampered index: %d %q", args, code, errs)
		}
	}
}

func TestCreateValidates(t *testing.T) {
	root, _ := tutorialRoot(t)
	dir := t.TempDir()
	for name, def := range map[string]string{
		"unknown key":    `{"inputs": [{"pattern": "file://a/*.json"}]}`,
		"bad pattern":    `{"input": [{"pattern": "file://a/**.json"}]}`,
		"bad format":     `{"input": [{"pattern": "file://a/*", "format": "xml"}]}`,
		"csv no hints":   `{"input": [{"pattern": "file://a/*.csv"}]}`,
		"bad hints":      `{"input": [{"pattern": "file://a/*.json", "hints": [{"path": "x", "hints": "nonsense"}]}]}`,
		"bad partition":  `{"input": [{"pattern": "file://a/*.json"}], "partitions": [{"field": "day"}]}`,
		"bad retention":  `{"input": [{"pattern": "file://a/*.json"}], "retention_policy": {"field": "ts", "valid_for": "1x"}}`,
		"outside s3 key": `{"input": [{"pattern": "s3://Bad_Bucket/x/*.json"}]}`,
	} {
		f := filepath.Join(dir, "def.json")
		os.WriteFile(f, []byte(def), 0o644)
		code, _, errs := runSDB(t, "-root", root, "create", "d", "t", f)
		if code != 1 || errs == "" {
			t.Errorf("%s: code %d, stderr %q", name, code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "db/d/t/definition.json")); err == nil {
		t.Fatal("an invalid definition was written")
	}
	// good, then replaced only with -f
	f := filepath.Join(dir, "def.json")
	os.WriteFile(f, []byte(`{"input": [{"pattern": "file://a/*.csv", "hints": {"fields": [{"name": "a", "type": "int"}]}}]}`), 0o644)
	if code, _, errs := runSDB(t, "-root", root, "create", "d", "t", f); code != 0 {
		t.Fatalf("create: %s", errs)
	}
	os.WriteFile(f, []byte(`{"input": [{"pattern": "file://b/*.json"}]}`), 0o644)
	if code, _, errs := runSDB(t, "-root", root, "create", "d", "t", f); code != 1 || !strings.Contains(errs, "-f") {
		t.Fatalf("replace without -f: %d %s", code, errs)
	}
	if code, _, errs := runSDB(t, "-root", root, "create", "-f", "d", "t", f); code != 0 {
		t.Fatalf("replace with -f: %s", errs)
	}
	d, err := db.ReadDefinition(context.Background(), mustRoot(t, root), "d", "t")
	if err != nil || d.Inputs[0].Pattern != "file://b/*.json" {
		t.Fatalf("definition %+v %v", d, err)
	}
}

func mustRoot(t *testing.T, dir string) db.FS {
	r, err := db.OpenRoot(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestPackUnpack(t *testing.T) {
	dir := t.TempDir()
	writeRows(t, dir, "a.json", 3, 0)
	writeFile(t, dir, "b.csv", "x,y\n1,hello\n2,world\n")
	writeFile(t, dir, "hints.json", `{"skip_records": 1, "fields": [{"name": "x", "type": "int"}, {"name": "y", "type": "string"}]}`)
	out := filepath.Join(dir, "out.pack")
	code, _, errs := runSDB(t, "-v", "pack", "-o", out, filepath.Join(dir, "a.json"))
	if code != 0 || !strings.Contains(errs, "3 rows") {
		t.Fatalf("pack: %d %s", code, errs)
	}
	code, got, _ := runSDB(t, "unpack", out)
	if code != 0 || got != "{\"value\":0}\n{\"value\":1}\n{\"value\":2}\n" {
		t.Fatalf("unpack: %d %q", code, got)
	}
	code, _, errs = runSDB(t, "pack", "-o", out, "-f", "csv", "-hints", filepath.Join(dir, "hints.json"), filepath.Join(dir, "b.csv"))
	if code != 0 {
		t.Fatalf("pack csv: %s", errs)
	}
	if code, got, _ := runSDB(t, "unpack", out); code != 0 || !strings.Contains(got, `"y":"world"`) {
		t.Fatalf("unpack csv: %q", got)
	}
	// ion output converts back with ion2json
	ionOut := filepath.Join(dir, "rows.ion")
	if code, _, errs := runSDB(t, "unpack", "-fmt", "ion", "-o", ionOut, out); code != 0 {
		t.Fatal(errs)
	}
	if code, got, _ := runSDB(t, "ion2json", ionOut); code != 0 || strings.Count(got, "\n") != 2 {
		t.Fatalf("ion2json of unpack -fmt ion: %q", got)
	}
	// a malformed input: nothing written, exit 1
	writeFile(t, dir, "bad.json", "{\"value\": 1}\n{oops}\n")
	bad := filepath.Join(dir, "bad.pack")
	code, _, errs = runSDB(t, "pack", "-o", bad, filepath.Join(dir, "a.json"), filepath.Join(dir, "bad.json"))
	if code != 1 || !strings.Contains(errs, "bad.json: line 2") {
		t.Fatalf("pack of a malformed input: %d %q", code, errs)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Fatal("a blob was written")
	}
	if code, _, _ := runSDB(t, "pack", "a.json"); code != 2 {
		t.Fatal("pack without -o")
	}
}
