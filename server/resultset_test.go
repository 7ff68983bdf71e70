package server

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/output"
	"github.com/sneller-re/sneller/vm"
)

// mixedRows: column a is sometimes missing and has ints of both signs, a float and a string;
// b has a string, a null and a bool; c appears only in the last row.
const mixedRows = `{"a": 1, "b": "x"}
{"a": -2.5}
{"a": "s", "b": null}
{"b": true}
{"a": -3, "c": [1]}
`

// bit masks of the Ion rendering
const (
	maskA = 1<<2 | 1<<3 | 1<<4 | 1<<8 | 1<<15 // non-negative int, negative int, float, string, MISSING
	maskB = 1<<0 | 1<<1 | 1<<8 | 1<<15        // null, bool, string, MISSING
	maskC = 1<<11 | 1<<15                     // list, MISSING
)

func TestResultSetIon(t *testing.T) {
	e := startServer(t)
	e.cat.ingest(t, e.acme, "d", "mixed", "file://mixed.ndjson", mixedRows, 0)
	for _, c := range []struct {
		sql  string
		want map[string]int64
	}{
		{"SELECT a, b FROM mixed", map[string]int64{"a": maskA, "b": maskB}},
		{"SELECT * FROM mixed", map[string]int64{"a": maskA, "b": maskB, "c": maskC}},
		{"SELECT b, zz FROM mixed", map[string]int64{"b": maskB, "zz": 1 << 15}},
		{"SELECT COUNT(*) AS n, MIN(a) AS m FROM mixed", map[string]int64{"n": 1 << 2, "m": 1 << 3}},
		{"SELECT a FROM mixed WHERE a > 100", map[string]int64{}}, // no rows: no types
	} {
		r := e.query(tokAcme, "d", c.sql, "application/ion")
		r.expect(t, 200)
		vals, err := ion.DecodeAll([]byte(r.body))
		if err != nil {
			t.Fatal(err)
		}
		fs := vals[len(vals)-1]
		if a := fs.Annotations(); len(a) != 1 || a[0].Text != finalStatusLabel {
			t.Fatalf("%s: last value %v", c.sql, fs)
		}
		for _, k := range []string{"hits", "misses", "scanned", "rows", "blocks", "blocks_skipped", "elapsed_ms"} {
			if _, ok := fs.Field(k); !ok {
				t.Fatalf("%s: final_status without %s: %v", c.sql, k, fs)
			}
		}
		rs, ok := fs.Field(resultSetKey)
		if !ok || rs.Type() != ion.StructType {
			t.Fatalf("%s: result_set %v", c.sql, fs)
		}
		got := map[string]int64{}
		for _, f := range rs.Fields() {
			n, ok := f.Value.Int()
			if !ok || n < 0 {
				t.Fatalf("%s: result_set.%s = %v, not a uint", c.sql, f.Name.Text, f.Value)
			}
			got[f.Name.Text] = n
		}
		if len(got) != len(c.want) {
			t.Fatalf("%s: result_set %v, want %v", c.sql, got, c.want)
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Fatalf("%s: result_set.%s = %#x, want %#x", c.sql, k, got[k], v)
			}
		}
	}
}

