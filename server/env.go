package server

import (
	"context"
	"sync"

	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/vm"
)

// queryEnv wraps a catalog's environment for one query: it keeps the first error the catalog
// returned (the planner reports such errors as planning errors at the table's position, and
// the server needs the cause to choose the status: 404 for a missing table, 500 for a refused
// index), and it refuses read_file().
type queryEnv struct {
	env plan.Env

	mu  sync.Mutex
	err error
}

func (e *queryEnv) record(err error) {
	if err != nil {
		e.mu.Lock()
		if e.err == nil {
			e.err = err
		}
		e.mu.Unlock()
	}
}

func (e *queryEnv) cause() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}

func (e *queryEnv) Table(ctx context.Context, path []string) (vm.Source, error) {
	src, err := e.env.Table(ctx, path)
	e.record(err)
	return src, err
}

func (e *queryEnv) Tables(ctx context.Context) ([]string, error) {
	ts, err := e.env.Tables(ctx)
	e.record(err)
	return ts, err
}

func (e *queryEnv) ReadFile(ctx context.Context, name string) (vm.Source, error) {
	e.record(ErrReadFile)
	return nil, ErrReadFile
}
