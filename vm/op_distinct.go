package vm

// Distinct passes on the first row of each distinct key tuple and drops the rest. Rows with a
// MISSING key are dropped too (as in GROUP BY), so `SELECT DISTINCT x` emits no `{}` row.
type Distinct struct {
	Keys []Expr
	Next Op

	set   map[uint64][]int32
	keys  [][]Value
	bytes int64
}

func (d *Distinct) Push(c *Ctx, b *Batch) error {
	m := c.Mark()
	defer c.Release(m)
	keys, err := evalArgs(c, b, b.Sel, d.Keys)
	if err != nil {
		return err
	}
	if d.set == nil {
		d.set = map[uint64][]int32{}
	}
	sel := keyedRows(keys, b.Sel, b.N)
	hashes := make([]uint64, Pad(b.N))
	hashKeys(keys, sel, hashes)
	tuple := make([]Value, len(keys))
	sel.ForEach(func(i int) {
		if err != nil {
			return
		}
		for j, k := range keys {
			tuple[j] = k.Get(i)
		}
		h := hashes[i]
		for _, g := range d.set[h] {
			if tuplesEqual(d.keys[g], tuple) {
				sel.Clear(i)
				return
			}
		}
		kv := cloneTuple(tuple)
		var sz int64 = 64
		for _, x := range kv {
			sz += valueSize(x)
		}
		if err = c.Mem.Grow(sz); err != nil {
			return
		}
		d.bytes += sz
		d.set[h] = append(d.set[h], int32(len(d.keys)))
		d.keys = append(d.keys, kv)
	})
	if err != nil {
		return err
	}
	if !sel.Any() {
		return nil
	}
	return d.Next.Push(c, &Batch{N: b.N, Vars: b.Vars, Sel: sel, Base: b.Base})
}

func (d *Distinct) Close(c *Ctx) error {
	c.Mem.Shrink(d.bytes)
	d.bytes = 0
	return d.Next.Close(c)
}

func tuplesEqual(a, b []Value) bool {
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
