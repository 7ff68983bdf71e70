package ion

import (
	"math"
	"strconv"
)

// Number loading rules: a JSON number whose value is integral and fits int64 becomes an Ion
// int (3, 3.0, 1e3, 30e-1 alike); -0 becomes int 0 but -0.0 and -0e0 become float -0; any
// other number, and integers outside int64, become the nearest float64 (as strconv.ParseFloat).

var pow10f = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// number converts the number starting at buf[i].
func (d *JSONDecoder) number(i int, dst *Buffer) (int, error) {
	buf := d.buf
	start := i
	neg := buf[i] == '-'
	if neg {
		i++
	}
	// integer part, with the common case of a short integer done on the fly
	if i >= len(buf) {
		return i, d.end(i, "number")
	}
	intStart := i
	var v uint64
	if buf[i] == '0' {
		i++
	} else if buf[i] >= '1' && buf[i] <= '9' {
		for i < len(buf) && buf[i]-'0' <= 9 {
			v = v*10 + uint64(buf[i]-'0')
			i++
		}
	} else {
		return i, d.errAt(i, ErrSyntax, "invalid character %s in number", quoteChar(buf[i]))
	}
	intEnd := i
	if i >= len(buf) && !d.eof {
		return i, errNeedMore
	}
	if i >= len(buf) || (buf[i] != '.' && buf[i] != 'e' && buf[i] != 'E') {
		if intEnd-intStart <= 18 {
			if err := d.delimited(i, "number"); err != nil {
				return i, err
			}
			if neg {
				dst.WriteInt(-int64(v))
			} else {
				dst.WriteUint(v)
			}
			return i, nil
		}
	}
	fracStart, fracEnd := i, i
	if i < len(buf) && buf[i] == '.' {
		i++
		fracStart = i
		for i < len(buf) && buf[i]-'0' <= 9 {
			i++
		}
		fracEnd = i
		if fracEnd == fracStart {
			if i >= len(buf) {
				return i, d.end(i, "number")
			}
			return i, d.errAt(i, ErrSyntax, "invalid character %s in number (want a digit after '.')", quoteChar(buf[i]))
		}
	}
	var exp int64
	hasExp := false
	if i < len(buf) && (buf[i] == 'e' || buf[i] == 'E') {
		hasExp = true
		i++
		eneg := false
		if i < len(buf) && (buf[i] == '+' || buf[i] == '-') {
			eneg = buf[i] == '-'
			i++
		}
		es := i
		for i < len(buf) && buf[i]-'0' <= 9 {
			if exp < 1e9 {
				exp = exp*10 + int64(buf[i]-'0')
			}
			i++
		}
		if i == es {
			if i >= len(buf) {
				return i, d.end(i, "number")
			}
			return i, d.errAt(i, ErrSyntax, "invalid character %s in number (want an exponent digit)", quoteChar(buf[i]))
		}
		if eneg {
			exp = -exp
		}
	}
	if i >= len(buf) && !d.eof {
		return i, errNeedMore
	}
	if i-start > MaxJSONScalar {
		return i, d.errAt(start, ErrTooLarge, "number of %d bytes (limit %d)", i-start, MaxJSONScalar)
	}
	if err := d.delimited(i, "number"); err != nil {
		return i, err
	}
	writeNumber(dst, buf[start:i], neg, buf[intStart:intEnd], buf[fracStart:fracEnd], exp, fracEnd > fracStart || hasExp)
	return i, nil
}

// writeNumber classifies and writes a number given its parts: the digits of the integer and
// fraction parts and the decimal exponent.
func writeNumber(dst *Buffer, text []byte, neg bool, ip, fp []byte, exp int64, notInt bool) {
	// the significant digits: from the first non-zero digit to the last non-zero digit of
	// ip+fp; e is the power of ten of the last significant digit
	first, last := -1, -1
	n := len(ip) + len(fp)
	digit := func(k int) byte {
		if k < len(ip) {
			return ip[k]
		}
		return fp[k-len(ip)]
	}
	for k := 0; k < n; k++ {
		if digit(k) != '0' {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	if first < 0 { // zero
		if neg && notInt {
			dst.WriteFloat64(math.Copysign(0, -1))
		} else {
			dst.WriteUint(0)
		}
		return
	}
	sig := last - first + 1
	e := exp + int64(len(ip)-1-last) // power of ten of the last significant digit
	var m uint64
	if sig <= 19 {
		for k := first; k <= last; k++ {
			m = m*10 + uint64(digit(k)-'0')
		}
		if e >= 0 && int64(sig)+e <= 19 {
			v := m * pow10u64[e] // below 10^19: no overflow
			if neg && v <= 1<<63 {
				dst.WriteInt(-int64(v))
				return
			}
			if !neg && v <= math.MaxInt64 {
				dst.WriteUint(v)
				return
			}
		}
		// exact float fast path (Clinger): m and 10^|e| exact in float64
		if sig <= 15 && e >= -22 && e <= 22 {
			f := float64(m)
			if e < 0 {
				f /= pow10f[-e]
			} else {
				f *= pow10f[e]
			}
			if neg {
				f = -f
			}
			dst.WriteFloat64(f)
			return
		}
	}
	f, _ := strconv.ParseFloat(string(text), 64) // out of range gives ±Inf
	dst.WriteFloat64(f)
}

// specialFloat maps the conformance corpus's spellings of IEEE special values.
func specialFloat(s []byte) (float64, bool) {
	switch string(s) {
	case "inf", "+inf":
		return math.Inf(1), true
	case "-inf":
		return math.Inf(-1), true
	case "nan", "NaN":
		return math.NaN(), true
	case "-0":
		return math.Copysign(0, -1), true
	}
	return 0, false
}
