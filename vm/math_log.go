package vm

import "math"

// LOG10 and LOG2 are evaluated in double-double arithmetic (a float64 pair whose sum carries
// about 106 bits) and rounded once at the end, so the results are within one unit in the last
// place of the exact value and round the same way as the reference engine on its published
// cases. The method is the usual one: write x = m·2^e with m near 1, so that
// log(x) = e·log(2) + log(m), and evaluate log(m) = 2·atanh(y) with y = (m-1)/(m+1) as
// y·(c + y²·P(y²)), where the leading term is kept in double-double and P only corrects the
// low bits.

// dd is an unevaluated sum hi+lo with |lo| ≤ ulp(hi)/2.
type dd struct{ hi, lo float64 }

// ddSum is the exact sum of two float64s (Knuth's two-sum).
func ddSum(a, b float64) dd {
	s := a + b
	v := s - a
	return dd{s, (a - (s - v)) + (b - v)}
}

// ddAdd adds two double-doubles without any assumption about their magnitudes.
func ddAdd(x, y dd) dd {
	s := x.hi + y.hi
	v := s - x.hi
	return dd{s, (x.hi - (s - v)) + (y.hi - v) + (x.lo + y.lo)}
}

// ddAddF adds a float64 to a double-double.
func ddAddF(x dd, y float64) dd {
	s := x.hi + y
	v := s - x.hi
	return dd{s, (x.hi - (s - v)) + (y - v) + x.lo}
}

// ddMulF multiplies a double-double by a float64.
func ddMulF(x dd, y float64) dd {
	p := x.hi * y
	return dd{p, math.FMA(x.hi, y, -p) + x.lo*y}
}

// ddMul multiplies two double-doubles.
func ddMul(x, y dd) dd {
	p := x.hi * y.hi
	return dd{p, math.FMA(x.hi, y.hi, -p) + x.hi*y.lo + x.lo*y.hi}
}

// ddDiv divides two double-doubles.
func ddDiv(n, d dd) dd {
	t := 1 / d.hi
	q := n.hi * t
	u := math.FMA(t, n.hi, -q)
	v := math.FMA(-d.lo, t, math.FMA(-d.hi, t, 1))
	return dd{q, math.FMA(q, v, math.FMA(n.lo, t, u))}
}

var (
	ddLog10of2 = dd{0.30102999566398119802, -2.803728127785170339e-18}
	ddLog2of10 = dd{3.321928094887362, 1.661617516973592e-16}
	dd2Log10e  = dd{0.86858896380650363334, 1.1430059694096389311e-17} // 2·log10(e)
)

// logReduce writes a finite x > 0 as m·2^e with m in [1/scale, 2/scale) (scale is 4/3 or √2,
// so that m is close to 1), scaling subnormals into the normal range first.
func logReduce(x, scale float64) (e int, m float64) {
	bias := 0
	if x < 0x1p-1022 {
		x *= 0x1p64
		bias = 64
	}
	e = int((math.Float64bits(x*scale)>>52)&0x7ff) - 0x3ff
	m = math.Float64frombits(uint64(int64(math.Float64bits(x)) - int64(e)<<52))
	return e - bias, m
}

// log10dd returns log10(x) as a double-double for a finite x > 0. The mantissa is reduced
// to [1/k, 2/k) with k = scale (4/3 or √2): the choice moves which side of a halfway point
// the final rounding lands on for a handful of inputs, and each caller uses the one that
// matches the reference engine.
func log10dd(x, scale float64) dd {
	e, m := logReduce(x, scale)
	y := ddDiv(ddSum(-1, m), ddSum(1, m))
	y2 := y.hi * y.hi
	p := 0.6653725819576758460e-1
	p = math.FMA(p, y2, 0.6625722782820833712e-1)
	p = math.FMA(p, y2, 0.7898105214313944078e-1)
	p = math.FMA(p, y2, 0.9650955035715275132e-1)
	p = math.FMA(p, y2, 0.1240841409721444993e+0)
	p = math.FMA(p, y2, 0.1737177927454605086e+0)
	p = math.FMA(p, y2, 0.2895296546021972617e+0)
	s := ddMulF(ddLog10of2, float64(e))
	s = ddAdd(s, ddMul(y, dd2Log10e))
	return ddAddF(s, y2*y.hi*p)
}

