package vm

import (
	"context"
	"fmt"
)

// Source is a table the executor scans: a list of independently readable blocks. Packed blobs,
// materialised subquery results and test tables implement it.
type Source interface {
	// Blocks returns the number of blocks.
	Blocks() int
	// Summary describes block i for block skipping (nil when unknown).
	Summary(i int) Summary
	// Open reads block i. The returned FieldSet gives the block's top-level fields as columns
	// (decoded lazily: only the fields a query asks for are decompressed); n is its row count.
	// need, when non-nil, lists the paths the query may read, so that an implementation can
	// fetch them together. release is called when the block's batches are done.
	Open(ctx context.Context, i int, need *PathSet) (fields FieldSet, n int, release func(), err error)
}

// Summary holds what is known of a block's columns without reading them.
type Summary interface {
	// Rows is the block's row count.
	Rows() int
	// Range returns the per-type value ranges of the column at path, and ok = false when the
	// summary does not know the column (a block without the column at all has ok = true and
	// an empty range: every row is MISSING there).
	Range(path []string) (r Range, ok bool)
	// Bytes is the decompressed size of the columns at the given paths (all when nil), for
	// scan accounting and limits.
	Bytes(need *PathSet) int64
}

// Range is the set of values a column can hold in a block: for each type class present, its
// minimum and maximum, and whether other kinds occur.
type Range struct {
	Missing               int // rows where the column is MISSING
	Null, Bool, Composite bool
	BoolMin, BoolMax      bool
	Num                   bool
	NumMin, NumMax        Value // ints or floats
	Time                  bool
	TimeMin, TimeMax      int64
	Str                   bool
	StrMin, StrMax        []byte // StrMax may be a truncated upper bound
	StrMaxUnbounded       bool   // the maximum is unknown (strings past the stored prefix)
}

// PathSet is a set of field paths a query reads.
type PathSet struct {
	All   bool // the whole row (SELECT *)
	Paths [][]string
}

// Add records a path; a prefix of a recorded path covers it.
func (p *PathSet) Add(path []string) {
	if p.All {
		return
	}
	p.Paths = append(p.Paths, append([]string(nil), path...))
}

// Wants reports whether the column at path is needed (it, a prefix of it, or a longer path
// under it was added).
func (p *PathSet) Wants(path []string) bool {
	if p == nil || p.All {
		return true
	}
	for _, q := range p.Paths {
		n := min(len(q), len(path))
		same := true
		for i := 0; i < n; i++ {
			if q[i] != path[i] {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// ValuesSource is a Source over rows held in memory (subquery results, CTEs, tests): every
// row is a struct Value, presented as columns of a single block per chunk of rows.
type ValuesSource struct {
	Rows      []Value
	BlockRows int // rows per block (default 4096)
}

func (s *ValuesSource) blockRows() int {
	if s.BlockRows > 0 {
		return s.BlockRows
	}
	return 4096
}

func (s *ValuesSource) Blocks() int {
	return (len(s.Rows) + s.blockRows() - 1) / s.blockRows()
}

func (s *ValuesSource) Summary(i int) Summary { return nil }

func (s *ValuesSource) Open(ctx context.Context, i int, need *PathSet) (FieldSet, int, func(), error) {
	lo := i * s.blockRows()
	if lo >= len(s.Rows) {
		return nil, 0, nil, fmt.Errorf("block %d out of range", i)
	}
	hi := min(lo+s.blockRows(), len(s.Rows))
	return RowFields(s.Rows[lo:hi]), hi - lo, func() {}, nil
}

// RowFields presents struct Values as a FieldSet: the union of their field names, each field a
// column (non-struct rows have no fields).
func RowFields(rows []Value) FieldSet {
	var names []string
	idx := map[string]int{}
	for _, r := range rows {
		for _, f := range r.Fields() {
			if _, ok := idx[f.Name]; !ok {
				idx[f.Name] = len(names)
				names = append(names, f.Name)
			}
		}
	}
	return &rowFields{rows: rows, names: names, idx: idx, cols: make([]*Vec, len(names))}
}

type rowFields struct {
	rows  []Value
	names []string
	idx   map[string]int
	cols  []*Vec
}

func (r *rowFields) Names() []string { return r.names }

func (r *rowFields) Field(name string) (*Vec, error) {
	i, ok := r.idx[name]
	if !ok {
		return nil, nil
	}
	if r.cols[i] == nil {
		v := &Vec{}
		v.Reset(len(r.rows))
		for j, row := range r.rows {
			v.Put(j, row.Field(name))
		}
		r.cols[i] = v
	}
	return r.cols[i], nil
}
