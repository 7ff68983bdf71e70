package vm

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// FormatValue renders a value as SQL literal text (for EXPLAIN and error messages).
func FormatValue(v Value) string {
	var sb strings.Builder
	formatValue(&sb, v)
	return sb.String()
}

func formatValue(sb *strings.Builder, v Value) {
	switch v.k {
	case KMissing:
		sb.WriteString("MISSING")
	case KNull:
		sb.WriteString("NULL")
	case KBool:
		if v.Bool() {
			sb.WriteString("TRUE")
		} else {
			sb.WriteString("FALSE")
		}
	case KInt:
		sb.WriteString(strconv.FormatInt(v.Int(), 10))
	case KFloat:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			sb.WriteString("CAST('NaN' AS FLOAT)")
		case math.IsInf(f, 0):
			if f > 0 {
				sb.WriteString("CAST('Inf' AS FLOAT)")
			} else {
				sb.WriteString("CAST('-Inf' AS FLOAT)")
			}
		default:
			s := strconv.FormatFloat(f, 'g', -1, 64)
			if !strings.ContainsAny(s, ".eEn") {
				s += ".0"
			}
			sb.WriteString(s)
		}
	case KTime:
		sb.WriteByte('`')
		sb.WriteString(v.Time().Format(time.RFC3339Nano))
		sb.WriteByte('`')
	case KString:
		sb.WriteString(QuoteString(string(v.b)))
	case KList:
		sb.WriteByte('[')
		for i, x := range v.List() {
			if i > 0 {
				sb.WriteString(", ")
			}
			formatValue(sb, x)
		}
		sb.WriteByte(']')
	case KStruct:
		sb.WriteByte('{')
		for i, f := range v.Fields() {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(QuoteString(f.Name))
			sb.WriteString(": ")
			formatValue(sb, f.Value)
		}
		sb.WriteByte('}')
	default:
		sb.WriteString("<ion ")
		sb.WriteString(strconv.Itoa(len(v.b)))
		sb.WriteString(" bytes>")
	}
}

// QuoteString renders s as a single-quoted SQL string literal with backslash escapes.
func QuoteString(s string) string {
	var sb strings.Builder
	sb.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'':
			sb.WriteString(`\'`)
		case '\\':
			sb.WriteString(`\\`)
		case '\n':
			sb.WriteString(`\n`)
		case '\t':
			sb.WriteString(`\t`)
		case '\r':
			sb.WriteString(`\r`)
		default:
			if r < 0x20 {
				sb.WriteString(`\u00`)
				sb.WriteByte("0123456789abcdef"[r>>4])
				sb.WriteByte("0123456789abcdef"[r&15])
			} else {
				sb.WriteRune(r)
			}
		}
	}
	sb.WriteByte('\'')
	return sb.String()
}
