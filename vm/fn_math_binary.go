package vm

import "math"

// The binary float functions. HYPOT(x, y) is sqrt(x² + y²) without undue overflow,
// ATAN2(y, x) the angle of the point (x, y), POW(x, y) (alias POWER) x raised to y, and LOG
// with one argument the base-10 logarithm, with two LOG(b, x) the base-b logarithm of x,
// ln(x) / ln(b). Arguments are numbers (ints converted); anything else gives MISSING. The
// results are float64 even for integer arguments (POW(2, 3) is 8.0).
func init() {
	registerBinaryFloat("HYPOT", nil, math.Hypot)
	registerBinaryFloat("ATAN2", nil, math.Atan2)
	registerBinaryFloat("POW", []string{"POWER"}, math.Pow)
	RegisterFunc(&Func{
		Name: "LOG", MinArgs: 1, MaxArgs: 2,
		Eval: func(c *Ctx, args []Value) Value {
			x, ok := args[len(args)-1].AsFloat()
			if !ok {
				return Missing()
			}
			if len(args) == 1 {
				return Float(math.Log10(x))
			}
			b, ok := args[0].AsFloat()
			if !ok {
				return Missing()
			}
			return Float(math.Log(x) / math.Log(b))
		},
	})
}
