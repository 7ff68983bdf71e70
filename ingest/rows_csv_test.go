package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/ion"
)

const typesHints = `{"fields": [
	{"name": "s"},
	{"name": "n", "type": "number"},
	{"name": "i", "type": "int"},
	{"name": "b", "type": "bool"},
	{"name": "d", "type": "datetime"},
	{"name": "us", "type": "datetime", "format": "unix_seconds"},
	{"name": "ums", "type": "datetime", "format": "unix_milli_seconds"},
	{"name": "uus", "type": "datetime", "format": "unix_micro_seconds"},
	{"name": "uns", "type": "datetime", "format": "unix_nano_seconds"},
	{"type": "ignore"},
	{"name": "geo.lat", "type": "number"},
	{"name": "geo.where.city"},
	{"name": "geo.lon", "type": "number"}
]}`

const typesWant = `{"s":"x","n":1.5,"i":7,"b":true,"d":"2024-01-02T03:04:05Z","us":"2023-11-14T22:13:20Z","ums":"2023-11-14T22:13:20.123Z","uus":"2023-11-14T22:13:20.123456Z","uns":"2023-11-14T22:13:20.123456789Z","geo":{"lat":48.85,"where":{"city":"Paris"},"lon":2.35}}
{"s":"a,b","n":1000,"i":-3,"b":false,"d":"2024-01-02T03:04:05.5+01:00","us":"1970-01-01T00:00:01.500Z","ums":"1969-12-31T23:59:59Z","uus":"1970-01-01T00:00:00Z","uns":"1970-01-01T00:00:00.000000001Z"}
{"s":"plain","n":-0.0,"i":9223372036854775807,"b":false,"d":"2023-12-31T00:00:00Z","us":"1970-01-01T00:00:00Z","ums":"1970-01-01T00:00:00Z","uus":"1970-01-01T00:00:00Z","uns":"1970-01-01T00:00:00Z","geo":{"where":{"city":"Lyon"}}}`

