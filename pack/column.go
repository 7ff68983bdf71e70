package pack

import (
	"bytes"
	"math/bits"
)

// bitmap is a growable bitmap of rows.
type bitmap []uint64

func (b *bitmap) set(i int) {
	w := i >> 6
	for len(*b) <= w {
		*b = append(*b, 0)
	}
	(*b)[w] |= 1 << (i & 63)
}

func (b bitmap) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// column accumulates one column of a block while rows are added: each lane holds the rows
// (by row number) whose value has its type.
type column struct {
	path  []string
	depth int

	lanes                            uint16
	null, boolm, boolv, intm, floatm bitmap
	timem, strm, ionm, structm       bitmap
	ints, times                      []int64
	floats                           []float64
	strRows                          []int32
	strEnd                           []uint32
	strData                          []byte
	ionRows                          []int32
	ionEnd                           []uint32
	ionData                          []byte
	children                         []*column
	byName                           map[string]*column
	listm                            bitmap
	listRows                         []int32
	listEnd                          []uint32
	elem                             *column   // the element column of the list lane
	count                            int       // rows of an element column (its elements)
	space                            *int      // the row count of the column's row space
	bySym                            []*column // child by symbol ID of the block's symbol table
	full                             bool      // too many fields: further structs go to the Ion lane
	stats                            colStats
	rawBytes                         int
	lastRow                          int // 1 + the last row that got a value (to drop duplicate fields)
	// spare is the column of the same path in the previous block: a new child takes over the
	// memory of spare's child of the same name instead of growing its slices from nothing.
	spare *column
}

// colStats are the statistics of one column of a block.
type colStats struct {
	nulls, bools, ints, floats, times, strs, ions, structs int
	nans, lists                                            int
	boolMin, boolMax                                       bool
	intMin, intMax                                         int64
	floatMin, floatMax                                     float64
	timeMin, timeMax                                       int64
	strMin, strMax                                         []byte
	strMaxUnbounded                                        bool
}

func newColumn(path []string, depth int, space *int) *column {
	return &column{path: path, depth: depth, space: space}
}

// growTo extends s with zeros to length n.
func growTo[T any](s []T, n int) []T {
	if len(s) < n {
		s = append(s, make([]T, n-len(s))...)
	}
	return s
}

func (c *column) addNull(row int) {
	c.lanes |= laneNull
	c.null.set(row)
	c.stats.nulls++
}

func (c *column) addBool(row int, v bool) {
	c.lanes |= laneBool
	c.boolm.set(row)
	if v {
		c.boolv.set(row)
	}
	s := &c.stats
	if s.bools == 0 {
		s.boolMin, s.boolMax = v, v
	} else {
		s.boolMin = s.boolMin && v
		s.boolMax = s.boolMax || v
	}
	s.bools++
}

func (c *column) addInt(row int, v int64) {
	c.lanes |= laneInt
	c.intm.set(row)
	c.ints = growTo(c.ints, row)
	c.ints = append(c.ints[:row], v)
	s := &c.stats
	if s.ints == 0 || v < s.intMin {
		s.intMin = v
	}
	if s.ints == 0 || v > s.intMax {
		s.intMax = v
	}
	s.ints++
	c.rawBytes += 8
}

func (c *column) addFloat(row int, v float64) {
	c.lanes |= laneFloat
	c.floatm.set(row)
	c.floats = growTo(c.floats, row)
	c.floats = append(c.floats[:row], v)
	s := &c.stats
	if v != v { // NaN does not enter the range
		s.nans++
	} else {
		if s.floats == s.nans || v < s.floatMin {
			s.floatMin = v
		}
		if s.floats == s.nans || v > s.floatMax {
			s.floatMax = v
		}
	}
	s.floats++
	c.rawBytes += 8
}

func (c *column) addTime(row int, us int64) {
	c.lanes |= laneTime
	c.timem.set(row)
	c.times = growTo(c.times, row)
	c.times = append(c.times[:row], us)
	s := &c.stats
	if s.times == 0 || us < s.timeMin {
		s.timeMin = us
	}
	if s.times == 0 || us > s.timeMax {
		s.timeMax = us
	}
	s.times++
	c.rawBytes += 8
}

