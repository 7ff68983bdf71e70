package db

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrBadPartition means a partition spec is invalid or its value cannot be computed for an
// object.
var ErrBadPartition = errors.New("invalid partition")

// Partition is one entry of a definition's "partitions": every row of an object gets the
// constant Field, computed from the object's pattern captures by the Value template (by
// default the capture named like the field) and typed by Type.
type Partition struct {
	// Field is the name of the constant field; required and unique.
	Field string `json:"field"`
	// Type is "string" (the default when empty), "int", "date" (YYYY-MM-DD, stored as
	// that day at 00:00:00Z) or "datetime"/"timestamp" (RFC 3339).
	Type string `json:"type,omitempty"`
	// Value is the template ($name, ${name}, $$) computing the value from the captures;
	// empty means "$" + Field.
	Value string `json:"value,omitempty"`
}

// Partition types.
const (
	PartString   = "string"
	PartInt      = "int"
	PartDate     = "date"
	PartDatetime = "datetime"
)

// normType returns the canonical type for t ("" and "timestamp" are aliases).
func normType(t string) (string, bool) {
	switch t {
	case "", PartString:
		return PartString, true
	case PartInt:
		return PartInt, true
	case PartDate:
		return PartDate, true
	case PartDatetime, "timestamp":
		return PartDatetime, true
	}
	return "", false
}

// PartitionValue is the value of one partition field for one object.
type PartitionValue struct {
	Field string
	// Type is the canonical type: PartString, PartInt, PartDate or PartDatetime.
	Type string
	// Text is the evaluated template, which also names the partition's path segment.
	Text string
	// Int is the value of an int partition.
	Int int64
	// Time is the value of a date (midnight UTC) or datetime partition.
	Time time.Time
}

// parse sets the typed value of v from its Text by its Type.
func (v *PartitionValue) parse() error {
	var err error
	switch v.Type {
	case PartInt:
		v.Int, err = strconv.ParseInt(v.Text, 10, 64)
	case PartDate:
		v.Time, err = time.Parse(time.DateOnly, v.Text)
	case PartDatetime:
		v.Time, err = time.Parse(time.RFC3339Nano, v.Text)
		v.Time = v.Time.UTC()
	}
	return err
}

// Partitioner computes the partition values of objects from their captures. Build it once per
// definition with NewPartitioner.
type Partitioner struct {
	parts []compiledPartition
}

type compiledPartition struct {
	field, typ string
	tmpl       *Template
}

// NewPartitioner compiles the partition specs. Errors wrap [ErrBadPartition] and name the
// position (partitions[i]).
func NewPartitioner(parts []Partition) (*Partitioner, error) {
	p := &Partitioner{}
	for i, sp := range parts {
		c, err := compilePartition(sp, parts[:i])
		if err != nil {
			return nil, fmt.Errorf("partitions[%d]: %w", i, err)
		}
		p.parts = append(p.parts, c)
	}
	return p, nil
}

func compilePartition(sp Partition, before []Partition) (compiledPartition, error) {
	if sp.Field == "" {
		return compiledPartition{}, fmt.Errorf("%w: field: required", ErrBadPartition)
	}
	for _, b := range before {
		if b.Field == sp.Field {
			return compiledPartition{}, fmt.Errorf("%w: field %q appears twice", ErrBadPartition, sp.Field)
		}
	}
	for _, r := range sp.Field {
		if r < 0x20 || r == 0x7f {
			return compiledPartition{}, fmt.Errorf("%w: field %q holds a control character", ErrBadPartition, sp.Field)
		}
	}
	typ, ok := normType(sp.Type)
	if !ok {
		return compiledPartition{}, fmt.Errorf("%w: type %q (want string, int, date, datetime or timestamp)", ErrBadPartition, sp.Type)
	}
	src := sp.Value
	if src == "" {
		if !isIdent(sp.Field) {
			return compiledPartition{}, fmt.Errorf("%w: field %q is not a capture name: set \"value\"", ErrBadPartition, sp.Field)
		}
		src = "$" + sp.Field
	}
	tmpl, err := ParseTemplate(src)
	if err != nil {
		return compiledPartition{}, fmt.Errorf("%w: value: %w", ErrBadPartition, err)
	}
	return compiledPartition{field: sp.Field, typ: typ, tmpl: tmpl}, nil
}

// Names returns the capture names the partitions use.
func (p *Partitioner) Names() []string {
	var out []string
	for _, c := range p.parts {
		out = append(out, c.tmpl.Names()...)
	}
	return out
}

// Len returns the number of partition fields.
func (p *Partitioner) Len() int { return len(p.parts) }

// Eval computes the partition values of an object from its captures, and the partition's path
// (the values' texts joined by '/'), under which the object's packed blobs live. With no
// partitions it returns nil and "". Errors wrap [ErrBadPartition].
func (p *Partitioner) Eval(caps Captures) ([]PartitionValue, string, error) {
	if len(p.parts) == 0 {
		return nil, "", nil
	}
	vals := make([]PartitionValue, len(p.parts))
	texts := make([]string, len(p.parts))
	for i, c := range p.parts {
		text, err := c.tmpl.Eval(caps)
		if err != nil {
			return nil, "", fmt.Errorf("%w: %s: %w", ErrBadPartition, c.field, err)
		}
		v := PartitionValue{Field: c.field, Type: c.typ, Text: text}
		if err := v.parse(); err != nil {
			return nil, "", fmt.Errorf("%w: %s: value %q is not a valid %s", ErrBadPartition, c.field, text, c.typ)
		}
		for seg := range strings.SplitSeq(text, "/") {
			if seg == "" || seg == "." || seg == ".." {
				return nil, "", fmt.Errorf("%w: %s: value %q does not make a valid path segment", ErrBadPartition, c.field, text)
			}
		}
		vals[i] = v
		texts[i] = text
	}
	path := strings.Join(texts, "/")
	if err := ValidPath(path); err != nil {
		return nil, "", fmt.Errorf("%w: partition path: %w", ErrBadPartition, err)
	}
	return vals, path, nil
}
