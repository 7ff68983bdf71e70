package ion

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ionTestsDir locates the ion-tests corpus: $SNELLER_ION_TESTS, else shared/ion-tests beside
// the repository (../../shared/ion-tests from the repository root), and skips the test if it
// is not there.
func ionTestsDir(t testing.TB) string {
	t.Helper()
	d := findIonTests()
	if d == "" {
		t.Skip("ion-tests corpus not found: set SNELLER_ION_TESTS to its directory (looked for ../../shared/ion-tests from the repository root)")
	}
	return d
}

// ionFiles lists the binary Ion files under dir (recursively).
func ionFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".10n") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no .10n files under %s", dir)
	}
	return out
}

// forIonFiles runs f as a subtest, named by the path below the corpus root, on the contents
// of each binary Ion file under the corpus directory sub.
func forIonFiles(t *testing.T, sub string, f func(t *testing.T, data []byte)) {
	root := ionTestsDir(t)
	for _, p := range ionFiles(t, filepath.Join(root, sub)) {
		rel, _ := filepath.Rel(root, p)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			f(t, data)
		})
	}
}

func TestIonTestsGood(t *testing.T) {
	forIonFiles(t, "good", func(t *testing.T, data []byte) {
		vals, err := DecodeAll(data)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		// encode → decode gives equal values
		var buf Buffer
		var st Symtab
		for _, v := range vals {
			v.Encode(&buf, &st)
		}
		var out Buffer
		st.Marshal(&out, true)
		out.WriteRaw(buf.Bytes())
		again, err := DecodeAll(out.Bytes())
		if err != nil {
			t.Fatalf("decode of re-encoding: %v", err)
		}
		if len(again) != len(vals) {
			t.Fatalf("re-encoding has %d values, want %d", len(again), len(vals))
		}
		for i := range vals {
			if !vals[i].Equal(again[i]) {
				t.Errorf("value %d: %s re-encoded as %s", i, vals[i], again[i])
			}
		}
	})
}

func TestIonTestsEquivs(t *testing.T) {
	forIonFiles(t, filepath.Join("good", "equivs"), func(t *testing.T, data []byte) {
		vals, err := DecodeAll(data)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if len(vals) == 0 {
			t.Fatal("no values")
		}
		for i, seq := range vals {
			if seq.Type() != ListType && seq.Type() != SexpType {
				t.Fatalf("top-level value %d is a %s, want list or sexp", i, seq.Type())
			}
			el := seq.Elems()
			for j := 1; j < len(el); j++ {
				if !el[0].Equal(el[j]) {
					t.Errorf("sequence %d: element 0 %s != element %d %s", i, el[0], j, el[j])
				}
			}
		}
	})
}

func TestIonTestsBad(t *testing.T) {
	forIonFiles(t, "bad", func(t *testing.T, data []byte) {
		_, err := DecodeAll(data)
		if err == nil {
			t.Fatal("decoded without error")
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
		}
		if se.Offset < 0 || se.Offset > int64(len(data)) {
			t.Errorf("error offset %d outside the %d-byte input", se.Offset, len(data))
		}
		t.Logf("%v", err)
	})
}
