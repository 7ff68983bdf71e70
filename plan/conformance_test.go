package plan

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// confCase is one case of a conformance file (see ../shared/conformance/README.md).
type confCase struct {
	Name       string            `json:"name"`
	Query      string            `json:"query"`
	Inputs     []json.RawMessage `json:"inputs"`
	Expected   []json.RawMessage `json:"expected"`
	Ordered    bool              `json:"ordered"`
	Tags       []string          `json:"tags"`
	SkipReason string            `json:"skip_reason"`
}

func (c *confCase) hasTag(t string) bool {
	for _, x := range c.Tags {
		if x == t {
			return true
		}
	}
	return false
}

// conformanceFile locates the case file: $SNELLER_CONFORMANCE, else the public split beside
// the repository.
func conformanceFile() string {
	if p := os.Getenv("SNELLER_CONFORMANCE"); p != "" {
		return p
	}
	return filepath.Join("..", "..", "shared", "conformance", "public.jsonl")
}

// loadRows converts JSON rows to Values with the loading rules (through the Ion loader), then
// replaces the "float64:..." strings by the IEEE special values they stand for.
func loadRows(raw json.RawMessage) ([]vm.Value, error) {
	var rows []json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		return nil, err
	}
	out := make([]vm.Value, len(rows))
	for i, r := range rows {
		var buf ion.Buffer
		var st ion.Symtab
		if err := ion.FromJSON(&buf, &st, r); err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		v, err := vm.DecodeIon(buf.Bytes(), &st)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		out[i] = specialFloats(v.Clone())
	}
	return out, nil
}

func specialFloats(v vm.Value) vm.Value {
	switch v.Kind() {
	case vm.KString:
		switch v.String() {
		case "float64:inf", "float64:+inf":
			return vm.Float(math.Inf(1))
		case "float64:-inf":
			return vm.Float(math.Inf(-1))
		case "float64:nan", "float64:NaN":
			return vm.Float(math.NaN())
		case "float64:-0":
			return vm.Float(math.Copysign(0, -1))
		}
	case vm.KList:
		l := v.List()
		out := make([]vm.Value, len(l))
		for i := range l {
			out[i] = specialFloats(l[i])
		}
		return vm.List(out)
	case vm.KStruct:
		f := v.Fields()
		out := make([]vm.Field, len(f))
		for i := range f {
			out[i] = vm.Field{Name: f[i].Name, Value: specialFloats(f[i].Value)}
		}
		return vm.Struct(out)
	}
	return v
}

// compareRows reports why got differs from want ("" when they match).
func compareRows(got, want []vm.Value, ordered bool) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d rows, want %d", len(got), len(want))
	}
	if ordered {
		for i := range want {
			if !vm.Equal(got[i], want[i]) {
				return fmt.Sprintf("row %d: got %s, want %s", i, vm.FormatValue(got[i]), vm.FormatValue(want[i]))
			}
		}
		return ""
	}
	used := make([]bool, len(got))
	for i, w := range want {
		found := false
		for j, g := range got {
			if !used[j] && vm.Equal(g, w) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return fmt.Sprintf("expected row %d %s not found", i, vm.FormatValue(w))
		}
	}
	return ""
}

type collectRows struct{ rows []vm.Value }

func (c *collectRows) Row(v vm.Value) error {
	c.rows = append(c.rows, v.Clone())
	return nil
}

// loader builds the table environment of a case.
type loader func(t *testing.T, tables map[string][]vm.Value) Env

func valuesLoader(t *testing.T, tables map[string][]vm.Value) Env {
	env := MapEnv{}
	for name, rows := range tables {
		env[name] = &vm.ValuesSource{Rows: rows}
	}
	return env
}

