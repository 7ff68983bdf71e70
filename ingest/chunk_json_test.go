package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/ion"
)

// randJSONValue writes a random JSON value, with the things that trouble a scanner: brackets
// and quotes inside strings, escapes, runs of backslashes, nesting, and newlines between tokens
// when pretty.
func randJSONValue(r *rand.Rand, sb *strings.Builder, depth int, pretty bool) {
	ws := func() {
		if pretty && r.IntN(3) == 0 {
			sb.WriteString("\n  ")
		} else if r.IntN(4) == 0 {
			sb.WriteByte(' ')
		}
	}
	k := r.IntN(10)
	if depth > 4 {
		k = 9
	}
	switch k {
	case 0, 1:
		sb.WriteByte('{')
		n := r.IntN(4)
		for i := 0; i < n; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			ws()
			randJSONString(r, sb)
			ws()
			sb.WriteByte(':')
			ws()
			randJSONValue(r, sb, depth+1, pretty)
		}
		ws()
		sb.WriteByte('}')
	case 2:
		sb.WriteByte('[')
		n := r.IntN(4)
		for i := 0; i < n; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			ws()
			randJSONValue(r, sb, depth+1, pretty)
		}
		ws()
		sb.WriteByte(']')
	case 3, 4, 5:
		randJSONString(r, sb)
	case 6:
		sb.WriteString([]string{"true", "false", "null"}[r.IntN(3)])
	case 7:
		sb.WriteString([]string{`"2024-03-01T10:00:00Z"`, `"2024-03-01 10:00:00.123+02:00"`, `"float64:inf"`}[r.IntN(3)])
	default:
		sb.WriteString([]string{"0", "-1", "3.25", "1e3", "-0.0", "123456789012345678901234567890", "1.5e-300"}[r.IntN(7)])
	}
}

func randJSONString(r *rand.Rand, sb *strings.Builder) {
	parts := []string{"a", "b", "{", "}", "[", "]", `\"`, `\\`, `\\\\`, `\\\"`, `\n`, `\u00e9`, `\ud83d\ude00`, ",", ":", " ", "é", "Records"}
	sb.WriteByte('"')
	n := r.IntN(6)
	for i := 0; i < n; i++ {
		sb.WriteString(parts[r.IntN(len(parts))])
	}
	sb.WriteByte('"')
}

// randRows writes n random objects as ND-JSON, pretty-printed values, or top-level arrays; it
// also returns the text of each row.
func randRows(r *rand.Rand, n int) (string, []string) {
	var sb strings.Builder
	var rows []string
	inArray, first := false, false
	for i := 0; i < n; i++ {
		pretty := r.IntN(4) == 0
		switch {
		case !inArray && r.IntN(8) == 0:
			sb.WriteString("[\n")
			inArray, first = true, true
		case inArray && r.IntN(4) == 0:
			sb.WriteString("]\n")
			inArray = false
		}
		if inArray && !first {
			sb.WriteString(",\n")
		}
		first = false
		var row strings.Builder
		row.WriteByte('{')
		m := 1 + r.IntN(4)
		for j := 0; j < m; j++ {
			if j > 0 {
				row.WriteByte(',')
			}
			if pretty {
				row.WriteString("\n  ")
			}
			fmt.Fprintf(&row, `"f%d":`, r.IntN(6))
			randJSONValue(r, &row, 1, pretty)
		}
		if pretty {
			row.WriteByte('\n')
		}
		row.WriteString("}")
		rows = append(rows, row.String())
		sb.WriteString(row.String())
		sb.WriteByte('\n')
	}
	if inArray {
		sb.WriteString("]\n")
	}
	return sb.String(), rows
}

