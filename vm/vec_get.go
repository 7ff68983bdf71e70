package vm

// Get returns row i as a boxed Value (MISSING when the row is in no lane). This is the generic,
// per-row view used off the vectorised path; strings share the Vec's bytes.
func (v *Vec) Get(i int) Value {
	switch {
	case v.Ints.Get(i):
		return Int(v.I[i])
	case v.Strs.Get(i):
		return Bytes(v.S.Get(i))
	case v.Floats.Get(i):
		return Float(v.F[i])
	case v.Times.Get(i):
		return Time(v.T[i])
	case v.Bools.Get(i):
		return Bool(v.BoolV.Get(i))
	case v.Nulls.Get(i):
		return Null()
	case v.Boxed.Get(i):
		return v.B[i]
	case v.Ions.Get(i):
		val, err := DecodeIon(v.X.Get(i), v.X.Symtab)
		if err != nil {
			return Missing()
		}
		return val
	case v.Structs.Get(i):
		return v.structAt(i)
	case v.Lists.Get(i):
		return v.listAt(i)
	}
	return Missing()
}

// listAt assembles the list at row i from the element vector.
func (v *Vec) listAt(i int) Value {
	if v.L.Elems == nil {
		return List([]Value{})
	}
	elems, err := v.L.Elems.Elems()
	if err != nil || elems == nil {
		return List([]Value{})
	}
	lo, hi := int(v.L.Start[i]), int(v.L.End[i])
	if hi > elems.N || lo > hi {
		return Missing()
	}
	items := make([]Value, 0, hi-lo)
	for k := lo; k < hi; k++ {
		if x := elems.Get(k); !x.IsMissing() {
			items = append(items, x)
		}
	}
	return List(items)
}

// structAt assembles the struct at row i from the field columns.
func (v *Vec) structAt(i int) Value {
	if v.Fields == nil {
		return Struct(nil)
	}
	names := v.Fields.Names()
	fields := make([]Field, 0, len(names))
	for _, name := range names {
		col, err := v.Fields.Field(name)
		if err != nil || col == nil {
			continue
		}
		if x := col.Get(i); x.k != KMissing {
			fields = append(fields, Field{Name: name, Value: x})
		}
	}
	return Value{k: KStruct, c: &composite{fields: fields}}
}

// Single reports whether every row of sel lies in one lane l, returning it.
func (v *Vec) Single(sel Bitmap) (Lane, bool) {
	var only Lane
	for _, l := range allLanes {
		if Intersects(v.lane(l), sel) {
			if only != 0 {
				return 0, false
			}
			only = l
		}
	}
	if only == 0 {
		return 0, false
	}
	// every selected row must be in that lane (none missing)
	lb := v.lane(only)
	for w := range sel {
		if sel[w]&^lb.wordAt(w) != 0 {
			return 0, false
		}
	}
	return only, true
}
