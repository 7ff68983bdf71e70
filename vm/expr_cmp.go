package vm

import "math"

// Cmp compares two values: '=' and '<>' work on any types (deep for lists and structs, NULL = NULL
// is TRUE, values of different types are not equal); '<', '<=', '>', '>=' work within a type class
// (null, bool, numbers, timestamps, strings) and give MISSING across classes. MISSING on either
// side gives MISSING.
type Cmp struct {
	Op   CmpOp
	L, R Expr
}

func (e *Cmp) String() string {
	return "(" + e.L.String() + " " + e.Op.String() + " " + e.R.String() + ")"
}

// CompareValues is the generic comparison of two boxed values.
func CompareValues(op CmpOp, a, b Value) Value {
	if a.k == KMissing || b.k == KMissing {
		return Missing()
	}
	switch op {
	case OpEq:
		return Bool(Equal(a, b))
	case OpNe:
		return Bool(!Equal(a, b))
	}
	if a.k.class() != b.k.class() {
		return Missing()
	}
	switch a.k {
	case KList, KStruct, KOther:
		return Missing()
	}
	return Bool(op.holds(Compare(a, b)))
}

func (e *Cmp) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	if k, ok := e.R.(*Const); ok {
		l, err := e.L.Eval(c, b, sel)
		if err != nil {
			return nil, err
		}
		return cmpConst(c, e.Op, l, k.V, sel), nil
	}
	if k, ok := e.L.(*Const); ok {
		r, err := e.R.Eval(c, b, sel)
		if err != nil {
			return nil, err
		}
		return cmpConst(c, e.Op.Flip(), r, k.V, sel), nil
	}
	l, r, err := evalPair(c, b, sel, e.L, e.R)
	if err != nil {
		return nil, err
	}
	if out := cmpVecs(c, e.Op, l, r, sel, b.N); out != nil {
		return out, nil
	}
	op := e.Op
	return generic(c, b.N, sel, []*Vec{l, r}, func(_ *Ctx, a []Value) Value {
		return CompareValues(op, a[0], a[1])
	}), nil
}

