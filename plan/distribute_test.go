package plan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// distSource makes a test table a DistSource: its blocks are keyed by the table's name.
type distSource struct {
	vm.Source
	name string
}

func (d *distSource) Version() string { return "v1-" + d.name }
func (d *distSource) BlockKey(i int) (string, int) {
	return fmt.Sprintf("%s-blob%d", d.name, i/4), i % 4
}

// distLoader loads tables as packed blobs of small blocks, as DistSources.
func distLoader(blockRows int) loader {
	return func(t *testing.T, tables map[string][]vm.Value) Env {
		env := MapEnv{}
		for name, rows := range tables {
			data, err := packRows(rows, blockRows)
			if err != nil {
				t.Fatal(err)
			}
			env[name] = &distSource{Source: mustOpenBlob(t, name, data), name: name}
		}
		return env
	}
}

// wire passes a partial result through Ion, as replicas exchange them.
func wire(v vm.Value) (vm.Value, error) {
	var buf, body ion.Buffer
	var st ion.Symtab
	vm.EncodeIon(&body, &st, v)
	st.Marshal(&buf, true)
	buf.WriteRaw(body.Bytes())
	r := ion.NewBytesReader(buf.Bytes())
	if !r.Next() {
		return vm.Missing(), fmt.Errorf("no value: %v", r.Err())
	}
	return vm.DecodeIon(r.Value(), r.Symtab())
}

// distStats counts what the simulated replicas did.
type distStats struct {
	queries, distributed, remoteValues atomic.Int64
}

// runDistributed runs a query with its fragment's blocks split among three replicas (this one
// and two others, each planning the query again and running its share with RunFragment),
// passing partial results through Ion.
func runDistributed(env Env, text string, workers int, ds *distStats) ([]vm.Value, error) {
	st, err := sql.Parse(text)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	opt := Options{MemoryLimit: 1 << 30, Workers: workers}
	q, err := Prepare(ctx, st, env, opt)
	if err != nil {
		return nil, err
	}
	out := &collectRows{}
	if ds != nil {
		ds.queries.Add(1)
	}
	f, ok := q.Fragment()
	if !ok {
		err := q.Run(ctx, out)
		return out.rows, err
	}
	if ds != nil {
		ds.distributed.Add(1)
	}
	parts := make([][]int, 3)
	for j, b := range f.Blocks {
		parts[j%3] = append(parts[j%3], b.Index)
	}
	var shares []Share
	for _, blocks := range parts[1:] {
		shares = append(shares, Share{Blocks: blocks, Run: func(ctx context.Context, emit func(vm.Value) error) error {
			popt := opt
			popt.Now = q.Now()
			pq, err := Prepare(ctx, st, env, popt)
			if err != nil {
				return err
			}
			pf, ok := pq.Fragment()
			if !ok || pf.Signature != f.Signature || pf.Version != f.Version || pf.Table != f.Table {
				return fmt.Errorf("the replica planned another fragment")
			}
			return pq.RunFragment(ctx, blocks, func(v vm.Value) error {
				w, err := wire(v)
				if err != nil {
					return err
				}
				if ds != nil {
					ds.remoteValues.Add(1)
				}
				return emit(w)
			})
		}})
	}
	err = q.RunDistributed(ctx, out, parts[0], shares)
	return out.rows, err
}

// TestConformanceDistributed runs the conformance cases split among three simulated replicas:
// every answer must be the single node's.
func TestConformanceDistributed(t *testing.T) {
	ds := &distStats{}
	for _, file := range []string{conformanceFile(), filepath.Join("testdata", "cases.jsonl")} {
		runCaseFileWith(t, file, distLoader(3), func(env Env, text string, workers int) ([]vm.Value, error) {
			return runDistributed(env, text, workers, ds)
		})
	}
	t.Logf("%d queries, %d distributed, %d partial results", ds.queries.Load(), ds.distributed.Load(), ds.remoteValues.Load())
	if ds.distributed.Load() < ds.queries.Load()/3 || ds.remoteValues.Load() == 0 {
		t.Errorf("too few queries distributed")
	}
}

