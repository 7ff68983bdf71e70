package vm

import "math"

// ABS, SIGN, ROUND (half away from zero), ROUND_EVEN (half to even), TRUNC, FLOOR and CEIL
// (alias CEILING) keep the type of their argument: an int gives an int (unchanged for the
// rounding functions; -1, 0 or 1 for SIGN), a float a float (SIGN(-2.5) is -1.0, SIGN(NaN) is
// NaN). ABS of the smallest int64, whose absolute value has no int64, gives the float
// 9223372036854775808.0. Any other argument gives MISSING.
func init() {
	registerIntOrFloat("ABS", nil, absInt64, math.Abs)
	registerIntOrFloat("SIGN", nil, func(x int64) Value {
		switch {
		case x < 0:
			return Int(-1)
		case x > 0:
			return Int(1)
		}
		return Int(0)
	}, func(x float64) float64 {
		switch {
		case x < 0:
			return -1
		case x > 0:
			return 1
		}
		return x // ±0 and NaN
	})
	same := func(x int64) Value { return Int(x) }
	registerIntOrFloat("ROUND", nil, same, math.Round)
	registerIntOrFloat("ROUND_EVEN", nil, same, math.RoundToEven)
	registerIntOrFloat("TRUNC", nil, same, math.Trunc)
	registerIntOrFloat("FLOOR", nil, same, math.Floor)
	registerIntOrFloat("CEIL", []string{"CEILING"}, same, math.Ceil)
}

func absInt64(x int64) Value {
	if x == math.MinInt64 {
		return Float(-float64(x))
	}
	if x < 0 {
		return Int(-x)
	}
	return Int(x)
}

// registerIntOrFloat registers a function of one number that maps ints with fi and floats with ff.
func registerIntOrFloat(name string, aliases []string, fi func(int64) Value, ff func(float64) float64) {
	RegisterFunc(&Func{
		Name: name, Aliases: aliases, MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			switch args[0].k {
			case KInt:
				return fi(args[0].Int())
			case KFloat:
				return Float(ff(args[0].Float()))
			}
			return Missing()
		},
		Vector: func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
			v := args[0]
			out := c.Vec(n)
			fl := AndBits(nil, sel, v.Floats, n)
			fdst := outFloats(out, fl, n)
			for w, m := range fl {
				for ; m != 0; m &= m - 1 {
					i := w*64 + trailing(m)
					fdst[i] = ff(v.F[i])
				}
			}
			in := AndBits(nil, sel, v.Ints, n)
			idst := outInts(out, in, n)
			for w, m := range in {
				for ; m != 0; m &= m - 1 {
					i := w*64 + trailing(m)
					r := fi(v.I[i])
					if r.k == KInt {
						idst[i] = r.Int()
						continue
					}
					out.Ints.Clear(i)
					out.SetFloat(i, r.Float())
				}
			}
			return out
		},
	})
}
