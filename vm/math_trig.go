package vm

import (
	"math"
	"math/big"
	"math/bits"
)

// SIN, COS and TAN in double-double arithmetic, within an ulp of the exact value and bit for
// bit the reference engine's results on the public cases. The argument is reduced to
// s = x - k·π (k·π/2 for TAN) as a double-double:
//   - |x| < 15: with π split in two float64s (the product k·π_hi is exact);
//   - |x| < 1e14: with π split in four parts and k split in a high and a low part;
//   - beyond: Payne–Hanek, multiplying the mantissa by the bits of 4/π it needs.
// Then sin(s) = s·(1 - s²/6 + s⁴·P(s²)) with the leading terms in double-double, and
// tan(x) from tan(s/2) by the double-angle formula.

const (
	piA2 = 3.141592653589793116 // π = piA2 + piB2 to about 107 bits
	piB2 = 1.2246467991473532072e-16
	piA  = 3.1415926218032836914 // π = piA + piB + piC + piD, each with trailing zeros
	piB  = 3.1786509424591713469e-08
	piC  = 1.2246467864107188502e-16
	piD  = 1.2736634327021899816e-24

	trigSmall = 15   // below: the two-part reduction
	trigLarge = 1e14 // from here: Payne–Hanek
)

var ddPiOver4 = dd{0.78539816339744830962, 3.0616169978683830179e-17}

