package vm

import (
	"fmt"
	"math"
)

// VARIANCE_POP (alias VARIANCE) and STDDEV_POP (alias STDDEV) are the population variance
// Σ(x − mean)² / n and its square root over the numbers of the argument (other types are
// ignored); NULL when there is no number. They use Welford's update and Chan's formula to
// merge partial states, which keeps full precision for large values with a small spread.
// There are no sample (_SAMP) variants, as in the original.
func init() {
	for _, f := range []struct {
		name, alias, def string
		sqrt             bool
	}{
		{"VARIANCE_POP", "VARIANCE", "variance_pop", false},
		{"STDDEV_POP", "STDDEV", "stddev_pop", true},
	} {
		sqrt := f.sqrt
		RegisterAgg(&AggFunc{
			Name: f.name, Aliases: []string{f.alias}, MinArgs: 1, MaxArgs: 1, DefaultName: f.def,
			New: func(AggOptions) Agg { return &varianceAgg{sqrt: sqrt} },
		})
	}
}

type varianceAgg struct {
	sqrt bool
	n    []float64
	mean []float64
	m2   []float64
}

func (a *varianceAgg) Resize(n int) {
	a.n = growSlice(a.n, n)
	a.mean = growSlice(a.mean, n)
	a.m2 = growSlice(a.m2, n)
}

func (a *varianceAgg) add(g uint32, x float64) {
	a.n[g]++
	d := x - a.mean[g]
	a.mean[g] += d / a.n[g]
	a.m2[g] += d * (x - a.mean[g])
}

func (a *varianceAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	v := args[0]
	for w := range sel {
		for m := sel[w] & v.Ints.wordAt(w); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			g := uint32(0)
			if group != nil {
				g = group[r]
			}
			a.add(g, float64(v.I[r]))
		}
		for m := sel[w] & v.Floats.wordAt(w); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			g := uint32(0)
			if group != nil {
				g = group[r]
			}
			a.add(g, v.F[r])
		}
	}
	return nil
}

func (a *varianceAgg) fold(g int, n, mean, m2 float64) {
	if n == 0 {
		return
	}
	if a.n[g] == 0 {
		a.n[g], a.mean[g], a.m2[g] = n, mean, m2
		return
	}
	tot := a.n[g] + n
	d := mean - a.mean[g]
	a.mean[g] += d * n / tot
	a.m2[g] += m2 + d*d*a.n[g]*n/tot
	a.n[g] = tot
}

func (a *varianceAgg) Merge(g int, other Agg, h int) {
	o := other.(*varianceAgg)
	a.fold(g, o.n[h], o.mean[h], o.m2[h])
}

func (a *varianceAgg) Result(g int) Value {
	if a.n[g] == 0 {
		return Null()
	}
	v := a.m2[g] / a.n[g]
	if a.sqrt {
		v = math.Sqrt(v)
	}
	return Float(v)
}

func (a *varianceAgg) State(g int) Value {
	return List([]Value{Float(a.n[g]), Float(a.mean[g]), Float(a.m2[g])})
}

func (a *varianceAgg) MergeState(g int, s Value) error {
	l := s.List()
	if len(l) != 3 || l[0].k != KFloat || l[1].k != KFloat || l[2].k != KFloat || !(l[0].Float() >= 0) {
		return fmt.Errorf("VARIANCE/STDDEV: bad partial state %s", FormatValue(s))
	}
	a.fold(g, l[0].Float(), l[1].Float(), l[2].Float())
	return nil
}

func (a *varianceAgg) Size() int64 { return int64(cap(a.n)) * 24 }
