package ingest

import (
	"errors"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/ion"
)

func TestValidateHints(t *testing.T) {
	cases := []struct {
		format, hints string
		is            error
		msg           string // a part of the message
	}{
		{"json", ``, nil, ""},
		{"json", `null`, nil, ""},
		{"json", `[{"path": "a.b", "hints": "int"}, {"path": "c", "hints": ["unix_seconds", "no_index"]}]`, nil, ""},
		{"json", `{"a.b": "int", "x[*]": "ignore", "y.?.z": "string", "q[?].r": ["default"], "*": "no_index"}`, nil, ""},
		{"json", `{"a": "integer"}`, ErrBadHints, `unknown hint "integer"`},
		{"json", `{"a": ["int", "string"]}`, ErrBadHints, "conflicting"},
		{"json", `{"a": ["ignore", "int"]}`, ErrBadHints, "conflicting"},
		{"json", `{"a": 5}`, ErrBadHints, "word or a list"},
		{"json", `{"a.*.b": "int"}`, ErrBadHints, "last step"},
		{"json", `{"a..b": "int"}`, ErrBadHints, "empty step"},
		{"json", `{"a[x]": "int"}`, ErrBadHints, "[?] or [*]"},
		{"json", `{"": "int"}`, ErrBadHints, "empty path"},
		{"json", `{"a.": "int"}`, ErrBadHints, "ends with a dot"},
		{"json", `[{"path": "a", "hints": "int"}, {"path": "a", "hints": "string"}]`, ErrBadHints, "given twice"},
		{"json", `[{"path": "a", "hint": "int"}]`, ErrBadHints, "unknown field"},
		{"json", `[{"path": "a"}]`, ErrBadHints, "want"},
		{"json", `"int"`, ErrBadHints, "array"},
		{"json", `{"a": "int"} x`, ErrBadHints, ""},
		{"json.gz", `{"a": "bool"}`, nil, ""},
		{"cloudtrail.json.gz", ``, nil, ""},
		{"cloudtrail.json.gz", `{"a": "int"}`, ErrBadHints, "no hints"},
		{"csv", ``, ErrBadHints, "need hints"},
		{"tsv.gz", `null`, ErrBadHints, "need hints"},
		{"csv", `{"fields": [{"name": "a"}]}`, nil, ""},
		{"csv", `{"skip_records": 1, "separator": ";", "missing_values": ["", "NA"], "fields": [{"name": "a.b", "type": "int", "default": "0", "no_index": true},
			{"name": "t", "type": "datetime", "format": "unix_milli_seconds"}, {"name": "ok", "type": "bool", "true_values": ["y"], "false_values": ["n"]},
			{"name": "s", "allow_empty": true, "missing_values": ["-"]}, {"type": "ignore"}, {"name": "n", "type": "number"}]}`, nil, ""},
		{"csv", `{"fields": []}`, ErrBadHints, "need \"fields\""},
		{"csv", `{"fields": [{"name": "a", "kind": "int"}]}`, ErrBadHints, "unknown field \"kind\""},
		{"csv", `{"field": [{"name": "a"}]}`, ErrBadHints, "unknown field \"field\""},
		{"csv", `{"fields": [{"name": "a", "type": "integer"}]}`, ErrBadHints, "unknown type \"integer\""},
		{"csv", `{"fields": [{"name": "a", "type": "int", "format": "unix_seconds"}]}`, ErrBadHints, "datetime fields only"},
		{"csv", `{"fields": [{"name": "a", "type": "datetime", "format": "rfc822"}]}`, ErrBadHints, "unknown datetime format"},
		{"csv", `{"fields": [{"name": "a", "type": "int", "default": "x"}]}`, ErrBadHints, "default"},
		{"csv", `{"fields": [{"name": "a", "type": "datetime", "default": "yesterday"}]}`, ErrBadHints, "default"},
		{"csv", `{"fields": [{"name": "a", "type": "int", "allow_empty": true}]}`, ErrBadHints, "string fields only"},
		{"csv", `{"fields": [{"name": "a", "true_values": ["y"]}]}`, ErrBadHints, "bool fields only"},
		{"csv", `{"fields": [{"name": "a", "type": "bool", "true_values": ["y"], "false_values": ["y"]}]}`, ErrBadHints, "both"},
		{"csv", `{"fields": [{"type": "int"}]}`, ErrBadHints, "needs a \"name\""},
		{"csv", `{"fields": [{"name": "a"}, {"name": "a"}]}`, ErrBadHints, "named twice"},
		{"csv", `{"fields": [{"name": "a"}, {"name": "a.b"}]}`, ErrBadHints, "also a field"},
		{"csv", `{"fields": [{"name": "a.b"}, {"name": "a"}]}`, ErrBadHints, "also a struct"},
		{"csv", `{"fields": [{"name": "a..b"}]}`, ErrBadHints, "empty part"},
		{"csv", `{"separator": ";;", "fields": [{"name": "a"}]}`, ErrBadHints, "one byte"},
		{"csv", `{"separator": "\"", "fields": [{"name": "a"}]}`, ErrBadHints, "not allowed"},
		{"tsv", `{"separator": ",", "fields": [{"name": "a"}]}`, ErrBadHints, "tab-separated"},
		{"csv", `{"skip_records": -1, "fields": [{"name": "a"}]}`, ErrBadHints, "negative"},
		{"csv", `{"fields": [{"name": "a"}]} {}`, ErrBadHints, "after"},
		{"csv", `[1]`, ErrBadHints, ""},
		{"parquet", ``, ErrUnknownFormat, "parquet"},
	}
	for _, c := range cases {
		err := ValidateHints(c.format, []byte(c.hints))
		if c.is == nil {
			if err != nil {
				t.Errorf("%s %s: %v", c.format, c.hints, err)
			}
			continue
		}
		if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s %s: error %v, want %v containing %q", c.format, c.hints, err, c.is, c.msg)
		}
	}
}

