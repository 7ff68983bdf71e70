package db

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
)

// MaxSummaryColumns bounds the columns of a blob summary in the index; the blob's trailer
// has the complete per-block statistics.
const MaxSummaryColumns = 64

// maxSummaryString bounds the strings of a blob summary: a longer minimum is cut (still a
// lower bound), a longer maximum is dropped (the maximum becomes unbounded).
const maxSummaryString = 64

// BlobInfo is one packed blob of a table as the index lists it.
type BlobInfo struct {
	// Path is the blob's key relative to the root.
	Path string
	// ETag pins the blob's content: reads are refused once it changes.
	ETag string
	// Size is the blob's length in bytes.
	Size int64
	// Rows and Blocks count the rows and blocks of the blob.
	Rows   int64
	Blocks int
	// Created is when the blob was written.
	Created time.Time
	// TrailerOffset, TrailerSize and TrailerHash locate the blob's trailer and pin it by its
	// SHA-256; the trailer in turn pins every column chunk by its SHA-256.
	TrailerOffset int64
	TrailerSize   int64
	TrailerHash   [32]byte
	// Partition is the partition path of the blob's rows ("" without partitions) and Values
	// the partition values, which every row of the blob holds as fields.
	Partition string
	Values    []PartitionValue
	// Columns summarise the blob's columns (at most MaxSummaryColumns of them): value ranges
	// over all of its blocks.
	Columns []ColumnSummary
	// BlockRows are the row counts of the blocks, and TimeIndex the per-block ranges of the
	// blob's top-level timestamp columns: with the partition values, they let a reader skip
	// blocks and whole blobs without reading the trailer.
	BlockRows []int64
	TimeIndex []TimeIndex
}

// ColumnSummary is the summary of one column over a whole blob: the per-type counts and
// ranges of pack.ColumnStats merged over its blocks (rows without the column are MISSING).
type ColumnSummary struct {
	Path  []string
	Stats pack.ColumnStats
}

// Column returns the summary of the column at path, or nil when the blob summary does not
// have it.
func (b *BlobInfo) Column(path []string) *ColumnSummary {
	for i := range b.Columns {
		if equalPath(b.Columns[i].Path, path) {
			return &b.Columns[i]
		}
	}
	return nil
}

// TimeRange returns the range of the timestamps in the column at path, in microseconds since
// the Unix epoch, and false when the summary has no timestamps for it.
func (b *BlobInfo) TimeRange(path []string) (lo, hi int64, ok bool) {
	c := b.Column(path)
	if c == nil || c.Stats.Times == 0 {
		return 0, 0, false
	}
	return c.Stats.TimeMin, c.Stats.TimeMax, true
}

func equalPath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// SplitFieldPath splits a dotted field path ("a.b.c") into its segments.
func SplitFieldPath(p string) []string { return strings.Split(p, ".") }

// Summarize merges the per-block column statistics of a trailer into blob summaries. Columns
// at the paths in keep come first (partition and retention fields), then the others by depth
// and order of appearance, up to MaxSummaryColumns.
func Summarize(t *pack.Trailer, keep [][]string) []ColumnSummary {
	index := map[string]int{}
	var cols []ColumnSummary
	for bi := range t.Blocks {
		for ci := range t.Blocks[bi].Columns {
			cm := &t.Blocks[bi].Columns[ci]
			k := strings.Join(cm.Path, "\x00")
			i, ok := index[k]
			if !ok {
				i = len(cols)
				index[k] = i
				cols = append(cols, ColumnSummary{Path: append([]string(nil), cm.Path...)})
				cols[i].Stats = cm.Stats
				cols[i].Stats.StrMin = append([]byte(nil), cm.Stats.StrMin...)
				cols[i].Stats.StrMax = append([]byte(nil), cm.Stats.StrMax...)
				continue
			}
			mergeStats(&cols[i].Stats, &cm.Stats)
		}
	}
	rank := func(c *ColumnSummary) int {
		for _, p := range keep {
			if equalPath(p, c.Path) {
				return 0
			}
		}
		return len(c.Path)
	}
	sort.SliceStable(cols, func(i, j int) bool { return rank(&cols[i]) < rank(&cols[j]) })
	if len(cols) > MaxSummaryColumns {
		cols = cols[:MaxSummaryColumns]
	}
	for i := range cols {
		s := &cols[i].Stats
		if len(s.StrMin) > maxSummaryString {
			s.StrMin = s.StrMin[:maxSummaryString]
		}
		if len(s.StrMax) > maxSummaryString {
			s.StrMax, s.StrMaxUnbounded = nil, true
		}
	}
	return cols
}

