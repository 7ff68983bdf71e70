package plan

import (
	"context"
	"fmt"
	"testing"

	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

type discard struct{}

func (discard) Row(vm.Value) error { return nil }

// TestMaxScanned checks the estimate against what the scans then read: for queries without
// correlated subqueries the bound is exact.
func TestMaxScanned(t *testing.T) {
	var rows []vm.Value
	for i := 0; i < 40; i++ {
		rows = append(rows, vm.Struct([]vm.Field{
			{Name: "a", Value: vm.Int(int64(i))},
			{Name: "b", Value: vm.String(fmt.Sprintf("some longer string value %d", i))},
		}))
	}
	data, err := packRows(rows, 10)
	if err != nil {
		t.Fatal(err)
	}
	blob, err := pack.Open(context.Background(), "t", pack.BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	env := MapEnv{"t": blob}
	estimate := func(q string) (est, scanned int64) {
		t.Helper()
		st, err := sql.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		pq, err := Prepare(context.Background(), st, env, Options{})
		if err != nil {
			t.Fatal(err)
		}
		est = pq.MaxScanned()
		if err := pq.Run(context.Background(), discard{}); err != nil {
			t.Fatal(err)
		}
		return est, pq.Stats().BytesScanned.Load()
	}
	colA, _ := estimate("SELECT a FROM t")
	all, _ := estimate("SELECT * FROM t")
	if colA <= 0 || all <= colA {
		t.Fatalf("SELECT a: %d, SELECT *: %d", colA, all)
	}
	for _, q := range []string{
		"SELECT a FROM t",
		"SELECT * FROM t",
		"SELECT COUNT(*) FROM t WHERE a >= 35",
		"SELECT b FROM t WHERE a < 5",
		"SELECT x.a FROM t AS x JOIN t AS y ON x.a = y.a",
	} {
		est, scanned := estimate(q)
		if est != scanned {
			t.Errorf("%s: estimate %d, scanned %d", q, est, scanned)
		}
	}
	// block skipping lowers the bound: a < 5 touches one block of four
	pruned, _ := estimate("SELECT a FROM t WHERE a < 5")
	if pruned <= 0 || pruned*3 > colA {
		t.Errorf("pruned estimate %d, whole column %d", pruned, colA)
	}
}
