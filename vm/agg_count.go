package vm

import "fmt"

// COUNT(*) counts rows; COUNT(e) counts rows where e is not MISSING (NULLs count).
func init() {
	RegisterAgg(&AggFunc{
		Name: "COUNT", MinArgs: 1, MaxArgs: 1, Star: true, DefaultName: "count",
		New: func(AggOptions) Agg { return &countAgg{} },
	})
}

type countAgg struct{ n []int64 }

func (a *countAgg) Resize(n int) { a.n = growSlice(a.n, n) }

func (a *countAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	rows := sel
	if len(args) == 1 {
		rows = AndBits(nil, sel, args[0].Present(nil), len(sel)*64)
	}
	if group == nil {
		a.n[0] += int64(rows.Count())
		return nil
	}
	cnt := a.n
	for w, m := range rows {
		for ; m != 0; m &= m - 1 {
			cnt[group[w*64+trailing(m)]]++
		}
	}
	return nil
}

func (a *countAgg) Merge(g int, other Agg, h int) { a.n[g] += other.(*countAgg).n[h] }
func (a *countAgg) Result(g int) Value            { return Int(a.n[g]) }
func (a *countAgg) State(g int) Value             { return Int(a.n[g]) }
func (a *countAgg) Size() int64                   { return int64(cap(a.n)) * 8 }

func (a *countAgg) MergeState(g int, s Value) error {
	if s.k != KInt {
		return fmt.Errorf("COUNT: bad partial state %s", FormatValue(s))
	}
	a.n[g] += s.Int()
	return nil
}
