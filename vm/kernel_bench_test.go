package vm

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// Benchmarks of the scan-path kernels on one 64k-row batch, the size of a block.

const benchRows = 1 << 16

func benchIntVec(r *rand.Rand) *Vec {
	v := &Vec{}
	v.Reset(benchRows)
	for i := 0; i < benchRows; i++ {
		v.SetInt(i, r.Int64N(1000))
	}
	return v
}

func benchStrings(r *rand.Rand, card int, dict bool) *Vec {
	vals := make([]Value, benchRows)
	for i := range vals {
		vals[i] = String(fmt.Sprintf("some-value-%d timeout-%d", r.IntN(card), r.IntN(7)))
	}
	return vecOf(vals, dict)
}

// benchEval times e over bt, after checking once that e is TRUE on exactly the rows where
// want holds (want judges the boxed value of slot 0, independently of the kernel).
func benchEval(b *testing.B, e Expr, bt *Batch, bytes int64, want func(x Value) bool) {
	c := newTestCtx()
	v, err := e.Eval(c, bt, bt.Sel)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < bt.N; i++ {
		if got := v.Bools.Get(i) && v.BoolV.Get(i); got != want(bt.Vars[0].Get(i)) {
			b.Fatalf("%s: row %d (%s): got %v", e, i, FormatValue(bt.Vars[0].Get(i)), got)
		}
	}
	c.Release(0)
	b.SetBytes(bytes)
	b.ResetTimer()
	for range b.N {
		m := c.Mark()
		if _, err := e.Eval(c, bt, bt.Sel); err != nil {
			b.Fatal(err)
		}
		c.Release(m)
	}
}

func BenchmarkCmpIntConst(b *testing.B) {
	v := benchIntVec(rand.New(rand.NewPCG(1, 1)))
	e := &Cmp{Op: OpLt, L: &Var{Slot: 0}, R: &Const{V: Int(500)}}
	benchEval(b, e, batchOf(benchRows, v), 8*benchRows, func(x Value) bool { return x.Int() < 500 })
}

func BenchmarkAndOr(b *testing.B) {
	v := benchIntVec(rand.New(rand.NewPCG(1, 9)))
	x := &Var{Slot: 0}
	lt := func(k int64) Expr { return &Cmp{Op: OpLt, L: x, R: &Const{V: Int(k)}} }
	gt := func(k int64) Expr { return &Cmp{Op: OpGt, L: x, R: &Const{V: Int(k)}} }
	// (x > 100 AND x < 500) OR x > 900
	e := &Or{L: &And{L: gt(100), R: lt(500)}, R: gt(900)}
	benchEval(b, e, batchOf(benchRows, v), 8*benchRows, func(x Value) bool { return x.Int() > 100 && x.Int() < 500 || x.Int() > 900 })
}

func BenchmarkCmpStringEq(b *testing.B) {
	const k = "some-value-7 timeout-3"
	for _, dict := range []bool{false, true} {
		b.Run(fmt.Sprintf("dict=%v", dict), func(b *testing.B) {
			v := benchStrings(rand.New(rand.NewPCG(1, 2)), 400, dict)
			e := &Cmp{Op: OpEq, L: &Var{Slot: 0}, R: &Const{V: String(k)}}
			benchEval(b, e, batchOf(benchRows, v), benchRows*24, func(x Value) bool { return string(x.b) == k })
		})
	}
}

func BenchmarkLikeContains(b *testing.B) {
	v := benchStrings(rand.New(rand.NewPCG(1, 3)), 1<<20, false)
	m, _ := NewLikeMatcher("%timeout-3%", 0, false)
	e := &Like{X: &Var{Slot: 0}, M: m}
	benchEval(b, e, batchOf(benchRows, v), int64(len(v.S.Data)), func(x Value) bool { return strings.Contains(string(x.b), "timeout-3") })
}

