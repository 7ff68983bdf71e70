package db

import (
	"fmt"
	"math"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/vm"
)

// MaxTimeIndexColumns bounds the timestamp columns a blob's block index covers.
const MaxTimeIndexColumns = 8

// TimeIndex gives, for one top-level column of a blob holding timestamps, the exact value
// range of each block where the column holds nothing but timestamps and nulls: enough for the
// planner to skip blocks (and whole blobs) on a time predicate without reading the blob's
// trailer.
type TimeIndex struct {
	Path   []string
	Blocks []BlockTimes // one per block of the blob
}

// BlockTimes is the range of a timestamp column in one block. Known is false when the block
// holds other values in the column (the trailer has the full statistics then).
type BlockTimes struct {
	Known    bool
	Present  int64 // rows holding a value (timestamps and nulls); the others are MISSING
	Nulls    int64
	Min, Max int64 // microseconds since the Unix epoch, when Present > Nulls
}

// blockIndex computes the per-block row counts and the time indexes of a blob's top-level
// timestamp columns from its trailer.
func blockIndex(t *pack.Trailer) (rows []int64, times []TimeIndex) {
	rows = make([]int64, len(t.Blocks))
	var cols []string
	seen := map[string]bool{}
	for k := range t.Blocks {
		rows[k] = int64(t.Blocks[k].Rows)
		for _, c := range t.Blocks[k].Columns {
			if len(c.Path) == 1 && c.Stats.Times > 0 && !seen[c.Path[0]] && len(cols) < MaxTimeIndexColumns {
				seen[c.Path[0]] = true
				cols = append(cols, c.Path[0])
			}
		}
	}
	for _, name := range cols {
		ti := TimeIndex{Path: []string{name}, Blocks: make([]BlockTimes, len(t.Blocks))}
		for k := range t.Blocks {
			m := &t.Blocks[k]
			c := m.Column(ti.Path)
			if c < 0 {
				ti.Blocks[k] = BlockTimes{Known: true}
				continue
			}
			s := &m.Columns[c].Stats
			if s.Bools+s.Ints+s.Floats+s.Strs+s.Ions+s.Structs > 0 {
				continue // not time-only: unknown
			}
			bt := BlockTimes{Known: true, Present: s.Times + s.Nulls, Nulls: s.Nulls}
			if s.Times > 0 {
				bt.Min, bt.Max = s.TimeMin, s.TimeMax
			}
			ti.Blocks[k] = bt
		}
		times = append(times, ti)
	}
	return rows, times
}

// blockRange returns the exact summary range of the column at path in block k, from the
// index alone: a partition field (the same value in every row of the blob) or a column of the
// time index. ok is false when the index cannot tell (the trailer can).
func (b *BlobInfo) blockRange(k int, path []string) (vm.Range, bool) {
	if k < 0 || k >= len(b.BlockRows) {
		return vm.Range{}, false
	}
	if len(path) == 1 {
		for _, v := range b.Values {
			if v.Field != path[0] {
				continue
			}
			switch v.Type {
			case PartInt:
				return vm.Range{Num: true, NumMin: vm.Int(v.Int), NumMax: vm.Int(v.Int)}, true
			case PartDate, PartDatetime:
				us := v.Time.Truncate(1000).UnixMicro()
				return vm.Range{Time: true, TimeMin: us, TimeMax: us}, true
			default:
				return vm.Range{Str: true, StrMin: []byte(v.Text), StrMax: []byte(v.Text)}, true
			}
		}
	}
	for i := range b.TimeIndex {
		ti := &b.TimeIndex[i]
		if !equalPath(ti.Path, path) || k >= len(ti.Blocks) || !ti.Blocks[k].Known {
			continue
		}
		bt := &ti.Blocks[k]
		r := vm.Range{Missing: int(b.BlockRows[k] - bt.Present), Null: bt.Nulls > 0}
		if bt.Present > bt.Nulls {
			r.Time, r.TimeMin, r.TimeMax = true, bt.Min, bt.Max
		}
		return r, true
	}
	return vm.Range{}, false
}

