package vm

import "math"

// The unary float functions: SQRT, CBRT, EXP, EXPM1, EXP2, EXP10, LN, LN1P, LOG2, LOG10, SIN,
// COS, TAN, ASIN, ACOS, ATAN, DEGREES, RADIANS. Each takes a number (an int is converted to
// float64) and returns a float64, following IEEE 754 for the edge cases (SQRT(-1) and LN(-1)
// are NaN, LN(0) is -Inf, EXP(1000) is +Inf). Any other argument, NULL included, gives MISSING:
// functions are type-checked, so a NULL where a number is required is a type error.
func init() {
	for _, f := range []struct {
		name string
		fn   func(float64) float64
	}{
		{"SQRT", math.Sqrt},
		{"CBRT", cbrt},
		{"EXP", exp},
		{"EXPM1", expm1},
		{"EXP2", math.Exp2},
		{"EXP10", exp10},
		{"LN", ln},
		{"LN1P", ln1p},
		{"LOG2", log2},
		{"LOG10", log10},
		{"SIN", sin},
		{"COS", cos},
		{"TAN", tan},
		{"ASIN", asin},
		{"ACOS", acos},
		{"ATAN", atan},
		{"DEGREES", func(x float64) float64 { return x * (180 / math.Pi) }},
		{"RADIANS", func(x float64) float64 { return x * (math.Pi / 180) }},
	} {
		registerUnaryFloat(f.name, f.fn)
	}
	RegisterFunc(&Func{
		Name: "PI", MinArgs: 0, MaxArgs: 0,
		Eval: func(c *Ctx, args []Value) Value { return Float(math.Pi) },
	})
}

// registerUnaryFloat registers a number → float64 function with its typed implementation.
func registerUnaryFloat(name string, fn func(float64) float64) {
	RegisterFunc(&Func{
		Name: name, MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			x, ok := args[0].AsFloat()
			if !ok {
				return Missing()
			}
			return Float(fn(x))
		},
		Vector: func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
			return mapNumbersToFloat(c, args[0], sel, n, fn)
		},
	})
}

// mapNumbersToFloat applies fn to the int and float rows of v (ints converted), giving a float
// lane; other rows are MISSING.
func mapNumbersToFloat(c *Ctx, v *Vec, sel Bitmap, n int, fn func(float64) float64) *Vec {
	out := c.Vec(n)
	fl := AndBits(nil, sel, v.Floats, n)
	in := AndBits(nil, sel, v.Ints, n)
	dst := outFloats(out, OrBits(nil, fl, in, n), n)
	for w, m := range fl {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			dst[i] = fn(v.F[i])
		}
	}
	for w, m := range in {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			dst[i] = fn(float64(v.I[i]))
		}
	}
	return out
}

// registerBinaryFloat registers a (number, number) → float64 function.
func registerBinaryFloat(name string, aliases []string, fn func(x, y float64) float64) {
	RegisterFunc(&Func{
		Name: name, Aliases: aliases, MinArgs: 2, MaxArgs: 2,
		Eval: func(c *Ctx, args []Value) Value {
			x, ok1 := args[0].AsFloat()
			y, ok2 := args[1].AsFloat()
			if !ok1 || !ok2 {
				return Missing()
			}
			return Float(fn(x, y))
		},
	})
}
