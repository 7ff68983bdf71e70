package db_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/sneller-re/sneller/db"
)

// Example shows a table's life on a local root: write its definition, resolve its input
// pattern, walk the matching source objects with their partition values, and read a range of
// one pinned to its ETag.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	root, err := db.OpenRoot(ctx, dir)
	if err != nil {
		panic(err)
	}
	for _, k := range []string{"src/2024/01/a.json", "src/2024/02/b.json.gz", "src/2024/02/skip.txt"} {
		root.Put(ctx, k, strings.NewReader(`{"x": 1}`), db.Always)
	}
	def, err := db.ParseDefinition("definition.json", []byte(`{
		"input": [{"pattern": "file://src/{yyyy}/{mm}/*.json*"}],
		"partitions": [{"field": "month", "type": "date", "value": "$yyyy-$mm-01"}]
	}`))
	if err != nil {
		panic(err)
	}
	if _, err := db.WriteDefinition(ctx, root, "logs", "events", def); err != nil {
		panic(err)
	}
	part, _ := def.Partitioner()
	in := def.Inputs[0]
	src, pat, err := db.ResolvePattern(ctx, root, in.Pattern)
	if err != nil {
		panic(err)
	}
	err = db.WalkPattern(ctx, src, pat, "", func(fi db.FileInfo, caps db.Captures) error {
		format, err := in.FormatFor(fi.Path)
		if err != nil {
			return err
		}
		_, dir, err := part.Eval(caps)
		if err != nil {
			return err
		}
		rc, err := src.ReadRange(ctx, fi.Path, fi.ETag, 2, 3)
		if err != nil {
			return err
		}
		defer rc.Close()
		buf := make([]byte, 3)
		rc.Read(buf)
		fmt.Printf("%s format=%s partition=%s bytes[2:5]=%q\n", fi.Path, format, dir, buf)
		return nil
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// src/2024/01/a.json format=json partition=2024-01-01 bytes[2:5]="x\":"
	// src/2024/02/b.json.gz format=json.gz partition=2024-02-01 bytes[2:5]="x\":"
}