func (c *column) addString(row int, v []byte) {
	c.lanes |= laneStr
	c.strm.set(row)
	c.strRows = append(c.strRows, int32(row))
	c.strData = append(c.strData, v...)
	c.strEnd = append(c.strEnd, uint32(len(c.strData)))
	s := &c.stats
	if s.strs == 0 || bytes.Compare(v, s.strMin) < 0 {
		s.strMin = append(s.strMin[:0], v[:min(len(v), statPrefix)]...)
	}
	if !s.strMaxUnbounded && (s.strs == 0 || bytes.Compare(v, s.strMax) > 0) {
		if len(v) > statPrefix {
			s.strMaxUnbounded = true
			s.strMax = s.strMax[:0]
		} else {
			s.strMax = append(s.strMax[:0], v...)
		}
	}
	s.strs++
	c.rawBytes += len(v) + 8
}

func (c *column) addIon(row int, v []byte) {
	c.lanes |= laneIon
	c.ionm.set(row)
	c.ionRows = append(c.ionRows, int32(row))
	c.ionData = append(c.ionData, v...)
	c.ionEnd = append(c.ionEnd, uint32(len(c.ionData)))
	c.stats.ions++
	c.rawBytes += len(v) + 8
}

func (c *column) addStruct(row int) {
	c.lanes |= laneStruct
	c.structm.set(row)
	c.stats.structs++
}

// child returns the column of field name, creating it (nil when the struct has too many
// fields already).
func (c *column) child(name string) *column {
	if k, ok := c.byName[name]; ok {
		return k
	}
	if len(c.children) >= maxFields {
		return nil
	}
	var k *column
	var old *column
	if c.spare != nil {
		old = c.spare.byName[name]
	}
	if old != nil {
		k = old.recycled(c.space)
	} else {
		path := make([]string, len(c.path)+1)
		copy(path, c.path)
		path[len(c.path)] = escapeSeg(name)
		k = newColumn(path, c.depth+1, c.space)
	}
	if c.byName == nil {
		c.byName = map[string]*column{}
	}
	c.byName[name] = k
	c.children = append(c.children, k)
	return k
}

// elemColumn returns the element column of c's list lane, creating it.
func (c *column) elemColumn() *column {
	if c.elem == nil {
		if c.spare != nil && c.spare.elem != nil {
			c.elem = c.spare.elem.recycled(nil)
		} else {
			path := make([]string, len(c.path)+1)
			copy(path, c.path)
			path[len(c.path)] = elemSeg
			c.elem = &column{path: path, depth: c.depth + 1}
		}
		c.elem.space = &c.elem.count
	}
	return c.elem
}

// addList records that row holds a list whose elements end (exclusive) at element index end.
func (c *column) addList(row int, end int) {
	c.lanes |= laneList
	c.listm.set(row)
	c.listRows = append(c.listRows, int32(row))
	c.listEnd = append(c.listEnd, uint32(end))
	c.stats.lists++
	c.rawBytes += 4
}

// recycled returns an empty column of c's path that reuses c's memory, in the row space
// space; c must not be used afterwards.
func (c *column) recycled(space *int) *column {
	return &column{
		path: c.path, depth: c.depth, spare: c, space: space,
		listm: c.listm[:0], listRows: c.listRows[:0], listEnd: c.listEnd[:0],
		null: c.null[:0], boolm: c.boolm[:0], boolv: c.boolv[:0], intm: c.intm[:0], floatm: c.floatm[:0],
		timem: c.timem[:0], strm: c.strm[:0], ionm: c.ionm[:0], structm: c.structm[:0],
		ints: c.ints[:0], times: c.times[:0], floats: c.floats[:0],
		strRows: c.strRows[:0], strEnd: c.strEnd[:0], strData: c.strData[:0],
		ionRows: c.ionRows[:0], ionEnd: c.ionEnd[:0], ionData: c.ionData[:0],
		stats: colStats{strMin: c.stats.strMin[:0], strMax: c.stats.strMax[:0]},
	}

}

// walk calls fn for c and every descendant column, parents first.
func (c *column) walk(fn func(*column)) {
	fn(c)
	for _, k := range c.children {
		k.walk(fn)
	}
	if c.elem != nil {
		c.elem.walk(fn)
	}
}
