package ion

func append2(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }

func append4(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

func (t *Timestamp) appendFrac(dst []byte) []byte {
	if t.Precision != PrecisionFraction {
		return dst
	}
	dst = append(dst, '.')
	n := int(t.FracDigits)
	v := t.Frac
	start := len(dst)
	for i := 0; i < n; i++ {
		dst = append(dst, '0')
	}
	for i := len(dst) - 1; i >= start; i-- {
		dst[i] = byte('0' + v%10)
		v /= 10
	}
	return dst
}

func (t *Timestamp) appendOffset(dst []byte) []byte {
	switch {
	case !t.OffsetKnown:
		return append(dst, "-00:00"...)
	case t.Offset == 0:
		return append(dst, 'Z')
	}
	off := int(t.Offset)
	if off < 0 {
		dst = append(dst, '-')
		off = -off
	} else {
		dst = append(dst, '+')
	}
	dst = append2(dst, off/60)
	dst = append(dst, ':')
	return append2(dst, off%60)
}

// AppendText appends t in Ion text notation, which keeps its precision: 2007T, 2007-02T,
// 2007-02-23, 2007-02-23T12:14Z, 2007-02-23T12:14:33.079-08:00.
func (t Timestamp) AppendText(dst []byte) []byte {
	y, mo, d, h, mi := t.Local()
	dst = append4(dst, y)
	if t.Precision == PrecisionYear {
		return append(dst, 'T')
	}
	dst = append(dst, '-')
	dst = append2(dst, mo)
	if t.Precision == PrecisionMonth {
		return append(dst, 'T')
	}
	dst = append(dst, '-')
	dst = append2(dst, d)
	if t.Precision == PrecisionDay {
		return dst
	}
	dst = append(dst, 'T')
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, mi)
	if t.Precision >= PrecisionSecond {
		dst = append(dst, ':')
		dst = append2(dst, int(t.Second))
		dst = t.appendFrac(dst)
	}
	return t.appendOffset(dst)
}

// AppendRFC3339 appends t as an RFC 3339 date-time in its local offset, always with a time
// part to the second and an offset, so that the JSON loader reads it back as the same instant:
// 2007-02-23T12:14:33.079-08:00. Fractional digits are kept as written; the unknown offset is
// written -00:00 and +00:00 as Z. A date-only timestamp is written as midnight UTC.
func (t Timestamp) AppendRFC3339(dst []byte) []byte {
	y, mo, d, h, mi := t.Local()
	dst = append4(dst, y)
	dst = append(dst, '-')
	dst = append2(dst, mo)
	dst = append(dst, '-')
	dst = append2(dst, d)
	dst = append(dst, 'T')
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, mi)
	dst = append(dst, ':')
	dst = append2(dst, int(t.Second))
	dst = t.appendFrac(dst)
	if t.Precision < PrecisionMinute {
		return append(dst, 'Z')
	}
	return t.appendOffset(dst)
}

// String returns t in Ion text notation.
func (t Timestamp) String() string { return string(t.AppendText(nil)) }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func digits2(s []byte) (int, bool) {
	a, b := s[0]-'0', s[1]-'0'
	return int(a)*10 + int(b), a <= 9 && b <= 9
}

// ParseRFC3339 parses the date-time strings the JSON loader turns into timestamps: optional
// whitespace, YYYY-MM-DD, 'T' or a space, hh:mm:ss, an optional fraction of 1 to 9 digits, an
// optional 'Z' or ±hh:mm, optional whitespace. It reports false for anything else, including
// dates and times out of range. No offset and -00:00 give the unknown offset; Z and +00:00
// give +00:00.
func ParseRFC3339(s []byte) (Timestamp, bool) {
	var t Timestamp
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return t, false
	}
	yh, ok1 := digits2(s[0:])
	yl, ok2 := digits2(s[2:])
	mo, ok3 := digits2(s[5:])
	d, ok4 := digits2(s[8:])
	h, ok5 := digits2(s[11:])
	mi, ok6 := digits2(s[14:])
	sec, ok7 := digits2(s[17:])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) {
		return t, false
	}
	y := yh*100 + yl
	if y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || sec > 59 {
		return t, false
	}
	s = s[19:]
	t.Precision = PrecisionSecond
	t.Second = uint8(sec)
	if len(s) > 0 && s[0] == '.' {
		n := 1
		var f uint64
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			f = f*10 + uint64(s[n]-'0')
			n++
		}
		if n == 1 || n > 10 {
			return t, false
		}
		t.Precision = PrecisionFraction
		t.FracDigits = uint8(n - 1)
		t.Frac = f
		s = s[n:]
	}
	switch {
	case len(s) == 0:
	case len(s) == 1 && s[0] == 'Z':
		t.OffsetKnown = true
	case len(s) == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':':
		oh, ok1 := digits2(s[1:])
		om, ok2 := digits2(s[4:])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return t, false
		}
		off := oh*60 + om
		if s[0] == '-' {
			off = -off
		}
		t.Offset = int16(off)
		t.OffsetKnown = !(s[0] == '-' && off == 0)
	default:
		return t, false
	}
	if !t.fromLocal(y, mo, d, h, mi) {
		return t, false
	}
	return t, true
}