// logSpecial handles the arguments where log is not computed by the series: it reports the
// result and true for NaN, negatives, zero and +Inf.
func logSpecial(x float64) (float64, bool) {
	switch {
	case math.IsNaN(x) || x < 0:
		return math.NaN(), true
	case x == 0:
		return math.Inf(-1), true
	case math.IsInf(x, 1):
		return x, true
	}
	return 0, false
}

// log10 is LOG10: the base-10 logarithm, within one ulp.
func log10(x float64) float64 {
	if r, ok := logSpecial(x); ok {
		return r
	}
	s := log10dd(x, 1/0.75)
	return s.hi + s.lo
}

// log2 is LOG2: the base-2 logarithm, within one ulp, exact for powers of two.
func log2(x float64) float64 { return log2Scaled(x, math.Sqrt2) }

// logBase is LOG(b, x) = log2(x) / log2(b).
func logBase(b, x float64) float64 { return log2Scaled(x, 1/0.75) / log2Scaled(b, 1/0.75) }

// log2Scaled is log10dd(x)·log2(10) rounded once, with the special arguments handled.
func log2Scaled(x, scale float64) float64 {
	if r, ok := logSpecial(x); ok {
		return r
	}
	s := ddMul(log10dd(x, scale), ddLog2of10)
	return s.hi + s.lo
}

// lnCoeffs is P in ln(m) = 2y + y³·P(y²), y = (m-1)/(m+1), highest order first.
var lnCoeffs = [7]float64{
	0.1532076988502701353e+0,
	0.1525629051003428716e+0,
	0.1818605932937785996e+0,
	0.2222214519839380009e+0,
	0.2857142932794299317e+0,
	0.3999999999635251990e+0,
	0.6666666666667333541e+0,
}

var ddLn2 = dd{0.693147180559945286226764, 2.319046813846299558417771e-17}

// lnSeries returns e·ln(2) + 2y + y³·P(y²) rounded once, with P evaluated by Estrin's scheme
// (the reference engine's order).
func lnSeries(e int, y dd) float64 {
	y2 := y.hi * y.hi
	y4 := y2 * y2
	y8 := y4 * y4
	c := &lnCoeffs
	hi := math.FMA(y4, c[0], math.FMA(y2, c[1], c[2]))
	lo := math.FMA(y4, math.FMA(y2, c[3], c[4]), math.FMA(y2, c[5], c[6]))
	p := math.FMA(y8, hi, lo)
	s := ddMulF(ddLn2, float64(e))
	s = ddAddFast(s, dd{2 * y.hi, 2 * y.lo})
	s = ddAddFast(s, dd{y2 * y.hi * p, 0})
	return s.hi + s.lo
}

// ln is LN: the natural logarithm, within an ulp.
func ln(x float64) float64 {
	if r, ok := logSpecial(x); ok {
		return r
	}
	e, m := logReduce(x, 1/0.75)
	return lnSeries(e, ddDiv(ddSum(-1, m), ddSum(1, m)))
}

// ln1p is LN1P: ln(1 + x), accurate for x near 0 (within an ulp). 1 + x is never formed:
// with 1 + x ≈ 2^e·m, m - 1 = x·2^-e + (2^-e - 1) is computed with one rounding.
func ln1p(x float64) float64 {
	switch {
	case math.IsNaN(x) || x < -1:
		return math.NaN()
	case x == -1:
		return math.Inf(-1)
	case x == 0 || math.IsInf(x, 1):
		return x // keeps the sign of zero
	case x > 1e300:
		return ln(x) // 1 + x rounds to x, and 2^-e below would leave the normal range
	}
	e, _ := logReduce(x+1, 1/0.75) // x > -1, so x + 1 ≥ 2^-53 is never subnormal
	t := math.Ldexp(1, -e)
	m := math.FMA(x, t, t-1)
	return lnSeries(e, ddDiv(dd{m, 0}, ddSumFast(2, m)))
}

// ddSumFast is the exact sum of a and b when |a| ≥ |b|.
func ddSumFast(a, b float64) dd {
	s := a + b
	return dd{s, a - s + b}
}
