package ion_test

import (
	"fmt"
	"strings"

	"github.com/sneller-re/sneller/ion"
)

// Load ND-JSON rows into Ion, scan them with the cursor, and render one back as JSON.
func Example() {
	var st ion.Symtab
	var rows ion.Buffer
	dec := ion.NewJSONDecoder(strings.NewReader(`{"user": "ada", "n": 3.0, "at": "2024-03-01T10:00:00Z"}
{"user": "bob", "n": 1.5}`), &st)
	for dec.Next(&rows) == nil {
	}

	// scan: the value of field "n" in every row, without building trees
	n, _ := st.Lookup("n")
	it := ion.Sequence(rows.Bytes())
	for it.Next() {
		f, _ := ion.Fields(it.Value())
		for f.Next() {
			if f.Symbol() != n {
				continue
			}
			switch f.Head().Type {
			case ion.UintType, ion.IntType:
				v, _, _ := ion.ReadInt(f.Value())
				fmt.Println("int", v)
			case ion.FloatType:
				v, _, _ := ion.ReadFloat(f.Value())
				fmt.Println("float", v)
			}
		}
	}

	// render the first row as JSON
	var w ion.JSONWriter
	out, _, _ := w.Append(nil, rows.Bytes(), &st)
	fmt.Println(string(out))

	// Output:
	// int 3
	// float 1.5
	// {"user":"ada","n":3,"at":"2024-03-01T10:00:00Z"}
}
