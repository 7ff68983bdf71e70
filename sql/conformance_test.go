package sql

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// conformanceCase is the part of a conformance corpus line this package needs.
type conformanceCase struct {
	Name  string `json:"name"`
	Query string `json:"query"`
}

// conformancePath finds the public conformance corpus: $SNELLER_CONFORMANCE, else
// ../shared/conformance/public.jsonl beside the repository root (found by its go.mod).
func conformancePath(t testing.TB) string {
	if p := os.Getenv("SNELLER_CONFORMANCE"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "..", "shared", "conformance", "public.jsonl")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// loadConformance returns the corpus cases, or skips the test when the file is absent.
func loadConformance(t testing.TB) []conformanceCase {
	path := conformancePath(t)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("conformance corpus not available (%v); set SNELLER_CONFORMANCE", err)
	}
	cases, err := readConformance(path)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// readConformance reads the cases of a corpus file in the format of
// shared/conformance/README.md.
func readConformance(path string) ([]conformanceCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cases []conformanceCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var c conformanceCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("%s: no cases", path)
	}
	return cases, nil
}

// TestConformanceQueries parses every query of the public corpus and checks that printing the
// tree and parsing the text again gives an equal tree, and that printing is stable.
func TestConformanceQueries(t *testing.T) {
	for _, c := range loadConformance(t) {
		t.Run(c.Name, func(t *testing.T) {
			st, err := Parse(c.Query)
			if err != nil {
				t.Fatalf("parse: %v\n%s", err, c.Query)
			}
			text := st.String()
			again, err := Parse(text)
			if err != nil {
				t.Fatalf("reparse: %v\nprinted: %s", err, text)
			}
			if !Equal(st, again) {
				t.Fatalf("round trip changed the tree\noriginal: %s\nprinted:  %s\nreprinted: %s", c.Query, text, again.String())
			}
			if again.String() != text {
				t.Fatalf("printing is not stable:\n%s\n%s", text, again.String())
			}
		})
	}
}
