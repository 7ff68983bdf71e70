package pack

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

// buildBlob packs rows (struct Values) into a blob, blockRows rows per block.
func buildBlob(t testing.TB, rows []vm.Value, blockRows int) []byte {
	t.Helper()
	var out bytes.Buffer
	w := NewWriter(&out)
	b := NewBlockBuilder(BuilderOptions{MaxRows: blockRows})
	var buf ion.Buffer
	flush := func() {
		blk, err := b.Finish()
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteBlock(blk); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rows {
		buf.Reset()
		vm.EncodeIon(&buf, b.Symtab(), r)
		if err := b.Add(buf.Bytes(), b.Symtab()); err != nil {
			t.Fatal(err)
		}
		if b.Full() {
			flush()
		}
	}
	if b.Rows() > 0 {
		flush()
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// readAll reads every row of a blob back as Values.
func readAll(t testing.TB, data []byte) []vm.Value {
	t.Helper()
	blob, err := Open(context.Background(), "test", BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []vm.Value
	for i := 0; i < blob.Blocks(); i++ {
		fields, n, release, err := blob.Open(context.Background(), i, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := vm.NewCtx(context.Background(), vm.NewMemory(0), 0)
		row := vm.StructOf(c, n, vm.FullBitmap(nil, n), fields)
		for r := 0; r < n; r++ {
			out = append(out, row.Get(r).Clone())
		}
		release()
	}
	return out
}

func randRow(r *rand.Rand, depth int) vm.Value {
	var fields []vm.Field
	names := []string{"a", "b", "c", "d", "ts", "s"}
	for _, n := range names {
		if r.IntN(3) == 0 {
			continue
		}
		fields = append(fields, vm.Field{Name: n, Value: randVal(r, depth)})
	}
	return vm.Struct(fields)
}

func randVal(r *rand.Rand, depth int) vm.Value {
	switch r.IntN(11) {
	case 0:
		return vm.Null()
	case 1:
		return vm.Bool(r.IntN(2) == 0)
	case 2, 3:
		return vm.Int(r.Int64N(1000) - 500)
	case 4:
		return vm.Float([]float64{1.5, -2.25, math.NaN(), math.Inf(-1), 0}[r.IntN(5)])
	case 5:
		return vm.Time(r.Int64N(1<<45) / 1000 * 1000)
	case 6, 7:
		return vm.String(strings.Repeat("x", r.IntN(5)) + []string{"a", "b", "c"}[r.IntN(3)])
	case 8:
		if depth < 3 {
			return vm.List([]vm.Value{randVal(r, depth+1), vm.Int(1)})
		}
	case 9:
		if depth < 3 {
			return randRow(r, depth+1)
		}
	}
	return vm.Int(7)
}

func sameRows(a, b vm.Value) bool {
	if a.Kind() == vm.KFloat && b.Kind() == vm.KFloat && math.IsNaN(a.Float()) && math.IsNaN(b.Float()) {
		return true
	}
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case vm.KStruct:
		fa, fb := a.Fields(), b.Fields()
		if len(fa) != len(fb) {
			return false
		}
		for _, f := range fa {
			if !sameRows(f.Value, b.Field(f.Name)) {
				return false
			}
		}
		return true
	case vm.KList:
		la, lb := a.List(), b.List()
		if len(la) != len(lb) {
			return false
		}
		for i := range la {
			if !sameRows(la[i], lb[i]) {
				return false
			}
		}
		return true
	}
	return vm.Equal(a, b)
}

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, blockRows := range []int{1, 7, 64, 100, 1000} {
		rows := make([]vm.Value, 777)
		for i := range rows {
			rows[i] = randRow(r, 0)
		}
		data := buildBlob(t, rows, blockRows)
		got := readAll(t, data)
		if len(got) != len(rows) {
			t.Fatalf("blockRows %d: %d rows back, want %d", blockRows, len(got), len(rows))
		}
		for i := range rows {
			if !sameRows(got[i], rows[i]) {
				t.Fatalf("blockRows %d: row %d: got %s, want %s", blockRows, i, vm.FormatValue(got[i]), vm.FormatValue(rows[i]))
			}
		}
	}
}

func TestDictionaryColumn(t *testing.T) {
	rows := make([]vm.Value, 5000)
	for i := range rows {
		rows[i] = vm.Struct([]vm.Field{{Name: "k", Value: vm.String([]string{"red", "green", "blue"}[i%3])}})
	}
	data := buildBlob(t, rows, 10000)
	blob, err := Open(context.Background(), "t", BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	fields, _, _, _ := blob.Open(context.Background(), 0, nil)
	v, err := fields.Field("k")
	if err != nil {
		t.Fatal(err)
	}
	if v.S.Codes == nil || v.S.Dict.Len() != 3 {
		t.Fatalf("low-cardinality strings are not dictionary-coded")
	}
	for i := range rows {
		if string(v.S.Get(i)) != rows[i].Field("k").String() {
			t.Fatalf("row %d: %q", i, v.S.Get(i))
		}
	}
}

func TestTamperedChunk(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	rows := make([]vm.Value, 100)
	for i := range rows {
		rows[i] = randRow(r, 0)
	}
	data := buildBlob(t, rows, 1000)
	blob, err := Open(context.Background(), "t", BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	// flip one byte inside the first column chunk
	bad := bytes.Clone(data)
	m := blob.Trailer.Blocks[0]
	bad[m.Offset+m.Columns[0].Offset] ^= 1
	blob2 := NewBlob("t", blob.Trailer, BytesFetcher(bad))
	_, err = blob2.ReadColumn(context.Background(), 0, 0)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("tampered chunk: error %v", err)
	}
	// a trailer whose hash the index pins
	var h [32]byte
	if _, err := Open(context.Background(), "t", BytesFetcher(data), int64(len(data)), &h); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("wrong trailer hash: error %v", err)
	}
}

func TestSummaryRanges(t *testing.T) {
	var rows []vm.Value
	for i := 0; i < 200; i++ {
		rows = append(rows, vm.Struct([]vm.Field{{Name: "x", Value: vm.Int(int64(i))}, {Name: "t", Value: vm.Time(int64(i) * 1_000_000)}}))
	}
	data := buildBlob(t, rows, 100)
	blob, err := Open(context.Background(), "t", BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := blob.Summary(1).Range([]string{"x"})
	if !ok || !r.Num || r.NumMin.Int() != 100 || r.NumMax.Int() != 199 {
		t.Fatalf("range of block 1: %+v %v", r, ok)
	}
	r, ok = blob.Summary(0).Range([]string{"t"})
	if !ok || !r.Time || r.TimeMin != 0 || r.TimeMax != 99_000_000 {
		t.Fatalf("time range of block 0: %+v", r)
	}
	if r, ok := blob.Summary(0).Range([]string{"nope"}); !ok || r.Num || r.Str {
		t.Fatalf("absent column: %+v %v", r, ok)
	}
}

// TestConcurrentSummaries reads the summaries of one opened blob from several goroutines, as
// queries sharing a cached trailer do (run with -race: the column index of a decoded trailer
// must not be built lazily).
func TestConcurrentSummaries(t *testing.T) {
	var rows []vm.Value
	for i := 0; i < 100; i++ {
		rows = append(rows, vm.Struct([]vm.Field{{Name: "x", Value: vm.Int(int64(i))}}))
	}
	data := buildBlob(t, rows, 100)
	blob, err := Open(context.Background(), "t", BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if r, ok := blob.Summary(0).Range([]string{"x"}); !ok || r.NumMax.Int() != 99 {
				t.Errorf("range: %+v %v", r, ok)
			}
		})
	}
	wg.Wait()
}
