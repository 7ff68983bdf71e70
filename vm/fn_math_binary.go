package vm

import "math"

// The binary float functions. HYPOT(x, y) is sqrt(x² + y²) without undue overflow,
// ATAN2(y, x) the angle of the point (x, y), POW(x, y) (alias POWER) x raised to y, and LOG
// with one argument the base-10 logarithm, with two LOG(b, x) the base-b logarithm of x,
// log2(x) / log2(b) (the original's formula, which LOG(4, 11) = 1.7297158093186487 pins). Arguments are numbers (ints converted); anything else gives MISSING. The
// results are float64 even for integer arguments (POW(2, 3) is 8.0).
func init() {
	registerBinaryFloat("HYPOT", nil, hypot)
	registerBinaryFloat("ATAN2", nil, atan2)
	registerBinaryFloat("POW", []string{"POWER"}, pow)
	RegisterFunc(&Func{
		Name: "LOG", MinArgs: 1, MaxArgs: 2,
		Eval: func(c *Ctx, args []Value) Value {
			x, ok := args[len(args)-1].AsFloat()
			if !ok {
				return Missing()
			}
			if len(args) == 1 {
				return Float(log10(x))
			}
			b, ok := args[0].AsFloat()
			if !ok {
				return Missing()
			}
			return Float(logBase(b, x))
		},
	})
}

// hypot returns √(x² + y²) with x² + y² computed exactly as a double-double sum.
func hypot(x, y float64) float64 {
	x, y = math.Abs(x), math.Abs(y)
	switch {
	case math.IsInf(x, 0) || math.IsInf(y, 0):
		return math.Inf(1)
	case math.IsNaN(x) || math.IsNaN(y):
		return math.NaN()
	}
	if x < y {
		x, y = y, x
	}
	if x == 0 {
		return 0
	}
	// scale into a range where the squares neither overflow nor lose bits to underflow
	e := 0
	if x > 0x1p500 || y < 0x1p-500 {
		_, e = math.Frexp(x)
		x, y = math.Ldexp(x, -e), math.Ldexp(y, -e)
	}
	h := x * x
	hl := math.FMA(x, x, -h)
	k := y * y
	kl := math.FMA(y, y, -k)
	s := h + k
	bb := s - h
	lo := (h - (s - bb)) + (k - bb) + hl + kl // s + lo = x² + y² (to about 2⁻¹⁰⁶)
	r := math.Sqrt(s)
	rr := r * r
	d := ((s - rr) - math.FMA(r, r, -rr)) + lo // s + lo − r²
	return math.Ldexp(r+d/(2*r), e)
}
