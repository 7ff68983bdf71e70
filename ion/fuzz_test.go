package ion

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addIonSeeds seeds f with every file of the ion-tests corpus (when present) and Ion made
// from the bench sample.
func addIonSeeds(f *testing.F) {
	if dir := findIonTests(); dir != "" {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".10n") {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b)
				}
			}
			return nil
		})
	}
	st, all, rows := benchIon(f)
	var b Buffer
	st.Marshal(&b, true)
	b.WriteRaw(rows[0])
	f.Add(append([]byte(nil), b.Bytes()...))
	b.WriteRaw(all[:min(len(all), 1500)])
	f.Add(b.Bytes())
}

// findIonTests returns the ion-tests directory or "". Tests run in the package directory, one
// below the repository root, which may itself sit one level below the directory holding
// shared/ (a worktree) or beside it.
func findIonTests() string {
	for _, d := range []string{os.Getenv("SNELLER_ION_TESTS"), "../../shared/ion-tests", "../../../shared/ion-tests"} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}

// FuzzReader feeds arbitrary bytes to every reading path: the stream reader (from memory and
// a few bytes at a time), the value tree, Validate and Ion → JSON, and checks that they agree and
// that what decodes also round-trips.
func FuzzReader(f *testing.F) {
	addIonSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		vals, err := DecodeAll(data)
		// the streaming reader sees the same values and the same outcome
		r := NewReader(&smallReads{r: bytes.NewReader(data), n: 7})
		var n int
		var serr error
		for r.Next() {
			if _, _, err := DecodeDatum(r.Value(), r.Symtab()); err != nil {
				serr = err
				break
			}
			n++
		}
		if serr == nil {
			serr = r.Err()
		}
		if (err == nil) != (serr == nil) || (err == nil && n != len(vals)) {
			t.Fatalf("DecodeAll: %d values, %v; streaming: %d values, %v", len(vals), err, n, serr)
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > int64(len(data)) {
				t.Fatalf("error without a valid offset: %v", err)
			}
			return
		}
		// every value validates and renders as valid JSON
		rd := NewBytesReader(data)
		var w JSONWriter
		for rd.Next() {
			if _, err := Validate(rd.Value(), rd.Symtab()); err != nil {
				t.Fatalf("decoded value at %d does not validate: %v", rd.Offset(), err)
			}
			out, _, err := w.Append(nil, rd.Value(), rd.Symtab())
			if err != nil {
				t.Fatalf("decoded value at %d does not render: %v", rd.Offset(), err)
			}
			if !json.Valid(out) {
				t.Fatalf("invalid JSON %s", out)
			}
		}
		// encode → decode gives equal values
		var st Symtab
		var body, stream Buffer
		for _, v := range vals {
			v.Encode(&body, &st)
		}
		st.Marshal(&stream, true)
		stream.WriteRaw(body.Bytes())
		again, err := DecodeAll(stream.Bytes())
		if err != nil || len(again) != len(vals) {
			t.Fatalf("re-encoding: %d values, %v", len(again), err)
		}
		for i := range vals {
			if !vals[i].Equal(again[i]) {
				t.Fatalf("value %d: %s re-encoded as %s", i, vals[i], again[i])
			}
		}
	})
}

// FuzzJSON checks JSON → Ion against encoding/json's notion of valid JSON, and that what it
// produces is valid Ion that renders back as valid JSON.
func FuzzJSON(f *testing.F) {
	for _, line := range bytes.Split(benchRows(f), []byte("\n"))[:40] {
		f.Add(line)
	}
	for _, s := range []string{`[1, 2.5, -0.0, 1e400, "x"]`, `{"a": {"a": 1}, "a": 2}`, `"2024-01-01T00:00:00.123+01:00"`,
		`"\ud83d\ude00\u0000"`, `12345678901234567890`, `[[[[]]]]`, `{"":""}`, `-0`, `0.1e-5`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		var b Buffer
		var st Symtab
		err := FromJSON(&b, &st, text)
		valid := json.Valid(text)
		if err != nil {
			var je *JSONError
			if !errors.As(err, &je) || je.Line < 1 || je.Column < 1 || je.Offset < 0 || je.Offset > int64(len(text)) {
				t.Fatalf("bad error %v", err)
			}
			if valid && utf8.Valid(text) && !errors.Is(err, ErrTooDeep) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("valid JSON %q rejected: %v", text, err)
			}
			return
		}
		if !valid {
			t.Fatalf("invalid JSON %q accepted", text)
		}
		if _, err := Validate(b.Bytes(), &st); err != nil {
			t.Fatalf("%q gives invalid Ion: %v", text, err)
		}
		out, _, err := AppendJSON(nil, b.Bytes(), &st)
		if err != nil || !json.Valid(out) {
			t.Fatalf("%q renders as %q: %v", text, out, err)
		}
		// the streaming decoder agrees, whatever the reads
		var b2 Buffer
		var st2 Symtab
		d := NewJSONDecoder(&smallReads{r: bytes.NewReader(text), n: 3}, &st2)
		for d.Next(&b2) == nil {
		}
		if len(text) > 0 && bytes.TrimSpace(text)[0] != '[' && !bytes.Equal(b.Bytes(), b2.Bytes()) {
			t.Fatalf("%q: streaming decoder differs", text)
		}
	})
}
