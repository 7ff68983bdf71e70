package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/vm"
)

// queryEnv resolves the tables of `sdb query`: db.table (or table with -d) through the signed
// indexes under the root, and read_file('path') as a local file (an absolute path, or one
// relative to a local root) or a key under the root.
type queryEnv struct {
	*db.QueryEnv
	localRoot string // the directory of a local root, "" for S3
}

func openQueryEnv(ctx context.Context, e *env, database string) (plan.Env, error) {
	root, err := openRoot(ctx, e)
	if err != nil {
		return nil, err
	}
	q := &queryEnv{QueryEnv: db.NewQueryEnv(ctx, root, nil, database)}
	if d, ok := root.(*db.DirFS); ok {
		q.localRoot = d.Dir()
	}
	return q, nil
}

// Table opens a table, reading the index key on first use (so that read_file queries need
// none).
func (q *queryEnv) Table(ctx context.Context, path []string) (vm.Source, error) {
	if q.Key == nil {
		key, err := db.IndexKey(ctx, q.FS)
		if err != nil {
			return nil, err
		}
		q.Key = key
	}
	return q.QueryEnv.Table(ctx, path)
}

func (q *queryEnv) ReadFile(ctx context.Context, name string) (vm.Source, error) {
	p := name
	if !filepath.IsAbs(p) {
		if q.localRoot == "" {
			return q.QueryEnv.ReadFile(ctx, name)
		}
		p = filepath.Join(q.localRoot, p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return pack.Open(ctx, name, pack.FileFetcher{F: f}, fi.Size(), nil)
}
