package vm

import "fmt"

// BIT_AND, BIT_OR and BIT_XOR fold the ints of their argument with &, | and ^, ignoring every
// other type; they are NULL when no int was seen. They have no default output name.
func init() {
	for _, f := range []struct {
		name string
		op   int
	}{{"BIT_AND", 0}, {"BIT_OR", 1}, {"BIT_XOR", 2}} {
		op := f.op
		RegisterAgg(&AggFunc{
			Name: f.name, MinArgs: 1, MaxArgs: 1,
			New: func(AggOptions) Agg { return &bitAgg{op: op} },
		})
	}
}

type bitAgg struct {
	op   int // 0 and, 1 or, 2 xor
	v    []int64
	seen []bool
}

func (a *bitAgg) Resize(n int) {
	a.v = growSlice(a.v, n)
	a.seen = growSlice(a.seen, n)
}

func (a *bitAgg) add(g int, x int64) {
	if !a.seen[g] {
		a.v[g], a.seen[g] = x, true
		return
	}
	switch a.op {
	case 0:
		a.v[g] &= x
	case 1:
		a.v[g] |= x
	default:
		a.v[g] ^= x
	}
}

func (a *bitAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	v := args[0]
	for w := range sel {
		for m := sel[w] & v.Ints.wordAt(w); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			g := 0
			if group != nil {
				g = int(group[r])
			}
			a.add(g, v.I[r])
		}
	}
	return nil
}

func (a *bitAgg) Merge(g int, other Agg, h int) {
	o := other.(*bitAgg)
	if o.seen[h] {
		a.add(g, o.v[h])
	}
}

func (a *bitAgg) Result(g int) Value {
	if !a.seen[g] {
		return Null()
	}
	return Int(a.v[g])
}

func (a *bitAgg) State(g int) Value { return a.Result(g) }

func (a *bitAgg) MergeState(g int, s Value) error {
	switch s.k {
	case KNull:
		return nil
	case KInt:
		a.add(g, s.Int())
		return nil
	}
	return fmt.Errorf("BIT_AND/BIT_OR/BIT_XOR: bad partial state %s", FormatValue(s))
}

func (a *bitAgg) Size() int64 { return int64(cap(a.v)) * 9 }
