package ion

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxJSONScalar is the longest string or number (in bytes of JSON text) the JSON reader
// accepts.
const MaxJSONScalar = 4 << 20

// JSONDecoder converts JSON text to Ion rows, following the SQL dialect's loading rules
// (docs/ion.md): numbers with an integral value become ints (3, 3.0 and 1e3 alike), other
// numbers and integers beyond int64 become floats, strings shaped like RFC 3339 date-times
// become timestamps, and the first of duplicate keys in an object wins.
//
// The input is a sequence of JSON values separated by whitespace (ND-JSON, or values spread
// over several lines); a top-level array is a list of rows rather than one row. Next appends one
// row at a time to a Buffer, interning field names in a shared Symtab. It parses from a byte
// window over the reader, without encoding/json and without allocating per value.
type JSONDecoder struct {
	// SpecialFloats makes the strings "float64:inf", "float64:+inf", "float64:-inf",
	// "float64:nan", "float64:NaN" and "float64:-0" inside an object or array load as the IEEE
	// special values (the conformance corpus's convention). Off by default.
	SpecialFloats bool

	r    io.Reader
	buf  []byte
	pos  int
	eof  bool
	rerr error // read error, reported once the window is drained

	base      int64 // stream offset of buf[0]
	lines     int   // newlines in the stream before buf[0]
	lineStart int64 // stream offset just after the last newline before buf[0]

	st      *Symtab
	arr     uint8 // top-level array state: 0 none, 1 after '[' or ',', 2 after an element
	scratch []byte
	seen    []Symbol
	dups    [MaxJSONDepth + 1]map[Symbol]struct{}
}

// Top-level array states.
const (
	arrNone = iota
	arrFirst
	arrAfter
	arrNext
)

// errNeedMore is the parser's signal that the window ends inside the current row.
var errNeedMore = errors.New("need more input")

// NewJSONDecoder returns a decoder of the JSON stream r that interns field names in st (a new
// table if st is nil; see Symtab).
func NewJSONDecoder(r io.Reader, st *Symtab) *JSONDecoder {
	if st == nil {
		st = &Symtab{}
	}
	return &JSONDecoder{r: r, st: st}
}

// Symtab returns the symbol table the decoder interns field names in.
func (d *JSONDecoder) Symtab() *Symtab { return d.st }

// FromJSON converts one JSON value (text holds exactly one, with optional surrounding
// whitespace) to Ion, appending it to dst and interning field names in st. A top-level array
// is one value here.
func FromJSON(dst *Buffer, st *Symtab, text []byte) error {
	if st == nil {
		return errors.New("ion: FromJSON needs a symbol table")
	}
	d := JSONDecoder{buf: text, eof: true, st: st}
	i, err := d.skipWS(0)
	if err != nil {
		return err
	}
	if i >= len(text) {
		return d.errAt(i, ErrSyntax, "no JSON value")
	}
	i, err = d.value(i, 0, dst)
	if err != nil {
		return err
	}
	i, err = d.skipWS(i)
	if err != nil {
		return err
	}
	if i < len(text) {
		return d.errAt(i, ErrSyntax, "invalid character %s after the JSON value", quoteChar(text[i]))
	}
	return nil
}

// Next appends the next row to dst. It returns io.EOF after the last row. On an error the
// bytes of the partly converted row are removed from dst; a *JSONError says where the input
// is at fault.
func (d *JSONDecoder) Next(dst *Buffer) error {
	for {
		start, pos, arr := dst.Size(), d.pos, d.arr
		err := d.next(dst)
		if err != errNeedMore {
			if err != nil && err != io.EOF {
				dst.Truncate(start)
			}
			return err
		}
		dst.Truncate(start)
		d.pos, d.arr = pos, arr
		if err := d.fill(); err != nil {
			return err
		}
	}
}

// InputOffset returns the number of input bytes consumed so far: the offset just past the
// last row returned by Next.
func (d *JSONDecoder) InputOffset() int64 { return d.base + int64(d.pos) }

// fill reads more input into the window, keeping the bytes from d.pos on.
func (d *JSONDecoder) fill() error {
	if d.eof {
		// cannot happen: the parser only asks for more before the end of input
		return d.errAt(len(d.buf), ErrSyntax, "unexpected end of input")
	}
	if d.pos > 0 {
		gone := d.buf[:d.pos]
		if nl := bytes.Count(gone, nlByte); nl > 0 {
			d.lines += nl
			d.lineStart = d.base + int64(bytes.LastIndexByte(gone, '\n')) + 1
		}
		n := copy(d.buf, d.buf[d.pos:])
		d.buf = d.buf[:n]
		d.base += int64(d.pos)
		d.pos = 0
	}
	// The bytes kept are the start of a row that did not fit, which is parsed again once
	// more arrives. For a long row, read at least as much again before returning, so that
	// each restart doubles what is there and the total work stays linear in the row's size
	// whatever sizes the reader returns; for a short one, any progress will do (a slow pipe
	// gets its rows without waiting for a full window).
	want := 1
	if len(d.buf) >= 4096 {
		want = len(d.buf)
	}
	if free := cap(d.buf) - len(d.buf); free < readChunk/2 || free < want {
		nb := make([]byte, len(d.buf), 2*len(d.buf)+readChunk)
		copy(nb, d.buf)
		d.buf = nb
	}
	for got := 0; got < want; {
		n, err := d.r.Read(d.buf[len(d.buf):cap(d.buf)])
		d.buf = d.buf[:len(d.buf)+n]
		got += n
		if err != nil {
			d.eof = true
			if !errors.Is(err, io.EOF) {
				d.rerr = err
				return err
			}
			return nil
		}
	}
	return nil
}

