package ion

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"
)

// String renders d in Ion text notation, for diagnostics.
func (d Datum) String() string {
	var sb strings.Builder
	d.writeText(&sb)
	return sb.String()
}

func writeSymbolText(sb *strings.Builder, t SymbolToken) {
	if t.Unknown {
		sb.WriteString("$0")
		return
	}
	sb.WriteByte('\'')
	for _, r := range t.Text {
		switch {
		case r == '\'' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r < 0x20:
			sb.WriteString(`\x`)
			sb.WriteString(strconv.FormatInt(int64(r)|0x100, 16)[1:])
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('\'')
}

func (d Datum) writeText(sb *strings.Builder) {
	for _, a := range d.annots {
		writeSymbolText(sb, a)
		sb.WriteString("::")
	}
	if d.null {
		sb.WriteString("null.")
		sb.WriteString(d.typ.String())
		return
	}
	switch d.typ {
	case NullType:
		sb.WriteString("null")
	case BoolType:
		sb.WriteString(strconv.FormatBool(d.b))
	case IntType:
		if d.big != nil {
			sb.WriteString(d.big.String())
		} else {
			sb.WriteString(strconv.FormatInt(d.i, 10))
		}
	case FloatType:
		switch {
		case math.IsNaN(d.f):
			sb.WriteString("nan")
		case math.IsInf(d.f, 1):
			sb.WriteString("+inf")
		case math.IsInf(d.f, -1):
			sb.WriteString("-inf")
		default:
			s := strconv.FormatFloat(d.f, 'e', -1, 64)
			sb.WriteString(s)
		}
	case DecimalType:
		sb.WriteString(d.dec.String())
	case TimestampType:
		sb.Write(d.ts.AppendText(nil))
	case SymbolType:
		writeSymbolText(sb, SymbolToken{Text: d.s, Unknown: d.unknown})
	case StringType:
		sb.WriteString(strconv.Quote(d.s))
	case ClobType:
		sb.WriteString("{{")
		sb.WriteString(strconv.Quote(d.s))
		sb.WriteString("}}")
	case BlobType:
		sb.WriteString("{{")
		sb.WriteString(base64.StdEncoding.EncodeToString([]byte(d.s)))
		sb.WriteString("}}")
	case ListType, SexpType:
		open, sep, end := "[", ", ", "]"
		if d.typ == SexpType {
			open, sep, end = "(", " ", ")"
		}
		sb.WriteString(open)
		for i := range d.items {
			if i > 0 {
				sb.WriteString(sep)
			}
			d.items[i].writeText(sb)
		}
		sb.WriteString(end)
	case StructType:
		sb.WriteString("{")
		for i := range d.fields {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeSymbolText(sb, d.fields[i].Name)
			sb.WriteString(": ")
			d.fields[i].Value.writeText(sb)
		}
		sb.WriteString("}")
	}
}
