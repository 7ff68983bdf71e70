package sql

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestTimestampRoundTrip(t *testing.T) {
	// Any instant the literal can express prints in a form that reads back to the same instant.
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		us := minTimestamp + r.Int64N(maxTimestamp-minTimestamp+1)
		got, msg := parseTimestamp(FormatTimestamp(us))
		if msg != "" || got != us {
			t.Fatalf("%d formats as %s, reads back as %d (%s)", us, FormatTimestamp(us), got, msg)
		}
	}
	for _, us := range []int64{minTimestamp, maxTimestamp, 0, -1, 1} {
		if got, msg := parseTimestamp(FormatTimestamp(us)); msg != "" || got != us {
			t.Errorf("%d: %s reads back as %d (%s)", us, FormatTimestamp(us), got, msg)
		}
	}
}

func TestTimestampCalendar(t *testing.T) {
	tests := []struct {
		text string
		ok   bool
	}{
		{"2000-02-29", true},  // divisible by 400: leap
		{"1900-02-29", false}, // divisible by 100 only: not leap
		{"2024-02-29", true},
		{"2023-02-29", false},
		{"2023-04-31", false},
		{"2023-12-31T23:59:59.999999999Z", true},
		{"2023-00-10", false},
		{"2023-01-00", false},
		{"2023-01-01T23:60:00", false},
		{"2023-01-01T23:59:60", false}, // no leap seconds
		{"2023-01-01T00:00:00+24:00", false},
		{"9999-12-31T23:59:59-01:00", false}, // the year 10000 in UTC
	}
	for _, tc := range tests {
		us, msg := parseTimestamp(tc.text)
		if (msg == "") != tc.ok {
			t.Errorf("%s: accepted=%v (%s)", tc.text, msg == "", msg)
			continue
		}
		if tc.ok {
			want, err := time.Parse(time.RFC3339Nano, tc.text+map[bool]string{true: "", false: "T00:00:00Z"}[len(tc.text) > 10])
			if err != nil {
				t.Fatal(err)
			}
			if us != want.Truncate(time.Microsecond).UnixMicro() {
				t.Errorf("%s: %d, want %d", tc.text, us, want.UnixMicro())
			}
		}
	}
}