// mergeStats widens s by the statistics o of another block.
func mergeStats(s, o *pack.ColumnStats) {
	if o.Bools > 0 {
		if s.Bools == 0 {
			s.BoolMin, s.BoolMax = o.BoolMin, o.BoolMax
		} else {
			s.BoolMin = s.BoolMin && o.BoolMin
			s.BoolMax = s.BoolMax || o.BoolMax
		}
	}
	if o.Ints > 0 {
		if s.Ints == 0 {
			s.IntMin, s.IntMax = o.IntMin, o.IntMax
		} else {
			s.IntMin, s.IntMax = min(s.IntMin, o.IntMin), max(s.IntMax, o.IntMax)
		}
	}
	if o.Floats > o.NaNs {
		if s.Floats <= s.NaNs {
			s.FloatMin, s.FloatMax = o.FloatMin, o.FloatMax
		} else {
			s.FloatMin, s.FloatMax = math.Min(s.FloatMin, o.FloatMin), math.Max(s.FloatMax, o.FloatMax)
		}
	}
	if o.Times > 0 {
		if s.Times == 0 {
			s.TimeMin, s.TimeMax = o.TimeMin, o.TimeMax
		} else {
			s.TimeMin, s.TimeMax = min(s.TimeMin, o.TimeMin), max(s.TimeMax, o.TimeMax)
		}
	}
	if o.Strs > 0 {
		if s.Strs == 0 {
			s.StrMin = append([]byte(nil), o.StrMin...)
			s.StrMax = append([]byte(nil), o.StrMax...)
			s.StrMaxUnbounded = o.StrMaxUnbounded
		} else {
			if bytes.Compare(o.StrMin, s.StrMin) < 0 {
				s.StrMin = append(s.StrMin[:0], o.StrMin...)
			}
			if o.StrMaxUnbounded {
				s.StrMaxUnbounded = true
			}
			if bytes.Compare(o.StrMax, s.StrMax) > 0 {
				s.StrMax = append(s.StrMax[:0], o.StrMax...)
			}
		}
	}
	s.Nulls += o.Nulls
	s.Bools += o.Bools
	s.Ints += o.Ints
	s.Floats += o.Floats
	s.Times += o.Times
	s.Strs += o.Strs
	s.Ions += o.Ions
	s.Structs += o.Structs
	s.NaNs += o.NaNs
}

func (b *BlobInfo) encode(w *ionWriter) {
	w.body.BeginStruct(-1)
	w.str("path", b.Path)
	w.str("etag", b.ETag)
	w.int("size", b.Size)
	w.int("rows", b.Rows)
	w.int("blocks", int64(b.Blocks))
	w.time("created", b.Created)
	w.int("trailer_offset", b.TrailerOffset)
	w.int("trailer_size", b.TrailerSize)
	w.blob("trailer_sha256", b.TrailerHash[:])
	if b.Partition != "" {
		w.str("partition", b.Partition)
		w.field("partition_values")
		w.body.BeginList(-1)
		for _, v := range b.Values {
			w.body.BeginStruct(-1)
			w.str("field", v.Field)
			w.str("type", v.Type)
			w.str("text", v.Text)
			w.body.EndStruct()
		}
		w.body.EndList()
	}
	if len(b.Columns) > 0 {
		w.field("columns")
		w.body.BeginList(-1)
		for i := range b.Columns {
			encodeColumnSummary(w, &b.Columns[i])
		}
		w.body.EndList()
	}
	encodeBlockIndex(w, b)
	w.body.EndStruct()
}