// fourOverPi holds the binary digits of 4/π: 4/π = Σ fourOverPi[i]·2^(-64·i).
var fourOverPi = func() (w [22]uint64) {
	pi, _, err := big.ParseFloat("3.1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679821480865132823066470938446095505822317253594081284811174502841027019385211055596446229489549303819644288109756659334461284756482337867831652712019091456485669234603486104543266482133936072602491412737245870066063155881748815209209628292540917153643678925903600113305305488204665213841469519415116094330572704", 10, 1500, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	f := new(big.Float).SetPrec(1500).Quo(big.NewFloat(4), pi)
	for i := range w {
		d, _ := f.Uint64() // the integer part
		w[i] = d
		f.Sub(f, new(big.Float).SetUint64(d))
		f.SetMantExp(f, 64)
	}
	return w
}()

// reduceHuge reduces a finite |x| ≥ 2^32 modulo π/2: x = q·π/2 + r with |r| ≤ π/4 (q mod 4
// only). It multiplies x's 53-bit mantissa by the 192 bits of 4/π that can affect the
// product's last three integer bits and first 125 fraction bits (Payne–Hanek).
func reduceHuge(x float64) (q int, r dd) {
	neg := x < 0
	ix := math.Float64bits(math.Abs(x))
	exp := int(ix>>52&0x7ff) - 0x3ff - 52 // x = m·2^exp
	m := ix&(1<<52-1) | 1<<52
	digit, shift := uint(exp+61)/64, uint(exp+61)%64
	word := func(i uint) uint64 {
		if shift == 0 {
			return fourOverPi[i]
		}
		return fourOverPi[i]<<shift | fourOverPi[i+1]>>(64-shift)
	}
	z0, z1, z2 := word(digit), word(digit+1), word(digit+2)
	z2hi, _ := bits.Mul64(z2, m)
	z1hi, z1lo := bits.Mul64(z1, m)
	lo, c := bits.Add64(z1lo, z2hi, 0)
	hi, _ := bits.Add64(z0*m, z1hi, c)
	// hi:lo is v = x·4/π mod 8 with the binary point after hi's top three bits (v counts
	// quarter turns of π/4). q = round(v/2) (mod 4) and t = v - 2q ∈ [-1, 1]; q = 4 wraps
	// the 128-bit subtraction exactly as v - 8 needs.
	v3 := hi >> 61
	q = int((v3 + 1) >> 1)
	// t = v - 2q as a signed 128-bit fixed-point number with 125 fraction bits.
	tlo, b := bits.Sub64(lo, 0, 0)
	thi, _ := bits.Sub64(hi, uint64(2*q)<<61, b)
	tneg := int64(thi) < 0
	if tneg {
		tlo, b = bits.Sub64(0, tlo, 0)
		thi, _ = bits.Sub64(0, thi, b)
	}
	// Split the magnitude into exactly representable pieces: 53 + 53 + 22 bits.
	a := thi >> 11                      // bits 127..75
	bb := (thi&(1<<11-1))<<42 | tlo>>22 // bits 74..22
	cc := tlo & (1<<22 - 1)             // bits 21..0
	t := ddAddF(ddSum(math.Ldexp(float64(a), -50), math.Ldexp(float64(bb), -103)), math.Ldexp(float64(cc), -125))
	t = ddNormalize(t)
	if tneg {
		t = dd{-t.hi, -t.lo}
	}
	r = ddMul(t, ddPiOver4)
	if neg {
		r, q = dd{-r.hi, -r.lo}, -q
	}
	return q & 3, r
}

// positive is 1 when r > 0, else 0.
func positive(r dd) int {
	if r.hi > 0 {
		return 1
	}
	return 0
}

// quarterTurnBack moves a reduced argument by a quarter turn towards zero: r - π/2 for r > 0,
// r + π/2 otherwise (turning a reduction modulo π/2 into one modulo π).
func quarterTurnBack(r dd) dd {
	if r.hi > 0 {
		return ddAdd(r, dd{-piA2 * 0.5, -piB2 * 0.5})
	}
	return ddAdd(r, dd{piA2 * 0.5, piB2 * 0.5})
}

// sinKernel returns sin(s) for a reduced |s| ≤ π/2 given as a double-double.
func sinKernel(s dd) float64 {
	t := s
	s = ddSquare(s)
	s2 := s.hi * s.hi
	s4 := s2 * s2
	u := math.FMA(s4, math.FMA(s.hi, 2.72052416138529567917983e-15, -7.6429259411395447190023e-13),
		math.FMA(s2, math.FMA(s.hi, 1.60589370117277896211623e-10, -2.5052106814843123359368e-08),
			math.FMA(s.hi, 2.75573192104428224777379e-06, -0.000198412698412046454654947)))
	u = math.FMA(u, s.hi, 0.00833333333333318056201922)
	x := ddAddFast(dd{1, 0}, ddMul(ddSumFast(-0.166666666666666657414808, u*s.hi), s))
	return math.FMA(t.hi, x.hi, t.hi*x.lo+t.lo*x.hi)
}

// reduceMid reduces x (|x| < 1e14) by k·(π·scale) for the integer k = kh + kl, kh a multiple of
// 2^24, using the four-part π. fast selects the first addition without the magnitude check,
// as the reference does for SIN and TAN.
func reduceMid(x, kh, kl, scale float64, fast bool) dd {
	u := math.FMA(kh, -piA*scale, x)
	var s dd
	if fast {
		s = ddSumFast(u, kl*-piA*scale)
	} else {
		s = ddSum(u, kl*-piA*scale)
	}
	s = ddAddF(s, kh*-piB*scale)
	s = ddAddF(s, kl*-piB*scale)
	s = ddAddF(s, kh*-piC*scale)
	s = ddAddF(s, kl*-piC*scale)
	return ddAddFFast(s, (kh+kl)*-piD*scale)
}

// ddAddFFast adds a float64 to a double-double when |x| ≥ |y|.
func ddAddFFast(x dd, y float64) dd {
	s := x.hi + y
	return dd{s, x.hi - s + y + x.lo}
}

// sin is SIN.
func sin(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.NaN()
	}
	var s dd
	var odd bool
	switch ax := math.Abs(x); {
	case ax < trigSmall:
		k := math.RoundToEven(x * (1 / math.Pi))
		s = ddSumFast(math.FMA(k, -piA2, x), k*-piB2)
		odd = int64(k)&1 != 0
	case ax < trigLarge:
		kh := math.Trunc(x*(1/math.Pi/(1<<24))) * (1 << 24)
		kl := math.RoundToEven(math.FMA(x, 1/math.Pi, -kh))
		s = reduceMid(x, kh, kl, 1, true)
		odd = int64(kl)&1 != 0
	default:
		q, r := reduceHuge(x)
		odd = (q*2+positive(r)+1)>>2&1 != 0
		if q&1 != 0 {
			r = quarterTurnBack(r)
		}
		s = ddNormalize(r)
	}
	u := sinKernel(s)
	if odd {
		u = -u
	}
	if x == 0 {
		return x
	}
	return u
}

