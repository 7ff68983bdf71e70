package db

import (
	"errors"
	"fmt"
	"time"

	"github.com/sneller-re/sneller/ion"
)

// Small helpers over the ion cursor for the documents of this package (the index and its
// input segments): they decode untrusted bytes without building a value tree, so their cost
// stays proportional to the input.

// errStructure describes a document whose Ion is valid but whose shape is not the expected
// one.
var errStructure = errors.New("unexpected structure")

// ionWriter writes one top-level struct with its local symbol table.
type ionWriter struct {
	st   ion.Symtab
	body ion.Buffer
}

func (w *ionWriter) field(name string) { w.body.BeginField(w.st.Intern(name)) }

func (w *ionWriter) str(name, v string) {
	w.field(name)
	w.body.WriteString(v)
}

func (w *ionWriter) int(name string, v int64) {
	w.field(name)
	w.body.WriteInt(v)
}

func (w *ionWriter) blob(name string, v []byte) {
	w.field(name)
	w.body.WriteBlob(v)
}

func (w *ionWriter) time(name string, t time.Time) {
	w.field(name)
	w.body.WriteTimestamp(ion.FromTime(t.UTC(), 6))
}

func (w *ionWriter) bool(name string, v bool) {
	w.field(name)
	w.body.WriteBool(v)
}

func (w *ionWriter) strs(name string, v []string) {
	w.field(name)
	w.body.BeginList(-1)
	for _, s := range v {
		w.body.WriteString(s)
	}
	w.body.EndList()
}

// bytes returns the version marker, the symbol table and the body.
func (w *ionWriter) bytes() []byte {
	var out ion.Buffer
	w.st.Marshal(&out, true)
	out.WriteRaw(w.body.Bytes())
	return out.Bytes()
}

// readTop returns the single top-level value of an Ion stream and its symbol table.
func readTop(data []byte) ([]byte, *ion.Symtab, error) {
	r := ion.NewBytesReader(data)
	if !r.Next() {
		if r.Err() != nil {
			return nil, nil, r.Err()
		}
		return nil, nil, fmt.Errorf("%w: no value", errStructure)
	}
	v, st := r.Value(), r.Symtab().Clone()
	if r.Next() {
		return nil, nil, fmt.Errorf("%w: more than one top-level value (at offset %d)", errStructure, r.Offset())
	}
	if r.Err() != nil {
		return nil, nil, r.Err()
	}
	return v, st, nil
}

// eachField calls fn with the name and value of every field of the struct v.
func eachField(v []byte, st *ion.Symtab, fn func(name string, v []byte) error) error {
	it, err := ion.Fields(v)
	if err != nil {
		return err
	}
	for it.Next() {
		name, ok := st.Get(it.Symbol())
		if !ok {
			return fmt.Errorf("%w: field name symbol %d has no text", errStructure, it.Symbol())
		}
		if err := fn(name, it.Value()); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return it.Err()
}

// eachElem calls fn with every element of the list v.
func eachElem(v []byte, fn func(i int, v []byte) error) error {
	it, err := ion.Elements(v)
	if err != nil {
		return err
	}
	i := 0
	for it.Next() {
		if err := fn(i, it.Value()); err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
		i++
	}
	return it.Err()
}

func ionInt(v []byte) (int64, error) {
	n, _, err := ion.ReadInt(v)
	return n, err
}

// ionCount reads a non-negative int no larger than max.
func ionCount(v []byte, max int64) (int64, error) {
	n, err := ionInt(v)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > max {
		return 0, fmt.Errorf("%w: %d out of range [0, %d]", errStructure, n, max)
	}
	return n, nil
}

func ionString(v []byte) (string, error) {
	s, _, err := ion.ReadString(v)
	return s, err
}

func ionBool(v []byte) (bool, error) {
	b, _, err := ion.ReadBool(v)
	return b, err
}

func ionFloat(v []byte) (float64, error) {
	f, _, err := ion.ReadFloat(v)
	return f, err
}

func ionTime(v []byte) (time.Time, error) {
	t, _, err := ion.ReadTimestamp(v)
	if err != nil {
		return time.Time{}, err
	}
	return t.Time().UTC().Truncate(time.Microsecond), nil
}

func ionHash(v []byte) ([32]byte, error) {
	var h [32]byte
	b, _, err := ion.ReadBytes(v)
	if err != nil {
		return h, err
	}
	if len(b) != 32 {
		return h, fmt.Errorf("%w: hash of %d bytes, want 32", errStructure, len(b))
	}
	copy(h[:], b)
	return h, nil
}

func ionStrings(v []byte) ([]string, error) {
	var out []string
	err := eachElem(v, func(_ int, e []byte) error {
		s, err := ionString(e)
		out = append(out, s)
		return err
	})
	return out, err
}