func encodeColumnSummary(w *ionWriter, c *ColumnSummary) {
	w.body.BeginStruct(-1)
	w.strs("path", c.Path)
	s := &c.Stats
	for _, x := range []struct {
		name string
		v    int64
	}{{"nulls", s.Nulls}, {"bools", s.Bools}, {"ints", s.Ints}, {"floats", s.Floats}, {"times", s.Times},
		{"strs", s.Strs}, {"ions", s.Ions}, {"structs", s.Structs}, {"nans", s.NaNs}} {
		if x.v != 0 {
			w.int(x.name, x.v)
		}
	}
	if s.Bools > 0 {
		w.bool("bool_min", s.BoolMin)
		w.bool("bool_max", s.BoolMax)
	}
	if s.Ints > 0 {
		w.int("int_min", s.IntMin)
		w.int("int_max", s.IntMax)
	}
	if s.Floats > s.NaNs {
		w.field("float_min")
		w.body.WriteFloat64(s.FloatMin)
		w.field("float_max")
		w.body.WriteFloat64(s.FloatMax)
	}
	if s.Times > 0 {
		w.int("time_min", s.TimeMin)
		w.int("time_max", s.TimeMax)
	}
	if s.Strs > 0 {
		w.field("str_min")
		w.body.WriteStringBytes(s.StrMin)
		if s.StrMaxUnbounded {
			w.bool("str_max_unbounded", true)
		} else {
			w.field("str_max")
			w.body.WriteStringBytes(s.StrMax)
		}
	}
	w.body.EndStruct()
}

func decodeBlobInfo(v []byte, st *ion.Symtab) (BlobInfo, error) {
	var b BlobInfo
	var have struct{ path, etag, size, trailer bool }
	err := eachField(v, st, func(name string, f []byte) error {
		var err error
		var n int64
		switch name {
		case "path":
			b.Path, err = ionString(f)
			have.path = true
		case "etag":
			b.ETag, err = ionString(f)
			have.etag = true
		case "size":
			b.Size, err = ionCount(f, math.MaxInt64)
			have.size = true
		case "rows":
			b.Rows, err = ionCount(f, math.MaxInt64)
		case "blocks":
			n, err = ionCount(f, math.MaxInt32)
			b.Blocks = int(n)
		case "created":
			b.Created, err = ionTime(f)
		case "trailer_offset":
			b.TrailerOffset, err = ionCount(f, math.MaxInt64)
		case "trailer_size":
			b.TrailerSize, err = ionCount(f, math.MaxInt64)
		case "trailer_sha256":
			b.TrailerHash, err = ionHash(f)
			have.trailer = true
		case "partition":
			b.Partition, err = ionString(f)
		case "partition_values":
			err = eachElem(f, func(_ int, e []byte) error {
				var field, typ, text string
				err := eachField(e, st, func(name string, f []byte) (err error) {
					switch name {
					case "field":
						field, err = ionString(f)
					case "type":
						typ, err = ionString(f)
					case "text":
						text, err = ionString(f)
					}
					return err
				})
				if err != nil {
					return err
				}
				pv, err := parsePartitionValue(field, typ, text)
				b.Values = append(b.Values, pv)
				return err
			})
		case "columns":
			err = eachElem(f, func(_ int, e []byte) error {
				c, err := decodeColumnSummary(e, st)
				b.Columns = append(b.Columns, c)
				return err
			})
		case "block_rows":
			b.BlockRows, err = decodeBlockRows(f)
		case "time_index":
			b.TimeIndex, err = decodeTimeIndex(f, st)
		}
		return err
	})
	if err != nil {
		return b, err
	}
	switch {
	case !have.path || ValidPath(b.Path) != nil:
		return b, fmt.Errorf("%w: blob without a valid path (%q)", errStructure, b.Path)
	case !have.etag || !have.size || !have.trailer:
		return b, fmt.Errorf("%w: blob %s: no etag, size or trailer hash", errStructure, b.Path)
	case b.TrailerSize <= 0 || b.TrailerOffset > b.Size || b.TrailerSize > b.Size-b.TrailerOffset:
		return b, fmt.Errorf("%w: blob %s: trailer %d+%d outside its %d bytes", errStructure, b.Path, b.TrailerOffset, b.TrailerSize, b.Size)
	}
	texts := make([]string, len(b.Values))
	for i, v := range b.Values {
		texts[i] = v.Text
	}
	if strings.Join(texts, "/") != b.Partition {
		return b, fmt.Errorf("%w: blob %s: partition %q does not match its values %q", errStructure, b.Path, b.Partition, texts)
	}
	if err := b.checkBlockIndex(); err != nil {
		return b, err
	}
	return b, nil
}

