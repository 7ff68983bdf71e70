package plan

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/sneller-re/sneller/vm"
)

// TestDebugCase runs the case named by $CASE and prints its output (a development aid).
func TestDebugCase(t *testing.T) {
	name := os.Getenv("CASE")
	if name == "" {
		t.Skip("set CASE")
	}
	f, err := os.Open(conformanceFile())
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<28)
	for s.Scan() {
		var c confCase
		json.Unmarshal(s.Bytes(), &c)
		if c.Name != name {
			continue
		}
		tables := map[string][]vm.Value{}
		for i, in := range c.Inputs {
			rows, _ := loadRows(in)
			n := "input"
			if len(c.Inputs) > 1 {
				n = "input" + string(rune('0'+i))
			}
			tables[n] = rows
		}
		env := packedLoader(0)(t, tables)
		got, err := runSQL(env, c.Query, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got {
			t.Log(vm.FormatValue(r))
		}
		plan, err := runSQL(env, "EXPLAIN "+c.Query, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range plan {
			t.Log(vm.FormatValue(r))
		}
	}
}