// cmpConst compares every selected row of v with the constant k.
func cmpConst(c *Ctx, op CmpOp, v *Vec, k Value, sel Bitmap) *Vec {
	n := v.N
	out := c.Vec(n)
	if k.k == KMissing {
		return out
	}
	out.Bools = MakeBitmap(out.Bools, n)
	out.BoolV = MakeBitmap(out.BoolV, n)
	var mask, res Bitmap
	mask = make(Bitmap, words(n))
	res = make(Bitmap, words(n))
	// define rows of lane (restricted to sel) with results res
	define := func(lane Bitmap, res Bitmap) {
		for w := range out.Bools {
			m := lane.wordAt(w) & sel.wordAt(w)
			out.Bools[w] |= m
			out.BoolV[w] |= res.wordAt(w) & m
		}
	}
	// a lane whose class differs from k's: '=' is FALSE, '<>' TRUE, ordering MISSING
	other := func(lane Bitmap) {
		switch op {
		case OpEq:
			define(lane, nil)
		case OpNe:
			define(lane, lane)
		}
	}
	kc := k.k.class()
	laneDo := func(lane Bitmap, class int, typed func(mask, res Bitmap) bool) {
		if !Intersects(lane, sel) {
			return
		}
		if class != kc {
			other(lane)
			return
		}
		AndBits(mask, lane, sel, n)
		if typed != nil && typed(mask, res) {
			define(mask, res)
			return
		}
		// generic per row
		mask.ForEach(func(i int) {
			r := CompareValues(op, v.Get(i), k)
			if r.k == KBool {
				out.SetBool(i, r.n != 0)
			}
		})
	}
	laneDo(v.Ints, int(KInt), func(mask, res Bitmap) bool {
		switch k.k {
		case KInt:
			cmpInt64Const(op, v.I, k.Int(), mask, res)
			return true
		case KFloat:
			f := k.Float()
			if f == math.Trunc(f) && math.Abs(f) < 1<<62 {
				cmpInt64Const(op, v.I, int64(f), mask, res)
				return true
			}
		}
		return false
	})
	laneDo(v.Floats, int(KInt), func(mask, res Bitmap) bool {
		switch k.k {
		case KFloat:
			cmpFloat64Const(op, v.F, k.Float(), mask, res)
			return true
		case KInt:
			if i := k.Int(); i > -(1<<53) && i < 1<<53 {
				cmpFloat64Const(op, v.F, float64(i), mask, res)
				return true
			}
		}
		return false
	})
	laneDo(v.Times, int(KTime), func(mask, res Bitmap) bool {
		cmpInt64Const(op, v.T, k.Micros(), mask, res)
		return true
	})
	laneDo(v.Strs, int(KString), func(mask, res Bitmap) bool {
		cmpStringsConst(op, &v.S, k.Str(), mask, res)
		return true
	})
	laneDo(v.Bools, int(KBool), func(mask, res Bitmap) bool {
		kv := k.Bool()
		for w := range mask {
			m := mask[w]
			t := v.BoolV.wordAt(w) // true rows
			var r uint64
			switch op {
			case OpEq:
				if kv {
					r = t
				} else {
					r = ^t
				}
			case OpNe:
				if kv {
					r = ^t
				} else {
					r = t
				}
			case OpLt: // x < k: only false < true
				if kv {
					r = ^t
				}
			case OpLe:
				if kv {
					r = ^uint64(0)
				} else {
					r = ^t
				}
			case OpGt:
				if !kv {
					r = t
				}
			case OpGe:
				if kv {
					r = t
				} else {
					r = ^uint64(0)
				}
			}
			res[w] = r & m
		}
		return true
	})
	laneDo(v.Nulls, int(KNull), func(mask, res Bitmap) bool {
		all := op == OpEq || op == OpLe || op == OpGe
		for w := range mask {
			if all {
				res[w] = mask[w]
			} else {
				res[w] = 0
			}
		}
		return true
	})
	// composite and generic lanes: per row
	for _, lane := range []Bitmap{v.Ions, v.Structs, v.Boxed, v.Lists} {
		if !Intersects(lane, sel) {
			continue
		}
		AndBits(mask, lane, sel, n)
		mask.ForEach(func(i int) {
			r := CompareValues(op, v.Get(i), k)
			if r.k == KBool {
				out.SetBool(i, r.n != 0)
			}
		})
	}
	return out
}

// cmpVecs compares two vectors that each hold one typed lane of the same kind over sel; it
// returns nil when the lanes do not allow the typed loop.
func cmpVecs(c *Ctx, op CmpOp, l, r *Vec, sel Bitmap, n int) *Vec {
	ll, ok1 := l.Single(sel)
	rl, ok2 := r.Single(sel)
	if !ok1 || !ok2 || ll != rl {
		return nil
	}
	out := c.Vec(n)
	out.Bools = CopyBits(out.Bools, sel, n)
	out.BoolV = MakeBitmap(out.BoolV, n)
	switch ll {
	case LInt:
		sel.ForEach(func(i int) {
			if op.holds(cmp3(l.I[i], r.I[i])) {
				out.BoolV.Set(i)
			}
		})
	case LTime:
		sel.ForEach(func(i int) {
			if op.holds(cmp3(l.T[i], r.T[i])) {
				out.BoolV.Set(i)
			}
		})
	case LFloat:
		sel.ForEach(func(i int) {
			if op.holds(cmpFloat(l.F[i], r.F[i])) {
				out.BoolV.Set(i)
			}
		})
	case LStr:
		sel.ForEach(func(i int) {
			a, b := l.S.Get(i), r.S.Get(i)
			var h bool
			switch op {
			case OpEq:
				h = string(a) == string(b)
			case OpNe:
				h = string(a) != string(b)
			default:
				h = op.holds(compareBytes(a, b))
			}
			if h {
				out.BoolV.Set(i)
			}
		})
	default:
		return nil
	}
	return out
}

func cmp3(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