func encodeBlockIndex(w *ionWriter, b *BlobInfo) {
	if len(b.BlockRows) > 0 {
		w.field("block_rows")
		w.body.BeginList(-1)
		for _, n := range b.BlockRows {
			w.body.WriteInt(n)
		}
		w.body.EndList()
	}
	if len(b.TimeIndex) == 0 {
		return
	}
	w.field("time_index")
	w.body.BeginList(-1)
	for _, ti := range b.TimeIndex {
		w.body.BeginStruct(-1)
		w.strs("path", ti.Path)
		w.field("blocks")
		w.body.BeginList(-1)
		for _, bt := range ti.Blocks {
			if !bt.Known {
				w.body.WriteNull()
				continue
			}
			w.body.BeginList(-1)
			w.body.WriteInt(bt.Present)
			w.body.WriteInt(bt.Nulls)
			if bt.Present > bt.Nulls {
				w.body.WriteInt(bt.Min)
				w.body.WriteInt(bt.Max)
			}
			w.body.EndList()
		}
		w.body.EndList()
		w.body.EndStruct()
	}
	w.body.EndList()
}

func decodeBlockRows(v []byte) ([]int64, error) {
	var out []int64
	err := eachElem(v, func(_ int, e []byte) error {
		n, err := ionCount(e, math.MaxInt32)
		out = append(out, n)
		return err
	})
	return out, err
}

func decodeTimeIndex(v []byte, st *ion.Symtab) ([]TimeIndex, error) {
	var out []TimeIndex
	err := eachElem(v, func(_ int, e []byte) error {
		var ti TimeIndex
		err := eachField(e, st, func(name string, f []byte) (err error) {
			switch name {
			case "path":
				ti.Path, err = ionStrings(f)
			case "blocks":
				err = eachElem(f, func(_ int, e []byte) error {
					if ion.TypeOf(e) == ion.NullType {
						ti.Blocks = append(ti.Blocks, BlockTimes{})
						return nil
					}
					var nums []int64
					err := eachElem(e, func(_ int, x []byte) error {
						n, err := ionInt(x)
						nums = append(nums, n)
						return err
					})
					if err != nil {
						return err
					}
					bt := BlockTimes{Known: true}
					switch {
					case len(nums) == 2 && nums[0] == nums[1] && nums[0] >= 0:
						bt.Present, bt.Nulls = nums[0], nums[1]
					case len(nums) == 4 && nums[0] > nums[1] && nums[1] >= 0 && nums[2] <= nums[3]:
						bt.Present, bt.Nulls, bt.Min, bt.Max = nums[0], nums[1], nums[2], nums[3]
					default:
						return fmt.Errorf("%w: bad block time range %v", errStructure, nums)
					}
					ti.Blocks = append(ti.Blocks, bt)
					return nil
				})
			}
			return err
		})
		if err == nil && len(ti.Path) == 0 {
			err = fmt.Errorf("%w: time index without a path", errStructure)
		}
		out = append(out, ti)
		return err
	})
	return out, err
}

// checkBlockIndex checks the block index against the blob's counts.
func (b *BlobInfo) checkBlockIndex() error {
	if len(b.BlockRows) == 0 && len(b.TimeIndex) == 0 {
		return nil
	}
	if len(b.BlockRows) != b.Blocks {
		return fmt.Errorf("%w: blob %s: %d block row counts for %d blocks", errStructure, b.Path, len(b.BlockRows), b.Blocks)
	}
	var sum int64
	for _, n := range b.BlockRows {
		sum += n
	}
	if sum != b.Rows {
		return fmt.Errorf("%w: blob %s: block rows add up to %d, not %d", errStructure, b.Path, sum, b.Rows)
	}
	for _, ti := range b.TimeIndex {
		if len(ti.Blocks) != b.Blocks {
			return fmt.Errorf("%w: blob %s: time index of %v has %d blocks, not %d", errStructure, b.Path, ti.Path, len(ti.Blocks), b.Blocks)
		}
		for k, bt := range ti.Blocks {
			if bt.Known && bt.Present > b.BlockRows[k] {
				return fmt.Errorf("%w: blob %s: block %d has %d values in %v but %d rows", errStructure, b.Path, k, bt.Present, ti.Path, b.BlockRows[k])
			}
		}
	}
	return nil
}
