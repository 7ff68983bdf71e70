package vm

// rowBuf holds materialised rows: each row is a tuple of Values that own their bytes.
type rowBuf struct {
	rows  [][]Value
	mem   *Memory
	bytes int64
}

// add appends a tuple (already cloned), accounting its memory.
func (r *rowBuf) add(t []Value) error {
	var n int64 = 24
	for _, v := range t {
		n += valueSize(v)
	}
	if err := r.mem.Grow(n); err != nil {
		return err
	}
	r.bytes += n
	r.rows = append(r.rows, t)
	return nil
}

func (r *rowBuf) release() {
	r.mem.Shrink(r.bytes)
	r.bytes = 0
	r.rows = nil
}

// tupleAt reads row i of the given vectors as cloned Values.
func tupleAt(vecs []*Vec, i int) []Value {
	t := make([]Value, len(vecs))
	for j, v := range vecs {
		if v != nil {
			t[j] = v.Get(i).Clone()
		}
	}
	return t
}

// cloneTuple returns a copy of t whose values own their bytes.
func cloneTuple(t []Value) []Value {
	out := make([]Value, len(t))
	for j, x := range t {
		out[j] = x.Clone()
	}
	return out
}

// keyedRows returns the rows of sel (of n rows) where no key is MISSING: the rows that group,
// join or deduplicate.
func keyedRows(keys []*Vec, sel Bitmap, n int) Bitmap {
	out := sel.Clone()
	for _, k := range keys {
		out = AndBits(out, out, k.Present(nil), n)
	}
	return out
}

// hashKeys sets hashes[i] to the hash of the key tuple of row i for every row of sel (the hash
// keyHash gives the tuple's values).
func hashKeys(keys []*Vec, sel Bitmap, hashes []uint64) {
	for j, k := range keys {
		hashColumn(k, sel, hashes, j == 0)
	}
}

// takeAll gathers the rows idx of every vector of vars (see Take), leaving room for extra more.
func takeAll(c *Ctx, vars []*Vec, idx []int32, extra int) []*Vec {
	out := make([]*Vec, len(vars), len(vars)+extra)
	for j, v := range vars {
		out[j] = Take(c, v, idx)
	}
	return out
}

// trueRows returns the rows of sel (of n rows) where v is TRUE: what a predicate keeps.
func trueRows(v *Vec, sel Bitmap, n int) Bitmap {
	out := make(Bitmap, words(n))
	for w := range out {
		out[w] = v.Bools.wordAt(w) & v.BoolV.wordAt(w) & sel.wordAt(w)
	}
	return out
}

// EmitRows pushes tuples to next in batches of up to 1024 rows: variable j of the batch is
// column off+j of the tuples, and Base is the position of the batch's first tuple. It stops
// at the first error (ErrDone included) and does not close next.
func EmitRows(c *Ctx, next Op, rows [][]Value, off, width int) error {
	const chunk = 1024
	for start := 0; start < len(rows); start += chunk {
		if err := c.Err(); err != nil {
			return err
		}
		end := min(start+chunk, len(rows))
		n := end - start
		m := c.Mark()
		vars := make([]*Vec, width)
		for j := range vars {
			v := c.Vec(n)
			for i := 0; i < n; i++ {
				v.Put(i, rows[start+i][off+j])
			}
			vars[j] = v
		}
		err := next.Push(c, &Batch{N: n, Vars: vars, Sel: FullBitmap(nil, n), Base: int64(start)})
		c.Release(m)
		if err != nil {
			return err
		}
	}
	return nil
}