// runCase runs one case and returns "" on success or the reason of the failure.
func runCase(t *testing.T, c *confCase, load loader, workers int) (reason string) {
	defer func() {
		if r := recover(); r != nil {
			reason = fmt.Sprintf("panic: %v", r)
		}
	}()
	tables := map[string][]vm.Value{}
	for i, in := range c.Inputs {
		rows, err := loadRows(in)
		if err != nil {
			return "loading input: " + err.Error()
		}
		name := "input"
		if len(c.Inputs) > 1 {
			name = fmt.Sprintf("input%d", i)
		}
		tables[name] = rows
	}
	var want []vm.Value
	for _, e := range c.Expected {
		w, err := loadRows(json.RawMessage("[" + string(e) + "]"))
		if err != nil {
			return "loading expected: " + err.Error()
		}
		want = append(want, w...)
	}
	env := load(t, tables)
	got, err := runSQL(env, c.Query, workers)
	if err != nil {
		return "error: " + err.Error()
	}
	if c.hasTag("explain") {
		if len(got) == 0 || got[0].Field("plan").Kind() != vm.KString {
			return "EXPLAIN gave no plan lines"
		}
		return ""
	}
	if c.hasTag("impl_specific_result") {
		// the original's own approximations are accepted as they are; otherwise the answer
		// must agree with the exact one within the documented error
		if compareRows(got, want, c.Ordered) == "" {
			return ""
		}
		return checkApprox(env, c.Query, got, workers)
	}
	return compareRows(got, want, c.Ordered)
}

func runSQL(env Env, text string, workers int) ([]vm.Value, error) {
	st, err := sql.Parse(text)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := Prepare(ctx, st, env, Options{MemoryLimit: 1 << 30, Workers: workers})
	if err != nil {
		return nil, err
	}
	out := &collectRows{}
	if err := q.Run(ctx, out); err != nil {
		return nil, err
	}
	return out.rows, nil
}

var (
	approxCountRe  = regexp.MustCompile(`(?i)APPROX_COUNT_DISTINCT\(\s*([^,()]+)\s*(?:,\s*(\d+)\s*)?\)`)
	approxPctRe    = regexp.MustCompile(`(?i)APPROX_PERCENTILE\(`)
	approxMedianRe = regexp.MustCompile(`(?i)APPROX_MEDIAN\(\s*([^()]+)\s*\)`)
)

// checkApprox checks a case whose expected output depends on the original's approximate
// algorithms against the exact answers instead: the query is run again with
// APPROX_COUNT_DISTINCT(x) replaced by COUNT(DISTINCT x) and APPROX_PERCENTILE by the exact
// EXACT_PERCENTILE, and numbers must agree within the documented error of the sketches.
func checkApprox(env Env, query string, got []vm.Value, workers int) string {
	exact := approxCountRe.ReplaceAllString(query, "COUNT(DISTINCT $1)")
	exact = approxPctRe.ReplaceAllString(exact, "EXACT_PERCENTILE(")
	exact = approxMedianRe.ReplaceAllString(exact, "EXACT_PERCENTILE($1, 0.5)")
	want, err := runSQL(env, exact, workers)
	if err != nil {
		return "exact query: " + err.Error()
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d rows, exact query gives %d", len(got), len(want))
	}
	for i := range want {
		if !approxEqual(got[i], want[i]) {
			return fmt.Sprintf("row %d: got %s, exact %s", i, vm.FormatValue(got[i]), vm.FormatValue(want[i]))
		}
	}
	return ""
}

// approxEqual compares with a relative tolerance on numbers of 3 standard errors of a
// HyperLogLog of precision 11 (about 7%).
func approxEqual(a, b vm.Value) bool {
	if x, ok := a.AsFloat(); ok {
		if y, ok := b.AsFloat(); ok {
			return math.Abs(x-y) <= 0.07*math.Max(math.Abs(y), 1)
		}
	}
	if a.Kind() == vm.KStruct && b.Kind() == vm.KStruct {
		fa, fb := a.Fields(), b.Fields()
		if len(fa) != len(fb) {
			return false
		}
		for _, f := range fa {
			if !approxEqual(f.Value, b.Field(f.Name)) {
				return false
			}
		}
		return true
	}
	return vm.Equal(a, b)
}

