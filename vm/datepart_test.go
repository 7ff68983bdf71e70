package vm

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The calendar arithmetic against Go's time package on random instants over ±5000 years.
func TestCivilAgainstTime(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	span := int64(5000 * 366 * usPerDay)
	for i := 0; i < 20000; i++ {
		us := r.Int64N(2*span) - span
		tm := time.UnixMicro(us).UTC()
		c := toCivil(us)
		if c.year != int64(tm.Year()) || c.month != int64(tm.Month()) || c.day != int64(tm.Day()) {
			t.Fatalf("%d: civil %d-%d-%d, time %s", us, c.year, c.month, c.day, tm)
		}
		if got := daysFromCivil(c.year, c.month, c.day); got != c.daysSince70 {
			t.Fatalf("%d: daysFromCivil %d, want %d", us, got, c.daysSince70)
		}
		if got := extractPart(us, PartDOW); got != int64(tm.Weekday()) {
			t.Fatalf("%s: DOW %d", tm, got)
		}
		if got := extractPart(us, PartDOY); got != int64(tm.YearDay()) {
			t.Fatalf("%s: DOY %d", tm, got)
		}
		n := r.Int64N(500) - 250
		want := tm.AddDate(0, int(n), 0).UnixMicro()
		if got, ok := addMonths(us, n); !ok || got != want {
			t.Fatalf("%s + %d months: got %d, want %d (%s)", tm, n, got, want, time.UnixMicro(want).UTC())
		}
		trunc := truncTime(us, PartMonth, 0)
		if want := time.Date(tm.Year(), tm.Month(), 1, 0, 0, 0, 0, time.UTC).UnixMicro(); trunc != want {
			t.Fatalf("%s: month start %d, want %d", tm, trunc, want)
		}
		wk := truncTime(us, PartWeek, 1)
		wt := time.UnixMicro(wk).UTC()
		if wt.Weekday() != time.Monday || wk > us || us-wk >= usPerWeek || wt.Hour() != 0 {
			t.Fatalf("%s: week start %s", tm, wt)
		}
	}
}

// TestMonthsBetween checks DATE_DIFF(MONTH) against a brute-force definition: the largest k
// such that a + k months (clamped to the month's end) is not after b.
func TestMonthsBetween(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 44))
	clampAdd := func(tm time.Time, k int) time.Time {
		y, m := tm.Year(), int(tm.Month())-1+k
		y += m / 12
		m %= 12
		if m < 0 {
			m += 12
			y--
		}
		d := min(tm.Day(), int(daysInMonth(int64(y), int64(m+1))))
		return time.Date(y, time.Month(m+1), d, tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC)
	}
	for i := 0; i < 3000; i++ {
		a := r.Int64N(100*366*usPerDay) - 50*366*usPerDay
		b := a + r.Int64N(6*366*usPerDay)
		if r.IntN(3) == 0 {
			b = a + r.Int64N(62*usPerDay)
		}
		ta, tb := time.UnixMicro(a).UTC(), time.UnixMicro(b).UTC()
		k := 0
		for !clampAdd(ta, k+1).After(tb) {
			k++
		}
		// our rule compares day-of-month and time, which differs from clamping only when a's
		// day does not exist in b's month and b is that month's last day
		got := monthsBetween(a, b)
		if got != int64(k) && !(tb.Day() == int(daysInMonth(int64(tb.Year()), int64(tb.Month()))) && ta.Day() > tb.Day()) {
			t.Fatalf("%s → %s: %d months, brute force %d", ta, tb, got, k)
		}
		if monthsBetween(b, a) != -got {
			t.Fatalf("not antisymmetric: %s %s", ta, tb)
		}
	}
}

func TestParseDatePart(t *testing.T) {
	for in, want := range map[string]DatePart{"day": PartDay, "DAYS": PartDay, " Hour ": PartHour,
		"microseconds": PartMicrosecond, "DOW": PartDOW, "quarter": PartQuarter} {
		got, err := ParseDatePart(in)
		if err != nil || got != want {
			t.Errorf("ParseDatePart(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "DOWS", "FORTNIGHT", "WEEK(MONDAY)"} {
		if _, err := ParseDatePart(in); err == nil {
			t.Errorf("ParseDatePart(%q) succeeded", in)
		}
	}
}

func FuzzParseStride(f *testing.F) {
	for _, s := range []string{"1 hour 30 minutes", "13 microseconds", "500 milliseconds", "90 seconds", "1 day",
		"2 weeks", "1 month", "", "-1 day", "9223372036854775807 days", "1,5 minutes", "1 h 2 min"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		us, err := parseStride(s)
		if err == nil && us <= 0 {
			t.Fatalf("%q: stride %d", s, us)
		}
	})
}