// runCaseFileWith runs a case file with another query runner, comparing with the answers of
// the single-node run (not the expected answers: known failures fail the same way).
func runCaseFileWith(t *testing.T, path string, load loader, run func(env Env, text string, workers int) ([]vm.Value, error)) {
	cases := readCases(t, path)
	for _, c := range cases {
		tables, err := caseTables(c)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		env := load(t, tables)
		want, werr := runSQL(env, c.Query, 0)
		got, gerr := run(env, c.Query, 0)
		if (werr != nil) != (gerr != nil) {
			t.Errorf("%s: single node error %v, distributed error %v\n%s", c.Name, werr, gerr, c.Query)
			continue
		}
		if werr != nil {
			continue
		}
		ordered := c.Ordered || strings.Contains(strings.ToUpper(c.Query), "ORDER BY")
		if c.hasTag("explain") {
			continue
		}
		if c.hasTag("impl_specific_result") {
			if why := approxRows(got, want); why != "" {
				t.Errorf("%s: %s\n%s", c.Name, why, c.Query)
			}
			continue
		}
		if strings.Contains(strings.ToUpper(c.Query), "LIMIT") && !ordered {
			// any rows may make the cut
			if len(got) != len(want) {
				t.Errorf("%s: %d rows, single node %d\n%s", c.Name, len(got), len(want), c.Query)
			}
			continue
		}
		if why := compareRows(got, want, ordered); why != "" {
			// floating-point sums and moments merged in another order may differ in the last
			// bits; everything else must be equal
			if why2 := closeRows(got, want, ordered); why2 != "" {
				t.Errorf("%s: %s\n%s", c.Name, why, c.Query)
			} else {
				t.Logf("%s: equal within 1e-12 only: %s", c.Name, why)
			}
		}
	}
}

// closeRows compares rows, numbers within a relative 1e-12.
func closeRows(got, want []vm.Value, ordered bool) string {
	if len(got) != len(want) {
		return "count"
	}
	used := make([]bool, len(got))
	for i, w := range want {
		found := false
		for j, g := range got {
			if (!ordered || i == j) && !used[j] && closeValue(g, w) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return fmt.Sprintf("row %d", i)
		}
	}
	return ""
}

func closeValue(a, b vm.Value) bool {
	if a.Kind() == vm.KFloat || b.Kind() == vm.KFloat {
		x, ok1 := a.AsFloat()
		y, ok2 := b.AsFloat()
		return ok1 && ok2 && math.Abs(x-y) <= 1e-12*math.Max(math.Abs(y), 1)
	}
	if a.Kind() == vm.KStruct && b.Kind() == vm.KStruct {
		fa, fb := a.Fields(), b.Fields()
		if len(fa) != len(fb) {
			return false
		}
		for i := range fa {
			if fa[i].Name != fb[i].Name || !closeValue(fa[i].Value, fb[i].Value) {
				return false
			}
		}
		return true
	}
	if a.Kind() == vm.KList && b.Kind() == vm.KList {
		la, lb := a.List(), b.List()
		if len(la) != len(lb) {
			return false
		}
		for i := range la {
			if !closeValue(la[i], lb[i]) {
				return false
			}
		}
		return true
	}
	return vm.Equal(a, b)
}

// approxRows compares approximate answers (of sketches merged in another order).
func approxRows(got, want []vm.Value) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d rows, single node %d", len(got), len(want))
	}
	key := func(v vm.Value) string { return vm.FormatValue(v) }
	sort.Slice(got, func(i, j int) bool { return key(got[i]) < key(got[j]) })
	sort.Slice(want, func(i, j int) bool { return key(want[i]) < key(want[j]) })
	for i := range want {
		if !approxEqual(got[i], want[i]) {
			return fmt.Sprintf("row %d: got %s, single node %s", i, key(got[i]), key(want[i]))
		}
	}
	return ""
}

