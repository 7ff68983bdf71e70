package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/vm"
)

// queryEnv resolves the tables of `sdb query`.
type queryEnv struct {
	root     string
	database string
}

func openQueryEnv(ctx context.Context, e *env, database string) (plan.Env, error) {
	return &queryEnv{root: e.root, database: database}, nil
}

func (q *queryEnv) Table(ctx context.Context, path []string) (vm.Source, error) {
	return nil, &plan.NotFoundError{Name: fmt.Sprint(path)}
}

func (q *queryEnv) Tables(ctx context.Context) ([]string, error) { return nil, nil }

func (q *queryEnv) ReadFile(ctx context.Context, name string) (vm.Source, error) {
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(q.root, p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return pack.Open(ctx, name, pack.FileFetcher{F: f}, fi.Size(), nil)
}
