package plan

import (
	"context"
	"errors"

	"github.com/sneller-re/sneller/vm"
)

// ErrNotFound is wrapped by Env implementations when a table does not exist.
var ErrNotFound = errors.New("table does not exist")

// Env resolves the tables a query names.
type Env interface {
	// Table returns the source of a table: path is its name split on dots (`db.table` or
	// `table`, the latter in the default database).
	Table(ctx context.Context, path []string) (vm.Source, error)
	// Tables lists the tables of the default database (for TABLE_GLOB and TABLE_PATTERN).
	Tables(ctx context.Context) ([]string, error)
	// ReadFile returns a source over one packed blob.
	ReadFile(ctx context.Context, name string) (vm.Source, error)
}

// MapEnv is an Env over in-memory sources (tests, the conformance runner).
type MapEnv map[string]vm.Source

func (m MapEnv) Table(_ context.Context, path []string) (vm.Source, error) {
	name := path[len(path)-1]
	if len(path) > 1 {
		name = joinPath(path)
	}
	if s, ok := m[name]; ok {
		return s, nil
	}
	return nil, &NotFoundError{Name: joinPath(path)}
}

func (m MapEnv) Tables(context.Context) ([]string, error) {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out, nil
}

func (m MapEnv) ReadFile(_ context.Context, name string) (vm.Source, error) {
	return nil, &NotFoundError{Name: name}
}

// NotFoundError names a table that does not exist; it wraps ErrNotFound.
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string { return "table " + e.Name + " does not exist" }
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

func joinPath(p []string) string {
	s := ""
	for i, x := range p {
		if i > 0 {
			s += "."
		}
		s += x
	}
	return s
}
