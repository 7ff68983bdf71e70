package vm

import (
	"fmt"
	"strings"
)

// DATE_TRUNC('PART', ts) truncates the timestamp ts to the start of its PART: MICROSECOND ...
// DAY, MONTH, QUARTER, YEAR, and WEEK(SUNDAY) ... WEEK(SATURDAY) for the start of the week
// that begins on that day (plain WEEK means WEEK(MONDAY), as in ISO 8601 and Postgres).
// A non-timestamp ts gives MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "DATE_TRUNC", MinArgs: 2, MaxArgs: 2,
		Eval:   evalDateTrunc,
		Vector: vecDateTrunc,
		Check: func(consts []Value, isConst []bool) error {
			if len(isConst) == 0 || !isConst[0] || consts[0].k != KString {
				return fmt.Errorf("DATE_TRUNC: %w: the first argument must be a date part keyword", ErrDatePart)
			}
			if _, _, err := parseTruncPart(consts[0].String()); err != nil {
				return fmt.Errorf("DATE_TRUNC: %w", err)
			}
			return nil
		},
	})
}

var weekdays = [...]string{"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"}

// parseTruncPart parses a DATE_TRUNC part, including WEEK(day); weekStart is 0 for Sunday.
func parseTruncPart(s string) (p DatePart, weekStart int64, err error) {
	u := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if rest, ok := strings.CutPrefix(u, "WEEK("); ok {
		day, ok := strings.CutSuffix(rest, ")")
		if ok {
			for i, d := range weekdays {
				if day == d {
					return PartWeek, int64(i), nil
				}
			}
		}
		return 0, 0, fmt.Errorf("%w %q: want WEEK(SUNDAY) ... WEEK(SATURDAY)", ErrDatePart, s)
	}
	p, err = ParseDatePart(u)
	if err != nil {
		return 0, 0, err
	}
	if p == PartDOW || p == PartDOY {
		return 0, 0, fmt.Errorf("%w %s cannot be truncated to", ErrDatePart, p)
	}
	return p, 1, nil
}

func evalDateTrunc(c *Ctx, args []Value) Value {
	if args[0].k != KString || args[1].k != KTime {
		return Missing()
	}
	p, ws, err := parseTruncPart(args[0].String())
	if err != nil {
		return Missing()
	}
	return Time(truncTime(args[1].Micros(), p, ws))
}

func vecDateTrunc(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
	ps, ok := constStr(args[0], sel)
	if !ok {
		return nil
	}
	p, ws, err := parseTruncPart(ps)
	if err != nil {
		return nil
	}
	ts := args[1]
	out := c.Vec(n)
	rows := AndBits(nil, sel, ts.Times, n)
	dst := outTimes(out, rows, n)
	if u := p.fixedMicros(); u != 0 && p != PartWeek {
		// the common case: a fixed-length unit is a floor division
		for w, m := range rows {
			for ; m != 0; m &= m - 1 {
				i := w*64 + trailing(m)
				dst[i] = floorDiv(ts.T[i], u) * u
			}
		}
		return out
	}
	for w, m := range rows {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			dst[i] = truncTime(ts.T[i], p, ws)
		}
	}
	return out
}