var nlByte = []byte{'\n'}

// errAt builds a *JSONError for the window position i.
func (d *JSONDecoder) errAt(i int, kind error, format string, args ...any) error {
	if i > len(d.buf) {
		i = len(d.buf)
	}
	before := d.buf[:i]
	line := d.lines + bytes.Count(before, nlByte) + 1
	var col int64
	if k := bytes.LastIndexByte(before, '\n'); k >= 0 {
		col = int64(i - k)
	} else {
		col = d.base + int64(i) - d.lineStart + 1
	}
	return &JSONError{Line: line, Column: int(col), Offset: d.base + int64(i), Msg: fmt.Sprintf(format, args...), Err: kind}
}

// end reports running out of window at i: more input is needed, or the text ends too early.
func (d *JSONDecoder) end(i int, what string) error {
	if !d.eof {
		return errNeedMore
	}
	return d.errAt(i, ErrSyntax, "unexpected end of input in %s", what)
}

var wsTable = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// skipWS returns the position of the next non-whitespace byte (len(buf) at the end).
func (d *JSONDecoder) skipWS(i int) (int, error) {
	buf := d.buf
	for i < len(buf) && wsTable[buf[i]] {
		i++
	}
	return i, nil
}

// next converts the next row, handling the top-level array structure.
func (d *JSONDecoder) next(dst *Buffer) error {
	buf := d.buf
	for {
		i, _ := d.skipWS(d.pos)
		if i == 0 && d.base == 0 && len(buf) >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf {
			d.pos = 3 // UTF-8 byte order mark
			continue
		}
		if i >= len(buf) {
			if !d.eof {
				d.pos = i
				return errNeedMore
			}
			d.pos = i
			if d.rerr != nil {
				return d.rerr
			}
			if d.arr != arrNone {
				return d.errAt(i, ErrSyntax, "unexpected end of input in the top-level array")
			}
			return io.EOF
		}
		c := buf[i]
		switch d.arr {
		case arrNone:
			if c == '[' {
				d.arr = arrFirst
				d.pos = i + 1
				continue
			}
		case arrFirst:
			if c == ']' {
				d.arr = arrNone
				d.pos = i + 1
				continue
			}
		case arrAfter:
			switch c {
			case ',':
				d.arr = arrNext
				d.pos = i + 1
				continue
			case ']':
				d.arr = arrNone
				d.pos = i + 1
				continue
			}
			return d.errAt(i, ErrSyntax, "invalid character %s after a row of the top-level array (want ',' or ']')", quoteChar(c))
		}
		j, err := d.value(i, 0, dst)
		if err != nil {
			return err
		}
		if d.arr != arrNone {
			d.arr = arrAfter
		}
		d.pos = j
		return nil
	}
}

func quoteChar(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return fmt.Sprintf("0x%02x", c)
}

// value converts the JSON value starting at buf[i] (not whitespace) and returns the position
// after it. depth is the number of enclosing arrays and objects.
func (d *JSONDecoder) value(i, depth int, dst *Buffer) (int, error) {
	buf := d.buf
	switch c := buf[i]; c {
	case '{':
		return d.object(i, depth, dst)
	case '[':
		return d.array(i, depth, dst)
	case '"':
		return d.stringValue(i, depth, dst)
	case 't':
		return d.literal(i, "true", dst)
	case 'f':
		return d.literal(i, "false", dst)
	case 'n':
		return d.literal(i, "null", dst)
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return d.number(i, dst)
		}
		return i, d.errAt(i, ErrSyntax, "invalid character %s looking for the beginning of a value", quoteChar(c))
	}
}

func (d *JSONDecoder) literal(i int, lit string, dst *Buffer) (int, error) {
	buf := d.buf
	n := len(lit)
	if len(buf)-i < n {
		if string(buf[i:]) == lit[:len(buf)-i] {
			return i, d.end(len(buf), "literal "+lit)
		}
	} else if string(buf[i:i+n]) == lit {
		switch lit[0] {
		case 't':
			dst.WriteBool(true)
		case 'f':
			dst.WriteBool(false)
		default:
			dst.WriteNull()
		}
		return i + n, d.delimited(i+n, lit)
	}
	return i, d.errAt(i, ErrSyntax, "invalid literal (want %s)", lit)
}