// benchHashAgg times a hash aggregation of bt by slot 0, after checking once that it finds
// one group per distinct key and that its first aggregate sums to total over the groups.
func benchHashAgg(b *testing.B, bt *Batch, aggs []AggSpec, bytes, total int64) {
	keys := []Expr{&Var{Slot: 0}}
	c := newTestCtx()
	out := &Collect{}
	pushAll(b, &HashAgg{Keys: keys, Aggs: aggs, Next: out}, c, bt)
	distinct := map[string]bool{}
	for i := 0; i < bt.N; i++ {
		distinct[FormatValue(bt.Vars[0].Get(i))] = true
	}
	var sum int64
	for _, r := range out.Rows {
		sum += r[1].Int()
	}
	if len(out.Rows) != len(distinct) || sum != total {
		b.Fatalf("%d groups summing to %d, want %d summing to %d", len(out.Rows), sum, len(distinct), total)
	}
	b.SetBytes(bytes)
	b.ResetTimer()
	for range b.N {
		h := &HashAgg{Keys: keys, Aggs: aggs, Next: &Collect{}}
		if err := h.Push(c, bt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHashAggDictKey(b *testing.B) {
	v := benchStrings(rand.New(rand.NewPCG(1, 4)), 14, true)
	benchHashAgg(b, batchOf(benchRows, v), []AggSpec{{Func: LookupAgg("COUNT")}}, 2*benchRows, benchRows)
}

func BenchmarkHashAggIntKey(b *testing.B) {
	v := benchIntVec(rand.New(rand.NewPCG(1, 5)))
	benchHashAgg(b, batchOf(benchRows, v, v), []AggSpec{{Func: LookupAgg("SUM"), Args: []Expr{&Var{Slot: 1}}}}, 8*benchRows, intSum(v))
}

func intSum(v *Vec) int64 {
	var s int64
	for i := 0; i < v.N; i++ {
		s += v.Get(i).Int()
	}
	return s
}

func BenchmarkSumInts(b *testing.B) {
	v := benchIntVec(rand.New(rand.NewPCG(1, 6)))
	sel := FullBitmap(nil, benchRows)
	c := newTestCtx()
	agg := LookupAgg("SUM").New(AggOptions{})
	agg.Resize(1)
	if err := agg.Update(c, []*Vec{v}, sel, nil); err != nil {
		b.Fatal(err)
	}
	if got, want := agg.Result(0), Int(intSum(v)); !sameValue(got, want) {
		b.Fatalf("SUM = %s, want %s", FormatValue(got), FormatValue(want))
	}
	b.SetBytes(8 * benchRows)
	b.ResetTimer()
	for range b.N {
		if err := agg.Update(c, []*Vec{v}, sel, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTake(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 7))
	v := benchIntVec(r)
	idx := make([]int32, benchRows)
	for i := range idx {
		idx[i] = int32(r.IntN(benchRows))
	}
	c := newTestCtx()
	out := Take(c, v, idx)
	for j, i := range idx {
		if got := out.Get(j); !sameValue(got, Int(v.I[i])) {
			b.Fatalf("row %d: got %s, want %d", j, FormatValue(got), v.I[i])
		}
	}
	c.Release(0)
	b.SetBytes(8 * benchRows)
	b.ResetTimer()
	for range b.N {
		m := c.Mark()
		Take(c, v, idx)
		c.Release(m)
	}
}

func BenchmarkTopK(b *testing.B) {
	v := benchIntVec(rand.New(rand.NewPCG(1, 8)))
	ids := &Vec{}
	ids.Reset(benchRows)
	for i := 0; i < benchRows; i++ {
		ids.SetInt(i, int64(i))
	}
	bt := batchOf(benchRows, v, ids)
	keys := []SortKey{{X: &Var{Slot: 0}}}
	const k = 10
	c := newTestCtx()
	out := &Collect{}
	pushAll(b, &Sort{Keys: keys, Limit: k, Next: out}, c, bt)
	want := make([]int, benchRows)
	for i := range want {
		want[i] = i
	}
	slices.SortStableFunc(want, func(x, y int) int { return cmp.Compare(v.I[x], v.I[y]) })
	if len(out.Rows) != k {
		b.Fatalf("%d rows, want %d", len(out.Rows), k)
	}
	for j, r := range out.Rows {
		if r[1].Int() != int64(want[j]) {
			b.Fatalf("row %d is input %d, want %d", j, r[1].Int(), want[j])
		}
	}
	b.SetBytes(8 * benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s := &Sort{Keys: keys, Limit: k, Next: &Collect{}}
		if err := s.Push(c, bt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHashBytes(b *testing.B) {
	s := []byte("users.noreply.github.com/some-login")
	b.SetBytes(int64(len(s)))
	var h uint64
	for range b.N {
		h += HashBytes(s)
	}
	sinkU64 = h
}

var sinkU64 uint64
