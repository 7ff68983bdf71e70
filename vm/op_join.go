package vm

import (
	"fmt"
	"slices"
)

// maxJoinRows bounds the pairs one probe batch of a join may produce at once.
const maxJoinRows = 1 << 26

// JoinTable is the build side of a hash join: the right input's rows, indexed by their join
// key tuple. It is built once and read by every probing worker.
type JoinTable struct {
	index map[uint64][]int32
	keys  [][]Value
	rows  [][]Value // the right side's variables
	Width int
	all   bool // a cross join: every row matches
}

// NewJoinTable indexes rows: each tuple holds nkeys key values followed by the variables.
// Rows with a MISSING key never match. With nkeys = 0 every row matches every probe (cross
// join).
func NewJoinTable(rows [][]Value, nkeys, width int) *JoinTable {
	t := &JoinTable{index: map[uint64][]int32{}, Width: width, all: nkeys == 0}
	for _, r := range rows {
		key := r[:nkeys]
		if slices.ContainsFunc(key, Value.IsMissing) {
			continue
		}
		h := keyHash(key)
		t.index[h] = append(t.index[h], int32(len(t.rows)))
		t.keys = append(t.keys, key)
		t.rows = append(t.rows, r[nkeys:])
	}
	return t
}

// HashJoin probes a JoinTable with each row of its input (the left side): an output row per
// matching pair, holding the left variables followed by the right ones.
type HashJoin struct {
	Keys  []Expr // the left side's key expressions, in the order of the table's keys
	Table *JoinTable
	Next  Op
}

func (j *HashJoin) Push(c *Ctx, b *Batch) error {
	m := c.Mark()
	defer c.Release(m)
	t := j.Table
	var left []int32
	var right []int32
	if t.all {
		if int64(b.Sel.Count())*int64(len(t.rows)) > maxJoinRows {
			return fmt.Errorf("%w: a cross join of %d × %d rows in one batch", ErrMemoryLimit, b.Sel.Count(), len(t.rows))
		}
		b.Sel.ForEach(func(i int) {
			for r := range t.rows {
				left = append(left, int32(i))
				right = append(right, int32(r))
			}
		})
	} else {
		keys, err := evalArgs(c, b, b.Sel, j.Keys)
		if err != nil {
			return err
		}
		sel := keyedRows(keys, b.Sel, b.N)
		hashes := make([]uint64, Pad(b.N))
		hashKeys(keys, sel, hashes)
		tuple := make([]Value, len(keys))
		sel.ForEach(func(i int) {
			for n, k := range keys {
				tuple[n] = k.Get(i)
			}
			for _, r := range t.index[hashes[i]] {
				if tuplesEqual(t.keys[r], tuple) {
					left = append(left, int32(i))
					right = append(right, r)
				}
			}
		})
	}
	const chunk = 1 << 14
	for lo := 0; lo < len(left); lo += chunk {
		if err := c.Err(); err != nil {
			return err
		}
		hi := min(lo+chunk, len(left))
		n := hi - lo
		mm := c.Mark()
		vars := takeAll(c, b.Vars, left[lo:hi], t.Width)
		for w := 0; w < t.Width; w++ {
			v := c.Vec(n)
			for k := lo; k < hi; k++ {
				v.Put(k-lo, t.rows[right[k]][w])
			}
			vars = append(vars, v)
		}
		err := j.Next.Push(c, &Batch{N: n, Vars: vars, Sel: FullBitmap(nil, n), Base: b.Base})
		c.Release(mm)
		if err != nil {
			return err
		}
	}
	return nil
}

func (j *HashJoin) Close(c *Ctx) error { return j.Next.Close(c) }

// Unpivot turns each struct of Src into one row per field: the output variables are the
// field's value and its name.
type Unpivot struct {
	Src  Expr
	Next Op
}

func (u *Unpivot) Push(c *Ctx, b *Batch) error {
	m := c.Mark()
	defer c.Release(m)
	v, err := u.Src.Eval(c, b, b.Sel)
	if err != nil {
		return err
	}
	var keys []string
	var vals []Value
	b.Sel.ForEach(func(i int) {
		x := v.Get(i)
		for _, f := range x.Fields() {
			keys = append(keys, f.Name)
			vals = append(vals, f.Value)
		}
	})
	n := len(keys)
	if n == 0 {
		return nil
	}
	vv, kv := c.Vec(n), c.Vec(n)
	for i := range keys {
		vv.Put(i, vals[i])
		kv.SetString(i, []byte(keys[i]))
	}
	return u.Next.Push(c, &Batch{N: n, Vars: []*Vec{vv, kv}, Sel: FullBitmap(nil, n), Base: b.Base})
}

func (u *Unpivot) Close(c *Ctx) error { return u.Next.Close(c) }
