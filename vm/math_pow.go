package vm

import "math"

// POW in double-double arithmetic: x^y = exp(y·ln|x|) with ln|x| carried to about 100 bits
// (so that y·ln|x| keeps its low bits even when it is large) and exp evaluated from the
// double-double product, rounded once: within an ulp, and bit for bit the reference engine's
// results on the public cases. Zeros, infinities, NaNs, x = 1, y = 0 and negative bases follow
// IEEE 754 / C99 pow.

var (
	// powLnCoeffs is P in ln(m) = 2y + (2/3)y³ + y⁵·P(y²), highest order first.
	powLnCoeffs = [9]float64{
		0.116255524079935043668677,
		0.103239680901072952701192,
		0.117754809412463995466069,
		0.13332981086846273921509,
		0.153846227114512262845736,
		0.181818180850050775676507,
		0.222222222230083560345903,
		0.285714285714249172087875,
		0.400000000000000077715612,
	}
	ddTwoThirds = dd{0.666666666666666629659233, 3.80554962542412056336616e-17}

	// expCoeffs is P in exp(s) = 1 + s + s²·P(s), highest order first.
	expCoeffs = [10]float64{
		2.51069683420950419527139e-08,
		2.76286166770270649116855e-07,
		2.75572496725023574143864e-06,
		2.48014973989819794114153e-05,
		0.000198412698809069797676111,
		0.0013888888939977128960529,
		0.00833333333332371417601081,
		0.0416666666665409524128449,
		0.166666666666666740681535,
		0.500000000000000999200722,
	}
)

const (
	ln2Hi = .69314718055966295651160180568695068359375 // ln 2 = ln2Hi + ln2Lo, ln2Hi·k exact
	ln2Lo = .28235290563031577122588448175013436025525412068e-12
)

// estrin8 evaluates c[0]·x⁷ + … + c[7] by Estrin's scheme.
func estrin8(x, x2, x4 float64, c []float64) float64 {
	p2 := func(i int) float64 { return math.FMA(x, c[i], c[i+1]) }
	p4 := func(i int) float64 { return math.FMA(x2, p2(i), p2(i+2)) }
	return math.FMA(x4, p4(0), p4(4))
}

// lndd returns ln(x) as a double-double for a finite x > 0.
func lndd(x float64) dd {
	e, m := logReduce(x, 1/0.75)
	y := ddDiv(ddSum(-1, m), ddSum(1, m))
	y2 := ddSquare(y)
	y4 := y2.hi * y2.hi
	y8 := y4 * y4
	y16 := y8 * y8
	p := math.FMA(y16, powLnCoeffs[0], estrin8(y2.hi, y4, y8, powLnCoeffs[1:]))
	s := ddMulF(ddLn2, float64(e))
	s = ddAddFast(s, dd{2 * y.hi, 2 * y.lo})
	y3 := ddMul(y2, y)
	s = ddAddFast(s, ddMul(y3, ddTwoThirds))
	y5 := ddMul(y2, y3)
	return ddAddFast(s, ddMulF(y5, p))
}

// expdd returns exp(d) for a double-double d, rounded once.
func expdd(d dd) float64 {
	if d.hi < -1000 {
		return 0
	}
	q := math.RoundToEven((d.hi + d.lo) * math.Log2E)
	s := ddAddF(d, q*-ln2Hi)
	s = ddAddF(s, q*-ln2Lo)
	s = ddNormalize(s)
	s2 := s.hi * s.hi
	s4 := s2 * s2
	s8 := s4 * s4
	c := &expCoeffs
	p := math.FMA(s8, math.FMA(s.hi, c[0], c[1]), estrin8(s.hi, s2, s4, c[2:]))
	t := ddAddFast(dd{1, 0}, s)
	t = ddAddFast(t, ddMulF(ddSquare(s), p))
	return math.Ldexp(t.hi+t.lo, int(q))
}

// pow is POW(x, y).
func pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) || x == 0:
		return math.Pow(x, y) // the C99 special values, all exact
	}
	sign := 1.0
	if x < 0 {
		yi, frac := math.Modf(y)
		if frac != 0 {
			return math.NaN()
		}
		if math.Abs(yi) < 0x1p53 && int64(yi)&1 == 1 {
			sign = -1
		}
	}
	d := ddMulF(lndd(math.Abs(x)), y)
	if d.hi > 709.78271114955742909217217426 {
		return sign * math.Inf(1)
	}
	return sign * expdd(d)
}

