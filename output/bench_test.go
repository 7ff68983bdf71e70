package output

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

// benchRows returns result rows of the usual shape: a few scalars, a string that needs
// escaping, a nested struct and a list.
func benchRows(n int) []vm.Value {
	rows := make([]vm.Value, n)
	for i := range rows {
		rows[i] = vm.Struct([]vm.Field{
			{Name: "id", Value: vm.Int(int64(i))},
			{Name: "host", Value: vm.String(fmt.Sprintf("web-%02d.example.com", i%17))},
			{Name: "path", Value: vm.String(`/api/v1/items?q="x"`)},
			{Name: "bytes", Value: vm.Float(float64(i) * 1.5)},
			{Name: "ts", Value: vm.Time(1_700_000_000_000_000 + int64(i)*1000)},
			{Name: "ok", Value: vm.Bool(i%3 != 0)},
			{Name: "tags", Value: vm.List([]vm.Value{vm.String("a"), vm.String("b")})},
			{Name: "geo", Value: vm.Struct([]vm.Field{{Name: "region", Value: vm.String("eu-west-1")}})},
		})
	}
	return rows
}

// render writes rows in format f and returns the output.
func render(tb testing.TB, f Format, out *bytes.Buffer, rows []vm.Value) {
	out.Reset()
	w, err := New(f, out, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
}

func BenchmarkWriters(b *testing.B) {
	rows := benchRows(1000)
	for _, f := range []Format{JSON, NDJSON, Ion, CSV} {
		b.Run(string(f), func(b *testing.B) {
			var out bytes.Buffer
			render(b, f, &out, rows)
			want := bytes.Clone(out.Bytes())
			b.SetBytes(int64(len(want)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				render(b, f, &out, rows)
			}
			b.StopTimer()
			if !bytes.Equal(out.Bytes(), want) {
				b.Fatalf("%s output changed between runs", f)
			}
			checkRendering(b, f, out.Bytes(), len(rows))
		})
	}
}

// checkRendering checks that out holds n rows in format f.
func checkRendering(tb testing.TB, f Format, out []byte, n int) {
	tb.Helper()
	switch f {
	case JSON:
		if !bytes.HasPrefix(out, []byte(`[{"id": 0, "host": "web-00.example.com", "path": "/api/v1/items?q=\"x\"", "bytes": 0.0, `)) ||
			!bytes.HasSuffix(out, []byte(`"geo": {"region": "eu-west-1"}}]`)) || bytes.Count(out, []byte(`{"id": `)) != n {
			tb.Fatalf("JSON rendering: %.200s", out)
		}
	case NDJSON:
		if bytes.Count(out, []byte("\n")) != n || !bytes.HasPrefix(out, []byte(`{"id": 0, `)) {
			tb.Fatalf("ND-JSON rendering: %.200s", out)
		}
	case CSV:
		if bytes.Count(out, []byte("\n")) != n+1 || !bytes.HasPrefix(out, []byte("id,host,path,bytes,ts,ok,tags,geo\n0,web-00.example.com,")) {
			tb.Fatalf("CSV rendering: %.200s", out)
		}
	case Ion:
		vals, err := ion.DecodeAll(out)
		if err != nil || len(vals) != n {
			tb.Fatalf("Ion rendering: %d values, %v", len(vals), err)
		}
	}
}
