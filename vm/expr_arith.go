package vm

import (
	"math"
)

// ArithOp is an arithmetic or bitwise binary operator.
type ArithOp uint8

const (
	OpAdd ArithOp = iota
	OpSub
	OpMul
	OpDiv
	OpMod
	OpBitAnd
	OpBitOr
	OpBitXor
	OpShl
	OpShr  // arithmetic
	OpShrU // logical
)

var arithNames = [...]string{"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", ">>>"}

func (o ArithOp) String() string { return arithNames[o] }

// Arith applies an arithmetic operator to numbers (int op int stays int: '/' truncates, '%' is
// the truncated remainder, and a zero divisor gives the float result, NaN or ±Inf; with a float
// operand the operation is in float64) or a bitwise operator to ints (a shift by more than 63
// gives 0). Any other operand gives MISSING.
type Arith struct {
	Op   ArithOp
	L, R Expr
}

func (e *Arith) String() string {
	return "(" + e.L.String() + " " + e.Op.String() + " " + e.R.String() + ")"
}

// ArithValues is the generic implementation.
func ArithValues(op ArithOp, a, b Value) Value {
	if op >= OpBitAnd {
		if a.k != KInt || b.k != KInt {
			return Missing()
		}
		x, y := a.Int(), b.Int()
		switch op {
		case OpBitAnd:
			return Int(x & y)
		case OpBitOr:
			return Int(x | y)
		case OpBitXor:
			return Int(x ^ y)
		}
		if y < 0 {
			return Missing()
		}
		if y > 63 {
			return Int(0)
		}
		switch op {
		case OpShl:
			return Int(x << y)
		case OpShr:
			return Int(x >> y)
		}
		return Int(int64(uint64(x) >> y))
	}
	if a.k == KInt && b.k == KInt {
		return Int2(op, a.Int(), b.Int())
	}
	x, ok1 := a.AsFloat()
	y, ok2 := b.AsFloat()
	if !ok1 || !ok2 {
		return Missing()
	}
	return Float(floatOp(op, x, y))
}

// Int2 applies an arithmetic operator to two ints.
func Int2(op ArithOp, x, y int64) Value {
	switch op {
	case OpAdd:
		return Int(x + y)
	case OpSub:
		return Int(x - y)
	case OpMul:
		return Int(x * y)
	case OpDiv:
		if y == 0 {
			return Float(float64(x) / float64(y))
		}
		return Int(x / y)
	case OpMod:
		if y == 0 {
			return Float(math.NaN())
		}
		return Int(x % y)
	}
	return Missing()
}

func floatOp(op ArithOp, x, y float64) float64 {
	switch op {
	case OpAdd:
		return x + y
	case OpSub:
		return x - y
	case OpMul:
		return x * y
	case OpDiv:
		return x / y
	}
	return math.Mod(x, y)
}

func (e *Arith) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	l, r, err := evalPair(c, b, sel, e.L, e.R)
	if err != nil {
		return nil, err
	}
	if out := arithTyped(c, e.Op, l, r, sel, b.N); out != nil {
		return out, nil
	}
	op := e.Op
	return generic(c, b.N, sel, []*Vec{l, r}, func(_ *Ctx, a []Value) Value {
		return ArithValues(op, a[0], a[1])
	}), nil
}

// arithTyped handles the common cases with typed loops: both sides entirely ints, or entirely
// numbers (ints and floats) for the float operators. It returns nil otherwise.
func arithTyped(c *Ctx, op ArithOp, l, r *Vec, sel Bitmap, n int) *Vec {
	ll, ok1 := l.Single(sel)
	rl, ok2 := r.Single(sel)
	if !ok1 || !ok2 {
		return nil
	}
	switch {
	case ll == LInt && rl == LInt && op != OpDiv && op != OpMod && op < OpBitAnd:
		out := c.Vec(n)
		out.Ints = CopyBits(out.Ints, sel, n)
		out.I = sized(out.I, n)
		li, ri, oi := l.I, r.I, out.I
		switch op {
		case OpAdd:
			for w, m := range sel {
				if m != 0 {
					for j := w * 64; j < w*64+64; j++ {
						oi[j] = li[j] + ri[j]
					}
				}
			}
		case OpSub:
			for w, m := range sel {
				if m != 0 {
					for j := w * 64; j < w*64+64; j++ {
						oi[j] = li[j] - ri[j]
					}
				}
			}
		case OpMul:
			for w, m := range sel {
				if m != 0 {
					for j := w * 64; j < w*64+64; j++ {
						oi[j] = li[j] * ri[j]
					}
				}
			}
		}
		return out
	case (ll == LFloat || ll == LInt) && (rl == LFloat || rl == LInt) && op < OpBitAnd && !(ll == LInt && rl == LInt):
		out := c.Vec(n)
		out.Floats = CopyBits(out.Floats, sel, n)
		out.F = sized(out.F, n)
		sel.ForEach(func(i int) {
			var x, y float64
			if ll == LInt {
				x = float64(l.I[i])
			} else {
				x = l.F[i]
			}
			if rl == LInt {
				y = float64(r.I[i])
			} else {
				y = r.F[i]
			}
			out.F[i] = floatOp(op, x, y)
		})
		return out
	}
	return nil
}

// Neg is unary minus on numbers.
type Neg struct{ X Expr }

func (e *Neg) String() string { return "(-" + e.X.String() + ")" }

func (e *Neg) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	x, err := e.X.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	return generic(c, b.N, sel, []*Vec{x}, func(_ *Ctx, a []Value) Value {
		switch a[0].k {
		case KInt:
			return Int(-a[0].Int())
		case KFloat:
			return Float(-a[0].Float())
		}
		return Missing()
	}), nil
}

// BitNot is unary '~' on ints.
type BitNot struct{ X Expr }

func (e *BitNot) String() string { return "(~" + e.X.String() + ")" }

func (e *BitNot) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	x, err := e.X.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	return generic(c, b.N, sel, []*Vec{x}, func(_ *Ctx, a []Value) Value {
		if a[0].k == KInt {
			return Int(^a[0].Int())
		}
		return Missing()
	}), nil
}

// Concat is `a || b` on strings.
type Concat struct{ L, R Expr }

func (e *Concat) String() string { return "(" + e.L.String() + " || " + e.R.String() + ")" }

func (e *Concat) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	l, r, err := evalPair(c, b, sel, e.L, e.R)
	if err != nil {
		return nil, err
	}
	return generic(c, b.N, sel, []*Vec{l, r}, func(_ *Ctx, a []Value) Value {
		if a[0].k != KString || a[1].k != KString {
			return Missing()
		}
		s := make([]byte, 0, len(a[0].b)+len(a[1].b))
		return Bytes(append(append(s, a[0].b...), a[1].b...))
	}), nil
}
