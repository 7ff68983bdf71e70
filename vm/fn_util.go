package vm

import "math"

// Helpers shared by the scalar functions' typed (Vector) implementations and their Eval.

// constStr returns the string that every selected row of v holds when v is a constant string
// column (the shape Const.Eval produces: a one-entry dictionary), so a Vector implementation
// can decode a constant argument (a date part, a pattern) once per batch.
func constStr(v *Vec, sel Bitmap) (string, bool) {
	if !sel.Any() {
		return "", false
	}
	if l, ok := v.Single(sel); !ok || l != LStr {
		return "", false
	}
	if v.S.Codes != nil && v.S.Dict != nil && v.S.Dict.Len() == 1 {
		return string(v.S.Dict.Get(0)), true
	}
	first := sel.First()
	s := v.S.Get(first)
	same := true
	sel.ForEach(func(i int) {
		if same && string(v.S.Get(i)) != string(s) {
			same = false
		}
	})
	return string(s), same
}

// constInt returns the int64 every selected row of v holds, when v is a constant int column.
func constInt(v *Vec, sel Bitmap) (int64, bool) {
	if !sel.Any() {
		return 0, false
	}
	if l, ok := v.Single(sel); !ok || l != LInt {
		return 0, false
	}
	x := v.I[sel.First()]
	same := true
	for w := range sel {
		for m := sel[w]; m != 0; m &= m - 1 {
			if v.I[w*64+trailing(m)] != x {
				same = false
			}
		}
	}
	return x, same
}

// onlyLanes reports whether every selected row of v is MISSING or in one of the lanes of set:
// a typed implementation that handles those lanes (and returns MISSING for absent rows) then
// agrees with Eval on every row.
func onlyLanes(v *Vec, sel Bitmap, set LaneSet) bool {
	check := func(b Bitmap, l Lane) bool { return set&l != 0 || !Intersects(b, sel) }
	return check(v.Nulls, LNull) && check(v.Bools, LBool) && check(v.Ints, LInt) &&
		check(v.Floats, LFloat) && check(v.Times, LTime) && check(v.Strs, LStr) &&
		check(v.Ions, LIon) && check(v.Structs, LStruct) && check(v.Boxed, LBoxed) && check(v.Lists, LList)
}

// outInts prepares out's int lane to hold the rows of rows, returning the value slice.
func outInts(out *Vec, rows Bitmap, n int) []int64 {
	out.Ints = CopyBits(out.Ints, rows, n)
	out.I = sized(out.I, n)
	return out.I
}

// outFloats prepares out's float lane to hold the rows of rows.
func outFloats(out *Vec, rows Bitmap, n int) []float64 {
	out.Floats = CopyBits(out.Floats, rows, n)
	out.F = sized(out.F, n)
	return out.F
}

// outTimes prepares out's timestamp lane to hold the rows of rows.
func outTimes(out *Vec, rows Bitmap, n int) []int64 {
	out.Times = CopyBits(out.Times, rows, n)
	out.T = sized(out.T, n)
	return out.T
}

// newStrBuilder empties out's string lane and sizes its offsets for n rows, to be filled in
// row order.
func newStrBuilder(out *Vec, n int) {
	out.Strs = MakeBitmap(out.Strs, n)
	out.S.Start = sized(out.S.Start[:0], n)
	out.S.End = sized(out.S.End[:0], n)
	out.S.Data = out.S.Data[:0]
	out.S.Codes = nil
	out.S.Dict = nil
}

// intArg reads an integer argument: an int, or a float with an integral value in range.
func intArg(v Value) (int64, bool) {
	switch v.k {
	case KInt:
		return v.Int(), true
	case KFloat:
		f := v.Float()
		if f == math.Trunc(f) && f >= -9.223372036854775808e18 && f < 9.223372036854775808e18 {
			return int64(f), true
		}
	}
	return 0, false
}
