package output

import (
	"encoding/base64"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

// AppendJSON appends the JSON text of v (MISSING renders as null; callers leave MISSING
// fields out before).
func AppendJSON(dst []byte, v vm.Value) []byte {
	switch v.Kind() {
	case vm.KMissing, vm.KNull:
		return append(dst, "null"...)
	case vm.KBool:
		if v.Bool() {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case vm.KInt:
		return strconv.AppendInt(dst, v.Int(), 10)
	case vm.KFloat:
		return appendFloat(dst, v.Float())
	case vm.KTime:
		dst = append(dst, '"')
		dst = vm.TimestampOf(v.Micros()).AppendRFC3339(dst)
		return append(dst, '"')
	case vm.KString:
		return AppendString(dst, v.Str())
	case vm.KList:
		dst = append(dst, '[')
		for i, x := range v.List() {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendJSON(dst, x)
		}
		return append(dst, ']')
	case vm.KStruct:
		dst = append(dst, '{')
		first := true
		for _, f := range v.Fields() {
			if f.Value.IsMissing() {
				continue
			}
			if !first {
				dst = append(dst, ", "...)
			}
			first = false
			dst = AppendString(dst, []byte(f.Name))
			dst = append(dst, ": "...)
			dst = AppendJSON(dst, f.Value)
		}
		return append(dst, '}')
	case vm.KOther:
		// blobs and clobs: base64 of their bytes
		dst = append(dst, '"')
		body, _, _ := ion.ReadBytes(v.Ion())
		dst = base64.StdEncoding.AppendEncode(dst, body)
		return append(dst, '"')
	}
	return append(dst, "null"...)
}

func appendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"float64:nan"`...)
	case math.IsInf(f, 1):
		return append(dst, `"float64:+inf"`...)
	case math.IsInf(f, -1):
		return append(dst, `"float64:-inf"`...)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'g', -1, 64)
	// keep it a float when read back ("3" would load as an int): add ".0" to integral values
	for _, c := range dst[start:] {
		if c == '.' || c == 'e' || c == 'n' || c == 'N' {
			return dst
		}
	}
	return append(dst, ".0"...)
}

const hex = "0123456789abcdef"

// AppendString appends a JSON string literal; invalid UTF-8 becomes U+FFFD.
func AppendString(dst, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"':
				dst = append(dst, `\"`...)
			case '\\':
				dst = append(dst, `\\`...)
			case '\n':
				dst = append(dst, `\n`...)
			case '\r':
				dst = append(dst, `\r`...)
			case '\t':
				dst = append(dst, `\t`...)
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&15])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
