package plan

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// FuzzQuery checks that any SQL text gives a result or an error, never a panic or a hang,
// over two small tables of mixed-type rows read through packed blobs.
func FuzzQuery(f *testing.F) {
	for _, path := range []string{conformanceFile(), filepath.Join("testdata", "cases.jsonl")} {
		file, err := os.Open(path)
		if err != nil {
			continue
		}
		s := bufio.NewScanner(file)
		s.Buffer(make([]byte, 1<<20), 1<<28)
		for s.Scan() {
			var c confCase
			if json.Unmarshal(s.Bytes(), &c) == nil {
				f.Add(c.Query)
			}
		}
		file.Close()
	}
	f.Add("SELECT * FROM input0 a, input1 b, input0 c, input1 d, input0 e ORDER BY a.x")
	rows := func(seed int) []vm.Value {
		var out []vm.Value
		vals := []vm.Value{vm.Int(1), vm.Float(2.5), vm.String("a"), vm.Null(), vm.Bool(true), vm.Time(1_000_000),
			vm.List([]vm.Value{vm.Int(1), vm.String("b")}), vm.Struct([]vm.Field{{Name: "y", Value: vm.Int(int64(seed))}})}
		for i := 0; i < 12; i++ {
			out = append(out, vm.Struct([]vm.Field{
				{Name: "x", Value: vals[(i+seed)%len(vals)]},
				{Name: "y", Value: vm.Int(int64(i))},
				{Name: "arr", Value: vm.List([]vm.Value{vm.Int(int64(i)), vals[i%len(vals)]})},
			}))
		}
		return out
	}
	env := MapEnv{}
	for i, name := range []string{"input", "input0", "input1"} {
		data, err := packRows(rows(i), 5)
		if err != nil {
			f.Fatal(err)
		}
		env[name] = mustOpenBlob(f, name, data)
	}
	f.Fuzz(func(t *testing.T, text string) {
		st, err := sql.Parse(text)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		q, err := Prepare(ctx, st, env, Options{MemoryLimit: 64 << 20, Workers: 2})
		if err != nil {
			return
		}
		err = q.Run(ctx, countRows{})
		if errors.Is(err, context.DeadlineExceeded) {
			return
		}
	})
}

type countRows struct{}

func (countRows) Row(vm.Value) error { return nil }
