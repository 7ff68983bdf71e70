package vm

import (
	"fmt"
	"unicode/utf8"
)

// SNELLER_DATASHAPE(*) describes the shape of the rows it sees: how many there were, and for
// every field path (nested struct fields as "a.b.c"; list elements are not entered) how many
// values of each type it held, with the range of the ints and floats and the range of the
// lengths of the strings (in characters) and lists:
//
//	{"total": 3, "fields": {"x": {"string": 3, "string-min-length": 2, "string-max-length": 6},
//	 "y": {"struct": 3}, "y.bar": {"int": 2, "int-min-value": 1, "int-max-value": 5,
//	 "float": 1, "float-min-value": 3.5, "float-max-value": 3.5}, "y.baz": {"bool": 2}}}
//
// Type names are null, bool, int, float, timestamp, string, list, struct and other (decimals,
// blobs and the rest). At most datashapeMaxFields paths are tracked; past that, new paths are
// not added and the result carries "truncated": true. The planner requires it to be the only
// aggregate of its query; its argument is the whole row.
func init() {
	RegisterAgg(&AggFunc{
		Name: "SNELLER_DATASHAPE", MinArgs: 1, MaxArgs: 1, Star: true, DefaultName: "datashape",
		New: func(AggOptions) Agg { return &datashapeAgg{} },
	})
}

const (
	datashapeMaxFields = 10000
	datashapeMaxDepth  = 64
)

var datashapeTypes = [...]string{KNull: "null", KBool: "bool", KInt: "int", KFloat: "float", KTime: "timestamp",
	KString: "string", KList: "list", KStruct: "struct", KOther: "other"}

type fieldShape struct {
	count              [KOther + 1]int64
	intMin, intMax     int64
	floatMin, floatMax float64
	strMin, strMax     int64
	listMin, listMax   int64
}

type shape struct {
	total     int64
	order     []string
	fields    map[string]*fieldShape
	truncated bool
}

type datashapeAgg struct {
	s   []shape
	mem int64
}

func (a *datashapeAgg) Resize(n int) { a.s = growSlice(a.s, n) }

func (s *shape) field(path string) *fieldShape {
	if f := s.fields[path]; f != nil {
		return f
	}
	if len(s.fields) >= datashapeMaxFields {
		s.truncated = true
		return nil
	}
	if s.fields == nil {
		s.fields = map[string]*fieldShape{}
	}
	f := &fieldShape{}
	s.fields[path] = f
	s.order = append(s.order, path)
	return f
}

// observe records one value (count 1) at path.
func (f *fieldShape) observe(v Value) {
	k := v.k
	first := f.count[k] == 0
	f.count[k]++
	switch k {
	case KInt:
		x := v.Int()
		if first || x < f.intMin {
			f.intMin = x
		}
		if first || x > f.intMax {
			f.intMax = x
		}
	case KFloat:
		x := v.Float()
		if first || x < f.floatMin {
			f.floatMin = x
		}
		if first || x > f.floatMax {
			f.floatMax = x
		}
	case KString:
		f.observeLen(&f.strMin, &f.strMax, int64(utf8.RuneCount(v.b)), first)
	case KList:
		f.observeLen(&f.listMin, &f.listMax, int64(len(v.List())), first)
	}
}

func (f *fieldShape) observeLen(lo, hi *int64, n int64, first bool) {
	if first || n < *lo {
		*lo = n
	}
	if first || n > *hi {
		*hi = n
	}
}

func (s *shape) walk(prefix string, v Value, depth int) {
	for _, fl := range v.Fields() {
		path := fl.Name
		if prefix != "" {
			path = prefix + "." + fl.Name
		}
		if fl.Value.k == KMissing {
			continue
		}
		if f := s.field(path); f != nil {
			f.observe(fl.Value)
		}
		if fl.Value.k == KStruct && depth < datashapeMaxDepth {
			s.walk(path, fl.Value, depth+1)
		}
	}
}

func (s *shape) size() int64 { return int64(len(s.fields)) * 160 }

func (a *datashapeAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	v := args[0]
	sel.ForEach(func(r int) {
		g := 0
		if group != nil {
			g = int(group[r])
		}
		s := &a.s[g]
		before := s.size()
		s.total++
		if row := v.Get(r); row.k == KStruct {
			s.walk("", row, 0)
		}
		a.mem += s.size() - before
	})
	return nil
}

