package ion

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

func TestSymtabIntern(t *testing.T) {
	var st Symtab
	if st.Len() != SystemSymbols {
		t.Fatalf("empty Len = %d", st.Len())
	}
	if s, ok := st.Lookup("name"); !ok || s != SymbolName {
		t.Fatalf("Lookup(name) = %d, %v", s, ok)
	}
	if _, ok := st.Lookup("foo"); ok {
		t.Fatal("Lookup interned foo")
	}
	a := st.Intern("foo")
	b := st.InternBytes([]byte("bar"))
	if a != 10 || b != 11 || st.Intern("foo") != 10 || st.Len() != 12 {
		t.Fatalf("ids %d %d, len %d", a, b, st.Len())
	}
	if st.Intern("imports") != SymbolImports {
		t.Fatal("system text not mapped to the system symbol")
	}
	if s, ok := st.Get(11); !ok || s != "bar" {
		t.Fatalf("Get(11) = %q %v", s, ok)
	}
	for _, id := range []Symbol{0, 12, 1000} {
		if _, ok := st.Get(id); ok {
			t.Errorf("Get(%d) ok", id)
		}
	}
	if s, ok := st.Get(SymbolIonSymbolTable); !ok || s != "$ion_symbol_table" {
		t.Fatalf("Get(3) = %q", s)
	}
	c := st.Clone()
	c.Intern("only-in-clone")
	if _, ok := st.Lookup("only-in-clone"); ok || st.Len() != 12 || c.Len() != 13 {
		t.Fatal("Clone shares state")
	}
	st.Truncate(11)
	if _, ok := st.Lookup("bar"); ok || st.Len() != 11 {
		t.Fatal("Truncate kept bar")
	}
	if st.Intern("baz") != 11 {
		t.Fatal("Truncate did not free the ID")
	}
	st.Reset()
	if st.Len() != SystemSymbols {
		t.Fatal("Reset kept symbols")
	}
	if _, ok := st.Lookup("foo"); ok {
		t.Fatal("Reset kept foo")
	}
	if s, ok := st.Lookup("symbols"); !ok || s != SymbolSymbols {
		t.Fatal("Reset lost the system symbols")
	}
}

func TestSymtabInternBytesNoAlloc(t *testing.T) {
	var st Symtab
	key := []byte("actor")
	st.InternBytes(key)
	if n := testing.AllocsPerRun(100, func() { st.InternBytes(key) }); n != 0 {
		t.Fatalf("InternBytes of an existing symbol allocates %v times", n)
	}
}

func TestSymtabMarshalRoundTrip(t *testing.T) {
	var st Symtab
	for i := 0; i < 300; i++ {
		st.Intern(fmt.Sprintf("sym%d", i))
	}
	var b Buffer
	st.Marshal(&b, true)
	var got Symtab
	got.Intern("stale") // a new table must replace this
	rest, err := got.Unmarshal(b.Bytes())
	if err != nil || len(rest) != 0 {
		t.Fatalf("Unmarshal: %v (rest %d)", err, len(rest))
	}
	if !got.Equal(&st) {
		t.Fatalf("round trip: len %d, want %d", got.Len(), st.Len())
	}

	// append form: only the new symbols, extending the reader's table
	since := st.Len()
	st.Intern("late1")
	st.Intern("late2")
	b.Reset()
	st.MarshalSince(&b, since)
	if !bytes.Contains(b.Bytes(), []byte{0x86, 0x71, 0x03}) { // imports: $ion_symbol_table
		t.Fatalf("append form lacks imports:$ion_symbol_table: % x", b.Bytes())
	}
	if _, err := got.Unmarshal(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(&st) {
		t.Fatalf("after append: len %d, want %d", got.Len(), st.Len())
	}
	b.Reset()
	st.MarshalSince(&b, st.Len())
	if b.Size() != 0 {
		t.Fatal("MarshalSince with nothing new wrote bytes")
	}
}

func TestSymtabUnmarshal(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		texts []string // symbols from $10 on ("?" for unknown text)
		rest  int
		err   error
	}{
		{"bvm only", "e0 01 00 ea", nil, 0, nil},
		{"pad and value", "e0 01 00 ea 00 21 01", nil, 2, nil},
		{"new table", "ee 8e 81 83 de 8a 87 b8 83 61 62 63 83 64 65 66", []string{"abc", "def"}, 0, nil},
		{"null slot", "e8 81 83 d5 87 b3 81 61 0f", []string{"a", "?"}, 0, nil},
		{"non-string slot", "e9 81 83 d6 87 b4 81 61 21 05", []string{"a", "?"}, 0, nil},
		{"symbols not a list", "e5 81 83 d2 87 20", nil, 0, nil},
		{"annotated struct that is not a table", "e3 81 8a d0 20", nil, 5, nil},
		{"table annotation second", "e4 82 84 83 d0 20", nil, 6, nil},
		{"shared import with max_id", "ee 96 81 83 de 92 86 bc db 84 83 66 6f 6f 85 21 01 88 21 02 87 b2 81 78", []string{"?", "?", "x"}, 0, nil},
		{"shared import without max_id", "ee 93 81 83 de 8f 86 b9 d8 84 83 66 6f 6f 85 21 01 87 b2 81 78", nil, 0, ErrInvalid},
		{"bad version marker", "e0 02 00 ea", nil, 0, ErrInvalid},
		{"short version marker", "e0 01", nil, 0, ErrTruncated},
		{"duplicate symbols", "e7 81 83 d4 87 b0 87 b0", nil, 0, ErrInvalid},
		{"bad utf8 symbol", "e7 81 83 d4 87 b2 81 ff", nil, 0, ErrInvalid},
	}
	for _, c := range cases {
		var st Symtab
		st.Intern("old")
		rest, err := st.Unmarshal(hexBytes(t, c.in))
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("%s: err %v, want %v", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(rest) != c.rest {
			t.Errorf("%s: %d bytes left, want %d", c.name, len(rest), c.rest)
		}
		if c.rest > 0 {
			continue
		}
		if st.Len() != SystemSymbols+len(c.texts) {
			t.Errorf("%s: Len %d, want %d", c.name, st.Len(), SystemSymbols+len(c.texts))
			continue
		}
		for i, want := range c.texts {
			got, ok := st.Get(Symbol(SystemSymbols + i))
			if want == "?" {
				if ok {
					t.Errorf("%s: $%d has text %q, want unknown", c.name, SystemSymbols+i, got)
				}
			} else if !ok || got != want {
				t.Errorf("%s: $%d = %q, want %q", c.name, SystemSymbols+i, got, want)
			}
		}
	}
}
