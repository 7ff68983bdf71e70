package vm

import (
	"fmt"
	"math"
)

// MIN and MAX return the smallest and the largest number or timestamp of their argument,
// ignoring every other type; they are NULL when nothing qualified. Numbers compare by exact
// value across ints and floats and keep their type (MIN of 1 and 1.5 is the int 1); a NaN is
// larger than every number. Timestamps come out as timestamps (the original returned them as
// numbers, a bug). When a group holds both numbers and timestamps, the type order of ORDER BY
// decides (numbers before timestamps): MIN returns the smallest number, MAX the latest
// timestamp. EARLIEST and LATEST are MIN and MAX over timestamps only.
func init() {
	RegisterAgg(&AggFunc{
		Name: "MIN", MinArgs: 1, MaxArgs: 1, DefaultName: "min",
		New: func(AggOptions) Agg { return &minMaxAgg{max: false, nums: true} },
	})
	RegisterAgg(&AggFunc{
		Name: "MAX", MinArgs: 1, MaxArgs: 1, DefaultName: "max",
		New: func(AggOptions) Agg { return &minMaxAgg{max: true, nums: true} },
	})
	RegisterAgg(&AggFunc{
		Name: "EARLIEST", MinArgs: 1, MaxArgs: 1, DefaultName: "min",
		New: func(AggOptions) Agg { return &minMaxAgg{max: false} },
	})
	RegisterAgg(&AggFunc{
		Name: "LATEST", MinArgs: 1, MaxArgs: 1, DefaultName: "max",
		New: func(AggOptions) Agg { return &minMaxAgg{max: true} },
	})
}

// What a minMaxAgg group has seen.
const (
	mmInt   = 1 << iota // i holds the best int
	mmFloat             // f holds the best float
	mmTime              // t holds the best timestamp
)

type minMaxAgg struct {
	max  bool // MAX/LATEST, else MIN/EARLIEST
	nums bool // numbers count (MIN/MAX), else only timestamps
	seen []uint8
	i    []int64
	f    []float64
	t    []int64
}

func (a *minMaxAgg) Resize(n int) {
	a.seen = growSlice(a.seen, n)
	a.i = growSlice(a.i, n)
	a.f = growSlice(a.f, n)
	a.t = growSlice(a.t, n)
}

// better reports whether x should replace cur.
func (a *minMaxAgg) betterInt(x, cur int64) bool {
	if a.max {
		return x > cur
	}
	return x < cur
}

func (a *minMaxAgg) betterFloat(x, cur float64) bool {
	c := cmpFloat(x, cur)
	if a.max {
		return c > 0
	}
	return c < 0
}

func (a *minMaxAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	v := args[0]
	if a.nums && v.Ints.Any() {
		a.updateInts(v.I, v.Ints, sel, group, a.i, mmInt)
	}
	if v.Times.Any() {
		a.updateInts(v.T, v.Times, sel, group, a.t, mmTime)
	}
	if a.nums && v.Floats.Any() {
		for w := range sel {
			for m := sel[w] & v.Floats.wordAt(w); m != 0; m &= m - 1 {
				r := w*64 + trailing(m)
				g := uint32(0)
				if group != nil {
					g = group[r]
				}
				x := v.F[r]
				if a.seen[g]&mmFloat == 0 || a.betterFloat(x, a.f[g]) {
					a.f[g] = x
					a.seen[g] |= mmFloat
				}
			}
		}
	}
	return nil
}

// updateInts is the typed loop over an int64 lane (ints or timestamps).
func (a *minMaxAgg) updateInts(vals []int64, lane, sel Bitmap, group []uint32, best []int64, bit uint8) {
	if group == nil {
		// one group: find the extreme of the batch first
		found := false
		var e int64
		if a.max {
			e = math.MinInt64
		} else {
			e = math.MaxInt64
		}
		for w := range sel {
			for m := sel[w] & lane.wordAt(w); m != 0; m &= m - 1 {
				x := vals[w*64+trailing(m)]
				found = true
				if a.max {
					e = max(e, x)
				} else {
					e = min(e, x)
				}
			}
		}
		if found && (a.seen[0]&bit == 0 || a.betterInt(e, best[0])) {
			best[0] = e
			a.seen[0] |= bit
		}
		return
	}
	for w := range sel {
		for m := sel[w] & lane.wordAt(w); m != 0; m &= m - 1 {
			r := w*64 + trailing(m)
			g := group[r]
			x := vals[r]
			if a.seen[g]&bit == 0 || a.betterInt(x, best[g]) {
				best[g] = x
				a.seen[g] |= bit
			}
		}
	}
}

func (a *minMaxAgg) Merge(g int, other Agg, h int) {
	o := other.(*minMaxAgg)
	a.fold(g, o.seen[h], o.i[h], o.f[h], o.t[h])
}

func (a *minMaxAgg) fold(g int, seen uint8, i int64, f float64, t int64) {
	if seen&mmInt != 0 && (a.seen[g]&mmInt == 0 || a.betterInt(i, a.i[g])) {
		a.i[g] = i
		a.seen[g] |= mmInt
	}
	if seen&mmFloat != 0 && (a.seen[g]&mmFloat == 0 || a.betterFloat(f, a.f[g])) {
		a.f[g] = f
		a.seen[g] |= mmFloat
	}
	if seen&mmTime != 0 && (a.seen[g]&mmTime == 0 || a.betterInt(t, a.t[g])) {
		a.t[g] = t
		a.seen[g] |= mmTime
	}
}

func (a *minMaxAgg) Result(g int) Value {
	s := a.seen[g]
	num := Null()
	switch s & (mmInt | mmFloat) {
	case mmInt:
		num = Int(a.i[g])
	case mmFloat:
		num = Float(a.f[g])
	case mmInt | mmFloat:
		x, y := Int(a.i[g]), Float(a.f[g])
		c := cmpNum(x, y)
		if (a.max && c >= 0) || (!a.max && c <= 0) {
			num = x
		} else {
			num = y
		}
	}
	if s&mmTime == 0 {
		return num
	}
	if num.k == KNull || a.max {
		return Time(a.t[g])
	}
	return num
}

func (a *minMaxAgg) State(g int) Value {
	return List([]Value{Int(int64(a.seen[g])), Int(a.i[g]), Float(a.f[g]), Int(a.t[g])})
}

func (a *minMaxAgg) MergeState(g int, s Value) error {
	l := s.List()
	if len(l) != 4 || l[0].k != KInt || l[1].k != KInt || l[2].k != KFloat || l[3].k != KInt || l[0].Int()&^7 != 0 {
		return fmt.Errorf("MIN/MAX: bad partial state %s", FormatValue(s))
	}
	a.fold(g, uint8(l[0].Int()), l[1].Int(), l[2].Float(), l[3].Int())
	return nil
}

func (a *minMaxAgg) Size() int64 { return int64(cap(a.seen)) * 25 }
