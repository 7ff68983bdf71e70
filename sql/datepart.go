package sql

import "strings"

// DatePart is the unit word of the keyword forms DATE_ADD, DATE_DIFF, DATE_TRUNC and EXTRACT.
type DatePart uint8

// Date parts. The zero value means "no date part" (an ordinary call).
const (
	NoDatePart DatePart = iota
	Microsecond
	Millisecond
	Second
	Minute
	Hour
	Day
	DOW // day of the week, 0 = Sunday (EXTRACT only)
	DOY // day of the year, 1-based (EXTRACT only)
	Week
	Month
	Quarter
	Year
	numDateParts
)

var datePartText = [numDateParts]string{
	Microsecond: "MICROSECOND", Millisecond: "MILLISECOND", Second: "SECOND", Minute: "MINUTE",
	Hour: "HOUR", Day: "DAY", DOW: "DOW", DOY: "DOY", Week: "WEEK", Month: "MONTH",
	Quarter: "QUARTER", Year: "YEAR",
}

// String returns the canonical SQL word of the part (MICROSECOND, DAY, ...).
func (d DatePart) String() string {
	if d < numDateParts && datePartText[d] != "" {
		return datePartText[d]
	}
	return "?"
}

// lookupDatePart recognises a date part word in any case, including the plural forms
// MICROSECONDS and MILLISECONDS.
func lookupDatePart(w string) DatePart {
	u := strings.ToUpper(w)
	switch u {
	case "MICROSECONDS":
		return Microsecond
	case "MILLISECONDS":
		return Millisecond
	}
	for d := Microsecond; d < numDateParts; d++ {
		if datePartText[d] == u {
			return d
		}
	}
	return NoDatePart
}

// Weekday is the first day of the week of DATE_TRUNC(WEEK(day), ts).
type Weekday uint8

// Weekdays. The zero value means none was given.
const (
	NoWeekday Weekday = iota
	Sunday
	Monday
	Tuesday
	Wednesday
	Thursday
	Friday
	Saturday
)

var weekdayText = [...]string{
	Sunday: "SUNDAY", Monday: "MONDAY", Tuesday: "TUESDAY", Wednesday: "WEDNESDAY",
	Thursday: "THURSDAY", Friday: "FRIDAY", Saturday: "SATURDAY",
}

// String returns the SQL word of the day (MONDAY, ...).
func (w Weekday) String() string {
	if int(w) < len(weekdayText) && weekdayText[w] != "" {
		return weekdayText[w]
	}
	return "?"
}

func lookupWeekday(s string) Weekday {
	u := strings.ToUpper(s)
	for w := Sunday; w <= Saturday; w++ {
		if weekdayText[w] == u {
			return w
		}
	}
	return NoWeekday
}
