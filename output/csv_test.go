package output

import (
	"bytes"
	"testing"

	"github.com/sneller-re/sneller/vm"
)

// TestCSVColumnsByName: each column is found by name whether the row holds the fields in
// column order, leaves some out (MISSING), or holds them in another order.
func TestCSVColumnsByName(t *testing.T) {
	var out bytes.Buffer
	w, err := New(CSV, &out, []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	f := func(name string, v int64) vm.Field { return vm.Field{Name: name, Value: vm.Int(v)} }
	for _, row := range [][]vm.Field{
		{f("a", 1), f("b", 2), f("c", 3)},
		{f("a", 4), f("c", 6)},
		{f("b", 8)},
		{f("c", 9), f("a", 7)},
		{},
	} {
		if err := w.Row(vm.Struct(row)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "a,b,c\n1,2,3\n4,,6\n,8,\n7,,9\n,,\n"
	if got := out.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