func TestJSONHints(t *testing.T) {
	cases := []struct {
		hints, in, want string
	}{
		// unix_* from ints, floats and numeric strings; timestamps pass
		{`{"t": "unix_seconds", "m": "unix_milli_seconds", "u": "unix_micro_seconds", "n": "unix_nano_seconds"}`,
			`{"t": 1700000000, "m": 1700000000123, "u": "1700000000123456", "n": 1700000000123456789, "x": 1}
{"t": 1.5, "m": -1, "u": "2024-01-01T00:00:00Z", "n": null}`,
			`{"t": "2023-11-14T22:13:20Z", "m": "2023-11-14T22:13:20.123Z", "u": "2023-11-14T22:13:20.123456Z", "n": "2023-11-14T22:13:20.123456789Z", "x": 1}
{"t": "1970-01-01T00:00:01.500Z", "m": "1969-12-31T23:59:59.999Z", "u": "2024-01-01T00:00:00Z", "n": null}`},
		// ignore, at any depth and with wildcards
		{`[{"path": "secret", "hints": "ignore"}, {"path": "a.?.pw", "hints": "ignore"}, {"path": "l[*]", "hints": "ignore"}]`,
			`{"secret": 1, "keep": 2, "a": {"x": {"pw": 1, "ok": 2}, "y": {"pw": 3}}, "l": [1, 2]}`,
			`{"keep": 2, "a": {"x": {"ok": 2}, "y": {}}, "l": []}`},
		// string, number, int, bool
		{`{"s": "string", "n": "number", "i": "int", "b": "bool", "s2": "string", "s3": "string", "s4": "string"}`,
			`{"s": 12, "n": "12.5", "i": 3.0, "b": "true", "s2": "2024-01-01T00:00:00Z", "s3": true, "s4": 0.25}
{"s": "x", "n": 7, "i": "-4", "b": 0, "s2": [1, 2], "s3": {"a": 1}}`,
			`{"s": "12", "n": 12.5, "i": 3, "b": true, "s2": "2024-01-01T00:00:00Z!", "s3": "true", "s4": "0.25"}
{"s": "x", "n": 7, "i": -4, "b": false, "s2": [1, 2], "s3": {"a": 1}}`},
		// datetime from text, dates included
		{`{"d": "datetime"}`, `{"d": "2024-02-03"} {"d": "2024-02-03 04:05:06"}`,
			`{"d": "2024-02-03T00:00:00Z"} {"d": "2024-02-03T04:05:06"}`},
		// the most specific hint wins; default and no_index stop wildcards
		{`{"a.*": "string", "a.b": "int", "a.c": "default", "a.?.d": "int", "a.e.*": "no_index", "l[?]": "unix_seconds", "l[*]": "string"}`,
			`{"a": {"b": "5", "c": 6, "x": 7, "y": {"d": "8", "z": 9}, "e": {"f": 10}}, "l": [0, [1]]}`,
			`{"a": {"b": 5, "c": 6, "x": "7", "y": {"d": 8, "z": "9"}, "e": {"f": 10}}, "l": ["1970-01-01T00:00:00Z", ["1"]]}`},
		// hints on paths that are absent or of another shape change nothing
		{`{"a.b": "int", "c[?]": "int"}`, `{"a": 1, "c": {"x": "2"}}`, `{"a": 1, "c": {"x": "2"}}`},
	}
	for _, c := range cases {
		got, err := decodeRows(t, "json", []byte(c.in), c.hints, DecoderOptions{})
		if err != nil {
			t.Errorf("%s: %v", c.hints, err)
			continue
		}
		checkRows(t, c.hints, got, fixBang(wantRows(t, c.want), c.want))
	}
}

