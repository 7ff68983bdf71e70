package ion

import (
	"math/big"
	"time"
)

// Precision is how much of a Timestamp is significant.
type Precision uint8

// Timestamp precisions, from the coarsest.
const (
	PrecisionYear     Precision = 1 + iota // 2007T
	PrecisionMonth                         // 2007-02T
	PrecisionDay                           // 2007-02-23T
	PrecisionMinute                        // 2007-02-23T12:14Z
	PrecisionSecond                        // 2007-02-23T12:14:33Z
	PrecisionFraction                      // 2007-02-23T12:14:33.079Z
)

// MaxFracDigits is the most digits of fractional seconds a Timestamp holds. (The coefficient of
// the fraction, Frac, is a uint64, so at most 19 of them can be significant.)
const MaxFracDigits = 255

// Timestamp is an Ion timestamp. As in the binary encoding, the date and time fields of a
// timestamp with minute precision or finer are in UTC, and Offset says how far the local time
// the value was written in is ahead of UTC; the fields of a date-only timestamp (year, month or
// day precision) are the date as written and the offset does not matter.
type Timestamp struct {
	Year      uint16    // 1..9999
	Month     uint8     // 1..12 (1 below month precision)
	Day       uint8     // 1..31 (1 below day precision)
	Hour      uint8     // 0..23, UTC
	Minute    uint8     // 0..59, UTC
	Second    uint8     // 0..59
	Precision Precision // which fields are significant
	// FracDigits is the number of digits of fractional seconds (1..MaxFracDigits) when
	// Precision is PrecisionFraction, and Frac their value: .079 is Frac 79, FracDigits 3, so
	// the fraction is Frac × 10^-FracDigits.
	FracDigits uint8
	Frac       uint64
	// Offset is the local offset from UTC in minutes (-1439..1439); OffsetKnown is false for
	// the unknown offset -00:00, which Ion distinguishes from +00:00.
	Offset      int16
	OffsetKnown bool
}

var pow10u64 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < 20; i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(m, y int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian date (y >= 0).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	yy := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		yy++
	}
	return int(yy), m, d
}

// validate checks the fields against the calendar and the precision.
func (t *Timestamp) validate() string {
	switch {
	case t.Precision < PrecisionYear || t.Precision > PrecisionFraction:
		return "invalid precision"
	case t.Year < 1 || t.Year > 9999:
		return "year out of range"
	case t.Month < 1 || t.Month > 12:
		return "month out of range"
	case t.Day < 1 || int(t.Day) > daysIn(int(t.Month), int(t.Year)):
		return "day out of range for the month"
	case t.Hour > 23:
		return "hour out of range"
	case t.Minute > 59:
		return "minute out of range"
	case t.Second > 59:
		return "second out of range"
	case t.Offset < -1439 || t.Offset > 1439:
		return "offset out of range"
	}
	if t.Precision >= PrecisionMinute && t.OffsetKnown && t.Offset != 0 {
		if y, _, _, _, _ := t.Local(); y < 1 || y > 9999 {
			return "local year out of range"
		}
	}
	if t.Precision == PrecisionFraction {
		if t.FracDigits < 1 {
			return "fraction without digits"
		}
		if t.FracDigits < 20 && t.Frac >= pow10u64[t.FracDigits] {
			return "fractional seconds not below one second"
		}
	}
	return ""
}

// unixSeconds is the timestamp's instant in whole seconds since the Unix epoch (fields below
// the precision count as their minimum, and date-only timestamps as midnight UTC).
func (t *Timestamp) unixSeconds() int64 {
	days := daysFromCivil(int(t.Year), int(t.Month), int(t.Day))
	return days*86400 + int64(t.Hour)*3600 + int64(t.Minute)*60 + int64(t.Second)
}

// fracScaled returns the fractional seconds in units of 10^-digits seconds (truncating).
func (t *Timestamp) fracScaled(digits int) uint64 {
	if t.Precision != PrecisionFraction {
		return 0
	}
	fd := int(t.FracDigits)
	if fd == digits {
		return t.Frac
	}
	if fd < digits {
		return t.Frac * pow10u64[digits-fd] // digits <= 9 and Frac < 10^fd: no overflow
	}
	if fd-digits >= 20 {
		return 0
	}
	return t.Frac / pow10u64[fd-digits]
}

// UnixNano returns the instant as nanoseconds since the Unix epoch (truncating finer
// fractions). Like time.Time.UnixNano it overflows outside the years 1678..2262.
func (t Timestamp) UnixNano() int64 {
	return t.unixSeconds()*1e9 + int64(t.fracScaled(9))
}

// UnixMicro returns the instant as microseconds since the Unix epoch (truncating finer
// fractions).
func (t Timestamp) UnixMicro() int64 {
	return t.unixSeconds()*1e6 + int64(t.fracScaled(6))
}