// expCoeffsHorner is P in exp(s) = 1 + s·(1 + s·P(s)), highest order first (EXP's kernel).
var expCoeffsHorner = [11]float64{
	2.08860621107283687536341e-09,
	2.51112930892876518610661e-08,
	2.75573911234900471893338e-07,
	2.75572362911928827629423e-06,
	2.4801587159235472998791e-05,
	0.000198412698960509205564975,
	0.00138888888889774492207962,
	0.00833333333331652721664984,
	0.0416666666666665047591422,
	0.166666666666666851703837,
	0.5,
}

// exp is EXP: e^x = 2^q·e^s with q = round(x/ln 2) and |s| ≤ ln(2)/2, e^s from a degree-12
// polynomial by Horner's rule; within an ulp (the reference engine's kernel, bit for bit on
// the public cases).
func exp(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case x > 709.78271289338397: // above ln(MaxFloat64)
		return math.Inf(1)
	case x < -1000:
		return 0
	}
	q := math.RoundToEven(x * math.Log2E)
	s := math.FMA(q, -ln2Hi, x)
	s = math.FMA(q, -ln2Lo, s)
	u := expCoeffsHorner[0]
	for _, c := range expCoeffsHorner[1:] {
		u = math.FMA(u, s, c)
	}
	return math.Ldexp(math.FMA(s, math.FMA(s, u, 1), 1), int(q))
}

// exp10Coeffs is P in 10^s = P(s), highest order first (ln(10)^k/k!, minimax-adjusted).
var exp10Coeffs = [12]float64{
	+0.2411463498334267652e-3,
	+0.1157488415217187375e-2,
	+0.5013975546789733659e-2,
	+0.1959762320720533080e-1,
	+0.6808936399446784138e-1,
	+0.2069958494722676234e+0,
	+0.5393829292058536229e+0,
	+0.1171255148908541655e+1,
	+0.2034678592293432953e+1,
	+0.2650949055239205876e+1,
	+0.2302585092994045901e+1,
	1,
}

const (
	log10of2Hi = 0.3010299955494702 // log10(2) = log10of2Hi + log10of2Lo, 33 bits in Hi
	log10of2Lo = 1.1451100898021838e-10
)

// exp10 is EXP10: 10^x = 2^q·10^s with q = round(x·log2(10)); within an ulp, and correctly
// rounded for integers.
func exp10(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case x == math.Trunc(x) && x >= -323 && x <= 308:
		return math.Pow10(int(x))
	case x > 308.25471555991672:
		return math.Inf(1)
	case x < -350:
		return 0
	}
	q := math.RoundToEven(x * (math.Ln10 / math.Ln2))
	s := math.FMA(q, -log10of2Hi, x)
	s = math.FMA(q, -log10of2Lo, s)
	u := exp10Coeffs[0]
	for _, c := range exp10Coeffs[1:] {
		u = math.FMA(u, s, c)
	}
	return math.Ldexp(u, int(q))
}

// expm1 is EXPM1: e^x - 1, correctly rounded in practice. With x = q·ln 2 + s, e^s - 1 is
// summed from its Taylor series in double-double (about 100 bits, enough that the one final
// rounding is the correct one except for inputs astronomically close to a rounding boundary),
// and e^x - 1 = 2^q·(e^s - 1) + (2^q - 1).
func expm1(x float64) float64 {
	switch {
	case math.IsNaN(x) || x == 0:
		return x // keeps the sign of zero
	case x > 709.78271289338397:
		return math.Inf(1)
	case x < -38:
		return -1 // e^x < 2^-54: -1 + e^x rounds to -1
	case math.Abs(x) < 0x1p-54:
		return x
	}
	q := math.RoundToEven(x * math.Log2E)
	s := ddAdd(dd{x, 0}, ddMulF(dd{-ddLn2.hi, -ddLn2.lo}, q))
	sum, term := s, s
	for k := 2.0; k < 40; k++ {
		term = ddDiv(ddMul(term, s), dd{k, 0})
		sum = ddAdd(sum, term)
		if math.Abs(term.hi) < 0x1p-110*math.Abs(sum.hi) {
			break
		}
	}
	p := math.Ldexp(1, int(q))
	r := ddAddF(dd{sum.hi * p, sum.lo * p}, p-1)
	if q > 53 { // 2^q - 1 is not a float64: add 2^q and -1 separately
		r = ddAddF(ddAddF(dd{sum.hi * p, sum.lo * p}, p), -1)
	}
	return r.hi + r.lo
}
