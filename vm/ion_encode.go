package vm

import (
	"time"

	"github.com/sneller-re/sneller/ion"
)

// TimestampOf converts Unix microseconds to an Ion timestamp in UTC with the fewest
// fractional digits (0, 3 or 6) that keep the value.
func TimestampOf(us int64) ion.Timestamp {
	t := time.UnixMicro(us).UTC()
	digits := 6
	switch {
	case us%1_000_000 == 0:
		digits = 0
	case us%1_000 == 0:
		digits = 3
	}
	return ion.FromTime(t, digits)
}

// EncodeIon appends v to buf, interning its field names and symbols in st. MISSING writes
// nothing (and a MISSING field or element is left out).
func EncodeIon(buf *ion.Buffer, st *ion.Symtab, v Value) {
	switch v.k {
	case KMissing:
	case KNull:
		buf.WriteNull()
	case KBool:
		buf.WriteBool(v.Bool())
	case KInt:
		buf.WriteInt(v.Int())
	case KFloat:
		buf.WriteFloat64(v.Float())
	case KTime:
		buf.WriteTimestamp(TimestampOf(v.Micros()))
	case KString:
		buf.WriteStringBytes(v.b)
	case KOther:
		buf.WriteRaw(v.b)
	case KList:
		buf.BeginList(-1)
		for _, x := range v.List() {
			EncodeIon(buf, st, x)
		}
		buf.EndList()
	case KStruct:
		buf.BeginStruct(-1)
		for _, f := range v.Fields() {
			if f.Value.k == KMissing {
				continue
			}
			buf.BeginField(st.Intern(f.Name))
			EncodeIon(buf, st, f.Value)
		}
		buf.EndStruct()
	}
}
