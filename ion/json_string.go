package ion

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// JSON strings: scanning, unescaping and loading string values.

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// str scans the string starting at the quote at buf[i] and returns its content (a sub-slice of
// the window, or of d.scratch when it had escapes) and the position after the closing quote.
func (d *JSONDecoder) str(i int) ([]byte, int, error) {
	buf := d.buf
	start := i + 1
	j := start
	for {
		for j+8 <= len(buf) {
			if m := needEscape(binary.LittleEndian.Uint64(buf[j:])); m != 0 {
				j += bits.TrailingZeros64(m) >> 3
				break
			}
			j += 8
		}
		if j >= len(buf) {
			return nil, j, d.strEnd(start, j)
		}
		c := buf[j]
		switch {
		case c == '"':
			if j-start > MaxJSONScalar {
				return nil, j, d.errAt(start-1, ErrTooLarge, "string of %d bytes (limit %d)", j-start, MaxJSONScalar)
			}
			return buf[start:j], j + 1, nil
		case c == '\\':
			return d.unescape(start, j)
		case c < 0x20:
			return nil, j, d.errAt(j, ErrSyntax, "invalid control character %s in string", quoteChar(c))
		case c >= 0x80:
			size, err := d.utf8At(j)
			if err != nil {
				return nil, j, err
			}
			j += size
		default:
			j++
		}
	}
}

// utf8At checks the UTF-8 sequence at d.buf[j] inside a string and returns its size, or
// errNeedMore when the window ends inside it.
func (d *JSONDecoder) utf8At(j int) (int, error) {
	buf := d.buf
	r, size := utf8.DecodeRune(buf[j:])
	if r == utf8.RuneError && size <= 1 {
		if !d.eof && len(buf)-j < utf8.UTFMax && !utf8.FullRune(buf[j:]) {
			return 0, errNeedMore
		}
		return 0, d.errAt(j, ErrInvalid, "invalid UTF-8 in string")
	}
	return size, nil
}

// strEnd reports the window ending inside a string that started at start.
func (d *JSONDecoder) strEnd(start, j int) error {
	if j-start > MaxJSONScalar {
		return d.errAt(start-1, ErrTooLarge, "string longer than %d bytes", MaxJSONScalar)
	}
	return d.end(j, "string")
}

// unescape continues str from the first backslash at buf[j], writing the content to d.scratch.
func (d *JSONDecoder) unescape(start, j int) ([]byte, int, error) {
	buf := d.buf
	out := append(d.scratch[:0], buf[start:j]...)
	defer func() { d.scratch = out[:0] }()
	for {
		if j >= len(buf) {
			return nil, j, d.strEnd(start, j)
		}
		if j-start > MaxJSONScalar {
			return nil, j, d.errAt(start-1, ErrTooLarge, "string longer than %d bytes", MaxJSONScalar)
		}
		c := buf[j]
		switch {
		case c == '"':
			return out, j + 1, nil
		case c == '\\':
			if j+1 >= len(buf) {
				return nil, j, d.strEnd(start, j+1)
			}
			e := buf[j+1]
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, n, err := d.hexEscape(start, j)
				if err != nil {
					return nil, j, err
				}
				out = utf8.AppendRune(out, r)
				j += n
				continue
			default:
				return nil, j, d.errAt(j, ErrSyntax, "invalid escape \\%c in string", e)
			}
			j += 2
		case c < 0x20:
			return nil, j, d.errAt(j, ErrSyntax, "invalid control character %s in string", quoteChar(c))
		case c >= 0x80:
			size, err := d.utf8At(j)
			if err != nil {
				return nil, j, err
			}
			out = append(out, buf[j:j+size]...)
			j += size
		default:
			out = append(out, c)
			j++
		}
	}
}

func hex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// hexEscape decodes the \uXXXX escape at buf[j] (and a following low surrogate); it returns
// the rune and the bytes consumed. A lone surrogate becomes U+FFFD.
func (d *JSONDecoder) hexEscape(start, j int) (rune, int, error) {
	buf := d.buf
	for k := j + 2; k < j+6; k++ {
		if k >= len(buf) {
			return 0, 0, d.strEnd(start, len(buf))
		}
		if c := buf[k] | 0x20; !(buf[k] >= '0' && buf[k] <= '9' || c >= 'a' && c <= 'f') {
			return 0, 0, d.errAt(j, ErrSyntax, "invalid \\u escape in string")
		}
	}
	r, _ := hex4(buf[j+2:])
	if r < 0xd800 || r > 0xdfff {
		return r, 6, nil
	}
	if r >= 0xdc00 {
		return utf8.RuneError, 6, nil
	}
	// a high surrogate: is a low one next?
	if len(buf)-j < 12 {
		if !d.eof {
			return 0, 0, errNeedMore
		}
		return utf8.RuneError, 6, nil
	}
	if buf[j+6] == '\\' && buf[j+7] == 'u' {
		r2, ok := hex4(buf[j+8:])
		if ok && r2 >= 0xdc00 && r2 <= 0xdfff {
			return 0x10000 + (r-0xd800)<<10 + (r2 - 0xdc00), 12, nil
		}
	}
	return utf8.RuneError, 6, nil
}

// stringValue converts a string value: a timestamp if it has the RFC 3339 shape, a special
// float if enabled, else an Ion string.
func (d *JSONDecoder) stringValue(i, depth int, dst *Buffer) (int, error) {
	s, j, err := d.str(i)
	if err != nil {
		return j, err
	}
	if len(s) >= 19 && (s[0]-'0' <= 9 || wsTable[s[0]]) {
		if t, ok := ParseRFC3339(s); ok {
			dst.WriteTimestamp(t)
			return j, nil
		}
	}
	if d.SpecialFloats && depth > 0 && len(s) >= 9 && string(s[:8]) == "float64:" {
		if f, ok := specialFloat(s[8:]); ok {
			dst.WriteFloat64(f)
			return j, nil
		}
	}
	dst.WriteStringBytes(s)
	return j, nil
}
