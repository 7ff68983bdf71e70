package vm

import (
	"container/heap"
	"sort"
)

// SortKey is one ORDER BY term.
type SortKey struct {
	X          Expr
	Desc       bool
	NullsFirst bool // NULL and MISSING sort before every value (the default, whatever the direction)
}

// Sort buffers every row (or, with Limit >= 0, the best Limit+Offset rows in a heap), sorts by
// Keys and emits the rows in order, passing along the batch's variables. Ties keep input order.
type Sort struct {
	Keys   []SortKey
	Limit  int64 // < 0: no limit
	Offset int64
	Next   Op
	// Bound, when set, receives the first key of the worst kept row once the top-k heap is
	// full (see TopKBound).
	Bound *TopKBound
	// EmitIDs adds to the output batches one more variable, after the input's: each row's
	// position in the input (its batch's Base plus its index), which breaks ties between equal
	// keys. A replica running its share of a distributed top-k sends it along, so that the
	// final sort breaks ties exactly as a single node would.
	EmitIDs bool

	buf  rowBuf
	heap sortHeap
}

func (s *Sort) String() string { return "sort" }

// cmpKeys orders two tuples by the keys stored in their first len(keys) columns.
func cmpKeys(keys []SortKey, a, b []Value) int {
	for k, key := range keys {
		x, y := a[k], b[k]
		xn := x.k == KMissing || x.k == KNull
		yn := y.k == KMissing || y.k == KNull
		switch {
		case xn && yn:
			continue
		case xn:
			if key.NullsFirst {
				return -1
			}
			return 1
		case yn:
			if key.NullsFirst {
				return 1
			}
			return -1
		}
		c := Compare(x, y)
		if key.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func (s *Sort) Push(c *Ctx, b *Batch) error {
	m := c.Mark()
	defer c.Release(m)
	keys := make([]*Vec, len(s.Keys))
	for i, k := range s.Keys {
		v, err := k.X.Eval(c, b, b.Sel)
		if err != nil {
			return err
		}
		keys[i] = v
	}
	s.buf.mem = c.Mem
	nk := len(s.Keys)
	width := nk + len(b.Vars) + 1
	k := int(s.Limit + s.Offset)
	if s.Limit >= 0 && k == 0 {
		return nil
	}
	s.heap.keys = s.Keys
	// probe holds a row's keys and position, to judge it before copying it
	probe := make([]Value, nk+1)
	var err error
	b.Sel.ForEach(func(i int) {
		if err != nil {
			return
		}
		for j, v := range keys {
			probe[j] = v.Get(i)
		}
		probe[nk] = Int(b.Base + int64(i))
		if s.Limit >= 0 && len(s.heap.rows) == k && !s.heap.less(s.heap.rows[0], probe) {
			return // not better than the worst kept row
		}
		kv := make([]Value, width)
		for j, x := range probe[:nk] {
			kv[j] = x.Clone()
		}
		kv[width-1] = probe[nk]
		for j, v := range b.Vars {
			if v != nil {
				kv[nk+j] = v.Get(i).Clone()
			}
		}
		if s.Limit < 0 {
			err = s.buf.add(kv)
		} else if len(s.heap.rows) < k {
			heap.Push(&s.heap, kv)
		} else {
			s.heap.rows[0] = kv
			heap.Fix(&s.heap, 0)
		}
	})
	if s.Bound != nil && s.Limit >= 0 && len(s.heap.rows) == int(s.Limit+s.Offset) && len(s.heap.rows) > 0 {
		s.Bound.Update(s.heap.rows[0][0])
	}
	return err
}

func (s *Sort) Close(c *Ctx) error {
	rows := s.buf.rows
	if s.Limit >= 0 {
		rows = s.heap.rows
	}
	nk := len(s.Keys)
	sort.SliceStable(rows, func(i, j int) bool {
		if c := cmpKeys(s.Keys, rows[i], rows[j]); c != 0 {
			return c < 0
		}
		return rows[i][len(rows[i])-1].Int() < rows[j][len(rows[j])-1].Int()
	})
	if s.Offset > 0 {
		if int64(len(rows)) <= s.Offset {
			rows = nil
		} else {
			rows = rows[s.Offset:]
		}
	}
	if s.Limit >= 0 && int64(len(rows)) > s.Limit {
		rows = rows[:s.Limit]
	}
	width := 0
	if len(rows) > 0 {
		width = len(rows[0]) - nk - 1
		if s.EmitIDs {
			width++
		}
	}
	err := EmitRows(c, s.Next, rows, nk, width)
	s.buf.release()
	if err != nil && err != ErrDone {
		return err
	}
	return s.Next.Close(c)
}

// sortHeap is a max-heap of the kept rows (the worst at the root) for top-k.
type sortHeap struct {
	keys []SortKey
	rows [][]Value
}

func (h *sortHeap) less(a, b []Value) bool {
	if c := cmpKeys(h.keys, a, b); c != 0 {
		return c > 0
	}
	return a[len(a)-1].Int() > b[len(b)-1].Int()
}
func (h *sortHeap) Len() int           { return len(h.rows) }
func (h *sortHeap) Less(i, j int) bool { return h.less(h.rows[i], h.rows[j]) }
func (h *sortHeap) Swap(i, j int)      { h.rows[i], h.rows[j] = h.rows[j], h.rows[i] }
func (h *sortHeap) Push(x any)         { h.rows = append(h.rows, x.([]Value)) }
func (h *sortHeap) Pop() any {
	x := h.rows[len(h.rows)-1]
	h.rows = h.rows[:len(h.rows)-1]
	return x
}
