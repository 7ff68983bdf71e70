package vm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// DATE_BIN('stride', ts, origin) returns the start of the bin of width stride that holds ts,
// bins being aligned on the timestamp origin: origin + floor((ts - origin) / stride) * stride.
// The stride is a constant string of one or more "<n> <unit>" pairs ('1 hour 30 minutes',
// '500 milliseconds'); units are microsecond(s), millisecond(s), second(s), minute(s), hour(s),
// day(s) and week(s) (months and years have no fixed width). Non-timestamp ts or origin gives
// MISSING.
//
// TIME_BUCKET(ts, seconds) returns the Unix time in seconds (an int) of the start of the
// seconds-wide bucket, aligned on the epoch, that holds ts: floor(epoch(ts) / s) * s. seconds
// must be a positive integer; otherwise, or when ts is not a timestamp, the result is MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "DATE_BIN", MinArgs: 3, MaxArgs: 3,
		Eval:   evalDateBin,
		Vector: vecDateBin,
		Check: func(consts []Value, isConst []bool) error {
			if len(isConst) == 0 || !isConst[0] || consts[0].k != KString {
				return errors.New("DATE_BIN: the stride must be a constant string such as '15 minutes'")
			}
			if _, err := parseStride(consts[0].String()); err != nil {
				return fmt.Errorf("DATE_BIN: %w", err)
			}
			return nil
		},
	})
	RegisterFunc(&Func{
		Name: "TIME_BUCKET", MinArgs: 2, MaxArgs: 2,
		Eval:   evalTimeBucket,
		Vector: vecTimeBucket,
	})
}

// ErrStride is returned (wrapped) for a DATE_BIN stride that cannot be parsed.
var ErrStride = errors.New("bad DATE_BIN stride")

// parseStride parses a DATE_BIN stride into microseconds.
func parseStride(s string) (int64, error) {
	f := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if len(f) == 0 || len(f)%2 != 0 {
		return 0, fmt.Errorf("%w %q: want '<n> <unit>' pairs", ErrStride, s)
	}
	var total int64
	for i := 0; i < len(f); i += 2 {
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%w %q: %q is not a count", ErrStride, s, f[i])
		}
		unit := strings.ToUpper(f[i+1])
		var p DatePart
		switch unit {
		case "US", "USEC", "USECS":
			p = PartMicrosecond
		case "MS", "MSEC", "MSECS":
			p = PartMillisecond
		case "S", "SEC", "SECS":
			p = PartSecond
		case "MIN", "MINS":
			p = PartMinute
		case "H", "HR", "HRS":
			p = PartHour
		default:
			p, err = ParseDatePart(unit)
			if err != nil || p.fixedMicros() == 0 {
				return 0, fmt.Errorf("%w %q: unit %q has no fixed width", ErrStride, s, f[i+1])
			}
		}
		x, ok := mulAdd(n, p.fixedMicros(), total)
		if !ok {
			return 0, fmt.Errorf("%w %q: too large", ErrStride, s)
		}
		total = x
	}
	if total <= 0 {
		return 0, fmt.Errorf("%w %q: must be positive", ErrStride, s)
	}
	return total, nil
}

func dateBin(stride, ts, origin int64) (int64, bool) {
	d, ok := subCheck(ts, origin)
	if !ok {
		return 0, false
	}
	return mulAdd(floorDiv(d, stride), stride, origin)
}

func evalDateBin(c *Ctx, args []Value) Value {
	if args[0].k != KString || args[1].k != KTime || args[2].k != KTime {
		return Missing()
	}
	stride, err := parseStride(args[0].String())
	if err != nil {
		return Missing()
	}
	if r, ok := dateBin(stride, args[1].Micros(), args[2].Micros()); ok {
		return Time(r)
	}
	return Missing()
}

func vecDateBin(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
	s, ok := constStr(args[0], sel)
	if !ok {
		return nil
	}
	stride, err := parseStride(s)
	if err != nil {
		return nil
	}
	ts, org := args[1], args[2]
	out := c.Vec(n)
	rows := AndBits(nil, sel, ts.Times, n)
	rows = AndBits(rows, rows, org.Times, n)
	dst := outTimes(out, rows, n)
	for w, m := range rows {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			r, ok := dateBin(stride, ts.T[i], org.T[i])
			if !ok {
				out.Times.Clear(i)
				continue
			}
			dst[i] = r
		}
	}
	return out
}

func evalTimeBucket(c *Ctx, args []Value) Value {
	if args[0].k != KTime {
		return Missing()
	}
	s, ok := intArg(args[1])
	if !ok || s <= 0 {
		return Missing()
	}
	return Int(floorDiv(floorDiv(args[0].Micros(), usPerSecond), s) * s)
}

func vecTimeBucket(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
	s, ok := constInt(args[1], sel)
	if !ok || s <= 0 {
		return nil
	}
	ts := args[0]
	out := c.Vec(n)
	rows := AndBits(nil, sel, ts.Times, n)
	dst := outInts(out, rows, n)
	for w, m := range rows {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			dst[i] = floorDiv(floorDiv(ts.T[i], usPerSecond), s) * s
		}
	}
	return out
}