// fold merges the statistics of o's field into f.
func (f *fieldShape) fold(o *fieldShape) {
	for k := range f.count {
		if o.count[k] == 0 {
			continue
		}
		first := f.count[k] == 0
		f.count[k] += o.count[k]
		switch Kind(k) {
		case KInt:
			if first || o.intMin < f.intMin {
				f.intMin = o.intMin
			}
			if first || o.intMax > f.intMax {
				f.intMax = o.intMax
			}
		case KFloat:
			if first || o.floatMin < f.floatMin {
				f.floatMin = o.floatMin
			}
			if first || o.floatMax > f.floatMax {
				f.floatMax = o.floatMax
			}
		case KString:
			f.observeLen(&f.strMin, &f.strMax, o.strMin, first)
			f.observeLen(&f.strMin, &f.strMax, o.strMax, false)
		case KList:
			f.observeLen(&f.listMin, &f.listMax, o.listMin, first)
			f.observeLen(&f.listMin, &f.listMax, o.listMax, false)
		}
	}
}

func (s *shape) merge(o *shape) {
	s.total += o.total
	s.truncated = s.truncated || o.truncated
	for _, p := range o.order {
		if f := s.field(p); f != nil {
			f.fold(o.fields[p])
		}
	}
}

func (a *datashapeAgg) Merge(g int, other Agg, h int) {
	s := &a.s[g]
	before := s.size()
	s.merge(&other.(*datashapeAgg).s[h])
	a.mem += s.size() - before
}

func (a *datashapeAgg) Result(g int) Value {
	s := &a.s[g]
	fields := make([]Field, 0, len(s.order))
	for _, p := range s.order {
		f := s.fields[p]
		var st []Field
		for k, n := range f.count {
			if n == 0 {
				continue
			}
			name := datashapeTypes[k]
			st = append(st, Field{name, Int(n)})
			switch Kind(k) {
			case KInt:
				st = append(st, Field{"int-min-value", Int(f.intMin)}, Field{"int-max-value", Int(f.intMax)})
			case KFloat:
				st = append(st, Field{"float-min-value", Float(f.floatMin)}, Field{"float-max-value", Float(f.floatMax)})
			case KString:
				st = append(st, Field{"string-min-length", Int(f.strMin)}, Field{"string-max-length", Int(f.strMax)})
			case KList:
				st = append(st, Field{"list-min-length", Int(f.listMin)}, Field{"list-max-length", Int(f.listMax)})
			}
		}
		fields = append(fields, Field{p, Struct(st)})
	}
	out := []Field{{"total", Int(s.total)}, {"fields", Struct(fields)}}
	if s.truncated {
		out = append(out, Field{"truncated", Bool(true)})
	}
	return Struct(out)
}

// State is the result itself, which holds everything needed to merge.
func (a *datashapeAgg) State(g int) Value { return a.Result(g) }

func (a *datashapeAgg) MergeState(g int, v Value) error {
	bad := func(why string) error {
		return fmt.Errorf("SNELLER_DATASHAPE: bad partial state (%s): %s", why, FormatValue(v))
	}
	total := v.Field("total")
	if v.k != KStruct || total.k != KInt || total.Int() < 0 {
		return bad("total")
	}
	o := shape{total: total.Int(), truncated: v.Field("truncated").IsTrue()}
	for _, fl := range v.Field("fields").Fields() {
		f := o.field(fl.Name)
		if f == nil {
			break
		}
		for _, st := range fl.Value.Fields() {
			if st.Value.k != KInt && st.Value.k != KFloat {
				return bad("field " + fl.Name)
			}
			x := st.Value
			switch st.Name {
			case "int-min-value":
				f.intMin = x.Int()
			case "int-max-value":
				f.intMax = x.Int()
			case "float-min-value":
				f.floatMin = x.Float()
			case "float-max-value":
				f.floatMax = x.Float()
			case "string-min-length":
				f.strMin = x.Int()
			case "string-max-length":
				f.strMax = x.Int()
			case "list-min-length":
				f.listMin = x.Int()
			case "list-max-length":
				f.listMax = x.Int()
			default:
				found := false
				for k, name := range datashapeTypes {
					if name != "" && name == st.Name && x.k == KInt && x.Int() > 0 {
						f.count[k] = x.Int()
						found = true
					}
				}
				if !found {
					return bad("statistic " + st.Name)
				}
			}
		}
	}
	s := &a.s[g]
	before := s.size()
	s.merge(&o)
	a.mem += s.size() - before
	return nil
}

func (a *datashapeAgg) Size() int64 { return int64(cap(a.s))*64 + a.mem }
