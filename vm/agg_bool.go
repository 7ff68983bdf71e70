package vm

import "fmt"

// BOOL_AND (alias EVERY) is TRUE when every bool of its argument is TRUE, and BOOL_OR when at
// least one is; other types are ignored, and the result is NULL when no bool was seen. They
// have no default output name.
func init() {
	RegisterAgg(&AggFunc{
		Name: "BOOL_AND", Aliases: []string{"EVERY"}, MinArgs: 1, MaxArgs: 1,
		New: func(AggOptions) Agg { return &boolAgg{and: true} },
	})
	RegisterAgg(&AggFunc{
		Name: "BOOL_OR", MinArgs: 1, MaxArgs: 1,
		New: func(AggOptions) Agg { return &boolAgg{} },
	})
}

// boolAgg keeps, per group, bit 0 = a bool was seen, bit 1 = a TRUE was seen, bit 2 = a FALSE
// was seen.
type boolAgg struct {
	and bool
	s   []uint8
}

func (a *boolAgg) Resize(n int) { a.s = growSlice(a.s, n) }

func (a *boolAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	v := args[0]
	for w := range sel {
		for m := sel[w] & v.Bools.wordAt(w); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			g := 0
			if group != nil {
				g = int(group[r])
			}
			if v.BoolV.Get(r) {
				a.s[g] |= 3
			} else {
				a.s[g] |= 5
			}
		}
	}
	return nil
}

func (a *boolAgg) Merge(g int, other Agg, h int) { a.s[g] |= other.(*boolAgg).s[h] }

func (a *boolAgg) Result(g int) Value {
	s := a.s[g]
	if s == 0 {
		return Null()
	}
	if a.and {
		return Bool(s&4 == 0)
	}
	return Bool(s&2 != 0)
}

func (a *boolAgg) State(g int) Value { return Int(int64(a.s[g])) }

func (a *boolAgg) MergeState(g int, s Value) error {
	if s.k != KInt || s.Int()&^7 != 0 {
		return fmt.Errorf("BOOL_AND/BOOL_OR: bad partial state %s", FormatValue(s))
	}
	a.s[g] |= uint8(s.Int())
	return nil
}

func (a *boolAgg) Size() int64 { return int64(cap(a.s)) }
