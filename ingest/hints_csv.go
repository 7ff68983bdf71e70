package ingest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/sneller-re/sneller/ion"
)

// csvHintsJSON is the hints object of a CSV or TSV input, as written in definition.json.
type csvHintsJSON struct {
	SkipRecords   int            `json:"skip_records"`
	Separator     *string        `json:"separator"`
	MissingValues []string       `json:"missing_values"`
	Fields        []csvFieldJSON `json:"fields"`
}

type csvFieldJSON struct {
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Default       *string  `json:"default"`
	Format        string   `json:"format"`
	AllowEmpty    bool     `json:"allow_empty"`
	NoIndex       bool     `json:"no_index"`
	TrueValues    []string `json:"true_values"`
	FalseValues   []string `json:"false_values"`
	MissingValues []string `json:"missing_values"`
}

// csvHints are the compiled hints of a CSV or TSV input.
type csvHints struct {
	skip    int
	sep     byte
	columns []csvColumn // one per hinted column, in order
	tree    *csvGroup   // the output struct
}

// csvColumn is what to do with one column.
type csvColumn struct {
	name       string // dotted, as hinted
	typ        valueType
	ignore     bool
	allowEmpty bool
	def        []byte // the text used when the value is missing; nil for none
	missing    [][]byte
	bools      *boolWords
}

// csvGroup is a struct of the output: its members are columns or nested structs, in the
// order the hints first name them.
type csvGroup struct {
	members []csvMember
	byName  map[string]int
}

type csvMember struct {
	name   string
	column int       // index into columns, or -1 for a group
	group  *csvGroup // for a nested struct
}

var csvTypes = map[string]valueType{"": tString, "string": tString, "number": tNumber, "int": tInt,
	"bool": tBool, "datetime": tDatetime}

var csvFormats = map[string]valueType{"": tDatetime, "datetime": tDatetime, "unix_seconds": tUnixS,
	"unix_milli_seconds": tUnixMs, "unix_micro_seconds": tUnixUs, "unix_nano_seconds": tUnixNs}

// parseCSVHints compiles the hints of a CSV (tsv false) or TSV input; they are required.
func parseCSVHints(raw []byte, tsv bool) (*csvHints, error) {
	kind := "csv"
	if tsv {
		kind = "tsv"
	}
	if isNullHints(raw) {
		return nil, hintsError("%s inputs need hints naming their fields: {\"fields\": [{\"name\": ..., \"type\": ...}, ...]}", kind)
	}
	var hj csvHintsJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&hj); err != nil {
		return nil, hintsError("%s hints: %v", kind, err)
	}
	if dec.More() {
		return nil, hintsError("%s hints: text after the hints object", kind)
	}
	h := &csvHints{skip: hj.SkipRecords, sep: ',', tree: &csvGroup{}}
	if tsv {
		h.sep = '\t'
	}
	if hj.SkipRecords < 0 {
		return nil, hintsError("skip_records is negative (%d)", hj.SkipRecords)
	}
	if hj.Separator != nil {
		s := *hj.Separator
		switch {
		case tsv:
			return nil, hintsError("tsv inputs are tab-separated: remove \"separator\" (or use the csv format)")
		case len(s) != 1:
			return nil, hintsError("separator %q must be one byte", s)
		case s[0] == '"' || s[0] == '\n' || s[0] == '\r' || s[0] >= 0x80:
			return nil, hintsError("separator %q is not allowed", s)
		}
		h.sep = s[0]
	}
	if len(hj.Fields) == 0 {
		return nil, hintsError("%s hints need \"fields\"", kind)
	}
	global := toBytes(hj.MissingValues)
	var scratch, out ion.Buffer
	for i, f := range hj.Fields {
		col := csvColumn{name: f.Name, missing: global, allowEmpty: f.AllowEmpty}
		where := "field " + strconv.Itoa(i+1)
		if f.Name != "" {
			where += " (" + f.Name + ")"
		}
		if f.Type == "ignore" {
			col.ignore = true
			h.columns = append(h.columns, col)
			continue
		}
		if f.Name == "" {
			return nil, hintsError("%s: a field needs a \"name\" (or \"type\": \"ignore\")", where)
		}
		t, ok := csvTypes[f.Type]
		if !ok {
			return nil, hintsError("%s: unknown type %q (known: string, number, int, bool, datetime, ignore)", where, f.Type)
		}
		if f.Format != "" {
			if t != tDatetime {
				return nil, hintsError("%s: \"format\" applies to datetime fields only", where)
			}
			ft, ok := csvFormats[f.Format]
			if !ok {
				return nil, hintsError("%s: unknown datetime format %q (known: datetime, unix_seconds, unix_milli_seconds, unix_micro_seconds, unix_nano_seconds)", where, f.Format)
			}
			t = ft
		}
		col.typ = t
		if f.AllowEmpty && t != tString {
			return nil, hintsError("%s: \"allow_empty\" applies to string fields only", where)
		}
		if (f.TrueValues != nil || f.FalseValues != nil) && t != tBool {
			return nil, hintsError("%s: \"true_values\" and \"false_values\" apply to bool fields only", where)
		}
		if t == tBool && (f.TrueValues != nil || f.FalseValues != nil) {
			col.bools = &boolWords{t: toBytes(f.TrueValues), f: toBytes(f.FalseValues)}
			if f.TrueValues == nil {
				col.bools.t = defaultBools.t
			}
			if f.FalseValues == nil {
				col.bools.f = defaultBools.f
			}
			for _, w := range col.bools.t {
				if _, isFalse := (&boolWords{f: col.bools.f}).parse(w); isFalse {
					return nil, hintsError("%s: %q is both a true and a false value", where, w)
				}
			}
		}
		if f.MissingValues != nil {
			col.missing = toBytes(f.MissingValues)
		}
		if f.Default != nil {
			col.def = []byte(*f.Default)
			out.Reset()
			if err := writeText(&out, t, col.def, col.bools, &scratch); err != nil {
				return nil, hintsError("%s: default: %v", where, err)
			}
		}
		if err := h.tree.add(strings.Split(f.Name, "."), len(h.columns), f.Name); err != nil {
			return nil, err
		}
		h.columns = append(h.columns, col)
	}
	return h, nil
}

// add places column at the dotted path.
func (g *csvGroup) add(path []string, column int, name string) error {
	for _, p := range path {
		if p == "" {
			return hintsError("field name %q has an empty part", name)
		}
	}
	if g.byName == nil {
		g.byName = map[string]int{}
	}
	k, ok := g.byName[path[0]]
	if len(path) == 1 {
		if ok {
			return hintsError("field %q is named twice, or is also a struct of other fields", name)
		}
		g.byName[path[0]] = len(g.members)
		g.members = append(g.members, csvMember{name: path[0], column: column})
		return nil
	}
	if !ok {
		k = len(g.members)
		g.byName[path[0]] = k
		g.members = append(g.members, csvMember{name: path[0], column: -1, group: &csvGroup{}})
	}
	if g.members[k].group == nil {
		return hintsError("field %q is inside %q, which is also a field of its own", name, path[0])
	}
	return g.members[k].group.add(path[1:], column, name)
}

func toBytes(ss []string) [][]byte {
	if ss == nil {
		return nil
	}
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}