// TestDistributedTies: sorts among rows of several replicas give the single node's order, ties
// included (rows carry their positions in the scan). At a LIMIT's boundary, which of tied rows
// make the cut depends on the order rows arrive in, on one node with several workers as
// across replicas: there only the keys are compared.
func TestDistributedTies(t *testing.T) {
	var rows []vm.Value
	for i := 0; i < 500; i++ {
		rows = append(rows, vm.Struct([]vm.Field{{Name: "a", Value: vm.Int(int64(i))}, {Name: "g", Value: vm.Int(int64(i % 5))},
			{Name: "s", Value: vm.String(fmt.Sprintf("s%d", i%3))}, {Name: "unused", Value: vm.String(strings.Repeat("x", 50))}}))
	}
	env := distLoader(16)(t, map[string][]vm.Value{"t": rows})
	for _, c := range []struct {
		q    string
		keys []string // compare only these columns
	}{
		{q: "SELECT a, g FROM t ORDER BY g, a DESC LIMIT 37"},
		{q: "SELECT a FROM t ORDER BY a DESC LIMIT 20 OFFSET 7"},
		{q: "SELECT a, s FROM t WHERE a % 2 = 1 ORDER BY s"},
		{q: "SELECT g, s, a FROM t ORDER BY g DESC, s"},
		{q: "SELECT * FROM t ORDER BY g, a LIMIT 12"},
		{q: "SELECT DISTINCT g, s FROM t ORDER BY g, s"},
		{q: "SELECT a, g FROM t ORDER BY g LIMIT 37", keys: []string{"g"}},
		{q: "SELECT g, s, a FROM t ORDER BY g DESC, s LIMIT 101", keys: []string{"g", "s"}},
		{q: "SELECT g, a, ROW_NUMBER() OVER (PARTITION BY g ORDER BY s, a) AS r FROM t ORDER BY g, r LIMIT 30"},
	} {
		for _, workers := range []int{1, 3} {
			want, err := runSQL(env, c.q, workers)
			if err != nil {
				t.Fatal(err)
			}
			ds := &distStats{}
			got, err := runDistributed(env, c.q, workers, ds)
			if err != nil {
				t.Fatal(err)
			}
			if ds.distributed.Load() != 1 || ds.remoteValues.Load() == 0 {
				t.Errorf("%s: not distributed", c.q)
			}
			if c.keys != nil {
				got, want = project(got, c.keys), project(want, c.keys)
			}
			if why := compareRows(got, want, true); why != "" {
				t.Errorf("%s (%d workers): %s", c.q, workers, why)
			}
		}
	}
}

func project(rows []vm.Value, keys []string) []vm.Value {
	out := make([]vm.Value, len(rows))
	for i, r := range rows {
		var fs []vm.Field
		for _, k := range keys {
			fs = append(fs, vm.Field{Name: k, Value: r.Field(k)})
		}
		out[i] = vm.Struct(fs)
	}
	return out
}

// TestDistributedErrors: a share that fails before sending anything is scanned locally; one
// that fails after sending fails the query.
func TestDistributedErrors(t *testing.T) {
	var rows []vm.Value
	for i := 0; i < 100; i++ {
		rows = append(rows, vm.Struct([]vm.Field{{Name: "a", Value: vm.Int(int64(i))}, {Name: "g", Value: vm.Int(int64(i % 7))}}))
	}
	env := distLoader(10)(t, map[string][]vm.Value{"t": rows})
	for _, text := range []string{
		"SELECT COUNT(*) AS n, SUM(a) AS s FROM t",
		"SELECT g, COUNT(*) AS n FROM t GROUP BY g ORDER BY g",
		"SELECT a FROM t WHERE a % 3 = 0 ORDER BY a DESC LIMIT 5",
		"SELECT a FROM t ORDER BY a",
	} {
		st, err := sql.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		want, err := runSQL(env, text, 0)
		if err != nil {
			t.Fatal(err)
		}
		prepare := func() *Query {
			q, err := Prepare(context.Background(), st, env, Options{})
			if err != nil {
				t.Fatal(err)
			}
			return q
		}
		q := prepare()
		f, ok := q.Fragment()
		if !ok || len(f.Blocks) != 10 {
			t.Fatalf("%s: fragment %v %v", text, f, ok)
		}
		var local, remote []int
		for j, b := range f.Blocks {
			if j%2 == 0 {
				local = append(local, b.Index)
			} else {
				remote = append(remote, b.Index)
			}
		}
		// a replica that fails at once: its share runs here
		var fellBack error
		out := &collectRows{}
		err = q.RunDistributed(context.Background(), out, local, []Share{{Blocks: remote,
			Run:      func(ctx context.Context, emit func(vm.Value) error) error { return errors.New("connection refused") },
			Fallback: func(err error) { fellBack = err },
		}})
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if fellBack == nil {
			t.Fatalf("%s: no fallback", text)
		}
		if why := compareRows(out.rows, want, true); why != "" {
			t.Fatalf("%s: after a fallback: %s", text, why)
		}
		// a replica that fails after one partial result: the query fails with its error
		q = prepare()
		pq := prepare()
		err = q.RunDistributed(context.Background(), &collectRows{}, local, []Share{{Blocks: remote,
			Run: func(ctx context.Context, emit func(vm.Value) error) error {
				sent := false
				err := pq.RunFragment(ctx, remote, func(v vm.Value) error {
					if sent {
						return errors.New("peer died")
					}
					sent = true
					return emit(v)
				})
				if err == nil {
					return errors.New("peer died")
				}
				return err
			},
			Fallback: func(err error) { t.Errorf("%s: fallback after results were sent", text) },
		}})
		if err == nil || !strings.Contains(err.Error(), "peer died") {
			t.Fatalf("%s: error %v", text, err)
		}
	}
}

