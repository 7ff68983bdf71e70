package vm

import (
	"sort"
)

// WindowKind is the kind of a window function.
type WindowKind uint8

const (
	WinAgg WindowKind = iota
	WinRowNumber
	WinRank
	WinDenseRank
)

// WindowFunc is one `f(...) OVER (PARTITION BY ... ORDER BY ...)`.
type WindowFunc struct {
	Kind      WindowKind
	Agg       *AggSpec // for WinAgg
	Partition []Expr
	Order     []SortKey
}

// Window buffers its input, computes each window function for every row and emits the rows
// with one more variable per function. An aggregate without ORDER BY covers its whole
// partition; with ORDER BY it is a running aggregate over the rows up to the current one and
// its peers. ROW_NUMBER, RANK and DENSE_RANK number the rows of a partition in ORDER BY order.
type Window struct {
	Funcs []WindowFunc
	Next  Op

	buf   rowBuf
	width int
	// per row and function: partition key, order key and aggregate arguments
	extra [][][]Value
}

func (w *Window) Push(c *Ctx, b *Batch) error {
	m := c.Mark()
	defer c.Release(m)
	w.buf.mem = c.Mem
	w.width = len(b.Vars)
	type evals struct{ part, order, args []*Vec }
	ev := make([]evals, len(w.Funcs))
	for i, f := range w.Funcs {
		var err error
		if ev[i].part, err = evalArgs(c, b, b.Sel, f.Partition); err != nil {
			return err
		}
		for _, k := range f.Order {
			v, err := k.X.Eval(c, b, b.Sel)
			if err != nil {
				return err
			}
			ev[i].order = append(ev[i].order, v)
		}
		if f.Agg != nil {
			if ev[i].args, err = evalArgs(c, b, b.Sel, f.Agg.Args); err != nil {
				return err
			}
			if f.Agg.Filter != nil {
				fv, err := f.Agg.Filter.Eval(c, b, b.Sel)
				if err != nil {
					return err
				}
				ev[i].args = append(ev[i].args, fv)
			}
		}
	}
	var err error
	b.Sel.ForEach(func(i int) {
		if err != nil {
			return
		}
		if err = w.buf.add(tupleAt(b.Vars, i)); err != nil {
			return
		}
		row := make([][]Value, 3*len(w.Funcs))
		for f := range w.Funcs {
			row[3*f] = tupleAt(ev[f].part, i)
			row[3*f+1] = tupleAt(ev[f].order, i)
			row[3*f+2] = tupleAt(ev[f].args, i)
		}
		w.extra = append(w.extra, row)
	})
	return err
}

func (w *Window) Close(c *Ctx) error {
	rows := w.buf.rows
	n := len(rows)
	results := make([][]Value, len(w.Funcs))
	for fi, f := range w.Funcs {
		res := make([]Value, n)
		results[fi] = res
		// partition rows by key, in first-appearance order
		parts := map[uint64][][]int{}
		var order []uint64
		for r := 0; r < n; r++ {
			key := w.extra[r][3*fi]
			var h uint64
			for j, k := range key {
				if j == 0 {
					h = HashValue(k)
				} else {
					h = HashCombine(h, HashValue(k))
				}
			}
			lists := parts[h]
			placed := false
			for li, l := range lists {
				if tuplesEqual(w.extra[l[0]][3*fi], key) {
					lists[li] = append(l, r)
					placed = true
					break
				}
			}
			if !placed {
				if len(lists) == 0 {
					order = append(order, h)
				}
				parts[h] = append(lists, []int{r})
			}
		}
		for _, h := range order {
			for _, p := range parts[h] {
				if err := w.compute(c, fi, f, p, res); err != nil {
					return err
				}
			}
		}
	}
	out := make([][]Value, n)
	for r := range rows {
		t := make([]Value, w.width+len(w.Funcs))
		copy(t, rows[r])
		for fi := range w.Funcs {
			t[w.width+fi] = results[fi][r]
		}
		out[r] = t
	}
	err := EmitRows(c, w.Next, out, 0, w.width+len(w.Funcs))
	w.buf.release()
	if err != nil && err != ErrDone {
		return err
	}
	return w.Next.Close(c)
}

// compute fills res for the rows of one partition.
func (w *Window) compute(c *Ctx, fi int, f WindowFunc, part []int, res []Value) error {
	okeys := func(r int) []Value { return w.extra[r][3*fi+1] }
	if len(f.Order) > 0 {
		sort.SliceStable(part, func(a, b int) bool { return cmpKeys(f.Order, okeys(part[a]), okeys(part[b])) < 0 })
	}
	peer := func(a, b int) bool { return len(f.Order) > 0 && cmpKeys(f.Order, okeys(a), okeys(b)) == 0 }
	switch f.Kind {
	case WinRowNumber:
		for i, r := range part {
			res[r] = Int(int64(i + 1))
		}
		return nil
	case WinRank, WinDenseRank:
		rank, dense := 0, 0
		for i, r := range part {
			if i == 0 || !peer(part[i-1], r) {
				rank = i + 1
				dense++
			}
			if f.Kind == WinRank {
				res[r] = Int(int64(rank))
			} else {
				res[r] = Int(int64(dense))
			}
		}
		return nil
	}
	agg := f.Agg.newAgg()
	agg.Resize(1)
	nargs := len(f.Agg.Args)
	feed := func(rs []int) error {
		if len(rs) == 0 {
			return nil
		}
		vecs := make([]*Vec, nargs)
		for j := range vecs {
			v := &Vec{}
			v.Reset(len(rs))
			for k, r := range rs {
				v.Put(k, w.extra[r][3*fi+2][j])
			}
			vecs[j] = v
		}
		sel := FullBitmap(nil, len(rs))
		if f.Agg.Filter != nil {
			for k, r := range rs {
				if !w.extra[r][3*fi+2][nargs].IsTrue() {
					sel.Clear(k)
				}
			}
		}
		return agg.Update(c, vecs, sel, nil)
	}
	if len(f.Order) == 0 {
		if err := feed(part); err != nil {
			return err
		}
		v := agg.Result(0)
		for _, r := range part {
			res[r] = v
		}
		return nil
	}
	for i := 0; i < len(part); {
		j := i + 1
		for j < len(part) && peer(part[i], part[j]) {
			j++
		}
		if err := feed(part[i:j]); err != nil {
			return err
		}
		v := agg.Result(0)
		for _, r := range part[i:j] {
			res[r] = v
		}
		i = j
	}
	return nil
}
