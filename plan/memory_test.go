package plan

import (
	"context"
	"errors"
	"testing"

	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// TestMemoryLimit checks that queries whose state passes the limit fail with ErrMemoryLimit
// (and a message naming the limit) instead of growing without bound.
func TestMemoryLimit(t *testing.T) {
	var rows []vm.Value
	for i := 0; i < 20000; i++ {
		rows = append(rows, vm.Struct([]vm.Field{
			{Name: "k", Value: vm.Int(int64(i))},
			{Name: "s", Value: vm.String("some text that takes room in memory " + string(rune('a'+i%26)))},
		}))
	}
	data, err := packRows(rows, 4096)
	if err != nil {
		t.Fatal(err)
	}
	env := MapEnv{"t": mustOpenBlob(t, "t", data)}
	for _, q := range []string{
		"SELECT k, COUNT(*) FROM t GROUP BY k",
		"SELECT * FROM t ORDER BY s",
		"SELECT DISTINCT k, s FROM t",
		"SELECT COUNT(DISTINCT k) FROM t",
		"SELECT k, ROW_NUMBER() OVER (ORDER BY k) AS r FROM t",
	} {
		st, err := sql.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		pq, err := Prepare(context.Background(), st, env, Options{MemoryLimit: 256 << 10})
		if err != nil {
			t.Fatal(err)
		}
		err = pq.Run(context.Background(), countRows{})
		if !errors.Is(err, vm.ErrMemoryLimit) {
			t.Errorf("%s: error %v, want ErrMemoryLimit", q, err)
		}
		// the same query fits with a larger limit
		pq, _ = Prepare(context.Background(), st, env, Options{MemoryLimit: 1 << 30})
		if err := pq.Run(context.Background(), countRows{}); err != nil {
			t.Errorf("%s with 1 GiB: %v", q, err)
		}
	}
}
