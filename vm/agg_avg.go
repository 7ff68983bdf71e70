package vm

import "fmt"

// AVG averages the numbers of its argument, ignoring everything else; it is NULL when no
// number was seen. The result is a float64 computed as (exact int64 sum of the ints + float64
// sum of the floats) / count. When the argument is statically an integer (AggOptions.IntArg,
// e.g. AVG(CAST(x AS INTEGER))) the result is the int64 sum divided by the count as integers,
// truncated towards zero, as in the original.
func init() {
	RegisterAgg(&AggFunc{
		Name: "AVG", MinArgs: 1, MaxArgs: 1, DefaultName: "avg",
		New: func(opt AggOptions) Agg { return &avgAgg{intArg: opt.IntArg} },
	})
}

type avgAgg struct {
	intArg bool
	i      []int64   // sum of the ints (wrapping)
	f      []float64 // sum of the floats
	n      []int64   // count of numbers
}

func (a *avgAgg) Resize(n int) {
	a.i = growSlice(a.i, n)
	a.f = growSlice(a.f, n)
	a.n = growSlice(a.n, n)
}

func (a *avgAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	v := args[0]
	if v.Ints.Any() {
		if group == nil {
			var s, k int64
			for w := range sel {
				for m := sel[w] & v.Ints.wordAt(w); m != 0; m &= m - 1 {
					s += v.I[w*64+trailing(m)]
					k++
				}
			}
			a.i[0] += s
			a.n[0] += k
		} else {
			for w := range sel {
				for m := sel[w] & v.Ints.wordAt(w); m != 0; m &= m - 1 {
					r := w*64 + trailing(m)
					g := group[r]
					a.i[g] += v.I[r]
					a.n[g]++
				}
			}
		}
	}
	if v.Floats.Any() {
		if group == nil {
			var s float64
			var k int64
			for w := range sel {
				for m := sel[w] & v.Floats.wordAt(w); m != 0; m &= m - 1 {
					s += v.F[w*64+trailing(m)]
					k++
				}
			}
			a.f[0] += s
			a.n[0] += k
		} else {
			for w := range sel {
				for m := sel[w] & v.Floats.wordAt(w); m != 0; m &= m - 1 {
					r := w*64 + trailing(m)
					g := group[r]
					a.f[g] += v.F[r]
					a.n[g]++
				}
			}
		}
	}
	return nil
}

func (a *avgAgg) Merge(g int, other Agg, h int) {
	o := other.(*avgAgg)
	a.i[g] += o.i[h]
	a.f[g] += o.f[h]
	a.n[g] += o.n[h]
}

func (a *avgAgg) Result(g int) Value {
	n := a.n[g]
	if n == 0 {
		return Null()
	}
	if a.intArg && a.f[g] == 0 {
		return Int(a.i[g] / n)
	}
	return Float((float64(a.i[g]) + a.f[g]) / float64(n))
}

func (a *avgAgg) State(g int) Value {
	return List([]Value{Int(a.i[g]), Float(a.f[g]), Int(a.n[g])})
}

func (a *avgAgg) MergeState(g int, s Value) error {
	l := s.List()
	if len(l) != 3 || l[0].k != KInt || l[1].k != KFloat || l[2].k != KInt || l[2].Int() < 0 {
		return fmt.Errorf("AVG: bad partial state %s", FormatValue(s))
	}
	a.i[g] += l[0].Int()
	a.f[g] += l[1].Float()
	a.n[g] += l[2].Int()
	return nil
}

func (a *avgAgg) Size() int64 { return int64(cap(a.i)) * 24 }
