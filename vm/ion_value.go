package vm

// DecodeIon converts one encoded Ion value to a Value (placeholder until the ion package lands).
func DecodeIon(b []byte, st Symbols) (Value, error) { return Other(b), nil }

// ionFieldRows stores field name of the Ion structs of v at rows m into out.
func ionFieldRows(v *Vec, name string, m Bitmap, out *Vec) {
	m.ForEach(func(i int) { out.Put(i, v.Get(i).Field(name)) })
}

// ionIndexRows stores element idx of the Ion lists of v at rows m into out.
func ionIndexRows(v *Vec, idx int, m Bitmap, out *Vec) {
	m.ForEach(func(i int) { out.Put(i, v.Get(i).Index(int64(idx))) })
}

// ionElems holds the elements of the Ion lists of an unnested column.
type ionElems struct {
	count int
	vals  []Value
}

func (e *ionElems) put(dst *Vec, row, k int) { dst.Put(row, e.vals[k]) }

// unnestIon appends, for each selected row of v holding an Ion list, one parent entry per
// element, and returns the elements.
func unnestIon(v *Vec, sel Bitmap, parents *[]int32) *ionElems {
	e := &ionElems{}
	AndBits(nil, v.Ions, sel, v.N).ForEach(func(i int) {
		for _, x := range v.Get(i).List() {
			*parents = append(*parents, int32(i))
			e.vals = append(e.vals, x)
		}
	})
	e.count = len(e.vals)
	return e
}