// fixBang fixes expected rows written with a date-time string followed by "!": it stands for
// the same text as a string (the JSON loader would read the text without "!" as a timestamp).
func fixBang(rows []string, text string) []string {
	if !strings.Contains(text, "!\"") {
		return rows
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.ReplaceAll(r, "Z!'", "Z'")
	}
	return out
}

func TestJSONHintErrors(t *testing.T) {
	cases := []struct {
		hints, in string
		line, col int
		field     string
	}{
		{`{"t": "unix_seconds"}`, "{\"t\": 1}\n  {\"t\": \"soon\"}", 2, 3, "t"},
		{`{"a.b": "int"}`, "{\"a\": {\"b\": 1.5}}", 1, 1, "a.b"},
		{`{"l[?]": "bool"}`, "{\"l\": [true, \"maybe\"]}", 1, 1, "l[1]"},
		{`{"d": "datetime"}`, "{\"d\": 5}", 1, 1, "d"},
		{`{"t": "unix_seconds"}`, "{\"t\": 1e300}", 1, 1, "t"},
		{`{"n": "number"}`, "[{\"n\": 1},\n{\"n\": \"x\"}]", 2, 1, "n"},
	}
	for _, c := range cases {
		_, err := decodeRows(t, "json", []byte(c.in), c.hints, DecoderOptions{})
		var re *RowError
		if !errors.As(err, &re) || re.Line != c.line || re.Column != c.col || re.Field != c.field || !errors.Is(err, ErrBadValue) {
			t.Errorf("%s %q: error %v; want line %d column %d field %q", c.hints, c.in, err, c.line, c.col, c.field)
		}
	}
}

// FuzzCSVHints checks that hints parsing never panics and that valid hints decode text
// without panicking.
func FuzzCSVHints(f *testing.F) {
	f.Add([]byte(`{"skip_records": 1, "missing_values": ["NA"], "fields": [{"name": "a.b", "type": "int", "default": "3"}, {"name": "c", "type": "bool", "true_values": ["y"]}]}`), false)
	f.Add([]byte(`{"fields": [{"name": "t", "type": "datetime", "format": "unix_nano_seconds"}, {"type": "ignore"}, {"name": "s", "allow_empty": true}]}`), true)
	f.Add([]byte(`{"separator": "|", "fields": [{"name": "x", "type": "number", "missing_values": ["-"]}]}`), false)
	f.Fuzz(func(t *testing.T, hints []byte, tsv bool) {
		format := "csv"
		if tsv {
			format = "tsv"
		}
		if err := ValidateHints(format, hints); err != nil {
			if !errors.Is(err, ErrBadHints) {
				t.Fatalf("error %v does not wrap ErrBadHints", err)
			}
			return
		}
		text := "1,y,2024-01-01T00:00:00Z,,NA\n\"x\",n,1700000000,-,\n3\t4|5\n"
		var st ion.Symtab
		d, err := NewDecoder(format, strings.NewReader(text), hints, &st)
		if err != nil {
			t.Fatal(err)
		}
		var buf ion.Buffer
		for d.Next(&buf) == nil {
		}
	})
}

// FuzzJSONHints checks that JSON hints parsing never panics, and that valid hints apply to
// rows without panicking.
func FuzzJSONHints(f *testing.F) {
	f.Add([]byte(`{"a.b": "int", "x[*]": "ignore", "y.?.z": "string", "q[?].r": ["default"], "*": "no_index"}`))
	f.Add([]byte(`[{"path": "t", "hints": ["unix_seconds", "no_index"]}, {"path": "l[?]", "hints": "bool"}]`))
	f.Add([]byte(`{"a.*": "string", "a.b": "datetime"}`))
	rows := []byte(`{"a": {"b": "2024-01-01", "c": [1, "2", {"d": true}]}, "t": 1700000000, "l": [0, 1, "true"], "x": [[1]], "y": {"k": {"z": 5}}}` + "\n")
	f.Fuzz(func(t *testing.T, hints []byte) {
		if err := ValidateHints("json", hints); err != nil {
			if !errors.Is(err, ErrBadHints) {
				t.Fatalf("error %v does not wrap ErrBadHints", err)
			}
			return
		}
		_, err := decodeRows(t, "json", rows, string(hints), DecoderOptions{})
		var re *RowError
		if err != nil && (!errors.As(err, &re) || !errors.Is(err, ErrBadValue)) {
			t.Fatalf("hints %s: error %v", hints, err)
		}
	})
}
