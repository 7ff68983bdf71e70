package vm

import "math"

// cbrt is CBRT: x = m·2^(3k+r) with m in [1/2, 1); an initial approximation of m^(-1/3) by a
// polynomial, one Newton step in float64, then a final step in double-double, times 2^(r/3)
// (a double-double constant) and 2^k.
func cbrt(d float64) float64 {
	if d == 0 || math.IsNaN(d) || math.IsInf(d, 0) {
		return d
	}
	_, e := math.Frexp(d)
	d = math.Ldexp(d, -e)
	q := dd{1, 0}
	switch (e + 6144) % 3 {
	case 1:
		q = dd{1.2599210498948731907, -2.5899333753005069177e-17} // 2^(1/3)
	case 2:
		q = dd{1.5874010519681995834, -1.0869008194197822986e-16} // 2^(2/3)
	}
	if d < 0 {
		q = dd{-q.hi, -q.lo}
	}
	d = math.Abs(d)
	x := -0.640245898480692909870982
	x = math.FMA(x, d, 2.96155103020039511818595)
	x = math.FMA(x, d, -5.73353060922947843636166)
	x = math.FMA(x, d, 6.03990368989458747961407)
	x = math.FMA(x, d, -3.85841935510444988821632)
	x = math.FMA(x, d, 2.2307275302496609725722)
	y := x * x
	y = y * y
	x -= (d*y - x) * (1.0 / 3.0) // x ≈ d^(-1/3)
	z := x
	xx := x * x
	u := dd{xx, math.FMA(x, x, -xx)}
	u = ddMul(u, u)
	u = ddMulF(u, d)
	u = ddAddF(u, -x) // d·x⁴ - x
	y = u.hi + u.lo
	y = -2.0 / 3.0 * y * z
	zz := z * z
	v := ddAddF(dd{zz, math.FMA(z, z, -zz)}, y) // x² corrected: ≈ d^(-2/3)
	v = ddMulF(v, d)                            // ≈ d^(1/3)
	v = ddMul(v, q)
	return math.Ldexp(v.hi+v.lo, (e+6144)/3-2048)
}