// cos is COS.
func cos(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.NaN()
	}
	var s dd
	var q2 bool // bit 1 of the odd multiple of π/2 subtracted
	switch ax := math.Abs(x); {
	case ax < trigSmall:
		k := math.FMA(2, math.RoundToEven(ax*(1/math.Pi)-0.5), 1)
		s = ddSum(ax, k*-piA2*0.5)
		s = ddAddFFast(s, k*-piB2*0.5)
		q2 = int64(k)&2 != 0
	case ax < trigLarge:
		kh := math.Trunc(ax*(1/math.Pi/(1<<23)) - 0.5*(1/math.Pi/(1<<23)))
		kl := 2*math.RoundToEven(ax*(1/math.Pi)-0.5-kh*(1<<23)) + 1
		kh *= 1 << 24
		s = reduceMid(ax, kh, kl, 0.5, false)
		q2 = int64(kl)&2 != 0
	default:
		q, r := reduceHuge(x)
		q2 = (q*2+positive(r)+7)>>1&2 != 0
		if q&1 == 0 {
			r = quarterTurnBack(r)
		}
		s = ddNormalize(r)
	}
	u := sinKernel(s)
	if !q2 {
		u = -u
	}
	return u
}

// tan is TAN.
func tan(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.NaN()
	}
	if math.Abs(x) < 0x1p-1000 {
		return x // tan(x) = x + x³/3 + …, and halving x below would lose subnormal bits
	}
	var s dd
	var odd bool
	switch ax := math.Abs(x); {
	case ax < trigSmall:
		k := math.RoundToEven(x * (2 / math.Pi))
		s = ddSumFast(math.FMA(k, -piA2*0.5, x), k*-piB2*0.5)
		odd = int64(k)&1 != 0
	case ax < trigLarge:
		kh := math.Trunc(x*(2/math.Pi/(1<<24))) * (1 << 24)
		h := math.Copysign(0.5, x)
		t := ddAddF(ddMulF(dd{0.63661977236758138243, -3.9357353350364971764e-17}, x), h-kh)
		kl := math.Trunc(t.hi + t.lo)
		s = reduceMid(x, kh, kl, 0.5, true)
		odd = int64(kl)&1 != 0
	default:
		var q int
		q, s = reduceHuge(x)
		odd = q&1 != 0
	}
	t := dd{s.hi * 0.5, s.lo * 0.5}
	s = ddSquare(t)
	s2 := s.hi * s.hi
	s4 := s2 * s2
	p4 := func(c0, c1, c2, c3 float64) float64 {
		return math.FMA(s2, math.FMA(s.hi, c0, c1), math.FMA(s.hi, c2, c3))
	}
	u := math.FMA(s4, p4(0.3245098826639276316e-3, 0.5619219738114323735e-3, 0.1460781502402784494e-2, 0.3591611540792499519e-2),
		p4(0.8863268409563113126e-2, 0.2186948728185535498e-1, 0.5396825399517272970e-1, 0.1333333333330500581e+0))
	u = math.FMA(u, s.hi, 0.3333333333333343695e+0)
	n := ddAddFast(t, ddMulF(ddMul(s, t), u)) // tan(s/2)
	d := ddAddFast(dd{-1, 0}, ddSquare(n))    // tan²(s/2) - 1
	n = dd{n.hi * -2, n.lo * -2}
	if odd {
		n, d = d, dd{-n.hi, -n.lo}
	}
	r := ddDiv(n, d)
	return r.hi + r.lo
}
