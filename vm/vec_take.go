package vm

// Take returns a vector whose row j is row idx[j] of v. Typed lanes are gathered with tight
// loops, string and Ion lanes share v's bytes (only the row ranges are gathered), and a struct
// lane's fields are gathered lazily, when a field is first used.
func Take(c *Ctx, v *Vec, idx []int32) *Vec {
	out := c.Vec(len(idx))
	takeInto(out, v, idx)
	return out
}

// takeInto fills out (already reset to len(idx) rows) with the rows idx of v.
func takeInto(out, v *Vec, idx []int32) {
	if v == nil {
		return
	}
	lanes := v.Lanes()
	if lanes&LNull != 0 {
		takeBits(&out.Nulls, v.Nulls, idx)
	}
	if lanes&LBool != 0 {
		takeBits(&out.Bools, v.Bools, idx)
		takeBits(&out.BoolV, v.BoolV, idx)
	}
	if lanes&LInt != 0 {
		takeBits(&out.Ints, v.Ints, idx)
		out.I = gather(out.I, v.I, idx)
	}
	if lanes&LFloat != 0 {
		takeBits(&out.Floats, v.Floats, idx)
		out.F = gather(out.F, v.F, idx)
	}
	if lanes&LTime != 0 {
		takeBits(&out.Times, v.Times, idx)
		out.T = gather(out.T, v.T, idx)
	}
	if lanes&LStr != 0 {
		takeBits(&out.Strs, v.Strs, idx)
		if v.S.Codes != nil {
			out.S.Codes = gather(out.S.Codes[:0], v.S.Codes, idx)
			out.S.Dict = v.S.Dict
		} else {
			out.S.Data = v.S.Data
			out.sforeign = true
			out.S.Start = gather(out.S.Start, v.S.Start, idx)
			out.S.End = gather(out.S.End, v.S.End, idx)
		}
	}
	if lanes&LIon != 0 {
		takeBits(&out.Ions, v.Ions, idx)
		out.X.Data = v.X.Data
		out.X.Symtab = v.X.Symtab
		out.X.Start = gather(out.X.Start, v.X.Start, idx)
		out.X.End = gather(out.X.End, v.X.End, idx)
	}
	if lanes&LStruct != 0 {
		takeBits(&out.Structs, v.Structs, idx)
		out.Fields = &takeFields{src: v.Fields, idx: idx}
	}
	if lanes&LList != 0 {
		takeBits(&out.Lists, v.Lists, idx)
		out.L.Elems = v.L.Elems
		out.L.Start = gather(out.L.Start, v.L.Start, idx)
		out.L.End = gather(out.L.End, v.L.End, idx)
	}
	if lanes&LBoxed != 0 {
		takeBits(&out.Boxed, v.Boxed, idx)
		out.B = gather(out.B, v.B, idx)
	}
}

// gather sets dst[j] = src[idx[j]] (dst sized like a lane for len(idx) rows).
func gather[T any](dst, src []T, idx []int32) []T {
	dst = sized(dst, len(idx))
	for j, i := range idx {
		dst[j] = src[i]
	}
	return dst
}

func takeBits(dst *Bitmap, src Bitmap, idx []int32) {
	d := MakeBitmap(*dst, len(idx))
	for j, i := range idx {
		if src.Get(int(i)) {
			d.Set(j)
		}
	}
	*dst = d
}

// takeFields gathers the fields of a struct lane on demand. The gathered columns are its own
// (not scratch vectors of a Ctx), because they are cached across expression evaluations.
type takeFields struct {
	src   FieldSet
	idx   []int32
	cache map[string]*Vec
}

func (t *takeFields) Names() []string { return t.src.Names() }

func (t *takeFields) Field(name string) (*Vec, error) {
	if v, ok := t.cache[name]; ok {
		return v, nil
	}
	f, err := t.src.Field(name)
	if err != nil || f == nil {
		return nil, err
	}
	v := &Vec{}
	v.Reset(len(t.idx))
	takeInto(v, f, t.idx)
	if t.cache == nil {
		t.cache = map[string]*Vec{}
	}
	t.cache[name] = v
	return v, nil
}

// Columns is a FieldSet over named column vectors (the rows of a subquery or a projection).
type Columns struct {
	names []string
	cols  []*Vec
	index map[string]int
}

// NewColumns builds a FieldSet from parallel names and columns.
func NewColumns(names []string, cols []*Vec) *Columns {
	c := &Columns{names: names, cols: cols}
	if len(names) > 8 {
		c.index = make(map[string]int, len(names))
		for i, n := range names {
			c.index[n] = i
		}
	}
	return c
}

func (c *Columns) Names() []string { return c.names }

func (c *Columns) Field(name string) (*Vec, error) {
	if c.index != nil {
		if i, ok := c.index[name]; ok {
			return c.cols[i], nil
		}
		return nil, nil
	}
	for i, n := range c.names {
		if n == name {
			return c.cols[i], nil
		}
	}
	return nil, nil
}

// StructOf returns a vector whose rows (those of rows) are structs with the given fields.
func StructOf(c *Ctx, n int, rows Bitmap, fields FieldSet) *Vec {
	out := c.Vec(n)
	out.Structs = CopyBits(out.Structs, rows, n)
	out.Fields = fields
	return out
}
