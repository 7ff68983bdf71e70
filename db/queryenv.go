package db

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/vm"
)

// QueryEnv resolves the tables of queries against the signed indexes under a root. It has the
// method set of plan.Env (package plan does not depend on db): Table opens db.table (or table
// in the default database) with OpenTable, Tables lists the default database's tables, and
// ReadFile opens one packed blob by its key.
type QueryEnv struct {
	FS       FS
	Key      *[32]byte
	Database string // the default database ("" for none)
	// Fetch, if set, returns the fetcher of each blob (a cache); nil reads from FS.
	Fetch func(path, etag string, size int64) pack.Fetcher
}

// NewQueryEnv returns the query environment of a root.
func NewQueryEnv(ctx context.Context, fsys FS, key *[32]byte, database string) *QueryEnv {
	return &QueryEnv{FS: fsys, Key: key, Database: database}
}

// Table implements plan.Env. A missing table (or database) is an error wrapping
// io/fs.ErrNotExist; a table whose index fails verification wraps ErrBadSignature.
func (q *QueryEnv) Table(ctx context.Context, path []string) (vm.Source, error) {
	var database, table string
	switch len(path) {
	case 1:
		if q.Database == "" {
			return nil, fmt.Errorf("table %s: no database given (write db.table): %w", path[0], fs.ErrNotExist)
		}
		database, table = q.Database, path[0]
	case 2:
		database, table = path[0], path[1]
	default:
		return nil, fmt.Errorf("table %s: want table or db.table: %w", strings.Join(path, "."), fs.ErrNotExist)
	}
	if _, err := TableDir(database, table); err != nil {
		return nil, fmt.Errorf("table %s.%s: %w: %w", database, table, fs.ErrNotExist, err)
	}
	t, err := OpenTable(ctx, q.FS, q.Key, database, table)
	if err != nil {
		return nil, err
	}
	return t.Source(q.Fetch), nil
}

// Tables implements plan.Env: the tables of the default database.
func (q *QueryEnv) Tables(ctx context.Context) ([]string, error) {
	if q.Database == "" {
		return nil, nil
	}
	return ListTables(ctx, q.FS, q.Database)
}

// ReadFile implements plan.Env: the packed blob at key name under the root (unverified: no
// index pins it).
func (q *QueryEnv) ReadFile(ctx context.Context, name string) (vm.Source, error) {
	fi, err := q.FS.Stat(ctx, name)
	if err != nil {
		return nil, err
	}
	f := &fsFetcher{fs: q.FS, path: fi.Path, etag: fi.ETag, size: fi.Size}
	return pack.Open(ctx, q.FS.URL()+"/"+name, f, fi.Size, nil)
}