// Time converts t to a time.Time in its local offset (UTC when the offset is zero or unknown).
// Fractions finer than a nanosecond are truncated.
func (t Timestamp) Time() time.Time {
	u := time.Unix(t.unixSeconds(), int64(t.fracScaled(9))).UTC()
	if t.OffsetKnown && t.Offset != 0 && t.Precision >= PrecisionMinute {
		u = u.In(time.FixedZone("", int(t.Offset)*60))
	}
	return u
}

// FromTime converts a time.Time to a Timestamp with the given number of fractional-second
// digits (0 gives second precision; at most 9), keeping t's offset from UTC (rounded down to
// whole minutes). Years outside 1..9999 are clamped to that range.
func FromTime(t time.Time, fracDigits int) Timestamp {
	_, off := t.Zone()
	u := t.UTC()
	y := u.Year()
	if y < 1 {
		u = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if y > 9999 {
		u = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	}
	ts := Timestamp{
		Year: uint16(u.Year()), Month: uint8(u.Month()), Day: uint8(u.Day()),
		Hour: uint8(u.Hour()), Minute: uint8(u.Minute()), Second: uint8(u.Second()),
		Precision: PrecisionSecond, Offset: int16(off / 60), OffsetKnown: true,
	}
	if fracDigits > 9 {
		fracDigits = 9
	}
	if fracDigits > 0 {
		ts.Precision = PrecisionFraction
		ts.FracDigits = uint8(fracDigits)
		ts.Frac = uint64(u.Nanosecond()) / pow10u64[9-fracDigits]
	}
	return ts
}

// Local returns the calendar fields of t in its local offset: the fields as written.
func (t Timestamp) Local() (year, month, day, hour, minute int) {
	year, month, day, hour, minute = int(t.Year), int(t.Month), int(t.Day), int(t.Hour), int(t.Minute)
	if t.Precision < PrecisionMinute || !t.OffsetKnown || t.Offset == 0 {
		return
	}
	mins := int64(hour)*60 + int64(minute) + int64(t.Offset)
	days := daysFromCivil(year, month, day)
	d := mins / 1440
	if mins < 0 && mins%1440 != 0 {
		d--
	}
	mins -= d * 1440
	year, month, day = civilFromDays(days + d)
	return year, month, day, int(mins / 60), int(mins % 60)
}

// fromLocal sets the UTC fields from local fields and t.Offset; it reports false if the UTC
// date falls outside the years 1..9999.
func (t *Timestamp) fromLocal(year, month, day, hour, minute int) bool {
	mins := int64(hour)*60 + int64(minute)
	if t.OffsetKnown {
		mins -= int64(t.Offset)
	}
	days := daysFromCivil(year, month, day)
	d := mins / 1440
	if mins < 0 && mins%1440 != 0 {
		d--
	}
	mins -= d * 1440
	y, m, dd := civilFromDays(days + d)
	if y < 1 || y > 9999 {
		return false
	}
	t.Year, t.Month, t.Day = uint16(y), uint8(m), uint8(dd)
	t.Hour, t.Minute = uint8(mins/60), uint8(mins%60)
	return true
}

// Equal reports whether t and u are the same Ion timestamp: the same precision, the same
// instant at that precision, the same fractional digits and, for timestamps with a time part,
// the same offset.
func (t Timestamp) Equal(u Timestamp) bool {
	if t.Precision != u.Precision || t.Year != u.Year {
		return false
	}
	if t.Precision >= PrecisionMonth && t.Month != u.Month {
		return false
	}
	if t.Precision >= PrecisionDay && t.Day != u.Day {
		return false
	}
	if t.Precision < PrecisionMinute {
		return true
	}
	if t.Hour != u.Hour || t.Minute != u.Minute || t.OffsetKnown != u.OffsetKnown ||
		(t.OffsetKnown && t.Offset != u.Offset) {
		return false
	}
	if t.Precision >= PrecisionSecond && t.Second != u.Second {
		return false
	}
	return t.Precision < PrecisionFraction || (t.FracDigits == u.FracDigits && t.Frac == u.Frac)
}

// Before reports whether the instant of t is before that of u.
func (t Timestamp) Before(u Timestamp) bool {
	a, b := t.unixSeconds(), u.unixSeconds()
	if a != b {
		return a < b
	}
	return t.fracCmp(&u) < 0
}

// fracCmp compares the fractional seconds of t and u.
func (t *Timestamp) fracCmp(u *Timestamp) int {
	var fa, fb uint64
	var da, db int
	if t.Precision == PrecisionFraction {
		fa, da = t.Frac, int(t.FracDigits)
	}
	if u.Precision == PrecisionFraction {
		fb, db = u.Frac, int(u.FracDigits)
	}
	if da != db {
		// scale both to the longer precision exactly
		x := new(big.Int).SetUint64(fa)
		y := new(big.Int).SetUint64(fb)
		ten := big.NewInt(10)
		if da < db {
			x.Mul(x, new(big.Int).Exp(ten, big.NewInt(int64(db-da)), nil))
		} else {
			y.Mul(y, new(big.Int).Exp(ten, big.NewInt(int64(da-db)), nil))
		}
		return x.Cmp(y)
	}
	switch {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}