func TestResultSetJSON(t *testing.T) {
	e := startServer(t)
	e.cat.ingest(t, e.acme, "d", "mixed", "file://mixed.ndjson", mixedRows, 0)
	// ND-JSON: a sibling key of the status, in the order of the SELECT list
	r := e.query(tokAcme, "d", "SELECT a, b FROM mixed", "application/x-ndjson", "stats")
	r.expect(t, 200)
	lines := strings.Split(strings.TrimSuffix(r.body, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, `{"$sneller_final_status$": {"hits": `) ||
		!strings.HasSuffix(last, `}, "result_set": {"a": "int|float|string|missing", "b": "null|bool|string|missing"}}`) {
		t.Fatalf("last line %q", last)
	}
	decode := func(line string) map[string]string {
		t.Helper()
		var m struct {
			Status    map[string]float64 `json:"$sneller_final_status$"`
			ResultSet map[string]string  `json:"result_set"`
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%v: %q", err, line)
		}
		if _, ok := m.Status["hits"]; !ok || m.ResultSet == nil {
			t.Fatalf("status %q", line)
		}
		return m.ResultSet
	}
	// SELECT *: c, known only from the last row, was missing before
	r = e.query(tokAcme, "d", "SELECT * FROM mixed", "application/x-ndjson", "stats")
	lines = strings.Split(strings.TrimSuffix(r.body, "\n"), "\n")
	rs := decode(lines[len(lines)-1])
	want := map[string]string{"a": "int|float|string|missing", "b": "null|bool|string|missing", "c": "list|missing"}
	if len(rs) != len(want) {
		t.Fatalf("result_set %v", rs)
	}
	for k, v := range want {
		if rs[k] != v {
			t.Fatalf("result_set %v, want %v", rs, want)
		}
	}
	// timestamps and structs
	e.cat.ingest(t, e.acme, "d", "ts", "file://ts.ndjson", `{"t": "2024-01-02T03:04:05Z", "s": {"x": 1}}`, 0)
	r = e.query(tokAcme, "d", "SELECT CAST(t AS TIMESTAMP) AS t, s FROM ts", "application/x-ndjson", "stats")
	lines = strings.Split(strings.TrimSuffix(r.body, "\n"), "\n")
	if rs := decode(lines[len(lines)-1]); rs["t"] != "timestamp" || rs["s"] != "struct" {
		t.Fatalf("result_set %v", rs)
	}
	// JSON with stats: the last element
	r = e.query(tokAcme, "d", "SELECT b FROM mixed", "application/json", "stats")
	var arr []json.RawMessage
	if err := json.Unmarshal([]byte(r.body), &arr); err != nil {
		t.Fatalf("%v: %q", err, r.body)
	}
	if rs := decode(string(arr[len(arr)-1])); len(rs) != 1 || rs["b"] != "null|bool|string|missing" {
		t.Fatalf("result_set %v", rs)
	}
	// no rows: an empty result set
	r = e.query(tokAcme, "d", "SELECT a FROM mixed WHERE a > 100", "application/x-ndjson", "stats")
	if !strings.HasSuffix(r.body, `"result_set": {}}`+"\n") {
		t.Fatalf("empty result: %q", r.body)
	}
	// EXPLAIN: the plan's lines
	r = e.query(tokAcme, "d", "EXPLAIN SELECT a FROM mixed", "application/x-ndjson", "stats")
	lines = strings.Split(strings.TrimSuffix(r.body, "\n"), "\n")
	if rs := decode(lines[len(lines)-1]); len(rs) != 1 || rs["plan"] != "string" {
		t.Fatalf("EXPLAIN result_set %v", rs)
	}
}

func TestTypeSetString(t *testing.T) {
	for set, want := range map[typeSet]string{
		0:                                "",
		1 << 2:                           "int",
		1<<2 | 1<<3:                      "int",
		1 << 3:                           "int",
		1<<2 | 1<<4 | 1<<15:              "int|float|missing",
		1<<0 | 1<<1 | 1<<5 | 1<<6 | 1<<7: "null|bool|decimal|timestamp|symbol",
		1<<9 | 1<<10 | 1<<11 | 1<<12:     "clob|blob|list|sexp",
		1<<13 | 1<<14:                    "struct",
		1<<8 | 1<<15:                     "string|missing",
	} {
		if got := set.String(); got != want {
			t.Errorf("%#x: %q, want %q", uint16(set), got, want)
		}
	}
}

func TestEncodedType(t *testing.T) {
	var st ion.Symtab
	enc := func(f func(b *ion.Buffer)) []byte {
		var b ion.Buffer
		f(&b)
		return append([]byte(nil), b.Bytes()...)
	}
	blob := enc(func(b *ion.Buffer) { b.WriteBlob([]byte("hello")) })
	annotated := enc(func(b *ion.Buffer) {
		b.BeginAnnotation(st.Intern("x"), st.Intern("y"))
		b.WriteClob([]byte("c"))
		b.EndAnnotation()
	})
	dec := enc(func(b *ion.Buffer) { b.WriteDecimal(ion.Decimal{}) })
	sexp := enc(func(b *ion.Buffer) { b.BeginSexp(-1); b.WriteInt(1); b.EndSexp() })
	for _, c := range []struct {
		b    []byte
		want ion.Type
		ok   bool
	}{
		{blob, ion.BlobType, true},
		{annotated, ion.ClobType, true},
		{dec, ion.DecimalType, true},
		{sexp, ion.SexpType, true},
		{[]byte{0x71, 0x0a}, ion.SymbolType, true},
		{[]byte{0x9f}, ion.ClobType, true},                        // null.clob
		{append([]byte{0x01, 0x00}, blob...), ion.BlobType, true}, // NOP pad, then the value
		{nil, 0, false},
		{[]byte{0x00}, 0, false},                   // a pad and nothing after
		{[]byte{0xe0, 0x01, 0x00, 0xea}, 0, false}, // a version marker
		{[]byte{0xe3, 0x81}, 0, false},             // a truncated wrapper
		{[]byte{0xf0}, 0, false},                   // reserved
		{[]byte{0x0e, 0x8f}, 0, false},             // a pad whose length runs past the end
	} {
		got, ok := encodedType(c.b)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("% x: %v %v, want %v %v", c.b, got, ok, c.want, c.ok)
		}
	}
	// never a panic on odd bytes
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 12)
	for i := 0; i < 200000; i++ {
		n := rng.IntN(len(buf) + 1)
		for j := range buf[:n] {
			buf[j] = byte(rng.Uint32())
		}
		encodedType(buf[:n])
		typeBit(vm.Other(buf[:n]))
	}
	if typeBit(vm.Other(blob)) != 1<<ion.BlobType {
		t.Fatal("typeBit of a blob")
	}
}

