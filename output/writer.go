package output

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

// Writer receives the rows of one result. Row gets struct Values whose MISSING columns are
// already left out. Close ends the result; Fail reports an error after rows were written,
// in the format's documented way, and ends the result.
type Writer interface {
	Row(v vm.Value) error
	Close() error
	Fail(err error) error
}

// Format names an output format.
type Format string

const (
	JSON   Format = "json"   // one JSON array
	NDJSON Format = "ndjson" // one JSON object per line
	Ion    Format = "ion"    // a binary Ion stream of structs
	CSV    Format = "csv"    // a header line and one line per row
)

// New returns a writer of format f on w. columns names the result's columns (for the CSV
// header; "" entries are expanded from the first row).
func New(f Format, w io.Writer, columns []string) (Writer, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch f {
	case JSON:
		return &jsonArray{w: bw}, nil
	case NDJSON:
		return &ndjson{w: bw}, nil
	case Ion:
		return &ionStream{w: bw}, nil
	case CSV:
		return &csvWriter{w: bw, c: csv.NewWriter(bw), cols: columns}, nil
	}
	return nil, fmt.Errorf("unknown output format %q (want json, ndjson, ion or csv)", f)
}

// ErrorRecord is the value written into a stream when a query fails after rows were sent:
// {"$ion_annotation$query_error": {"error_message": "..."}} in the JSON formats (the
// original's rendering of its annotated Ion error value), and query_error::{error_message:
// "..."} in Ion.
func errorValue(err error) vm.Value {
	return vm.Struct([]vm.Field{{Name: "error_message", Value: vm.String(err.Error())}})
}

type jsonArray struct {
	w    *bufio.Writer
	n    int
	buf  []byte
	done bool
}

func (j *jsonArray) Row(v vm.Value) error {
	j.buf = j.buf[:0]
	if j.n == 0 {
		j.buf = append(j.buf, '[')
	} else {
		j.buf = append(j.buf, ", "...)
	}
	j.n++
	j.buf = AppendJSON(j.buf, v)
	_, err := j.w.Write(j.buf)
	return err
}

func (j *jsonArray) Close() error {
	if j.done {
		return nil
	}
	j.done = true
	if j.n == 0 {
		j.w.WriteString("[")
	}
	j.w.WriteString("]")
	return j.w.Flush()
}

func (j *jsonArray) Fail(err error) error {
	e := vm.Struct([]vm.Field{{Name: "$ion_annotation$query_error", Value: errorValue(err)}})
	j.Row(e)
	return j.Close()
}

type ndjson struct {
	w   *bufio.Writer
	buf []byte
}

func (j *ndjson) Row(v vm.Value) error {
	j.buf = append(AppendJSON(j.buf[:0], v), '\n')
	_, err := j.w.Write(j.buf)
	return err
}

func (j *ndjson) Close() error { return j.w.Flush() }

func (j *ndjson) Fail(err error) error {
	j.Row(vm.Struct([]vm.Field{{Name: "$ion_annotation$query_error", Value: errorValue(err)}}))
	return j.Close()
}

// ionStream writes a version marker and a symbol table, then values; the symbol table is
// extended (append form) before the values that need new symbols.
type ionStream struct {
	w       *bufio.Writer
	st      ion.Symtab
	started bool
	written int        // symbols already declared
	body    ion.Buffer // the value being written
	out     ion.Buffer // the symbol table or its extension
}

func (s *ionStream) Row(v vm.Value) error {
	s.body.Reset()
	vm.EncodeIon(&s.body, &s.st, v)
	return s.emit()
}

// emit writes the pending symbols and the body.
func (s *ionStream) emit() error {
	if !s.started || s.st.Len() > s.written {
		s.out.Reset()
		if !s.started {
			s.st.Marshal(&s.out, true)
			s.started = true
		} else {
			s.st.MarshalSince(&s.out, s.written)
		}
		s.written = s.st.Len()
		if _, err := s.w.Write(s.out.Bytes()); err != nil {
			return err
		}
	}
	_, err := s.w.Write(s.body.Bytes())
	return err
}

func (s *ionStream) Close() error {
	if !s.started {
		s.body.Reset()
		s.emit() // the symbol table alone; Flush reports a write error
	}
	return s.w.Flush()
}

func (s *ionStream) Fail(err error) error {
	s.body.Reset()
	s.body.BeginAnnotation(s.st.Intern("query_error"))
	vm.EncodeIon(&s.body, &s.st, errorValue(err))
	s.body.EndAnnotation()
	s.emit()
	return s.w.Flush()
}

// WriteIonAnnotated writes an annotated value (the final status record) into an Ion writer.
func WriteIonAnnotated(w Writer, label string, v vm.Value) error {
	s, ok := w.(*ionStream)
	if !ok {
		return fmt.Errorf("not an Ion writer")
	}
	s.body.Reset()
	s.body.BeginAnnotation(s.st.Intern(label))
	vm.EncodeIon(&s.body, &s.st, v)
	s.body.EndAnnotation()
	return s.emit()
}

type csvWriter struct {
	w      *bufio.Writer
	c      *csv.Writer
	cols   []string
	header bool
	rec    []string
}

func (c *csvWriter) Row(v vm.Value) error {
	if !c.header {
		var cols []string
		for _, n := range c.cols {
			if n != "" {
				cols = append(cols, n)
			}
		}
		if len(cols) < len(c.cols) || len(cols) == 0 { // SELECT *: names from the first row
			cols = cols[:0]
			for _, f := range v.Fields() {
				cols = append(cols, f.Name)
			}
		}
		c.cols = cols
		c.header = true
		if err := c.c.Write(cols); err != nil {
			return err
		}
	}
	// Rows usually hold the columns in order (MISSING ones left out): follow the fields with
	// a cursor and look a name up only when the next field is not it.
	c.rec = c.rec[:0]
	fields, next := v.Fields(), 0
	for _, name := range c.cols {
		var f vm.Value
		if next < len(fields) && fields[next].Name == name {
			f = fields[next].Value
			next++
		} else {
			f = v.Field(name)
		}
		c.rec = append(c.rec, csvText(f))
	}
	return c.c.Write(c.rec)
}

func csvText(v vm.Value) string {
	switch v.Kind() {
	case vm.KMissing, vm.KNull:
		return ""
	case vm.KString:
		return v.String()
	case vm.KInt:
		return strconv.FormatInt(v.Int(), 10)
	case vm.KBool:
		return strconv.FormatBool(v.Bool())
	case vm.KTime:
		return string(vm.TimestampOf(v.Micros()).AppendRFC3339(nil))
	case vm.KFloat:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	}
	return string(AppendJSON(nil, v))
}

func (c *csvWriter) Close() error {
	if !c.header && len(c.cols) > 0 {
		c.c.Write(c.cols)
	}
	c.c.Flush()
	if err := c.c.Error(); err != nil {
		return err
	}
	return c.w.Flush()
}

// Fail writes a last line "#error: message" (a comment line CSV readers can skip).
func (c *csvWriter) Fail(err error) error {
	c.c.Flush()
	fmt.Fprintf(c.w, "#error: %s\n", err.Error())
	return c.w.Flush()
}
