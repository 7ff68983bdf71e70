package vm

import (
	"fmt"
)

// APPROX_COUNT_DISTINCT(e [, p]) estimates the number of distinct values of e with a
// HyperLogLog sketch of precision p (an integer constant in 4..16, default 11; relative
// standard error about 1.04/√2^p, see hll.go). Values compare as '=' does (1 and 1.0 are the
// same value); NULL counts as a value and MISSING is ignored, so the result is 0 when e is
// always MISSING. Below 2^p/8 distinct values the count is exact.
func init() {
	RegisterAgg(&AggFunc{
		Name: "APPROX_COUNT_DISTINCT", MinArgs: 1, MaxArgs: 2, DefaultName: "count",
		Check: func(consts []Value, isConst []bool) error {
			if len(consts) < 2 {
				return nil
			}
			if !isConst[1] {
				return fmt.Errorf("APPROX_COUNT_DISTINCT: the precision must be an integer constant in %d..%d", HLLMinPrecision, HLLMaxPrecision)
			}
			_, err := hllPrecision(consts[1:])
			return err
		},
		New: func(opt AggOptions) Agg {
			p, err := hllPrecision(opt.Consts)
			if err != nil {
				p = HLLDefaultPrecision
			}
			return &hllAgg{p: p}
		},
	})
}

func hllPrecision(consts []Value) (uint8, error) {
	if len(consts) == 0 {
		return HLLDefaultPrecision, nil
	}
	p, ok := intArg(consts[0])
	if !ok || p < HLLMinPrecision || p > HLLMaxPrecision {
		return 0, fmt.Errorf("APPROX_COUNT_DISTINCT: precision %s is not an integer in %d..%d", FormatValue(consts[0]), HLLMinPrecision, HLLMaxPrecision)
	}
	return uint8(p), nil
}

type hllAgg struct {
	p   uint8
	sk  []hll
	mem int64 // bytes held by the sketches beyond their headers
}

// addTo adds a hash to group g's sketch, keeping the memory count.
func (a *hllAgg) addTo(g int, h uint64) {
	s := &a.sk[g]
	before := s.size()
	s.add(h, a.p)
	a.mem += s.size() - before
}

func (a *hllAgg) Resize(n int) { a.sk = growSlice(a.sk, n) }

func (a *hllAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	v := args[0]
	gof := func(r int) int {
		if group == nil {
			return 0
		}
		return int(group[r])
	}
	// typed loops for the common lanes
	for w := range sel {
		for m := sel[w] & v.Ints.wordAt(w); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			a.addTo(gof(r), HashInt(v.I[r]))
		}
		for m := sel[w] & v.Strs.wordAt(w); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			a.addTo(gof(r), HashBytes(v.S.Get(r)))
		}
		for m := sel[w] & v.Floats.wordAt(w); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			a.addTo(gof(r), HashFloat(v.F[r]))
		}
		for m := sel[w] & v.Times.wordAt(w); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			a.addTo(gof(r), HashValue(Time(v.T[r])))
		}
	}
	// everything else through the boxed view
	rest := AndNotBits(nil, sel, v.Ints, len(sel)*64)
	rest = AndNotBits(rest, rest, v.Strs, len(sel)*64)
	rest = AndNotBits(rest, rest, v.Floats, len(sel)*64)
	rest = AndNotBits(rest, rest, v.Times, len(sel)*64)
	rest.ForEach(func(r int) {
		if x := v.Get(r); x.k != KMissing {
			a.addTo(gof(r), HashValue(x))
		}
	})
	return nil
}

func (a *hllAgg) Merge(g int, other Agg, h int) {
	o := other.(*hllAgg)
	if o.p != a.p {
		return // the planner never merges sketches of different precisions
	}
	s := &a.sk[g]
	before := s.size()
	s.merge(&o.sk[h], a.p)
	a.mem += s.size() - before
}

func (a *hllAgg) Result(g int) Value { return Int(a.sk[g].estimate(a.p)) }

func (a *hllAgg) State(g int) Value { return a.sk[g].state(a.p) }

func (a *hllAgg) MergeState(g int, s Value) error {
	sk := &a.sk[g]
	before := sk.size()
	err := sk.mergeState(s, a.p)
	a.mem += sk.size() - before
	if err != nil {
		return fmt.Errorf("APPROX_COUNT_DISTINCT: %w", err)
	}
	return nil
}

func (a *hllAgg) Size() int64 {
	return int64(cap(a.sk))*48 + a.mem
}