func TestCSVTypes(t *testing.T) {
	text := "x,1.5,7,true,2024-01-02T03:04:05Z,1700000000,1700000000123,1700000000123456,1700000000123456789,junk,48.85,Paris,2.35\n" +
		"\"a,b\",1e3, -3 ,0,2024-01-02 03:04:05.5+01:00,1.5,-1000,0,1,,,,\n" +
		"plain,-0.0,9223372036854775807,FALSE,2023-12-31,0,0,0,0,,,Lyon,\r\n"
	want := wantRows(t, typesWant)
	for _, f := range []string{"csv", "csv.gz", "csv.zst"} {
		got, err := decodeRows(t, f, compressed(t, f, []byte(text)), typesHints, DecoderOptions{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		checkRows(t, f, got, want)
	}
	tsv := "x\t1.5\t7\ttrue\t2024-01-02T03:04:05Z\t1700000000\t1700000000123\t1700000000123456\t1700000000123456789\tjunk\t48.85\tParis\t2.35\n" +
		"a,b\t1e3\t -3 \t0\t2024-01-02 03:04:05.5+01:00\t1.5\t-1000\t0\t1\t\t\t\t\n" +
		"plain\t-0.0\t9223372036854775807\tFALSE\t2023-12-31\t0\t0\t0\t0\t\t\tLyon\t\r\n"
	for _, f := range []string{"tsv", "tsv.gz", "tsv.zst"} {
		got, err := decodeRows(t, f, compressed(t, f, []byte(tsv)), typesHints, DecoderOptions{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		checkRows(t, f, got, want)
	}
}

// decodeIon reads the rows of an input as Datums.
func decodeIon(t *testing.T, format, text, hints string) ([]ion.Datum, error) {
	t.Helper()
	var st ion.Symtab
	d, err := NewDecoder(format, strings.NewReader(text), []byte(hints), &st)
	if err != nil {
		return nil, err
	}
	var out []ion.Datum
	var buf ion.Buffer
	for {
		buf.Reset()
		if err := d.Next(&buf); err != nil {
			if err == io.EOF {
				return out, nil
			}
			return out, err
		}
		v, _, err := ion.DecodeDatum(buf.Bytes(), &st)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
}

func TestCSVStringsStayStrings(t *testing.T) {
	rows, err := decodeIon(t, "csv", "2024-01-02T03:04:05Z,12\n", `{"fields": [{"name": "a"}, {"name": "b", "type": "string"}]}`)
	if err != nil || len(rows) != 1 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	for _, name := range []string{"a", "b"} {
		if v, _ := rows[0].Field(name); v.Type() != ion.StringType {
			t.Errorf("field %s is %s, want a string", name, v.Type())
		}
	}
}

func TestCSVMissingAndDefaults(t *testing.T) {
	hints := `{"skip_records": 2, "missing_values": ["NA", "-"], "fields": [
		{"name": "a"},
		{"name": "b", "allow_empty": true},
		{"name": "c", "type": "int", "default": "42"},
		{"name": "d", "type": "bool", "true_values": ["Y"], "false_values": ["N"], "missing_values": ["?"]},
		{"name": "e", "type": "number", "default": "0.5", "missing_values": ["none"]}
	]}`
	text := "header line 1\n\"header, line 2\"\n" +
		"x,,1,Y,2\n" + // b empty but allowed
		"NA,NA,NA,N,none\n" + // global and per-field missing values
		"-,y,,?,-\n" + // "-" is missing for a and b, but not for e, which has its own list
		"\n" + // empty lines are no records
		"short\n" +
		",,,,\n"
	got, err := decodeRows(t, "csv", []byte(text), hints, DecoderOptions{})
	var re *RowError
	if !errors.As(err, &re) || re.Line != 5 || re.Field != "e" || !errors.Is(err, ErrBadValue) {
		t.Fatalf("want the error of e = \"-\" on line 5, got %v", err)
	}
	checkRows(t, "before the error", got, wantRows(t, `{"a":"x","b":"","c":1,"d":true,"e":2}
{"c":42,"d":false,"e":0.5}`))
	text = strings.Replace(text, "-,y,,?,-", "-,y,,?,", 1)
	got, err = decodeRows(t, "csv", []byte(text), hints, DecoderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "all", got, wantRows(t, `{"a":"x","b":"","c":1,"d":true,"e":2}
{"c":42,"d":false,"e":0.5}
{"b":"y","c":42,"e":0.5}
{"a":"short","c":42,"e":0.5}
{"b":"","c":42,"e":0.5}`))
	// the text ends inside the records to skip
	got, err = decodeRows(t, "csv", []byte("h1\nh2"), hints, DecoderOptions{})
	if err != nil || len(got) != 0 {
		t.Errorf("only skipped records: %d rows, %v", len(got), err)
	}
}

func TestCSVErrors(t *testing.T) {
	hints := `{"fields": [{"name": "a"}, {"name": "b", "type": "int"}, {"name": "c.d", "type": "datetime"}]}`
	cases := []struct {
		text      string
		rows      int
		line, col int
		field     string
		is        error
	}{
		{"x,1,2024-01-01T00:00:00Z\ny,z,\n", 1, 2, 3, "b", ErrBadValue},
		{"x,1,\ny,2,yesterday\n", 1, 2, 5, "c.d", ErrBadValue},
		{"\"multi\nline\",1,\ny,1.5,\n", 1, 3, 3, "b", ErrBadValue},
		{"x,1,\"2024-01-01\"\"\n", 0, 1, 5, "", ErrSyntax},
		{"x,1,\ny,2\"3,\n", 1, 2, 4, "", ErrSyntax},
		{"x,1,\n\"unterminated,1,\n", 1, 2, 1, "", ErrSyntax},
		{"x,1,\"a\"b\n", 0, 1, 8, "", ErrSyntax},
		{"x,1,,extra\n", 0, 1, 6, "", ErrSyntax},
		{"x,99999999999999999999,\n", 0, 1, 3, "b", ErrBadValue},
	}
	for _, c := range cases {
		for _, chunk := range []int{0, 4096} {
			got, err := decodeRows(t, "csv", []byte(c.text), hints, DecoderOptions{ChunkBytes: chunk})
			var re *RowError
			if len(got) != c.rows || !errors.As(err, &re) || re.Line != c.line || re.Column != c.col || re.Field != c.field || !errors.Is(err, c.is) {
				t.Errorf("%q: %d rows, error %v (%+v); want %d rows, line %d column %d field %q, %v",
					c.text, len(got), err, re, c.rows, c.line, c.col, c.field, c.is)
			}
		}
	}
	// an extra empty column is fine
	if got, err := decodeRows(t, "csv", []byte("x,1,,\n"), hints, DecoderOptions{}); err != nil || len(got) != 1 {
		t.Errorf("trailing empty column: %d rows, %v", len(got), err)
	}
	// TSV has no quoting: quotes are text
	got, err := decodeRows(t, "tsv", []byte("\"x\t1\t\n"), hints, DecoderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "tsv quotes", got, wantRows(t, `{"a":"\"x","b":1}`))
}

func TestCSVKeepsCRLF(t *testing.T) {
	got, err := decodeRows(t, "csv", []byte("\"a\r\nb\",c\r\n"), `{"fields": [{"name": "x"}, {"name": "y"}]}`, DecoderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "crlf", got, wantRows(t, `{"x":"a\r\nb","y":"c"}`))
}

func TestCSVSeparator(t *testing.T) {
	got, err := decodeRows(t, "csv", []byte("a;\"b;c\";1\n"), `{"separator": ";", "fields": [{"name": "x"}, {"name": "y"}, {"name": "z", "type": "int"}]}`, DecoderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "semicolons", got, wantRows(t, `{"x":"a","y":"b;c","z":1}`))
}

// randCSV writes random CSV records of n fields, quoting where needed and sometimes not.
func randCSV(r *rand.Rand, records, n int) (string, [][]string) {
	var sb strings.Builder
	var want [][]string
	// no CR LF inside fields: encoding/csv turns it into LF, where the reader keeps the text
	// as it is (see TestCSVKeepsCRLF)
	parts := []string{"a", "b", ",", "\"", "\n", " ", "1", "é", ""}
	for i := 0; i < records; i++ {
		var rec []string
		for j := 0; j < n; j++ {
			var f strings.Builder
			for k := r.IntN(4); k > 0; k-- {
				f.WriteString(parts[r.IntN(len(parts))])
			}
			s := f.String()
			if j > 0 {
				sb.WriteByte(',')
			}
			if strings.ContainsAny(s, ",\"\r\n") || r.IntN(5) == 0 {
				sb.WriteString("\"" + strings.ReplaceAll(s, "\"", "\"\"") + "\"")
			} else {
				sb.WriteString(s)
			}
			rec = append(rec, s)
		}
		if r.IntN(3) == 0 {
			sb.WriteString("\r\n")
		} else {
			sb.WriteByte('\n')
		}
		want = append(want, rec)
	}
	return sb.String(), want
}

func csvAllStrings(n int) string {
	var fields []string
	for j := 0; j < n; j++ {
		fields = append(fields, fmt.Sprintf(`{"name": "f%d", "allow_empty": true}`, j))
	}
	return `{"fields": [` + strings.Join(fields, ",") + `]}`
}

// csvChunkedRows decodes CSV text with a tiny chunk size.
func csvChunkedRows(t testing.TB, format string, text []byte, hints string, chunkBytes int) ([]string, error) {
	t.Helper()
	s, err := compile(format, []byte(hints))
	if err != nil {
		return nil, err
	}
	var st ion.Symtab
	d, err := newDecoder(s, bytes.NewReader(text), &st, chunkBytes, 1<<16)
	if err != nil {
		return nil, err
	}
	return readRows(t, d.Next, &st)
}

// TestCSVMatchesEncodingCSV compares the records with the standard library's reader, for
// every chunk size.
func TestCSVMatchesEncodingCSV(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	n := 200
	if testing.Short() {
		n = 40
	}
	for iter := 0; iter < n; iter++ {
		fields := 1 + r.IntN(4)
		text, _ := randCSV(r, 1+r.IntN(20), fields)
		cr := csv.NewReader(strings.NewReader(text))
		cr.FieldsPerRecord = -1
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("encoding/csv: %v\n%q", err, text)
		}
		var want []string
		for _, rec := range recs {
			var sb strings.Builder
			sb.WriteByte('{')
			for j, f := range rec {
				if j > 0 {
					sb.WriteByte(',')
				}
				fmt.Fprintf(&sb, "%q:%s", fmt.Sprintf("f%d", j), jsonString(f))
			}
			sb.WriteByte('}')
			want = append(want, sb.String())
		}
		want = wantRowsNoTime(t, want)
		for _, size := range []int{1, 5, 64, 4096} {
			got, err := csvChunkedRows(t, "csv", []byte(text), csvAllStrings(fields), size)
			if err != nil {
				t.Fatalf("chunk size %d: %v\n%q", size, err, text)
			}
			checkRows(t, fmt.Sprintf("chunk size %d: %q", size, text), got, want)
		}
	}
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for _, c := range []byte(s) {
		switch {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&sb, `\u%04x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// wantRowsNoTime renders JSON objects of strings like decodeRows (none of the generated strings
// looks like a timestamp).
func wantRowsNoTime(t *testing.T, objs []string) []string {
	t.Helper()
	if len(objs) == 0 {
		return nil
	}
	return wantRows(t, strings.Join(objs, "\n"))
}

// FuzzCSV checks that the chunk size never changes the records or the first fault, and that
// nothing panics.
func FuzzCSV(f *testing.F) {
	seed, err := os.ReadFile("testdata/sample.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, uint16(10), false)
	f.Add([]byte("a,\"b\"\"c\",d\r\n\"e\nf\",,\n"), uint16(3), false)
	f.Add([]byte("a\tb\tc\nd\te\n"), uint16(2), true)
	f.Add([]byte("x,\"y\nz"), uint16(1), false)
	hints := `{"skip_records": 1, "missing_values": ["NA"], "fields": [{"name": "id", "type": "int"}, {"name": "name"},
		{"name": "score", "type": "number"}, {"name": "active", "type": "bool", "true_values": ["yes"], "false_values": ["no"]},
		{"name": "joined"}, {"name": "geo.lat", "type": "number"}, {"name": "geo.lon", "type": "number"}, {"name": "note", "allow_empty": true}]}`
	f.Fuzz(func(t *testing.T, text []byte, size uint16, tsv bool) {
		format := "csv"
		if tsv {
			format = "tsv"
		}
		whole, werr := csvChunkedRows(t, format, text, hints, 1<<20)
		got, gerr := csvChunkedRows(t, format, text, hints, 1+int(size)%300)
		if errors.Is(werr, ErrRowTooLarge) || errors.Is(gerr, ErrRowTooLarge) {
			return
		}
		if (werr == nil) != (gerr == nil) || len(got) != len(whole) {
			t.Fatalf("whole: %d rows, %v; chunked: %d rows, %v", len(whole), werr, len(got), gerr)
		}
		var we, ge *RowError
		if werr != nil && (!errors.As(werr, &we) || !errors.As(gerr, &ge) || werr.Error() != gerr.Error() || we.Offset != ge.Offset) {
			t.Fatalf("errors differ: %v / %v", werr, gerr)
		}
		for i := range got {
			if got[i] != whole[i] {
				t.Fatalf("row %d: %s / %s", i, got[i], whole[i])
			}
		}
	})
}
