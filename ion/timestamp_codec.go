package ion

// decodeTimestamp decodes the body of a binary timestamp. Errors carry offsets relative to
// body.
func decodeTimestamp(body []byte) (Timestamp, error) {
	var t Timestamp
	pos := 0
	mag, neg, n := readVarInt(body)
	if n <= 0 {
		return t, varFieldErr(n, 0, "timestamp offset")
	}
	pos += n
	if mag > 1439 {
		return t, errf(0, ErrInvalid, "timestamp offset of %d minutes out of range", mag)
	}
	t.Offset = int16(mag)
	if neg {
		t.Offset = -t.Offset
	}
	t.OffsetKnown = !(neg && mag == 0)
	// year, then optional month, day, hour+minute, second
	var f [5]uint64
	k := 0
	for k < 5 && pos < len(body) {
		v, n := readVarUint(body[pos:])
		if n <= 0 {
			return t, varFieldErr(n, pos, "timestamp field")
		}
		if v > 9999 {
			return t, errf(pos, ErrInvalid, "timestamp field of value %d out of range", v)
		}
		f[k] = v
		k++
		pos += n
	}
	switch k {
	case 0:
		return t, errf(0, ErrInvalid, "timestamp without a year")
	case 1:
		t.Precision = PrecisionYear
	case 2:
		t.Precision = PrecisionMonth
	case 3:
		t.Precision = PrecisionDay
	case 4:
		return t, errf(0, ErrInvalid, "timestamp with an hour but no minute")
	case 5:
		t.Precision = PrecisionMinute
	}
	t.Year = uint16(f[0])
	t.Month, t.Day = 1, 1
	if k >= 2 {
		t.Month = uint8(min(f[1], 255))
	}
	if k >= 3 {
		t.Day = uint8(min(f[2], 255))
	}
	if k >= 5 {
		t.Hour, t.Minute = uint8(min(f[3], 255)), uint8(min(f[4], 255))
	}
	if pos < len(body) {
		v, n := readVarUint(body[pos:])
		if n <= 0 {
			return t, varFieldErr(n, pos, "timestamp second")
		}
		if v > 59 {
			return t, errf(pos, ErrInvalid, "timestamp second %d out of range", v)
		}
		t.Second = uint8(v)
		t.Precision = PrecisionSecond
		pos += n
	}
	if pos < len(body) {
		emag, eneg, n := readVarInt(body[pos:])
		if n <= 0 {
			return t, varFieldErr(n, pos, "timestamp fraction exponent")
		}
		epos := pos
		pos += n
		coef := body[pos:]
		cneg := false
		if len(coef) > 0 {
			cneg = coef[0]&0x80 != 0
		}
		// strip the sign bit and leading zero bytes of the magnitude
		i := 0
		for i < len(coef) {
			c := coef[i]
			if i == 0 {
				c &= 0x7f
			}
			if c != 0 {
				break
			}
			i++
		}
		mbytes := coef[i:]
		if len(mbytes) > 8 {
			return t, errf(pos, ErrRange, "timestamp fraction coefficient of %d bytes", len(mbytes))
		}
		var cm uint64
		for j, c := range mbytes {
			if j == 0 && i == 0 {
				c &= 0x7f
			}
			cm = cm<<8 | uint64(c)
		}
		if cneg && cm != 0 {
			return t, errf(pos, ErrInvalid, "negative timestamp fraction")
		}
		switch {
		case !eneg || emag == 0:
			// exponent >= 0: only a zero coefficient keeps the fraction below one second,
			// and it means no fraction at all
			if cm != 0 {
				return t, errf(epos, ErrInvalid, "timestamp fraction not below one second")
			}
		case emag > MaxFracDigits:
			return t, errf(epos, ErrRange, "timestamp fraction with %d digits (at most %d supported)", emag, MaxFracDigits)
		default:
			t.Precision = PrecisionFraction
			t.FracDigits = uint8(emag)
			t.Frac = cm
		}
	}
	if msg := t.validate(); msg != "" {
		return t, errf(0, ErrInvalid, "timestamp %s", msg)
	}
	return t, nil
}

func varFieldErr(n, pos int, what string) error {
	if n == 0 {
		return errTrunc(pos, what)
	}
	return errf(pos, ErrInvalid, "%s overflows", what)
}

// appendTimestampBody appends the body of the binary timestamp t.
func appendTimestampBody(dst []byte, t *Timestamp) []byte {
	if t.OffsetKnown {
		off := int64(t.Offset)
		if off < 0 {
			dst = appendVarInt(dst, uint64(-off), true)
		} else {
			dst = appendVarInt(dst, uint64(off), false)
		}
	} else {
		dst = append(dst, 0xc0)
	}
	dst = appendVarUint(dst, uint64(t.Year))
	if t.Precision >= PrecisionMonth {
		dst = append(dst, t.Month|0x80)
	}
	if t.Precision >= PrecisionDay {
		dst = append(dst, t.Day|0x80)
	}
	if t.Precision >= PrecisionMinute {
		dst = append(dst, t.Hour|0x80, t.Minute|0x80)
	}
	if t.Precision >= PrecisionSecond {
		dst = append(dst, t.Second|0x80)
	}
	if t.Precision == PrecisionFraction {
		dst = appendVarInt(dst, uint64(t.FracDigits), true)
		n := intMagSize(t.Frac)
		dst = appendUint(dst, t.Frac, n)
	}
	return dst
}