// chunkedRows decodes text (not compressed, whatever the format says) through the chunker and
// row decoder with a tiny chunk size.
func chunkedRows(t testing.TB, format string, text []byte, chunkBytes, maxRow int) ([]string, error) {
	t.Helper()
	s, err := compile(format, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.format.Compression = None // the text is given decompressed
	var st ion.Symtab
	d, err := newDecoder(s, bytes.NewReader(text), &st, chunkBytes, maxRow)
	if err != nil {
		return nil, err
	}
	return readRows(t, d.Next, &st)
}

func TestJSONChunksMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	n := 300
	if testing.Short() {
		n = 60
	}
	for iter := 0; iter < n; iter++ {
		text, rowTexts := randRows(r, 1+r.IntN(30))
		want, err := referenceRows(t, []byte(text))
		if err != nil {
			t.Fatalf("reference rejects generated text: %v\n%s", err, text)
		}
		for _, size := range []int{1, 7, 64, 4096} {
			got, err := chunkedRows(t, "json", []byte(text), size, 1<<20)
			if err != nil {
				t.Fatalf("chunk size %d: %v\n%s", size, err, text)
			}
			checkSameRows(t, fmt.Sprintf("chunk size %d", size), got, want, text)
			if lines, err := lineModeRows(t, []byte(text), size); err == nil {
				checkSameRows(t, fmt.Sprintf("cut at newlines, chunk size %d", size), lines, want, text)
			}
		}
		// the same rows as cloudtrail Records, with other keys around them
		var sb strings.Builder
		sb.WriteString(`{"Before": {"x": ["]", "}", {"Records": 1}]}, "n": -2.5, "Records": [`)
		sb.WriteString(strings.Join(rowTexts, ",\n"))
		sb.WriteString("], \"After\": \"x\\\"]}\", \"Records\": [5]}")
		if r.IntN(2) == 0 {
			sb.WriteString("\n{\"Records\": []}")
		}
		ct := sb.String()
		got, err := chunkedRows(t, "cloudtrail.json.gz", []byte(ct), 1+r.IntN(200), 1<<20)
		if err != nil {
			t.Fatalf("cloudtrail: %v\n%s", err, ct)
		}
		checkSameRows(t, "cloudtrail", got, want, ct)
	}
}

func checkSameRows(t *testing.T, what string, got, want []string, text string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d\n%s", what, len(got), len(want), text)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: row %d:\ngot  %s\nwant %s\n%s", what, i, got[i], want[i], text)
		}
	}
}

// FuzzJSONChunks checks the chunked JSON path against the reference on arbitrary bytes: the
// same rows up to the first fault, and a fault exactly when the reference has one.
func FuzzJSONChunks(f *testing.F) {
	seed, err := os.ReadFile("testdata/events.json")
	if err != nil {
		f.Fatal(err)
	}
	lines := bytes.SplitAfter(seed, []byte("\n"))
	f.Add(bytes.Join(lines[:3], nil), uint16(100))
	f.Add([]byte("["+string(bytes.Join(bytes.Fields(bytes.Join(lines[:2], nil)), []byte(",")))+"]"), uint16(33))
	ct, err := os.ReadFile("testdata/cloudtrail.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ct, uint16(200))
	f.Add([]byte(`{"a": "}\"{"} {"b": [1, {"c": "]"}]}`), uint16(5))
	f.Add([]byte("[{\"a\":1},\n{\"b\":2}]\n{\"c\":3}"), uint16(9))
	f.Add([]byte("\xef\xbb\xbf{\"a\":1}"), uint16(2))
	f.Add([]byte(`{"a":1}]`), uint16(3))
	f.Fuzz(func(t *testing.T, text []byte, size uint16) {
		want, werr := referenceRows(t, text)
		got, gerr := chunkedRows(t, "json", text, 1+int(size)%512, 1<<16)
		if errors.Is(gerr, ErrRowTooLarge) {
			return
		}
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("reference error %v, chunked error %v", werr, gerr)
		}
		if len(got) != len(want) {
			t.Fatalf("%d rows, reference %d (errors %v, %v)", len(got), len(want), gerr, werr)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("row %d: %s, reference %s", i, got[i], want[i])
			}
		}
		// the speculative cut at newlines is accepted only when it gives the reference's rows
		lines, lerr := lineModeRows(t, text, 1+int(size)%512)
		switch {
		case werr != nil && lerr == nil:
			t.Fatalf("the reference fails (%v) but the cut at newlines gives %d rows", werr, len(lines))
		case lerr == nil && len(lines) != len(want):
			t.Fatalf("cut at newlines: %d rows, reference %d", len(lines), len(want))
		case lerr == nil:
			for i := range lines {
				if lines[i] != want[i] {
					t.Fatalf("cut at newlines: row %d: %s, reference %s", i, lines[i], want[i])
				}
			}
		}
		// the cloudtrail scanner must not panic either
		chunkedRows(t, "cloudtrail.json.gz", text, 1+int(size)%512, 1<<16)
	})
}

