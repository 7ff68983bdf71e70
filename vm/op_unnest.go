package vm

// Unnest joins each row with the elements of a list it holds: for every selected row whose
// List value is a list, one output row per element, carrying every input variable and the
// element as a new last variable. Rows whose value is not a list produce nothing. Elements of
// lists stored as Ion keep pointing into the column's bytes.
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
	if lists := AndBits(nil, lv.Lists, b.Sel, b.N); lists.Any() {
		if err := u.pushLists(c, b, lv, lists); err != nil {
			return err
		}
	}
	ions := AndBits(nil, lv.Ions, b.Sel, b.N)
	boxed := AndBits(nil, lv.Boxed, b.Sel, b.N)
	// first pass: the parent of every element, in row order
	var parents []int32
	for w := range b.Sel {
		for mm := ions.wordAt(w) | boxed.wordAt(w); mm != 0; mm &= mm - 1 {
			i := w*64 + trailing(mm)
			var n int
			if ions.Get(i) {
				n = countIonElems(lv, i)
			} else {
				n = len(lv.B[i].List())
			}
			for ; n > 0; n-- {
				parents = append(parents, int32(i))
			}
		}
	}
	if len(parents) == 0 {
		return nil
	}
	n := len(parents)
	ev := c.Vec(n)
	k := 0
	for k < n {
		i := int(parents[k])
		if ions.Get(i) {
			k = putIonElems(lv, i, ev, k)
		} else {
			for _, e := range lv.B[i].List() {
				ev.Put(k, e)
				k++
			}
		}
	}
	return u.emit(c, b, parents, ev)
}

func (u *Unnest) Close(c *Ctx) error { return u.Next.Close(c) }

// emit pushes one row per element: the variables of its parent row, then the element.
func (u *Unnest) emit(c *Ctx, b *Batch, parents []int32, elems *Vec) error {
	vars := append(takeAll(c, b.Vars, parents, 1), elems)
	return u.Next.Push(c, &Batch{N: len(parents), Vars: vars, Sel: FullBitmap(nil, len(parents)), Base: b.Base})
}

// pushLists unnests the rows of a shredded list lane: the elements are rows of the element
// vector, used as it is when the lists of consecutive rows cover it without gaps (the common
// case: every row selected) and gathered otherwise. Element order follows row order.
func (u *Unnest) pushLists(c *Ctx, b *Batch, lv *Vec, rows Bitmap) error {
	if lv.L.Elems == nil {
		return nil
	}
	elems, err := lv.L.Elems.Elems()
	if err != nil {
		return err
	}
	if elems == nil {
		return nil
	}
	var parents, idx []int32
	contiguous := true
	next := uint32(0)
	first := true
	rows.ForEach(func(i int) {
		lo, hi := lv.L.Start[i], lv.L.End[i]
		if first {
			next, first = lo, false
		}
		if lo != next {
			contiguous = false
		}
		next = hi
		for k := lo; k < hi && int(k) < elems.N; k++ {
			parents = append(parents, int32(i))
			idx = append(idx, int32(k))
		}
	})
	n := len(parents)
	if n == 0 {
		return nil
	}
	var ev *Vec
	if contiguous && int(idx[0]) == 0 && n == elems.N {
		ev = elems
	} else {
		ev = Take(c, elems, idx)
	}
	return u.emit(c, b, parents, ev)
}