// TestFragmentShapes checks which plans have a fragment, and what it ends with.
func TestFragmentShapes(t *testing.T) {
	var rows []vm.Value
	for i := 0; i < 20; i++ {
		rows = append(rows, vm.Struct([]vm.Field{{Name: "a", Value: vm.Int(int64(i))}, {Name: "l", Value: vm.List([]vm.Value{vm.Int(1), vm.Int(2)})}}))
	}
	env := distLoader(5)(t, map[string][]vm.Value{"t": rows, "u": rows})
	for _, c := range []struct {
		q         string
		ok, agg   bool
		blocks    int
		signature string
	}{
		{q: "SELECT COUNT(*) FROM t", ok: true, agg: true, blocks: 4},
		{q: "SELECT a, COUNT(*) FROM t WHERE a >= 10 GROUP BY a ORDER BY a", ok: true, agg: true, blocks: 2},
		{q: "SELECT * FROM t LIMIT 3", ok: true, blocks: 4},
		{q: "SELECT a FROM t ORDER BY a DESC LIMIT 3", ok: true, blocks: 4},
		{q: "SELECT x FROM t, t.l AS x", ok: true, blocks: 4},
		{q: "SELECT COUNT(*) FROM (SELECT a FROM t WHERE a > 3)", ok: true, agg: true, blocks: 4},
		{q: "SELECT a, ROW_NUMBER() OVER (ORDER BY a) FROM t", ok: true, blocks: 4},
		{q: "SELECT t.a FROM t JOIN u ON t.a = u.a", ok: false},
		{q: "SELECT a FROM t UNION ALL SELECT a FROM u", ok: false},
		{q: "SELECT 1", ok: false},
		{q: "EXPLAIN SELECT COUNT(*) FROM t", ok: false},
	} {
		st, err := sql.Parse(c.q)
		if err != nil {
			t.Fatal(err)
		}
		q, err := Prepare(context.Background(), st, env, Options{})
		if err != nil {
			t.Fatal(err)
		}
		f, ok := q.Fragment()
		if ok != c.ok {
			t.Errorf("%s: distributable %v, want %v", c.q, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if f.Aggregate != c.agg || len(f.Blocks) != c.blocks || f.Table != "t" || f.Version != "v1-t" || len(f.Signature) != 64 {
			t.Errorf("%s: fragment %+v", c.q, f)
		}
		// the same query planned again has the same signature; another UTCNOW does not
		q2, _ := Prepare(context.Background(), st, env, Options{Now: q.Now()})
		if f2, _ := q2.Fragment(); f2.Signature != f.Signature {
			t.Errorf("%s: signature changed when planned again", c.q)
		}
		q3, _ := Prepare(context.Background(), st, env, Options{Now: q.Now().Add(time.Second)})
		if f3, _ := q3.Fragment(); f3.Signature == f.Signature {
			t.Errorf("%s: same signature at another time", c.q)
		}
	}
}

// readCases reads a case file (skipping cases marked to skip).
func readCases(t *testing.T, path string) []*confCase {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Logf("no case file (%v); set SNELLER_CONFORMANCE", err)
		return nil
	}
	var out []*confCase
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		c := &confCase{}
		if err := json.Unmarshal([]byte(line), c); err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		if c.SkipReason == "" {
			out = append(out, c)
		}
	}
	return out
}

// caseTables loads a case's input tables (input, or input0, input1...).
func caseTables(c *confCase) (map[string][]vm.Value, error) {
	tables := map[string][]vm.Value{}
	for i, in := range c.Inputs {
		rows, err := loadRows(in)
		if err != nil {
			return nil, err
		}
		name := "input"
		if len(c.Inputs) > 1 {
			name = fmt.Sprintf("input%d", i)
		}
		tables[name] = rows
	}
	return tables, nil
}
