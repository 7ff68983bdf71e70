package plan

import (
	"testing"

	"github.com/sneller-re/sneller/vm"
)

// TestTopKSecondKey: a top-k sort whose first key ties across blocks must still read the
// blocks that reach the bound, since the second key decides between the tied rows (blocks
// were skipped when their best first key only equalled the bound, losing rows).
func TestTopKSecondKey(t *testing.T) {
	var rows []vm.Value
	for i := 2999; i >= 0; i-- { // the best rows by i last
		rows = append(rows, vm.Struct([]vm.Field{{Name: "i", Value: vm.Int(int64(i))}, {Name: "x", Value: vm.Int(int64((i * 37) % 101))}}))
	}
	data, err := packRows(rows, 100)
	if err != nil {
		t.Fatal(err)
	}
	env := MapEnv{"t": mustOpenBlob(t, "t", data)}
	for _, q := range []string{
		"SELECT i FROM t ORDER BY x DESC, i LIMIT 17",
		"SELECT i FROM t ORDER BY x, i DESC LIMIT 40",
	} {
		for _, workers := range []int{1, 4} {
			got, err := runSQL(env, q, workers)
			if err != nil {
				t.Fatal(err)
			}
			all, err := runSQL(env, q[:len(q)-len(" LIMIT 17")], workers)
			if err != nil {
				t.Fatal(err)
			}
			if why := compareRows(got, all[:len(got)], true); why != "" {
				t.Errorf("%s (%d workers): %s", q, workers, why)
			}
		}
	}
}
