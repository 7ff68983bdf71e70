package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/sneller-re/sneller/ion"
)

// jsonRows decodes the rows of a JSON chunk with ion.JSONDecoder (so every loading rule of the
// dialect applies: numbers, timestamps, duplicate keys, limits) and applies the hints.
type jsonRows struct {
	hints *hintApplier
	ch    *chunk
	rd    bytes.Reader
	dec   *ion.JSONDecoder
	st    *ion.Symtab
	row   int // index of the next row in ch.rows
}

func newJSONRows(h *jsonHints) *jsonRows {
	j := &jsonRows{}
	if h != nil {
		j.hints = &hintApplier{h: h}
	}
	return j
}

func (j *jsonRows) reset(ch *chunk, st *ion.Symtab) {
	j.ch, j.st, j.row = ch, st, 0
	j.rd.Reset(ch.data)
	j.dec = ion.NewJSONDecoder(&j.rd, st)
}

// rowError builds a *RowError for a fault in the current row (at its start when the fault
// has no position of its own).
func (j *jsonRows) rowError(field string, err error) error {
	at := 0
	if j.row < len(j.ch.rows) {
		at = int(j.ch.rows[j.row])
	}
	line, col, off := j.ch.position(at)
	return &RowError{Line: line, Column: col, Offset: off, Field: field, Err: err}
}

func (j *jsonRows) next(dst *ion.Buffer) error {
	start := dst.Size()
	err := j.dec.Next(dst)
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		var je *ion.JSONError
		if errors.As(err, &je) {
			line := j.ch.line + je.Line - 1
			col := je.Column
			if je.Line == 1 {
				col += j.ch.col - 1
			}
			return &RowError{Line: line, Column: col, Offset: j.ch.offset + je.Offset, Err: &causeError{je.Msg, je.Err}}
		}
		return err
	}
	row := dst.Bytes()[start:]
	if ion.TypeOf(row) != ion.StructType {
		dst.Truncate(start)
		return j.rowError("", ErrNotObject)
	}
	if j.hints != nil {
		out, err := j.hints.apply(row, j.st)
		if err != nil {
			dst.Truncate(start)
			var fe *hintFieldError
			if errors.As(err, &fe) {
				return j.rowError(fe.path, fe.err)
			}
			return j.rowError("", fmt.Errorf("applying hints: %w", err))
		}
		dst.Truncate(start)
		dst.WriteRaw(out)
	}
	j.row++
	return nil
}

// causeError is an error message with the sentinel it stands for.
type causeError struct {
	msg string
	err error
}

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return e.err }

func (j *jsonRows) fault(err error) error {
	j.row--
	e := j.rowError("", err)
	j.row++
	return e
}
