package ingest

import (
	"bytes"
	"fmt"
	"io"

	"github.com/sneller-re/sneller/ion"
)

// csvRows parses the records of a CSV or TSV chunk and encodes each as a struct by the hints.
//
// CSV follows RFC 4180: fields separated by the separator, records by LF or CRLF; a field
// that starts with a quote is quoted, may hold separators, newlines and doubled quotes, and
// must be followed by a separator or the end of the record. A quote inside an unquoted field
// is an error. TSV has no quoting: fields are separated by tabs, records by LF or CRLF. Empty
// lines are skipped.
type csvRows struct {
	h      *csvHints
	quoted bool
	st     *ion.Symtab

	ch        *chunk
	pos       int
	line      int // line of data[pos]
	lineStart int // offset in data where the line of data[pos] starts (negative on the chunk's first line when it starts mid-line)

	recLine, recCol, recAt int // where the last record starts

	fields  []fieldRef
	scratch []byte // unescaped quoted fields
	tmp     ion.Buffer
}

// fieldRef locates one field of the current record.
type fieldRef struct {
	start, end int  // in the chunk's data, or in scratch when unescaped
	unescaped  bool // the text is in scratch
	at         int  // offset in the chunk's data where the field starts
	line, col  int
}

func newCSVRows(h *csvHints, quoted bool) *csvRows {
	return &csvRows{h: h, quoted: quoted}
}

func (r *csvRows) reset(ch *chunk, st *ion.Symtab) {
	r.ch, r.st = ch, st
	r.pos = 0
	r.line = ch.line
	r.lineStart = -(ch.col - 1)
}

func (r *csvRows) newline(i int) {
	r.line++
	r.lineStart = i + 1
}

func (r *csvRows) errAt(i int, format string, args ...any) error {
	return &RowError{Line: r.line, Column: i - r.lineStart + 1, Offset: r.ch.offset + int64(i),
		Err: fmt.Errorf("%w: "+format, append([]any{ErrSyntax}, args...)...)}
}

func (r *csvRows) text(f *fieldRef) []byte {
	if f.unescaped {
		return r.scratch[f.start:f.end]
	}
	return r.ch.data[f.start:f.end]
}

// next parses the next record and appends it to dst as a struct.
func (r *csvRows) next(dst *ion.Buffer) error {
	data := r.ch.data
	// skip empty lines
	for {
		if r.pos >= len(data) {
			return io.EOF
		}
		if data[r.pos] == '\n' {
			r.newline(r.pos)
			r.pos++
			continue
		}
		if data[r.pos] == '\r' && r.pos+1 < len(data) && data[r.pos+1] == '\n' {
			r.newline(r.pos + 1)
			r.pos += 2
			continue
		}
		break
	}
	r.fields = r.fields[:0]
	r.scratch = r.scratch[:0]
	r.recLine, r.recCol, r.recAt = r.line, r.pos-r.lineStart+1, r.pos
	sep := r.h.sep
	for {
		i := r.pos
		f := fieldRef{line: r.line, col: i - r.lineStart + 1, at: i}
		if r.quoted && i < len(data) && data[i] == '"' {
			open := i
			i++
			start := i
			escaped := false
			for {
				q := bytes.IndexByte(data[i:], '"')
				if q < 0 {
					return &RowError{Line: f.line, Column: f.col, Offset: r.ch.offset + int64(open),
						Err: fmt.Errorf("%w: quoted field never closed", ErrSyntax)}
				}
				for k := i; k < i+q; k++ {
					if data[k] == '\n' {
						r.newline(k)
					}
				}
				i += q + 1
				if i < len(data) && data[i] == '"' {
					escaped = true
					i++
					continue
				}
				break
			}
			f.start, f.end = start, i-1
			if escaped {
				s := len(r.scratch)
				for k := start; k < i-1; k++ {
					r.scratch = append(r.scratch, data[k])
					if data[k] == '"' {
						k++ // the second quote of a pair
					}
				}
				f.start, f.end, f.unescaped = s, len(r.scratch), true
			}
			r.fields = append(r.fields, f)
			switch {
			case i >= len(data):
				r.pos = i
				return r.encode(dst)
			case data[i] == sep:
				r.pos = i + 1
				continue
			case data[i] == '\n':
				r.newline(i)
				r.pos = i + 1
				return r.encode(dst)
			case data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n':
				r.newline(i + 1)
				r.pos = i + 2
				return r.encode(dst)
			}
			return r.errAt(i, "invalid character %s after the closing quote of a field", quoteByte(data[i]))
		}
		// an unquoted field
		j := i
		for j < len(data) {
			c := data[j]
			if c == sep || c == '\n' {
				break
			}
			if c == '"' && r.quoted {
				return r.errAt(j, "a quote inside an unquoted field (quote the whole field and double the quote)")
			}
			j++
		}
		end := j
		if j < len(data) && data[j] == '\n' && end > i && data[end-1] == '\r' {
			end--
		}
		f.start, f.end = i, end
		r.fields = append(r.fields, f)
		if j >= len(data) {
			r.pos = j
			return r.encode(dst)
		}
		if data[j] == '\n' {
			r.newline(j)
			r.pos = j + 1
			return r.encode(dst)
		}
		r.pos = j + 1 // over the separator
	}
}

