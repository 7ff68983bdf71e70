package vm

import "fmt"

// SUM adds the numbers of its argument, ignoring everything else; it is NULL when no number
// was seen. The sum stays an int while every input is an int (wrapping like int64 arithmetic),
// and becomes a float as soon as a float is added.
func init() {
	RegisterAgg(&AggFunc{
		Name: "SUM", MinArgs: 1, MaxArgs: 1, DefaultName: "sum",
		New: func(AggOptions) Agg { return &sumAgg{} },
	})
}

type sumAgg struct {
	i    []int64
	f    []float64
	seen []uint8 // bit 0: an int was added, bit 1: a float was added
}

func (a *sumAgg) Resize(n int) {
	a.i = growSlice(a.i, n)
	a.f = growSlice(a.f, n)
	a.seen = growSlice(a.seen, n)
}

func (a *sumAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	v := args[0]
	if v.Ints.Any() {
		if group == nil {
			var s int64
			any := false
			for w := range sel {
				for m := sel[w] & v.Ints.wordAt(w); m != 0; m &= m - 1 {
					s += v.I[w*64+trailing(m)]
					any = true
				}
			}
			if any {
				a.i[0] += s
				a.seen[0] |= 1
			}
		} else {
			for w := range sel {
				for m := sel[w] & v.Ints.wordAt(w); m != 0; m &= m - 1 {
					r := w*64 + trailing(m)
					g := group[r]
					a.i[g] += v.I[r]
					a.seen[g] |= 1
				}
			}
		}
	}
	if v.Floats.Any() {
		for w := range sel {
			for m := sel[w] & v.Floats.wordAt(w); m != 0; m &= m - 1 {
				r := w*64 + trailing(m)
				g := uint32(0)
				if group != nil {
					g = group[r]
				}
				a.f[g] += v.F[r]
				a.seen[g] |= 2
			}
		}
	}
	return nil
}

func (a *sumAgg) Merge(g int, other Agg, h int) {
	o := other.(*sumAgg)
	a.i[g] += o.i[h]
	a.f[g] += o.f[h]
	a.seen[g] |= o.seen[h]
}

func (a *sumAgg) Result(g int) Value {
	switch a.seen[g] {
	case 0:
		return Null()
	case 1:
		return Int(a.i[g])
	}
	return Float(float64(a.i[g]) + a.f[g])
}

func (a *sumAgg) State(g int) Value {
	return List([]Value{Int(a.i[g]), Float(a.f[g]), Int(int64(a.seen[g]))})
}

func (a *sumAgg) MergeState(g int, s Value) error {
	l := s.List()
	if len(l) != 3 || l[0].k != KInt || l[1].k != KFloat || l[2].k != KInt {
		return fmt.Errorf("SUM: bad partial state %s", FormatValue(s))
	}
	a.i[g] += l[0].Int()
	a.f[g] += l[1].Float()
	a.seen[g] |= uint8(l[2].Int())
	return nil
}

func (a *sumAgg) Size() int64 { return int64(cap(a.i))*17 + 64 }
