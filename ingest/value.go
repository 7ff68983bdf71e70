package ingest

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/sneller-re/sneller/ion"
)

// valueType is the type a hint converts a value to.
type valueType uint8

const (
	tNone     valueType = iota // keep the value as loaded
	tString                    // a string
	tNumber                    // an int when integral, else a float (the JSON loading rule)
	tInt                       // an int
	tBool                      // a bool
	tDatetime                  // a timestamp from RFC 3339 text or a date
	tUnixS                     // a timestamp from seconds since the Unix epoch
	tUnixMs                    // ... milliseconds
	tUnixUs                    // ... microseconds
	tUnixNs                    // ... nanoseconds
)

var typeNames = [...]string{tNone: "default", tString: "string", tNumber: "number", tInt: "int",
	tBool: "bool", tDatetime: "datetime", tUnixS: "unix_seconds", tUnixMs: "unix_milli_seconds",
	tUnixUs: "unix_micro_seconds", tUnixNs: "unix_nano_seconds"}

func (t valueType) String() string { return typeNames[t] }

// unixUnit is the length of the unit of a unix_* type in nanoseconds.
func (t valueType) unixUnit() int64 {
	switch t {
	case tUnixS:
		return 1e9
	case tUnixMs:
		return 1e6
	case tUnixUs:
		return 1e3
	case tUnixNs:
		return 1
	}
	return 0
}

// boolWords are the texts a bool hint accepts.
type boolWords struct {
	t, f [][]byte
}

// defaultBools are the texts of true and false when a hint gives none.
var defaultBools = &boolWords{
	t: [][]byte{[]byte("true"), []byte("True"), []byte("TRUE"), []byte("1")},
	f: [][]byte{[]byte("false"), []byte("False"), []byte("FALSE"), []byte("0")},
}

func (b *boolWords) parse(s []byte) (bool, bool) {
	for _, w := range b.t {
		if bytes.Equal(w, s) {
			return true, true
		}
	}
	for _, w := range b.f {
		if bytes.Equal(w, s) {
			return false, true
		}
	}
	return false, false
}

// trimSpace removes ASCII spaces and tabs around s (numbers, bools and dates may be padded).
func trimSpace(s []byte) []byte {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

func badValue(s []byte, t valueType) error {
	const max = 64
	if len(s) > max {
		return fmt.Errorf("%w: %s… is not a valid %s", ErrBadValue, strconv.Quote(string(s[:max])), t)
	}
	return fmt.Errorf("%w: %s is not a valid %s", ErrBadValue, strconv.Quote(string(s)), t)
}

// writeText converts the text s to type t, appending the value to dst.
func writeText(dst *ion.Buffer, t valueType, s []byte, bools *boolWords, scratch *ion.Buffer) error {
	switch t {
	case tNone, tString:
		dst.WriteStringBytes(s)
		return nil
	case tBool:
		if bools == nil {
			bools = defaultBools
		}
		v, ok := bools.parse(trimSpace(s))
		if !ok {
			return badValue(s, t)
		}
		dst.WriteBool(v)
		return nil
	case tDatetime:
		ts, ok := parseDatetime(s)
		if !ok {
			return badValue(s, t)
		}
		dst.WriteTimestamp(ts)
		return nil
	}
	// the numeric types
	n := trimSpace(s)
	if i, f, isInt, ok := simpleNumber(n); ok {
		if isInt {
			return writeInt(dst, t, i, s)
		}
		return writeFloat(dst, t, f, s)
	}
	if !isJSONNumber(n) {
		return badValue(s, t)
	}
	scratch.Reset()
	var st ion.Symtab // a number interns nothing, but FromJSON wants a table
	if err := ion.FromJSON(scratch, &st, n); err != nil {
		return badValue(s, t)
	}
	v := scratch.Bytes()
	switch ion.TypeOf(v) {
	case ion.IntType, ion.UintType:
		i, _, err := ion.ReadInt(v)
		if err != nil {
			return badValue(s, t)
		}
		return writeInt(dst, t, i, s)
	case ion.FloatType:
		f, _, err := ion.ReadFloat(v)
		if err != nil {
			return badValue(s, t)
		}
		return writeFloat(dst, t, f, s)
	}
	return badValue(s, t)
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// simpleNumber converts the common numbers without allocating: JSON syntax without exponent,
// at most 15 digits. It gives the result ion's JSON loader gives (an int when the value is
// integral, else the correctly rounded float; -0.0 is a float), and ok false for anything else.
func simpleNumber(s []byte) (i int64, f float64, isInt, ok bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) == 0 || s[0] < '0' || s[0] > '9' || (s[0] == '0' && len(s) > 1 && s[1] != '.') {
		return 0, 0, false, false
	}
	var m uint64
	digits, frac := 0, -1
	for k, c := range s {
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0 && k > 0 && k < len(s)-1:
			frac = 0
		default:
			return 0, 0, false, false
		}
	}
	if digits > 15 {
		return 0, 0, false, false
	}
	if frac < 0 {
		frac = 0
	}
	unit := uint64(1)
	for k := 0; k < frac; k++ {
		unit *= 10
	}
	switch {
	case m == 0 && neg && frac > 0:
		return 0, math.Copysign(0, -1), false, true
	case m%unit == 0:
		i = int64(m / unit)
		if neg {
			i = -i
		}
		return i, 0, true, true
	}
	f = float64(m) / pow10[frac]
	if neg {
		f = -f
	}
	return 0, f, false, true
}

