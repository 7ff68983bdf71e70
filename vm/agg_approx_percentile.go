package vm

import (
	"errors"
	"fmt"
)

// APPROX_PERCENTILE(e, p) estimates the p-quantile of the numbers of e (other types are
// ignored) with a t-digest (see tdigest.go for its precision: exact interpolation below 1000
// values, a rank error typically under 0.5% beyond). p must be a float literal in [0, 1]
// (`0.5`, `1.0`; an integer literal is refused, as in the original). APPROX_MEDIAN(e) is
// APPROX_PERCENTILE(e, 0.5). The result is a float64, NULL when no number was seen.
func init() {
	RegisterAgg(&AggFunc{
		Name: "APPROX_PERCENTILE", MinArgs: 2, MaxArgs: 2, DefaultName: "approx_percentile",
		Check: func(consts []Value, isConst []bool) error {
			if len(consts) < 2 || !isConst[1] {
				return ErrPercentile
			}
			_, err := percentileArg(consts[1:])
			return err
		},
		New: func(opt AggOptions) Agg {
			p, err := percentileArg(opt.Consts)
			if err != nil {
				p = 0.5
			}
			return &tdigestAgg{q: p}
		},
	})
	RegisterAgg(&AggFunc{
		Name: "APPROX_MEDIAN", MinArgs: 1, MaxArgs: 1, DefaultName: "approx_median",
		New: func(opt AggOptions) Agg { return &tdigestAgg{q: 0.5} },
	})
}

// ErrPercentile is returned (wrapped) when the percentile of APPROX_PERCENTILE is not a float
// literal in [0, 1].
var ErrPercentile = errors.New("APPROX_PERCENTILE: the percentile must be a float literal in [0, 1] (write 1.0, not 1)")

func percentileArg(consts []Value) (float64, error) {
	if len(consts) == 0 || consts[0].k != KFloat {
		return 0, ErrPercentile
	}
	p := consts[0].Float()
	if !(p >= 0 && p <= 1) {
		return 0, fmt.Errorf("%w: got %s", ErrPercentile, FormatValue(consts[0]))
	}
	return p, nil
}

type tdigestAgg struct {
	q   float64
	d   []tdigest
	mem int64
}

func (a *tdigestAgg) Resize(n int) { a.d = growSlice(a.d, n) }

func (a *tdigestAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	v := args[0]
	for w := range sel {
		for m := sel[w] & (v.Ints.wordAt(w) | v.Floats.wordAt(w)); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			g := 0
			if group != nil {
				g = int(group[r])
			}
			x := 0.0
			if v.Ints.Get(r) {
				x = float64(v.I[r])
			} else {
				x = v.F[r]
			}
			d := &a.d[g]
			before := d.size()
			d.add(x)
			a.mem += d.size() - before
		}
	}
	return nil
}

func (a *tdigestAgg) Merge(g int, other Agg, h int) {
	d := &a.d[g]
	before := d.size()
	d.merge(&other.(*tdigestAgg).d[h])
	a.mem += d.size() - before
}

func (a *tdigestAgg) Result(g int) Value {
	x, ok := a.d[g].quantile(a.q)
	if !ok {
		return Null()
	}
	return Float(x)
}

func (a *tdigestAgg) State(g int) Value { return a.d[g].state() }

func (a *tdigestAgg) MergeState(g int, s Value) error {
	d := &a.d[g]
	before := d.size()
	err := d.mergeState(s)
	a.mem += d.size() - before
	if err != nil {
		return fmt.Errorf("APPROX_PERCENTILE: %w", err)
	}
	return nil
}

func (a *tdigestAgg) Size() int64 { return int64(cap(a.d))*64 + a.mem }