// knownFailures reads the listed failures: "name  # reason" per line.
func knownFailures(t *testing.T) map[string]string {
	out := map[string]string{}
	f, err := os.Open(filepath.Join("testdata", "conformance-known-failures.txt"))
	if err != nil {
		return out
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, "#")
		out[strings.TrimSpace(name)] = strings.TrimSpace(reason)
	}
	return out
}

func runConformance(t *testing.T, load loader, workers int) {
	runCaseFile(t, conformanceFile(), load, workers, true)
}

// TestOwnCases runs our own cases (features the public corpus does not cover) through the
// packed path; none may fail.
func TestOwnCases(t *testing.T) {
	runCaseFile(t, filepath.Join("testdata", "cases.jsonl"), packedLoader(2), 0, false)
}

func runCaseFile(t *testing.T, path string, load loader, workers int, summary bool) {
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no conformance file (%v); set SNELLER_CONFORMANCE", err)
	}
	defer f.Close()
	known := knownFailures(t)
	var passed, failed, skipped int
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<28)
	line := 0
	for s.Scan() {
		line++
		if strings.TrimSpace(s.Text()) == "" {
			continue
		}
		var c confCase
		if err := json.Unmarshal(s.Bytes(), &c); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		if c.SkipReason != "" {
			skipped++
			continue
		}
		reason := runCase(t, &c, load, workers)
		if reason == "" {
			passed++
			if _, ok := known[c.Name]; ok {
				t.Logf("%s passes but is listed as a known failure", c.Name)
			}
			continue
		}
		failed++
		if _, ok := known[c.Name]; !ok || !summary {
			t.Errorf("%s: %s\n%s", c.Name, reason, c.Query)
		} else if testing.Verbose() {
			t.Logf("known failure %s: %s", c.Name, reason)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if summary {
		fmt.Printf("conformance: %d passed, %d failed, %d skipped\n", passed, failed, skipped)
	}
}

// packedLoader loads each table through the real path: rows → packed blob → scan.
func packedLoader(blockRows int) loader {
	return func(t *testing.T, tables map[string][]vm.Value) Env {
		env := MapEnv{}
		for name, rows := range tables {
			data, err := packRows(rows, blockRows)
			if err != nil {
				t.Fatal(err)
			}
			env[name] = mustOpenBlob(t, name, data)
		}
		return env
	}
}

// packRows packs struct Values into a blob.
func packRows(rows []vm.Value, blockRows int) ([]byte, error) {
	var out bytes.Buffer
	w := pack.NewWriter(&out)
	b := pack.NewBlockBuilder(pack.BuilderOptions{MaxRows: blockRows})
	var buf ion.Buffer
	flush := func() error {
		blk, err := b.Finish()
		if err != nil {
			return err
		}
		return w.WriteBlock(blk)
	}
	for _, r := range rows {
		buf.Reset()
		vm.EncodeIon(&buf, b.Symtab(), r)
		if err := b.Add(buf.Bytes(), b.Symtab()); err != nil {
			return nil, err
		}
		if b.Full() {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	_, err := w.Close()
	return out.Bytes(), err
}

// TestConformance runs the conformance cases through the real path (JSON rows → packed
// blob → query) and prints one summary line.
func TestConformance(t *testing.T) { runConformance(t, packedLoader(0), 0) }

// TestConformanceSmallBlocks runs them again with 3-row blocks on one worker (so that output
// order stays the input order), to exercise block boundaries, block skipping and merging.
func TestConformanceSmallBlocks(t *testing.T) { runConformance(t, packedLoader(3), 1) }

// TestConformanceValues runs them on in-memory tables.
func TestConformanceValues(t *testing.T) { runConformance(t, valuesLoader, 0) }

func mustOpenBlob(t testing.TB, name string, data []byte) *pack.Blob {
	t.Helper()
	blob, err := pack.Open(context.Background(), name, pack.BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	return blob
}