// isJSONNumber reports whether s has the shape of a JSON number (the loader checks the rest).
func isJSONNumber(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	c := s[0]
	if c == '-' && len(s) > 1 {
		c = s[1]
	}
	return c >= '0' && c <= '9'
}

// writeInt writes the integer i as type t (a numeric or unix type); text is for errors.
func writeInt(dst *ion.Buffer, t valueType, i int64, text []byte) error {
	switch t {
	case tNumber, tInt:
		dst.WriteInt(i)
		return nil
	}
	u := t.unixUnit()
	if u == 0 {
		return badValue(text, t)
	}
	sec, ns := i/(1e9/u), (i%(1e9/u))*u
	if ns < 0 {
		sec--
		ns += 1e9
	}
	ts, ok := unixTimestamp(sec, ns)
	if !ok {
		return fmt.Errorf("%w: %d %s is outside the years 1 to 9999", ErrBadValue, i, t)
	}
	dst.WriteTimestamp(ts)
	return nil
}

// writeFloat writes the float f as type t; text is for errors.
func writeFloat(dst *ion.Buffer, t valueType, f float64, text []byte) error {
	switch t {
	case tNumber:
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 && !(f == 0 && math.Signbit(f)) {
			dst.WriteInt(int64(f))
		} else {
			dst.WriteFloat64(f)
		}
		return nil
	case tInt:
		if f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
			return badValue(text, t)
		}
		dst.WriteInt(int64(f))
		return nil
	}
	u := t.unixUnit()
	if u == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return badValue(text, t)
	}
	// seconds and the nanoseconds within them, rounded to the nanosecond
	secs := f * float64(u) / 1e9
	if math.Abs(secs) > 1<<40 {
		return fmt.Errorf("%w: %s %s is outside the years 1 to 9999", ErrBadValue, text, t)
	}
	sec := math.Floor(secs)
	ns := int64(math.Round((secs - sec) * 1e9))
	if ns >= 1e9 {
		sec++
		ns -= 1e9
	}
	ts, ok := unixTimestamp(int64(sec), ns)
	if !ok {
		return fmt.Errorf("%w: %s %s is outside the years 1 to 9999", ErrBadValue, text, t)
	}
	dst.WriteTimestamp(ts)
	return nil
}

var (
	minUnix = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxUnix = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
)

