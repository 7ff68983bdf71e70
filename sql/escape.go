package sql

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the quoting rules shared by 'strings' and "quoted identifiers": Go-style
// backslash escapes on the way in, and the inverse on the way out.

// escapeError describes a bad escape at a byte offset of the source.
type escapeError struct {
	off int
	msg string
}

// decodeEscape decodes the backslash escape that starts at s[i] (s[i] == '\\'). It appends the
// decoded bytes to b and returns the offset just past the escape.
func decodeEscape(b *strings.Builder, s string, i int) (int, *escapeError) {
	if i+1 >= len(s) {
		return i, &escapeError{i, "backslash at end of input"}
	}
	c := s[i+1]
	switch c {
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'v':
		b.WriteByte('\v')
	case '\\', '\'', '"':
		b.WriteByte(c)
	case 'x':
		v, ok := hexValue(s, i+2, 2)
		if !ok {
			return i, &escapeError{i, `bad escape \x (want two hex digits)`}
		}
		b.WriteByte(byte(v))
		return i + 4, nil
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		v, ok := hexValue(s, i+2, n)
		if !ok {
			return i, &escapeError{i, "bad escape \\" + string(c) + " (want " + string(rune('0'+n)) + " hex digits)"}
		}
		if v > unicode.MaxRune || (v >= 0xD800 && v < 0xE000) {
			return i, &escapeError{i, "bad escape " + s[i:i+2+n] + " (not a valid code point)"}
		}
		b.WriteRune(rune(v))
		return i + 2 + n, nil
	case '0', '1', '2', '3', '4', '5', '6', '7':
		v := 0
		for k := 1; k <= 3; k++ {
			if i+k >= len(s) || s[i+k] < '0' || s[i+k] > '7' {
				return i, &escapeError{i, `bad octal escape (want three octal digits)`}
			}
			v = v*8 + int(s[i+k]-'0')
		}
		if v > 255 {
			return i, &escapeError{i, "bad octal escape " + s[i:i+4] + " (above 255)"}
		}
		b.WriteByte(byte(v))
		return i + 4, nil
	default:
		r, _ := utf8.DecodeRuneInString(s[i+1:])
		return i, &escapeError{i, "unknown escape \\" + string(r)}
	}
	return i + 2, nil
}

// hexValue reads n hex digits at s[i:].
func hexValue(s string, i, n int) (uint32, bool) {
	if i+n > len(s) {
		return 0, false
	}
	var v uint32
	for _, c := range []byte(s[i : i+n]) {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint32(d)
	}
	return v, true
}

// quoteString renders s as a single-quoted SQL string that the lexer decodes back to s.
func quoteString(s string) string { return quoteWith(s, '\'') }

// quoteIdent renders s as a double-quoted identifier that the lexer decodes back to s.
func quoteIdent(s string) string { return quoteWith(s, '"') }

const hexDigits = "0123456789abcdef"

func quoteWith(s string, q byte) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(q)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == q || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\t':
				b.WriteString(`\t`)
			case c == '\r':
				b.WriteString(`\r`)
			case c < 0x20 || c == 0x7f:
				b.WriteString(`\x`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&15])
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		case !unicode.IsPrint(r):
			if r <= 0xFFFF {
				b.WriteString(`\u`)
				for sh := 12; sh >= 0; sh -= 4 {
					b.WriteByte(hexDigits[(r>>sh)&15])
				}
			} else {
				b.WriteString(`\U`)
				for sh := 28; sh >= 0; sh -= 4 {
					b.WriteByte(hexDigits[(r>>sh)&15])
				}
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte(q)
	return b.String()
}
