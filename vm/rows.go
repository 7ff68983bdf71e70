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
