package ion

import (
	"math/rand"
	"testing"
	"time"
)

func TestParseRFC3339(t *testing.T) {
	cases := []struct {
		in   string
		ok   bool
		text string // Ion text of the result
	}{
		{"2024-01-01T00:00:30Z", true, "2024-01-01T00:00:30Z"},
		{"2024-01-01 00:00:30Z", true, "2024-01-01T00:00:30Z"},
		{"  2024-01-01T00:00:30Z\t", true, "2024-01-01T00:00:30Z"},
		{"2024-01-01T00:00:30", true, "2024-01-01T00:00:30-00:00"},
		{"2024-01-01T00:00:30-00:00", true, "2024-01-01T00:00:30-00:00"},
		{"2024-01-01T00:00:30+00:00", true, "2024-01-01T00:00:30Z"},
		{"2024-01-01T00:00:30.5+05:30", true, "2024-01-01T00:00:30.5+05:30"},
		{"2024-03-01T01:00:00.123456789+02:00", true, "2024-03-01T01:00:00.123456789+02:00"},
		{"2024-02-29T23:59:59.000-23:59", true, "2024-02-29T23:59:59.000-23:59"},
		{"0001-01-01T00:00:00Z", true, "0001-01-01T00:00:00Z"},
		{"9999-12-31T23:59:59Z", true, "9999-12-31T23:59:59Z"},
		{"2024-01-01T00:00:30.1234567890Z", false, ""}, // 10 digits
		{"2024-01-01T00:00:30.Z", false, ""},
		{"2023-02-29T00:00:00Z", false, ""},
		{"2024-13-01T00:00:00Z", false, ""},
		{"2024-01-01T24:00:00Z", false, ""},
		{"2024-01-01T00:60:00Z", false, ""},
		{"2024-01-01T00:00:60Z", false, ""},
		{"2024-01-01T00:00:00+24:00", false, ""},
		{"2024-01-01T00:00:00+0100", false, ""},
		{"2024-01-01t00:00:00Z", false, ""},
		{"2024-01-01", false, ""},
		{"2024-01-01T00:00", false, ""},
		{"0000-01-01T00:00:00Z", false, ""},
		{"0001-01-01T00:00:00+01:00", false, ""}, // before year 1 in UTC
		{"2024-01-01T00:00:00Zx", false, ""},
		{"x2024-01-01T00:00:00Z", false, ""},
		{"2024-1-01T00:00:00Z", false, ""},
	}
	for _, c := range cases {
		ts, ok := ParseRFC3339([]byte(c.in))
		if ok != c.ok {
			t.Errorf("ParseRFC3339(%q) ok = %v", c.in, ok)
			continue
		}
		if ok && ts.String() != c.text {
			t.Errorf("ParseRFC3339(%q) = %s, want %s", c.in, ts, c.text)
		}
	}
}

// TestTimestampAgainstTime checks the calendar arithmetic against package time on random
// instants and offsets.
func TestTimestampAgainstTime(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	lo := time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC).Unix()
	for i := 0; i < 5000; i++ {
		sec := lo + r.Int63n(hi-lo)
		ns := r.Int63n(1e9)
		off := r.Intn(2*1439+1) - 1439
		tm := time.Unix(sec, ns).In(time.FixedZone("", off*60))
		ts := FromTime(tm, 9)
		if got := ts.Time(); !got.Equal(tm) {
			t.Fatalf("FromTime(%v).Time() = %v", tm, got)
		}
		if _, o := ts.Time().Zone(); o != off*60 {
			t.Fatalf("offset of %v lost: %d", tm, o)
		}
		if y, mo, d, h, mi := ts.Local(); y != tm.Year() || mo != int(tm.Month()) || d != tm.Day() || h != tm.Hour() || mi != tm.Minute() {
			t.Fatalf("Local of %v = %d-%d-%d %d:%d", tm, y, mo, d, h, mi)
		}
		if tm.Year() >= 1678 && tm.Year() <= 2261 && ts.UnixNano() != tm.UnixNano() {
			t.Fatalf("UnixNano of %v = %d, want %d", tm, ts.UnixNano(), tm.UnixNano())
		}
		if ts.UnixMicro() != tm.UnixMicro() {
			t.Fatalf("UnixMicro of %v = %d, want %d", tm, ts.UnixMicro(), tm.UnixMicro())
		}
		// RFC 3339 text reads back as the same timestamp, and matches package time's
		txt := ts.AppendRFC3339(nil)
		back, ok := ParseRFC3339(txt)
		if !ok || !back.Equal(ts) {
			t.Fatalf("%s does not read back (%v)", txt, back)
		}
		if want := tm.Format("2006-01-02T15:04:05.000000000Z07:00"); string(txt) != want {
			t.Fatalf("AppendRFC3339 = %s, want %s", txt, want)
		}
		// binary round trip
		var b Buffer
		b.WriteTimestamp(ts)
		got, _, err := ReadTimestamp(b.Bytes())
		if err != nil || !got.Equal(ts) {
			t.Fatalf("binary round trip of %v: %v %v", ts, got, err)
		}
		// ordering agrees with time
		ts2 := FromTime(tm.Add(time.Duration(r.Int63n(2e9)-1e9)), 9)
		if ts.Before(ts2) != tm.Before(ts2.Time()) {
			t.Fatalf("Before(%v, %v) disagrees with time", ts, ts2)
		}
	}
}

