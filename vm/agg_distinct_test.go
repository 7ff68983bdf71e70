package vm

import (
	"math/rand/v2"
	"testing"
)

// TestDistinctAgg runs COUNT, SUM and AVG DISTINCT over random grouped data, split across two
// workers (Merge) and across two replicas (State/MergeState), against a reference that
// deduplicates with Equal first.
func TestDistinctAgg(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	dedup := func(vals []Value) []Value {
		var out []Value
	outer:
		for _, v := range vals {
			if v.k == KMissing {
				continue
			}
			for _, o := range out {
				if Equal(o, v) {
					continue outer
				}
			}
			out = append(out, v)
		}
		return out
	}
	inners := []struct {
		name string
		ref  func([]Value) Value
	}{
		{"COUNT", func(v []Value) Value { return Int(int64(len(v))) }},
		{"SUM", func(v []Value) Value {
			nums := numbersOf(v)
			if len(nums) == 0 {
				return Null()
			}
			var si int64
			var sf float64
			fl := false
			for _, x := range nums {
				if x.k == KInt {
					si += x.Int()
				} else {
					sf += x.Float()
					fl = true
				}
			}
			if !fl {
				return Int(si)
			}
			return Float(float64(si) + sf)
		}},
		{"AVG", refAvg},
	}
	for _, in := range inners {
		fn := LookupAgg(in.name)
		for iter := 0; iter < 40; iter++ {
			n := 1 + r.IntN(200)
			ngroups := 1 + r.IntN(4)
			vals := make([]Value, n)
			groups := make([]uint32, n)
			for i := range vals {
				if in.name == "COUNT" {
					vals[i] = randValue(r)
				} else {
					vals[i] = Int(int64(r.IntN(10))) // many duplicates
					if r.IntN(4) == 0 {
						vals[i] = Float(float64(r.IntN(10)))
					}
				}
				groups[i] = uint32(r.IntN(ngroups))
			}
			run := func(lo, hi int) Agg {
				a := NewDistinctAgg(fn, AggOptions{})
				a.Resize(ngroups)
				sel := MakeBitmap(nil, n)
				for i := lo; i < hi; i++ {
					sel.Set(i)
				}
				if err := a.Update(newTestCtx(), []*Vec{vecOf(vals, iter%2 == 0)}, sel, groups); err != nil {
					t.Fatal(err)
				}
				return a
			}
			split := r.IntN(n + 1)
			single, left, right, viaState := run(0, n), run(0, split), run(split, n), run(0, split)
			for g := 0; g < ngroups; g++ {
				left.Merge(g, right, g)
				if err := viaState.MergeState(g, right.State(g)); err != nil {
					t.Fatal(err)
				}
			}
			for g := 0; g < ngroups; g++ {
				var gv []Value
				for i, v := range vals {
					if groups[i] == uint32(g) {
						gv = append(gv, v)
					}
				}
				want := in.ref(dedup(gv))
				for what, a := range map[string]Agg{"single": single, "Merge": left, "MergeState": viaState} {
					if got := a.Result(g); !aggResultsMatch(got, want, 1e-12) {
						t.Fatalf("%s(DISTINCT) %s group %d of %s: got %s, want %s", in.name, what, g, fmtVals(gv), FormatValue(got), FormatValue(want))
					}
				}
			}
			if single.Size() <= 0 {
				t.Fatal("Size")
			}
		}
	}
	a := NewDistinctAgg(LookupAgg("COUNT"), AggOptions{})
	a.Resize(1)
	if err := a.MergeState(0, Int(3)); err == nil {
		t.Error("accepted a bad state")
	}
}

// TestDistinctCountSpots pins the documented rules: NULL counts once, 1 and 1.0 are one value.
func TestDistinctCountSpots(t *testing.T) {
	vals := []Value{Int(1), Float(1), Null(), Null(), Missing(), String("1"), Time(1)}
	a := NewDistinctAgg(LookupAgg("COUNT"), AggOptions{})
	a.Resize(1)
	if err := a.Update(newTestCtx(), []*Vec{vecOf(vals, false)}, FullBitmap(nil, len(vals)), nil); err != nil {
		t.Fatal(err)
	}
	if got := a.Result(0); !sameValue(got, Int(4)) {
		t.Fatalf("COUNT(DISTINCT) = %s, want 4", FormatValue(got))
	}
}
