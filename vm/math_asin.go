package vm

import "math"

// ASIN and ACOS in double-double arithmetic, within an ulp. For |x| < 1/2, asin(x) =
// x + x³·P(x²); beyond, asin(x) = π/2 - 2·asin(√((1-|x|)/2)) with the square root carried
// in double-double (one Newton step on math.Sqrt). P is evaluated by Estrin's scheme.

var asinCoeffs = [12]float64{
	+0.3161587650653934628e-1,
	-0.1581918243329996643e-1,
	+0.1929045477267910674e-1,
	+0.6606077476277170610e-2,
	+0.1215360525577377331e-1,
	+0.1388715184501609218e-1,
	+0.1735956991223614604e-1,
	+0.2237176181932048341e-1,
	+0.3038195928038132237e-1,
	+0.4464285681377102438e-1,
	+0.7500000000378581611e-1,
	+0.1666666666666497543e+0,
}

var ddPi = dd{3.141592653589793116, 1.2246467991473532072e-16}

// ddSqrtF returns √d as a double-double.
func ddSqrtF(d float64) dd {
	t := math.Sqrt(d)
	tt := t * t
	sq := ddAdd(dd{d, 0}, dd{tt, math.FMA(t, t, -tt)}) // d + t²
	r := 1 / t
	rec := dd{r, r * math.FMA(-t, r, 1)} // 1/t
	p := ddMul(sq, rec)
	return dd{p.hi * 0.5, p.lo * 0.5}
}

// asinCore returns x and u with asin(|d|) = x + u for |d| < 1/2 (small), and
// asin(|d|) = π/2 - 2(x + u) beyond, where x = √((1-|d|)/2).
func asinCore(d float64) (small bool, x dd, u float64) {
	ad := math.Abs(d)
	small = ad < 0.5
	var x2 float64
	if small {
		x2 = d * d
		x = dd{ad, 0}
	} else {
		x2 = (1 - ad) * 0.5
		x = ddSqrtF(x2)
	}
	if ad == 1 {
		x = dd{0, 0}
	}
	x4 := x2 * x2
	x8 := x4 * x4
	c := &asinCoeffs
	p4 := math.FMA(x4, math.FMA(x2, c[0], c[1]), math.FMA(x2, c[2], c[3]))
	p := math.FMA(x8*x8, p4, estrin8(x2, x4, x8, c[4:]))
	return small, x, p * (x2 * x.hi)
}

// asin is ASIN.
func asin(d float64) float64 {
	small, x, u := asinCore(d)
	var r float64
	if small {
		r = u + x.hi
	} else {
		y := ddAddFFast(ddSubFast(dd{ddPi.hi / 4, ddPi.lo / 4}, x), -u)
		r = (y.hi + y.lo) * 2
	}
	return math.Copysign(r, d)
}

// acos is ACOS.
func acos(d float64) float64 {
	small, x, u := asinCore(d)
	if small {
		y := ddSubFast(dd{ddPi.hi / 2, ddPi.lo / 2}, ddSumFast(math.Copysign(x.hi, d), math.Copysign(u, d)))
		return y.hi + y.lo
	}
	x = ddAddFFast(x, u)
	y := dd{x.hi * 2, x.lo * 2}
	if d < 0 {
		y = ddSubFast(ddPi, y)
	}
	return y.hi + y.lo
}

// ddSubFast subtracts two double-doubles when |x| ≥ |y|.
func ddSubFast(x, y dd) dd {
	s := x.hi - y.hi
	return dd{s, x.hi - s - y.hi + x.lo - y.lo}
}
