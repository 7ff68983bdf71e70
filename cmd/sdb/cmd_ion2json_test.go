package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/ion"
)

func ionStream(t *testing.T, jsonText string) []byte {
	t.Helper()
	var st ion.Symtab
	var body ion.Buffer
	d := ion.NewJSONDecoder(strings.NewReader(jsonText), &st)
	for {
		err := d.Next(&body)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	var out ion.Buffer
	st.Marshal(&out, true)
	out.WriteRaw(body.Bytes())
	return out.Bytes()
}

func TestIon2JSON(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.ion")
	os.WriteFile(good, ionStream(t, `{"a": 1, "t": "2024-01-01T00:00:00Z", "s": ["x", null]}
{"b": 2.5}`), 0o644)
	bad := filepath.Join(dir, "bad.ion")
	os.WriteFile(bad, append(ionStream(t, `{"a": 1}`), 0x8e, 0x90, 'x'), 0o644)

	code, out, errs := runSDB(t, "ion2json", good)
	want := "{\"a\":1,\"t\":\"2024-01-01T00:00:00Z\",\"s\":[\"x\",null]}\n{\"b\":2.5}\n"
	if code != 0 || out != want || errs != "" {
		t.Fatalf("good: code %d, stdout %q, stderr %q", code, out, errs)
	}

	code, out, errs = runSDB(t, "ion2json", bad, good)
	if code != 1 || !strings.HasPrefix(out, "{\"a\":1}\n{\"a\":1,") {
		t.Fatalf("bad then good: code %d, stdout %q", code, out)
	}
	n := len(ionStream(t, `{"a": 1}`))
	if wantErr := bad + ": offset " + strconv.Itoa(n) + ": "; !strings.HasPrefix(errs, wantErr) || !strings.Contains(errs, "string") {
		t.Fatalf("stderr %q, want prefix %q", errs, wantErr)
	}

	code, _, errs = runSDB(t, "ion2json", filepath.Join(dir, "missing.ion"))
	if code != 1 || !strings.Contains(errs, "missing.ion: ") {
		t.Fatalf("missing file: code %d, stderr %q", code, errs)
	}
}

func TestIon2JSONStdin(t *testing.T) {
	in := ionStream(t, `{"x": "y"} [1, 2]`)
	for _, args := range [][]string{{"ion2json"}, {"ion2json", "-"}} {
		var o, e bytes.Buffer
		code := run(context.Background(), args, bytes.NewReader(in), &o, &e)
		if code != 0 || o.String() != "{\"x\":\"y\"}\n1\n2\n" {
			t.Fatalf("%v: code %d, stdout %q, stderr %q", args, code, o.String(), e.String())
		}
	}
	var o, e bytes.Buffer
	code := run(context.Background(), []string{"ion2json"}, bytes.NewReader([]byte{0xe0, 0x01, 0x00, 0xea, 0xf0}), &o, &e)
	if code != 1 || e.String() != "-: offset 4: reserved type descriptor 0xf0\n" {
		t.Fatalf("bad stdin: code %d, stderr %q", code, e.String())
	}
	code = run(context.Background(), []string{"ion2json", "-x"}, bytes.NewReader(nil), &o, &e)
	if code != 2 {
		t.Fatalf("bad flag: code %d", code)
	}
}