func decodeColumnSummary(v []byte, st *ion.Symtab) (ColumnSummary, error) {
	var c ColumnSummary
	s := &c.Stats
	err := eachField(v, st, func(name string, f []byte) error {
		var err error
		count := func(p *int64) { *p, err = ionCount(f, math.MaxInt64) }
		switch name {
		case "path":
			c.Path, err = ionStrings(f)
		case "nulls":
			count(&s.Nulls)
		case "bools":
			count(&s.Bools)
		case "ints":
			count(&s.Ints)
		case "floats":
			count(&s.Floats)
		case "times":
			count(&s.Times)
		case "strs":
			count(&s.Strs)
		case "ions":
			count(&s.Ions)
		case "structs":
			count(&s.Structs)
		case "nans":
			count(&s.NaNs)
		case "bool_min":
			s.BoolMin, err = ionBool(f)
		case "bool_max":
			s.BoolMax, err = ionBool(f)
		case "int_min":
			s.IntMin, err = ionInt(f)
		case "int_max":
			s.IntMax, err = ionInt(f)
		case "float_min":
			s.FloatMin, err = ionFloat(f)
		case "float_max":
			s.FloatMax, err = ionFloat(f)
		case "time_min":
			s.TimeMin, err = ionInt(f)
		case "time_max":
			s.TimeMax, err = ionInt(f)
		case "str_min":
			var t string
			t, err = ionString(f)
			s.StrMin = []byte(t)
		case "str_max":
			var t string
			t, err = ionString(f)
			s.StrMax = []byte(t)
		case "str_max_unbounded":
			s.StrMaxUnbounded, err = ionBool(f)
		}
		return err
	})
	if err == nil && len(c.Path) == 0 {
		err = fmt.Errorf("%w: column summary without a path", errStructure)
	}
	if err == nil && (math.IsNaN(s.FloatMin) || math.IsNaN(s.FloatMax)) {
		err = fmt.Errorf("%w: NaN float range", errStructure)
	}
	normalizeStats(s)
	return c, err
}

// normalizeStats clears the ranges of the types a column does not hold, so that a summary
// read back is the summary written.
func normalizeStats(s *pack.ColumnStats) {
	if s.Bools == 0 {
		s.BoolMin, s.BoolMax = false, false
	}
	if s.Ints == 0 {
		s.IntMin, s.IntMax = 0, 0
	}
	if s.Floats <= s.NaNs {
		s.FloatMin, s.FloatMax = 0, 0
	}
	if s.Times == 0 {
		s.TimeMin, s.TimeMax = 0, 0
	}
	if s.Strs == 0 {
		s.StrMin, s.StrMax, s.StrMaxUnbounded = nil, nil, false
	}
	if s.StrMaxUnbounded {
		s.StrMax = nil
	}
	if len(s.StrMin) == 0 {
		s.StrMin = nil
	}
	if len(s.StrMax) == 0 {
		s.StrMax = nil
	}
}

// parsePartitionValue rebuilds a partition value from its field, type and text, as
// Partitioner.Eval computes it.
func parsePartitionValue(field, typ, text string) (PartitionValue, error) {
	t, ok := normType(typ)
	if !ok {
		return PartitionValue{}, fmt.Errorf("%w: partition %q: unknown type %q", errStructure, field, typ)
	}
	v := PartitionValue{Field: field, Type: t, Text: text}
	if err := v.parse(); err != nil {
		return PartitionValue{}, fmt.Errorf("%w: partition %q: value %q is not a valid %s", errStructure, field, text, t)
	}
	return v, nil
}

// Datum returns the partition value as the Ion value rows hold: an int, a timestamp (midnight
// UTC for a date) or a string.
func (v PartitionValue) Datum() ion.Datum {
	switch v.Type {
	case PartInt:
		return ion.Int(v.Int)
	case PartDate, PartDatetime:
		return ion.TimestampValue(canonTimestamp(v.Time))
	}
	return ion.String(v.Text)
}

// canonTimestamp converts t to a UTC timestamp with 0, 3 or 6 fractional digits (whichever
// holds it exactly, sub-microsecond digits dropped): the form the packed format's timestamp
// lane stores, so that block statistics cover the value.
func canonTimestamp(t time.Time) ion.Timestamp {
	t = t.UTC().Truncate(time.Microsecond)
	digits := 6
	switch ns := t.Nanosecond(); {
	case ns == 0:
		digits = 0
	case ns%1_000_000 == 0:
		digits = 3
	}
	return ion.FromTime(t, digits)
}