// encode appends the current record as a struct.
func (r *csvRows) encode(dst *ion.Buffer) error {
	cols := r.h.columns
	if len(r.fields) > len(cols) {
		for k := len(cols); k < len(r.fields); k++ {
			f := &r.fields[k]
			if len(r.text(f)) > 0 {
				return &RowError{Line: f.line, Column: f.col, Offset: r.ch.offset + int64(f.at),
					Err: fmt.Errorf("%w: the record has %d fields but the hints name %d (add {\"type\": \"ignore\"} fields to skip the rest)",
						ErrSyntax, len(r.fields), len(cols))}
			}
		}
	}
	start := dst.Size()
	dst.BeginStruct(-1)
	if _, err := r.group(dst, r.h.tree); err != nil {
		dst.Truncate(start)
		return err
	}
	dst.EndStruct()
	return nil
}

// group writes the members of g that have values; it returns how many it wrote.
func (r *csvRows) group(dst *ion.Buffer, g *csvGroup) (int, error) {
	n := 0
	for _, m := range g.members {
		if m.group != nil {
			mark := dst.Size()
			dst.BeginField(r.st.Intern(m.name))
			dst.BeginStruct(-1)
			k, err := r.group(dst, m.group)
			if err != nil {
				return n, err
			}
			if k == 0 {
				dst.Truncate(mark)
				continue
			}
			dst.EndStruct()
			n++
			continue
		}
		ok, err := r.column(dst, m.name, m.column)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// column writes the field named name from column k, unless its value is missing.
func (r *csvRows) column(dst *ion.Buffer, name string, k int) (bool, error) {
	col := &r.h.columns[k]
	var text []byte
	var f *fieldRef
	present := k < len(r.fields)
	if present {
		f = &r.fields[k]
		text = r.text(f)
		for _, m := range col.missing {
			if bytes.Equal(m, text) {
				present = false
				break
			}
		}
		if present && len(text) == 0 && !(col.allowEmpty && col.typ == tString) {
			present = false
		}
	}
	if !present {
		if col.def == nil {
			return false, nil
		}
		text = col.def
	}
	mark := dst.Size()
	dst.BeginField(r.st.Intern(name))
	if err := writeText(dst, col.typ, text, col.bools, &r.tmp); err != nil {
		dst.Truncate(mark)
		// only a default can be at fault without a field (and defaults are checked up front)
		re := &RowError{Line: r.line, Field: col.name, Offset: r.ch.offset + int64(r.pos), Err: err}
		if f != nil {
			re.Line, re.Column, re.Offset = f.line, f.col, r.ch.offset+int64(f.at)
		}
		return false, re
	}
	return true, nil
}

func (r *csvRows) fault(err error) error {
	return &RowError{Line: r.recLine, Column: r.recCol, Offset: r.ch.offset + int64(r.recAt), Err: err}
}
