package pack

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

func benchRows(n int) []vm.Value {
	r := rand.New(rand.NewPCG(7, 8))
	rows := make([]vm.Value, n)
	for i := range rows {
		rows[i] = vm.Struct([]vm.Field{
			{Name: "id", Value: vm.Int(int64(i))},
			{Name: "t", Value: vm.Time(int64(i) * 1_000_000)},
			{Name: "f", Value: vm.Float(r.Float64())},
			{Name: "s", Value: vm.String([]string{"alpha", "beta", "gamma", "delta"}[r.IntN(4)])},
			{Name: "msg", Value: vm.String("message number " + string(rune('a'+r.IntN(26))))},
			{Name: "nested", Value: vm.Struct([]vm.Field{{Name: "a", Value: vm.Int(r.Int64N(100))}})},
			{Name: "list", Value: vm.List([]vm.Value{vm.Int(1), vm.String("x")})},
		})
	}
	return rows
}

// BenchmarkBlockBuild measures shredding and compressing rows into a block, per byte of Ion.
func BenchmarkBlockBuild(b *testing.B) {
	rows := benchRows(1 << 14)
	bb := NewBlockBuilder(BuilderOptions{})
	var encoded [][]byte
	var total int64
	for _, r := range rows {
		var buf ion.Buffer
		vm.EncodeIon(&buf, bb.Symtab(), r)
		encoded = append(encoded, buf.Bytes())
		total += int64(buf.Size())
	}
	st := bb.Symtab().Clone()
	b.SetBytes(total)
	b.ResetTimer()
	var blk *EncodedBlock
	for range b.N {
		bb.Reset()
		*bb.Symtab() = *st.Clone()
		for _, e := range encoded {
			if err := bb.Add(e, bb.Symtab()); err != nil {
				b.Fatal(err)
			}
		}
		var err error
		if blk, err = bb.Finish(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if blk.Rows != len(rows) || len(blk.Columns) == 0 {
		b.Fatalf("built a block of %d rows and %d columns, want %d rows", blk.Rows, len(blk.Columns), len(rows))
	}
}

// BenchmarkReadColumn measures fetching, verifying and decompressing one int column, per
// decompressed byte.
func BenchmarkReadColumn(b *testing.B) {
	data := buildBlob(b, benchRows(1<<15), 1<<16)
	blob, err := Open(context.Background(), "b", BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		b.Fatal(err)
	}
	c := blob.Trailer.Blocks[0].Column([]string{"id"})
	b.SetBytes(blob.Trailer.Blocks[0].Columns[c].Raw)
	b.ResetTimer()
	var v *vm.Vec
	for range b.N {
		if v, err = blob.ReadColumn(context.Background(), 0, c); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if n := blob.Trailer.Blocks[0].Rows; v.N != n || v.Ints.Count() != n || v.I[n-1] != int64(n-1) {
		b.Fatalf("read %d rows (%d ints, last %d), want ids 0 to %d", v.N, v.Ints.Count(), v.I[v.N-1], n-1)
	}
}
