package sql

import (
	"strings"
	"time"
)

// This file holds the backtick timestamp literal: `YYYY-MM-DD[T| ]hh:mm:ss[.frac][Z|±hh:mm]`, or
// a bare `YYYY-MM-DD` (midnight UTC). It is the date-time shape the JSON loader recognises in
// strings; the literal also accepts hh:mm without seconds, as Ion timestamps do. Without a zone the time is UTC; the fraction may have 1 to 9 digits and is truncated
// to microseconds. Whitespace around the text inside the backticks is ignored.

// parseTimestamp converts the text between the backticks to Unix microseconds. On failure it
// returns a message saying what is wrong.
func parseTimestamp(s string) (int64, string) {
	s = strings.TrimSpace(s)
	p := tsParser{s: s}
	year := p.digits(4, "year")
	p.expect('-')
	month := p.digits(2, "month")
	p.expect('-')
	day := p.digits(2, "day")
	if p.err != "" {
		return 0, p.err
	}
	if month < 1 || month > 12 {
		return 0, "month out of range"
	}
	if day < 1 || time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() != day { // rolled into the next month
		return 0, "day out of range"
	}
	if p.i == len(s) {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).UnixMicro(), ""
	}
	if c := s[p.i]; c == 'T' || c == 't' || c == ' ' {
		p.i++
	} else {
		return 0, "want T or a space after the date"
	}
	hour := p.digits(2, "hour")
	p.expect(':')
	min := p.digits(2, "minute")
	sec, hasSec := 0, false
	if p.i < len(s) && s[p.i] == ':' {
		p.i++
		sec, hasSec = p.digits(2, "second"), true
	}
	if p.err != "" {
		return 0, p.err
	}
	if hour > 23 || min > 59 || sec > 59 {
		return 0, "time of day out of range"
	}
	nanos := 0
	if hasSec && p.i < len(s) && s[p.i] == '.' {
		p.i++
		n := 0
		for p.i < len(s) && s[p.i] >= '0' && s[p.i] <= '9' {
			if n == 9 {
				return 0, "fraction of a second longer than 9 digits"
			}
			nanos = nanos*10 + int(s[p.i]-'0')
			n++
			p.i++
		}
		if n == 0 {
			return 0, "want digits after the decimal point"
		}
		for ; n < 9; n++ {
			nanos *= 10
		}
	}
	offset := 0
	if p.i < len(s) {
		switch s[p.i] {
		case 'Z', 'z':
			p.i++
		case '+', '-':
			sign := 1
			if s[p.i] == '-' {
				sign = -1
			}
			p.i++
			oh := p.digits(2, "zone hour")
			p.expect(':')
			om := p.digits(2, "zone minute")
			if p.err != "" {
				return 0, p.err
			}
			if oh > 23 || om > 59 {
				return 0, "zone offset out of range"
			}
			offset = sign * (oh*3600 + om*60)
		default:
			return 0, "want Z, +hh:mm or -hh:mm after the time"
		}
	}
	if p.i != len(s) {
		return 0, "unexpected text after the time"
	}
	t := time.Date(year, time.Month(month), day, hour, min, sec, 0, time.UTC)
	us := (t.Unix()-int64(offset))*1_000_000 + int64(nanos/1000)
	if us < minTimestamp || us > maxTimestamp {
		return 0, "the time in UTC falls outside the years 0000 to 9999"
	}
	return us, ""
}

// The range of timestamp literals: the years 0000 to 9999 in UTC, so that the printer can
// always write the value back in the literal syntax.
var (
	minTimestamp = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	maxTimestamp = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC).UnixMicro()
)

// tsParser reads fixed-width fields; the first problem sticks in err.
type tsParser struct {
	s   string
	i   int
	err string
}

func (p *tsParser) digits(n int, what string) int {
	if p.err != "" {
		return 0
	}
	v := 0
	for k := 0; k < n; k++ {
		if p.i >= len(p.s) || p.s[p.i] < '0' || p.s[p.i] > '9' {
			p.err = "want " + string(rune('0'+n)) + " digits of " + what
			return 0
		}
		v = v*10 + int(p.s[p.i]-'0')
		p.i++
	}
	return v
}

func (p *tsParser) expect(c byte) {
	if p.err != "" {
		return
	}
	if p.i >= len(p.s) || p.s[p.i] != c {
		p.err = "want " + string(c)
		return
	}
	p.i++
}

// FormatTimestamp renders Unix microseconds the way the printer writes a timestamp literal
// (without the backticks): RFC 3339 in UTC with as many fraction digits as needed, e.g.
// 2023-01-04T10:33:54.746Z.
func FormatTimestamp(us int64) string {
	return time.UnixMicro(us).UTC().Format("2006-01-02T15:04:05.999999Z07:00")
}