func TestTimestampEqual(t *testing.T) {
	mk := func(s string) Timestamp {
		ts, ok := ParseRFC3339([]byte(s))
		if !ok {
			t.Fatalf("bad %s", s)
		}
		return ts
	}
	a := mk("2024-01-01T10:00:00+02:00")
	b := mk("2024-01-01T08:00:00Z")
	if a.Equal(b) {
		t.Error("different offsets compare equal")
	}
	if a.UnixNano() != b.UnixNano() {
		t.Error("same instant differs")
	}
	if mk("2024-01-01T00:00:00.10Z").Equal(mk("2024-01-01T00:00:00.1Z")) {
		t.Error("different fraction precision compares equal")
	}
	y1 := Timestamp{Year: 2001, Month: 1, Day: 1, Precision: PrecisionYear, Offset: 60, OffsetKnown: true}
	y2 := Timestamp{Year: 2001, Month: 1, Day: 1, Precision: PrecisionYear}
	if !y1.Equal(y2) {
		t.Error("offset of a year-precision timestamp matters")
	}
}

func TestTimestampText(t *testing.T) {
	cases := []struct {
		ts        Timestamp
		ion, json string
	}{
		{Timestamp{Year: 2007, Month: 1, Day: 1, Precision: PrecisionYear}, "2007T", "2007-01-01T00:00:00Z"},
		{Timestamp{Year: 2007, Month: 2, Day: 1, Precision: PrecisionMonth}, "2007-02T", "2007-02-01T00:00:00Z"},
		{Timestamp{Year: 2007, Month: 2, Day: 23, Precision: PrecisionDay}, "2007-02-23", "2007-02-23T00:00:00Z"},
		{Timestamp{Year: 2007, Month: 2, Day: 23, Hour: 20, Minute: 14, Precision: PrecisionMinute, Offset: -480, OffsetKnown: true},
			"2007-02-23T12:14-08:00", "2007-02-23T12:14:00-08:00"},
		{Timestamp{Year: 2007, Month: 2, Day: 23, Hour: 12, Minute: 14, Second: 33, Precision: PrecisionSecond},
			"2007-02-23T12:14:33-00:00", "2007-02-23T12:14:33-00:00"},
		{Timestamp{Year: 2007, Month: 2, Day: 23, Hour: 12, Minute: 14, Second: 33, Precision: PrecisionFraction, FracDigits: 25, Frac: 18, OffsetKnown: true},
			"2007-02-23T12:14:33.0000000000000000000000018Z", "2007-02-23T12:14:33.0000000000000000000000018Z"},
	}
	for _, c := range cases {
		if got := c.ts.String(); got != c.ion {
			t.Errorf("String = %s, want %s", got, c.ion)
		}
		if got := string(c.ts.AppendRFC3339(nil)); got != c.json {
			t.Errorf("AppendRFC3339 = %s, want %s", got, c.json)
		}
	}
}

func TestTimestampLocalYearRange(t *testing.T) {
	// UTC 9999-12-31T23:30 at +01:00 is local year 10000: not an Ion timestamp
	var b Buffer
	b.WriteTimestamp(Timestamp{Year: 9999, Month: 12, Day: 31, Hour: 23, Minute: 30, Precision: PrecisionMinute, Offset: 60, OffsetKnown: true})
	if _, _, err := ReadTimestamp(b.Bytes()); err == nil {
		t.Fatal("local year 10000 accepted")
	}
	b.Reset()
	b.WriteTimestamp(Timestamp{Year: 9999, Month: 12, Day: 31, Hour: 23, Minute: 30, Precision: PrecisionMinute, Offset: -60, OffsetKnown: true})
	if ts, _, err := ReadTimestamp(b.Bytes()); err != nil || ts.String() != "9999-12-31T22:30-01:00" {
		t.Fatalf("%v %v", ts, err)
	}
}
