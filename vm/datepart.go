package vm

import (
	"errors"
	"fmt"
	"strings"
)

// Date parts and calendar arithmetic on timestamps (Unix microseconds, UTC, proleptic
// Gregorian calendar, no leap seconds). The date functions (DATE_ADD, DATE_DIFF, DATE_TRUNC,
// EXTRACT) take their part as a constant upper-case string first argument; the planner
// lowers the keyword forms (`DATE_ADD(DAY, 1, t)`, `EXTRACT(YEAR FROM t)`) to that.

// DatePart is a unit of time named in a date function.
type DatePart uint8

const (
	PartMicrosecond DatePart = iota
	PartMillisecond
	PartSecond
	PartMinute
	PartHour
	PartDay
	PartDOW // day of week, 0 = Sunday (EXTRACT only)
	PartDOY // day of year, 1-based (EXTRACT only)
	PartWeek
	PartMonth
	PartQuarter
	PartYear
)

var partNames = [...]string{"MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "DOW", "DOY", "WEEK", "MONTH", "QUARTER", "YEAR"}

func (p DatePart) String() string {
	if int(p) < len(partNames) {
		return partNames[p]
	}
	return fmt.Sprintf("DatePart(%d)", int(p))
}

// ErrDatePart is returned (wrapped) for a date part that is not a keyword, or that the
// function does not accept.
var ErrDatePart = errors.New("bad date part")

// ParseDatePart parses a date part name, case-insensitively, accepting plurals
// ("MICROSECONDS", "days").
func ParseDatePart(s string) (DatePart, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	for i, n := range partNames {
		if u == n || (u == n+"S" && i != int(PartDOW) && i != int(PartDOY)) {
			return DatePart(i), nil
		}
	}
	return 0, fmt.Errorf("%w %q: want one of MICROSECOND, MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR", ErrDatePart, s)
}

// Microseconds in the fixed-length units.
const (
	usPerMilli  = 1000
	usPerSecond = 1000 * usPerMilli
	usPerMinute = 60 * usPerSecond
	usPerHour   = 60 * usPerMinute
	usPerDay    = 24 * usPerHour
	usPerWeek   = 7 * usPerDay
)

// fixedMicros returns the length of a fixed-length part in microseconds, or 0 for the
// calendar parts (MONTH, QUARTER, YEAR) and the EXTRACT-only ones.
func (p DatePart) fixedMicros() int64 {
	switch p {
	case PartMicrosecond:
		return 1
	case PartMillisecond:
		return usPerMilli
	case PartSecond:
		return usPerSecond
	case PartMinute:
		return usPerMinute
	case PartHour:
		return usPerHour
	case PartDay:
		return usPerDay
	case PartWeek:
		return usPerWeek
	}
	return 0
}

// floorDiv is a / b rounded towards negative infinity (b > 0).
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// floorMod is a - b*floorDiv(a, b), in [0, b) for b > 0.
func floorMod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// civil is a calendar date and time of day.
type civil struct {
	year        int64
	month, day  int64 // 1-based
	micros      int64 // microseconds since midnight
	daysSince70 int64 // days since 1970-01-01
}

// daysFromCivil returns the days since 1970-01-01 of y-m-d (month and day 1-based; they may
// be out of range only as far as the algorithm tolerates: month in 1..12, any day).
// The algorithm is Howard Hinnant's days_from_civil.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func toCivil(us int64) civil {
	days := floorDiv(us, usPerDay)
	y, m, d := civilFromDays(days)
	return civil{year: y, month: m, day: d, micros: us - days*usPerDay, daysSince70: days}
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(y, m int64) int64 {
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

// addMonths adds n months to the timestamp us the way Go's time.AddDate does: the day of
// month is kept and an overflow rolls into the next month (Jan 31 + 1 month = Mar 3 or 2).
// ok is false when the result does not fit in an int64.
func addMonths(us, n int64) (int64, bool) {
	c := toCivil(us)
	if n > 1<<40 || n < -(1<<40) {
		return 0, false
	}
	mi := c.month - 1 + n
	y := c.year + floorDiv(mi, 12)
	m := floorMod(mi, 12) + 1
	days := daysFromCivil(y, m, 1) + c.day - 1
	return mulAdd(days, usPerDay, c.micros)
}

// mulAdd returns a*b + c, with ok false on int64 overflow.
func mulAdd(a, b, c int64) (int64, bool) {
	p, ok := mulCheck(a, b)
	if !ok {
		return 0, false
	}
	return addCheck(p, c)
}

func mulCheck(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	if p/b != a || (a == -1 && b == -1<<63) || (b == -1 && a == -1<<63) {
		return 0, false
	}
	return p, true
}

// subCheck returns a - b, with ok false on int64 overflow.
func subCheck(a, b int64) (int64, bool) {
	d := a - b
	if (b < 0 && d < a) || (b > 0 && d > a) {
		return 0, false
	}
	return d, true
}

func addCheck(a, b int64) (int64, bool) {
	s := a + b
	if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
		return 0, false
	}
	return s, true
}

// monthsBetween counts the whole months from a to b (negative when b < a): the calendar
// month difference, less one when b's day and time of day come before a's.
func monthsBetween(a, b int64) int64 {
	if b < a {
		return -monthsBetween(b, a)
	}
	ca, cb := toCivil(a), toCivil(b)
	n := (cb.year-ca.year)*12 + cb.month - ca.month
	if cb.day < ca.day || (cb.day == ca.day && cb.micros < ca.micros) {
		n--
	}
	return n
}

// truncTime truncates the timestamp us to the start of its part (week starts on weekStart,
// 0 = Sunday).
func truncTime(us int64, p DatePart, weekStart int64) int64 {
	switch p {
	case PartMicrosecond, PartMillisecond, PartSecond, PartMinute, PartHour, PartDay:
		u := p.fixedMicros()
		return floorDiv(us, u) * u
	case PartWeek:
		days := floorDiv(us, usPerDay)
		dow := floorMod(days+4, 7) // 1970-01-01 was a Thursday
		back := floorMod(dow-weekStart, 7)
		return (days - back) * usPerDay
	}
	c := toCivil(us)
	m := c.month
	switch p {
	case PartQuarter:
		m = (m-1)/3*3 + 1
	case PartYear:
		m = 1
	}
	return daysFromCivil(c.year, m, 1) * usPerDay
}

// extractPart returns the part of the timestamp us, as EXTRACT does: MICROSECOND and
// MILLISECOND include the seconds (Postgres style), DOW counts from Sunday = 0, DOY from 1.
func extractPart(us int64, p DatePart) int64 {
	switch p {
	case PartMicrosecond:
		return floorMod(us, usPerMinute)
	case PartMillisecond:
		return floorMod(us, usPerMinute) / usPerMilli
	case PartSecond:
		return floorMod(us, usPerMinute) / usPerSecond
	case PartMinute:
		return floorMod(us, usPerHour) / usPerMinute
	case PartHour:
		return floorMod(us, usPerDay) / usPerHour
	case PartDOW:
		return floorMod(floorDiv(us, usPerDay)+4, 7)
	}
	c := toCivil(us)
	switch p {
	case PartDay:
		return c.day
	case PartDOY:
		return c.daysSince70 - daysFromCivil(c.year, 1, 1) + 1
	case PartMonth:
		return c.month
	case PartQuarter:
		return (c.month-1)/3 + 1
	case PartYear:
		return c.year
	}
	return 0
}

// constPart reads the constant date part argument of a date function at plan time; allowed
// tells which parts the function accepts.
func constPart(fn string, consts []Value, isConst []bool, allowed func(DatePart) bool) error {
	if len(isConst) == 0 || !isConst[0] || consts[0].k != KString {
		return fmt.Errorf("%s: %w: the first argument must be a date part keyword", fn, ErrDatePart)
	}
	p, err := ParseDatePart(consts[0].String())
	if err != nil {
		return fmt.Errorf("%s: %w", fn, err)
	}
	if !allowed(p) {
		return fmt.Errorf("%s: %w %s is not allowed here", fn, ErrDatePart, p)
	}
	return nil
}

// partArg reads the date part argument at run time; ok is false when it is not a valid part.
func partArg(v Value, allowed func(DatePart) bool) (DatePart, bool) {
	if v.k != KString {
		return 0, false
	}
	p, err := ParseDatePart(string(v.b))
	if err != nil || !allowed(p) {
		return 0, false
	}
	return p, true
}
