package vm

// Unnest joins each row with the elements of a list it holds: for every selected row whose
// List value is a list, one output row per element, carrying every input variable and the
// element as a new last variable. Rows whose value is not a list produce nothing.
type Unnest struct {
	List Expr
	Next Op
}

func (u *Unnest) Push(c *Ctx, b *Batch) error {
	m := c.Mark()
	defer c.Release(m)
	lv, err := u.List.Eval(c, b, b.Sel)
	if err != nil {
		return err
	}
	var parents []int32
	elems := &Vec{}
	elems.Reset(0)
	var boxed []Value
	ionElems := unnestIon(lv, b.Sel, &parents)
	if m := AndBits(nil, lv.Boxed, b.Sel, b.N); m.Any() {
		m.ForEach(func(i int) {
			for _, e := range lv.B[i].List() {
				parents = append(parents, int32(i))
				boxed = append(boxed, e)
			}
		})
	}
	if len(parents) == 0 {
		return nil
	}
	n := len(parents)
	const chunk = 1 << 16
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		mm := c.Mark()
		vars := make([]*Vec, len(b.Vars)+1)
		for j, v := range b.Vars {
			vars[j] = Take(c, v, parents[lo:hi])
		}
		ev := c.Vec(hi - lo)
		for k := lo; k < hi; k++ {
			if k < ionElems.count {
				ionElems.put(ev, k-lo, k)
			} else {
				ev.Put(k-lo, boxed[k-ionElems.count])
			}
		}
		vars[len(b.Vars)] = ev
		err := u.Next.Push(c, &Batch{N: hi - lo, Vars: vars, Sel: FullBitmap(nil, hi-lo)})
		c.Release(mm)
		if err != nil {
			return err
		}
	}
	return nil
}

func (u *Unnest) Close(c *Ctx) error { return u.Next.Close(c) }
