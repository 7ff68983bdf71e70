package db

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// ErrBadDuration means a retention period is not of the form <n>y<n>m<n>d.
var ErrBadDuration = errors.New("invalid retention period")

// maxPeriodUnit bounds each number of a period, far beyond any sensible retention, so that
// date arithmetic cannot overflow.
const maxPeriodUnit = 100000

// RetentionPolicy is the "retention_policy" of a definition: rows whose Field (a timestamp
// path) is older than ValidFor are dropped by garbage collection.
type RetentionPolicy struct {
	Field    string `json:"field"`
	ValidFor Period `json:"valid_for"`
}

// Period is a calendar period written <n>y<n>m<n>d: years, months and days, each optional
// but in that order, not all zero ("1y6m", "30d", "2y1d").
type Period struct {
	Years, Months, Days int
}

// ParsePeriod parses a period; the error wraps [ErrBadDuration].
func ParsePeriod(s string) (Period, error) {
	var p Period
	fail := func(why string) (Period, error) {
		return Period{}, fmt.Errorf("%w %q: %s (want <n>y<n>m<n>d, e.g. \"1y6m\" or \"30d\")", ErrBadDuration, s, why)
	}
	if s == "" {
		return fail("empty")
	}
	order := "ymd"
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return fail(fmt.Sprintf("expected a number at %q", rest))
		}
		if i == len(rest) {
			return fail(fmt.Sprintf("number %s has no unit", rest))
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > maxPeriodUnit {
			return fail(fmt.Sprintf("number %s is too large", rest[:i]))
		}
		unit := rest[i]
		k := -1
		for j := 0; j < len(order); j++ {
			if order[j] == unit {
				k = j
			}
		}
		if k < 0 {
			return fail(fmt.Sprintf("unknown or misplaced unit %q", unit))
		}
		switch unit {
		case 'y':
			p.Years = n
		case 'm':
			p.Months = n
		case 'd':
			p.Days = n
		}
		order = order[k+1:]
		rest = rest[i+1:]
	}
	if p == (Period{}) {
		return fail("the period is zero")
	}
	return p, nil
}

// String formats the period as ParsePeriod reads it.
func (p Period) String() string {
	s := ""
	if p.Years != 0 {
		s += strconv.Itoa(p.Years) + "y"
	}
	if p.Months != 0 {
		s += strconv.Itoa(p.Months) + "m"
	}
	if p.Days != 0 || s == "" {
		s += strconv.Itoa(p.Days) + "d"
	}
	return s
}

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParsePeriod.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Cutoff returns the oldest time still retained at now: now minus the period, in calendar
// terms (time.AddDate).
func (p Period) Cutoff(now time.Time) time.Time {
	return now.AddDate(-p.Years, -p.Months, -p.Days)
}