// unixTimestamp returns the UTC timestamp sec seconds and ns nanoseconds after the Unix epoch,
// with as many fractional digits as it needs among 0, 3, 6 and 9 (so that whole milliseconds
// and microseconds fit the packed format's typed timestamp lane).
func unixTimestamp(sec, ns int64) (ion.Timestamp, bool) {
	if sec < minUnix || sec > maxUnix {
		return ion.Timestamp{}, false
	}
	digits := 9
	switch {
	case ns == 0:
		digits = 0
	case ns%1e6 == 0:
		digits = 3
	case ns%1e3 == 0:
		digits = 6
	}
	return ion.FromTime(time.Unix(sec, ns).UTC(), digits), true
}

// parseDatetime parses an RFC 3339 date-time as the JSON loader does (ion.ParseRFC3339: 'T'
// or a space, an optional fraction, Z, an offset or none), or a date alone (YYYY-MM-DD, which
// is midnight UTC).
func parseDatetime(s []byte) (ion.Timestamp, bool) {
	if ts, ok := ion.ParseRFC3339(s); ok {
		return ts, true
	}
	d := trimSpace(s)
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return ion.Timestamp{}, false
	}
	t, err := time.Parse("2006-01-02", string(d))
	if err != nil || t.Year() < 1 {
		return ion.Timestamp{}, false
	}
	return ion.FromTime(t, 0), true
}

// convertIon converts the loaded JSON value v (one Ion value, symbols in st) to type t,
// appending the result to dst. Nulls and containers stay as they are.
func convertIon(dst *ion.Buffer, t valueType, v []byte, st *ion.Symtab, scratch *ion.Buffer) error {
	h, err := ion.ReadHead(v)
	if err != nil {
		return err
	}
	if t == tNone || h.IsNull() || h.Type.IsContainer() {
		dst.WriteRaw(v[:h.Size()])
		return nil
	}
	switch h.Type {
	case ion.StringType:
		s, _, err := ion.ReadStringBytes(v)
		if err != nil {
			return err
		}
		if t == tString {
			dst.WriteRaw(v[:h.Size()])
			return nil
		}
		return writeText(dst, t, s, nil, scratch)
	case ion.IntType, ion.UintType:
		i, _, err := ion.ReadInt(v)
		if err != nil {
			// beyond int64: the loader makes those floats, so this is not JSON input
			return err
		}
		switch t {
		case tString:
			dst.WriteString(strconv.FormatInt(i, 10))
			return nil
		case tBool:
			if i == 0 || i == 1 {
				dst.WriteBool(i == 1)
				return nil
			}
			return badValue([]byte(strconv.FormatInt(i, 10)), t)
		case tDatetime:
			return badValue([]byte(strconv.FormatInt(i, 10)), t)
		}
		return writeInt(dst, t, i, []byte(strconv.FormatInt(i, 10)))
	case ion.FloatType:
		f, _, err := ion.ReadFloat(v)
		if err != nil {
			return err
		}
		text := []byte(strconv.FormatFloat(f, 'g', -1, 64))
		switch t {
		case tString:
			dst.WriteStringBytes(text)
			return nil
		case tBool, tDatetime:
			return badValue(text, t)
		}
		return writeFloat(dst, t, f, text)
	case ion.BoolType:
		b, _, err := ion.ReadBool(v)
		if err != nil {
			return err
		}
		switch t {
		case tString:
			dst.WriteString(strconv.FormatBool(b))
			return nil
		case tBool:
			dst.WriteBool(b)
			return nil
		}
		return badValue([]byte(strconv.FormatBool(b)), t)
	case ion.TimestampType:
		ts, _, err := ion.ReadTimestamp(v)
		if err != nil {
			return err
		}
		switch t {
		case tString:
			dst.WriteStringBytes(ts.AppendRFC3339(nil))
			return nil
		case tDatetime, tUnixS, tUnixMs, tUnixUs, tUnixNs:
			dst.WriteRaw(v[:h.Size()])
			return nil
		}
		return badValue(ts.AppendRFC3339(nil), t)
	}
	// other Ion types do not come out of the JSON loader; keep them
	dst.WriteRaw(v[:h.Size()])
	return nil
}