// delimited checks that the token ending at i is not followed by more identifier characters
// (as in "truex" or "12a").
func (d *JSONDecoder) delimited(i int, what string) error {
	if i >= len(d.buf) {
		if !d.eof {
			return errNeedMore
		}
		return nil
	}
	c := d.buf[i]
	if (c|0x20) >= 'a' && (c|0x20) <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == '_' {
		return d.errAt(i, ErrSyntax, "invalid character %s after %s", quoteChar(c), what)
	}
	return nil
}

func (d *JSONDecoder) array(i, depth int, dst *Buffer) (int, error) {
	if depth >= MaxJSONDepth {
		return i, d.errAt(i, ErrTooDeep, "nesting deeper than %d", MaxJSONDepth)
	}
	buf := d.buf
	dst.BeginList(-1)
	i, _ = d.skipWS(i + 1)
	if i >= len(buf) {
		return i, d.end(i, "array")
	}
	if buf[i] == ']' {
		dst.EndList()
		return i + 1, nil
	}
	for {
		var err error
		i, err = d.value(i, depth+1, dst)
		if err != nil {
			return i, err
		}
		i, _ = d.skipWS(i)
		if i >= len(buf) {
			return i, d.end(i, "array")
		}
		switch buf[i] {
		case ',':
			i, _ = d.skipWS(i + 1)
			if i >= len(buf) {
				return i, d.end(i, "array")
			}
		case ']':
			dst.EndList()
			return i + 1, nil
		default:
			return i, d.errAt(i, ErrSyntax, "invalid character %s in array (want ',' or ']')", quoteChar(buf[i]))
		}
	}
}

// dupLinear is how many keys an object may have before duplicate detection switches from a
// linear scan to a map.
const dupLinear = 32

func (d *JSONDecoder) object(i, depth int, dst *Buffer) (int, error) {
	if depth >= MaxJSONDepth {
		return i, d.errAt(i, ErrTooDeep, "nesting deeper than %d", MaxJSONDepth)
	}
	buf := d.buf
	dst.BeginStruct(-1)
	seen0 := len(d.seen)
	defer func() { d.seen = d.seen[:seen0] }()
	var m map[Symbol]struct{}
	i, _ = d.skipWS(i + 1)
	if i >= len(buf) {
		return i, d.end(i, "object")
	}
	if buf[i] == '}' {
		dst.EndStruct()
		return i + 1, nil
	}
	for {
		if buf[i] != '"' {
			return i, d.errAt(i, ErrSyntax, "invalid character %s looking for an object key", quoteChar(buf[i]))
		}
		key, j, err := d.str(i)
		if err != nil {
			return j, err
		}
		sym := d.st.InternBytes(key)
		i, _ = d.skipWS(j)
		if i >= len(buf) {
			return i, d.end(i, "object")
		}
		if buf[i] != ':' {
			return i, d.errAt(i, ErrSyntax, "invalid character %s after an object key (want ':')", quoteChar(buf[i]))
		}
		i, _ = d.skipWS(i + 1)
		if i >= len(buf) {
			return i, d.end(i, "object")
		}
		// duplicate keys: the first wins
		dup := false
		if m == nil {
			for _, s := range d.seen[seen0:] {
				if s == sym {
					dup = true
					break
				}
			}
			if !dup {
				d.seen = append(d.seen, sym)
				if len(d.seen)-seen0 > dupLinear {
					m = d.dupMap(depth)
					for _, s := range d.seen[seen0:] {
						m[s] = struct{}{}
					}
				}
			}
		} else if _, dup = m[sym]; !dup {
			m[sym] = struct{}{}
		}
		mark := dst.Size()
		dst.BeginField(sym)
		i, err = d.value(i, depth+1, dst)
		if err != nil {
			return i, err
		}
		if dup {
			dst.Truncate(mark)
		}
		i, _ = d.skipWS(i)
		if i >= len(buf) {
			return i, d.end(i, "object")
		}
		switch buf[i] {
		case ',':
			i, _ = d.skipWS(i + 1)
			if i >= len(buf) {
				return i, d.end(i, "object")
			}
		case '}':
			if m != nil {
				clear(m)
			}
			dst.EndStruct()
			return i + 1, nil
		default:
			return i, d.errAt(i, ErrSyntax, "invalid character %s in object (want ',' or '}')", quoteChar(buf[i]))
		}
	}
}

func (d *JSONDecoder) dupMap(depth int) map[Symbol]struct{} {
	m := d.dups[depth]
	if m == nil {
		m = make(map[Symbol]struct{}, 2*dupLinear)
		d.dups[depth] = m
	} else {
		clear(m)
	}
	return m
}