// lineModeRows decodes text as the converter's speculative pass does: cut at newlines, each
// chunk decoded on its own. Any fault means the converter would start again with the exact
// chunker.
func lineModeRows(t testing.TB, text []byte, chunkBytes int) ([]string, error) {
	t.Helper()
	ck := newLineChunker(bytes.NewReader(text), newBufPool(chunkBytes, 2), 1<<16)
	var st ion.Symtab
	var rows []string
	var buf ion.Buffer
	for {
		ch, err := ck.next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		j := newJSONRows(nil)
		j.reset(ch, &st)
		for {
			buf.Reset()
			err := j.next(&buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			rows = append(rows, canonIon(t, buf.Bytes(), &st))
		}
		ch.release()
	}
}

// TestLineModeNeedsExact lists texts whose cut at newlines (into chunks of 16 bytes) does not
// give whole rows: the speculative pass must fail on them.
func TestLineModeNeedsExact(t *testing.T) {
	for _, text := range []string{
		"[\n{\"a\": 1},\n{\"a\": 2}\n]\n",
		"{\n  \"a\": 1,\n  \"b\": [1,\n 2]\n}\n",
		"{\"a\": 1}\n\xef\xbb\xbf{\"a\": 2}\n",
	} {
		if rows, err := lineModeRows(t, []byte(text), 16); err == nil {
			t.Errorf("%q: the cut at newlines was accepted (%d rows)", text, len(rows))
		}
		got, err := chunkedRows(t, "json", []byte(text), 16, 1<<16)
		want, werr := referenceRows(t, []byte(text))
		if (err == nil) != (werr == nil) || len(got) != len(want) {
			t.Errorf("%q: exact: %d rows, %v; reference %d rows, %v", text, len(got), err, len(want), werr)
		}
	}
	// plain ND-JSON is accepted whatever the chunk size
	text := []byte(strings.Repeat("{\"a\": [1, {\"b\": \"}\"}]}\n\n", 50))
	for _, size := range []int{1, 16, 100, 4096} {
		if rows, err := lineModeRows(t, text, size); err != nil || len(rows) != 50 {
			t.Errorf("chunk size %d: %d rows, %v", size, len(rows), err)
		}
	}
}

// TestJSONRowLimit checks that the row limit applies to one row, not to the input.
func TestJSONRowLimit(t *testing.T) {
	row := `{"a": "` + strings.Repeat("x", 1000) + `"}` + "\n"
	text := []byte(strings.Repeat(row, 50))
	got, err := chunkedRows(t, "json", text, 64, 2000)
	if err != nil || len(got) != 50 {
		t.Fatalf("rows under the limit: %d rows, %v", len(got), err)
	}
	big := append(bytes.Clone(text), []byte(`{"b": "`+strings.Repeat("y", 5000)+`"}`)...)
	got, err = chunkedRows(t, "json", big, 64, 2000)
	var re *RowError
	if !errors.As(err, &re) || !errors.Is(err, ErrRowTooLarge) || re.Line != 51 || re.Column != 1 || len(got) != 50 {
		t.Fatalf("row over the limit: %d rows, %v", len(got), err)
	}
}
