package vm

import (
	"fmt"
	"sort"
)

// EXACT_PERCENTILE(x, p) is the exact p-quantile of the numbers of x (linear interpolation
// between the closest ranks, p in [0, 1]); NULL when there are none. It keeps every value, so
// it is meant for checking the approximate aggregates, not for large groups.
func init() {
	RegisterAgg(&AggFunc{
		Name: "EXACT_PERCENTILE", MinArgs: 2, MaxArgs: 2, DefaultName: "exact_percentile",
		Check: func(consts []Value, isConst []bool) error {
			f, ok := consts[1].AsFloat()
			if !isConst[1] || !ok || f < 0 || f > 1 {
				return fmt.Errorf("the percentile must be a constant number in [0, 1]")
			}
			return nil
		},
		New: func(opt AggOptions) Agg {
			p, _ := opt.Consts[0].AsFloat()
			return &exactPercentile{p: p}
		},
	})
}

type exactPercentile struct {
	p    float64
	vals [][]float64
}

func (a *exactPercentile) Resize(n int) { a.vals = growSlice(a.vals, n) }

func (a *exactPercentile) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	genericUpdate(args, sel, group, func(g int, v []Value) {
		if f, ok := v[0].AsFloat(); ok {
			a.vals[g] = append(a.vals[g], f)
		}
	})
	return nil
}

func (a *exactPercentile) Merge(g int, other Agg, h int) {
	a.vals[g] = append(a.vals[g], other.(*exactPercentile).vals[h]...)
}

func (a *exactPercentile) Result(g int) Value {
	v := a.vals[g]
	if len(v) == 0 {
		return Null()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	h := a.p * float64(len(s)-1)
	lo := int(h)
	if lo >= len(s)-1 {
		return Float(s[len(s)-1])
	}
	return Float(s[lo] + (h-float64(lo))*(s[lo+1]-s[lo]))
}

func (a *exactPercentile) State(g int) Value {
	l := make([]Value, len(a.vals[g]))
	for i, f := range a.vals[g] {
		l[i] = Float(f)
	}
	return List(l)
}

func (a *exactPercentile) MergeState(g int, s Value) error {
	for _, x := range s.List() {
		f, ok := x.AsFloat()
		if !ok {
			return fmt.Errorf("EXACT_PERCENTILE: bad partial state")
		}
		a.vals[g] = append(a.vals[g], f)
	}
	return nil
}

func (a *exactPercentile) Size() int64 {
	var n int64
	for _, v := range a.vals {
		n += int64(cap(v))*8 + 24
	}
	return n
}
