package vm

import (
	"fmt"
	"math/rand/v2"
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

func BenchmarkCmpIntConst(b *testing.B) {
	v := benchIntVec(rand.New(rand.NewPCG(1, 1)))
	bt := batchOf(benchRows, v)
	e := &Cmp{Op: OpLt, L: &Var{Slot: 0}, R: &Const{V: Int(500)}}
	c := newTestCtx()
	b.SetBytes(8 * benchRows)
	b.ResetTimer()
	for range b.N {
		m := c.Mark()
		if _, err := e.Eval(c, bt, bt.Sel); err != nil {
			b.Fatal(err)
		}
		c.Release(m)
	}
}

func BenchmarkCmpStringEq(b *testing.B) {
	for _, dict := range []bool{false, true} {
		b.Run(fmt.Sprintf("dict=%v", dict), func(b *testing.B) {
			v := benchStrings(rand.New(rand.NewPCG(1, 2)), 400, dict)
			bt := batchOf(benchRows, v)
			e := &Cmp{Op: OpEq, L: &Var{Slot: 0}, R: &Const{V: String("some-value-7 timeout-3")}}
			c := newTestCtx()
			b.SetBytes(benchRows * 24)
			b.ResetTimer()
			for range b.N {
				m := c.Mark()
				if _, err := e.Eval(c, bt, bt.Sel); err != nil {
					b.Fatal(err)
				}
				c.Release(m)
			}
		})
	}
}

func BenchmarkLikeContains(b *testing.B) {
	v := benchStrings(rand.New(rand.NewPCG(1, 3)), 1<<20, false)
	bt := batchOf(benchRows, v)
	m, _ := NewLikeMatcher("%timeout-3%", 0, false)
	e := &Like{X: &Var{Slot: 0}, M: m}
	c := newTestCtx()
	b.SetBytes(int64(len(v.S.Data)))
	b.ResetTimer()
	for range b.N {
		mk := c.Mark()
		if _, err := e.Eval(c, bt, bt.Sel); err != nil {
			b.Fatal(err)
		}
		c.Release(mk)
	}
}

func BenchmarkHashAggDictKey(b *testing.B) {
	v := benchStrings(rand.New(rand.NewPCG(1, 4)), 14, true)
	bt := batchOf(benchRows, v)
	c := newTestCtx()
	b.SetBytes(2 * benchRows)
	b.ResetTimer()
	for range b.N {
		h := &HashAgg{Keys: []Expr{&Var{Slot: 0}}, Aggs: []AggSpec{{Func: LookupAgg("COUNT")}}, Next: &Collect{}}
		if err := h.Push(c, bt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHashAggIntKey(b *testing.B) {
	v := benchIntVec(rand.New(rand.NewPCG(1, 5)))
	bt := batchOf(benchRows, v, v)
	c := newTestCtx()
	b.SetBytes(8 * benchRows)
	b.ResetTimer()
	for range b.N {
		h := &HashAgg{Keys: []Expr{&Var{Slot: 0}}, Aggs: []AggSpec{{Func: LookupAgg("SUM"), Args: []Expr{&Var{Slot: 1}}}}, Next: &Collect{}}
		if err := h.Push(c, bt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSumInts(b *testing.B) {
	v := benchIntVec(rand.New(rand.NewPCG(1, 6)))
	bt := batchOf(benchRows, v)
	agg := LookupAgg("SUM").New(AggOptions{})
	agg.Resize(1)
	c := newTestCtx()
	b.SetBytes(8 * benchRows)
	b.ResetTimer()
	for range b.N {
		if err := agg.Update(c, []*Vec{v}, bt.Sel, nil); err != nil {
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
	b.SetBytes(8 * benchRows)
	b.ResetTimer()
	for range b.N {
		m := c.Mark()
		Take(c, v, idx)
		c.Release(m)
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
