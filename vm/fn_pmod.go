package vm

import "math"

// PMOD(a, b) is the positive modulus: a mod b in [0, |b|). With two ints it is exact int64
// arithmetic (PMOD(-7, 3) = 2, PMOD(-7, -3) = 2); with a float operand it is computed in
// float64. A zero divisor, or a non-number, gives MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "PMOD", MinArgs: 2, MaxArgs: 2,
		Eval: func(c *Ctx, args []Value) Value {
			a, b := args[0], args[1]
			if a.k == KInt && b.k == KInt {
				if r, ok := pmodInt(a.Int(), b.Int()); ok {
					return Int(r)
				}
				return Missing()
			}
			x, ok1 := a.AsFloat()
			y, ok2 := b.AsFloat()
			if !ok1 || !ok2 || y == 0 {
				return Missing()
			}
			r := math.Mod(x, y)
			if r < 0 {
				r += math.Abs(y)
			}
			return Float(r)
		},
		Vector: func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
			a, b := args[0], args[1]
			if !onlyLanes(a, sel, LInt) || !onlyLanes(b, sel, LInt) {
				return nil
			}
			out := c.Vec(n)
			rows := AndBits(nil, sel, a.Ints, n)
			rows = AndBits(rows, rows, b.Ints, n)
			dst := outInts(out, rows, n)
			for w, m := range rows {
				for ; m != 0; m &= m - 1 {
					i := w*64 + trailing(m)
					r, ok := pmodInt(a.I[i], b.I[i])
					if !ok {
						out.Ints.Clear(i)
						continue
					}
					dst[i] = r
				}
			}
			return out
		},
	})
}

func pmodInt(a, b int64) (int64, bool) {
	if b == 0 {
		return 0, false
	}
	if b == -1 {
		return 0, true // also avoids the MinInt64 / -1 trap
	}
	r := a % b
	if r < 0 {
		// |b| may be 2^63: add it as an unsigned value
		mag := uint64(b)
		if b < 0 {
			mag = -uint64(b)
		}
		r = int64(uint64(r) + mag)
	}
	return r, true
}