// discardWriter is an output.Writer that drops the rows.
type discardWriter struct{ rows int }

func (d *discardWriter) Row(v vm.Value) error { d.rows++; return nil }
func (d *discardWriter) Close() error         { return nil }
func (d *discardWriter) Fail(err error) error { return nil }

var _ output.Writer = (*discardWriter)(nil)

// benchRows are rows of a typical result: a few columns, some sometimes missing.
func benchRows() []vm.Value {
	var blob ion.Buffer
	blob.WriteBlob([]byte("0123456789"))
	var rows []vm.Value
	for i := 0; i < 64; i++ {
		fields := []vm.Field{
			{Name: "id", Value: vm.Int(int64(i - 10))},
			{Name: "name", Value: vm.String("row")},
			{Name: "score", Value: vm.Float(float64(i) / 3)},
			{Name: "when", Value: vm.Time(int64(i) * 1e6)},
		}
		if i%3 == 0 {
			fields = append(fields, vm.Field{Name: "extra", Value: vm.Other(blob.Bytes())})
		}
		if i%5 == 0 {
			fields = append(fields, vm.Field{Name: "tags", Value: vm.List([]vm.Value{vm.String("a")})})
		}
		rows = append(rows, vm.Struct(fields))
	}
	return rows
}

func TestResultSetWriterAllocs(t *testing.T) {
	rows := benchRows()
	w := newResultSetWriter(&discardWriter{}, []string{"id", "name", "score", "when", "extra", "tags"})
	for _, r := range rows {
		w.Row(r)
	}
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		w.Row(rows[i%len(rows)])
		i++
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per row", allocs)
	}
	got := map[string]string{}
	for _, c := range w.columns() {
		got[c.name] = c.set.String()
	}
	want := map[string]string{"id": "int", "name": "string", "score": "float", "when": "timestamp", "extra": "blob|missing", "tags": "list|missing"}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("result set %v, want %v", got, want)
		}
	}
}

func BenchmarkResultSetWriter(b *testing.B) {
	rows := benchRows()
	for _, bc := range []struct {
		name string
		cols []string
	}{
		{"select-list", []string{"id", "name", "score", "when", "extra", "tags"}},
		{"select-star", nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := &discardWriter{}
			w := newResultSetWriter(d, bc.cols)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w.Row(rows[i%len(rows)])
			}
			b.StopTimer()
			if d.rows != b.N || len(w.columns()) != 6 {
				b.Fatalf("%d rows passed on of %d, %d columns", d.rows, b.N, len(w.columns()))
			}
			if set := w.columns()[5].set; b.N > 5 && set != 1<<ion.ListType|1<<typeMissing {
				b.Fatalf("tags: %s", set)
			}
		})
	}
}
