package ion

import (
	"math"
	"math/big"
	"strconv"
)

// Decimal is an exact Ion decimal: Coef × 10^Exp. Ion keeps the precision (1.0 and 1.00 are
// different values) and has a negative zero, so a Decimal is neither normalized nor a float.
type Decimal struct {
	Coef    *big.Int // the coefficient; nil means zero
	Exp     int32    // the exponent
	NegZero bool     // the value is -0 × 10^Exp (Coef must be zero)
}

// NewDecimal returns coef × 10^exp.
func NewDecimal(coef int64, exp int32) Decimal {
	return Decimal{Coef: big.NewInt(coef), Exp: exp}
}

func (d Decimal) sign() int {
	if d.Coef == nil {
		return 0
	}
	return d.Coef.Sign()
}

// IsZero reports whether the value is zero (of either sign).
func (d Decimal) IsZero() bool { return d.sign() == 0 }

// Equal reports whether d and e are the same Ion decimal: the same coefficient, exponent and,
// for zeros, sign.
func (d Decimal) Equal(e Decimal) bool {
	if d.Exp != e.Exp {
		return false
	}
	ds, es := d.sign(), e.sign()
	if ds == 0 || es == 0 {
		return ds == es && d.NegZero == e.NegZero
	}
	return d.Coef.Cmp(e.Coef) == 0
}

// Float64 returns the nearest float64.
func (d Decimal) Float64() float64 {
	if d.sign() == 0 {
		if d.NegZero {
			return math.Copysign(0, -1)
		}
		return 0
	}
	f, _ := strconv.ParseFloat(string(d.appendExp(nil)), 64)
	return f
}

// appendExp appends the value in the form <coef>e<exp>, valid as Go float syntax and JSON.
func (d Decimal) appendExp(dst []byte) []byte {
	if d.sign() == 0 {
		if d.NegZero {
			dst = append(dst, '-')
		}
		dst = append(dst, '0')
	} else {
		dst = d.Coef.Append(dst, 10)
	}
	if d.Exp != 0 {
		dst = append(dst, 'e')
		dst = strconv.AppendInt(dst, int64(d.Exp), 10)
	}
	return dst
}

// AppendJSON appends the decimal as a JSON number that keeps its digits: 1.50 stays "1.50",
// 5d2 becomes "5e2" and very small or large exponents use exponent notation.
func (d Decimal) AppendJSON(dst []byte) []byte {
	if d.Exp >= 0 || d.Exp < -40 {
		return d.appendExp(dst)
	}
	var digStart int
	switch d.sign() {
	case 0:
		if d.NegZero {
			dst = append(dst, '-')
		}
		digStart = len(dst)
		dst = append(dst, '0')
	case -1:
		digStart = len(dst) + 1 // after big.Int's '-'
		dst = d.Coef.Append(dst, 10)
	default:
		digStart = len(dst)
		dst = d.Coef.Append(dst, 10)
	}
	digits := len(dst) - digStart
	frac := int(-d.Exp)
	if digits <= frac {
		// 0.000ddd: insert "0." and leading zeros
		pad := frac - digits + 2
		for i := 0; i < pad; i++ {
			dst = append(dst, 0)
		}
		copy(dst[digStart+pad:], dst[digStart:digStart+digits])
		dst[digStart] = '0'
		dst[digStart+1] = '.'
		for i := 2; i < pad; i++ {
			dst[digStart+i] = '0'
		}
		return dst
	}
	// insert the point before the last frac digits
	at := len(dst) - frac
	dst = append(dst, 0)
	copy(dst[at+1:], dst[at:len(dst)-1])
	dst[at] = '.'
	return dst
}

// String returns the decimal in Ion text form: 1.0, -0.05, 0d0, -0d0, 5d2, 12d-50.
func (d Decimal) String() string {
	if d.Exp < 0 && d.Exp >= -40 {
		return string(d.AppendJSON(nil)) // has a point, so Ion text reads a decimal
	}
	b := d.appendExp(nil)
	for i, c := range b {
		if c == 'e' {
			b[i] = 'd'
		}
	}
	if d.Exp == 0 {
		b = append(b, 'd', '0')
	}
	return string(b)
}

// decodeDecimal decodes the body of a binary decimal. Errors carry offsets relative to body.
func decodeDecimal(body []byte) (Decimal, error) {
	var d Decimal
	if len(body) == 0 {
		return d, nil
	}
	mag, neg, n := readVarInt(body)
	if n <= 0 {
		return d, varFieldErr(n, 0, "decimal exponent")
	}
	if mag > math.MaxInt32 || (neg && mag > -math.MinInt32) {
		return d, errf(0, ErrRange, "decimal exponent out of range")
	}
	if neg {
		d.Exp = int32(-int64(mag))
	} else {
		d.Exp = int32(mag)
	}
	coef := body[n:]
	if len(coef) == 0 {
		return d, nil
	}
	cneg := coef[0]&0x80 != 0
	m := new(big.Int)
	if coef[0]&0x7f != 0 || len(coef) > 1 {
		buf := make([]byte, len(coef))
		copy(buf, coef)
		buf[0] &= 0x7f
		m.SetBytes(buf)
	}
	if m.Sign() == 0 {
		d.NegZero = cneg
		return d, nil
	}
	if cneg {
		m.Neg(m)
	}
	d.Coef = m
	return d, nil
}

// appendDecimalBody appends the body of the binary decimal d.
func appendDecimalBody(dst []byte, d *Decimal) []byte {
	s := d.sign()
	if s == 0 && !d.NegZero && d.Exp == 0 {
		return dst
	}
	e := int64(d.Exp)
	if e < 0 {
		dst = appendVarInt(dst, uint64(-e), true)
	} else {
		dst = appendVarInt(dst, uint64(e), false)
	}
	switch {
	case s == 0 && d.NegZero:
		return append(dst, 0x80)
	case s == 0:
		return dst
	}
	start := len(dst)
	abs := new(big.Int).Abs(d.Coef)
	nb := (abs.BitLen() + 8) / 8 // room for the sign bit
	for i := 0; i < nb; i++ {
		dst = append(dst, 0)
	}
	abs.FillBytes(dst[start:])
	if s < 0 {
		dst[start] |= 0x80
	}
	return dst
}
