// The db-backed catalog, over the table index API of package db (db.ListDatabases,
// db.ListTables, db.OpenTable, (*db.Table).Source, (*db.Table).Inputs).

package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/vm"
)

// DBCatalog reads tables from the signed indexes under each tenant's root.
type DBCatalog struct{}

// NewDBCatalog returns the catalog over the tenants' roots.
func NewDBCatalog() *DBCatalog { return &DBCatalog{} }

// Databases implements Catalog.
func (DBCatalog) Databases(ctx context.Context, t *auth.Tenant) ([]string, error) {
	dbs, err := db.ListDatabases(ctx, t.Root)
	if err != nil {
		return nil, err
	}
	sort.Strings(dbs)
	return dbs, nil
}

// Tables implements Catalog.
func (DBCatalog) Tables(ctx context.Context, t *auth.Tenant, database string) ([]string, error) {
	if err := checkName("database", database); err != nil {
		return nil, err
	}
	tables, err := db.ListTables(ctx, t.Root, database)
	if err != nil {
		return nil, err
	}
	if len(tables) == 0 {
		return nil, fmt.Errorf("database %q: %w", database, fs.ErrNotExist)
	}
	sort.Strings(tables)
	return tables, nil
}

// Inputs implements Catalog.
func (DBCatalog) Inputs(ctx context.Context, t *auth.Tenant, database, table string) ([]Input, error) {
	if err := checkName("database", database); err != nil {
		return nil, err
	}
	if err := checkName("table", table); err != nil {
		return nil, err
	}
	tbl, err := openTable(ctx, t, database, table)
	if err != nil {
		return nil, err
	}
	infos := tbl.Inputs()
	out := make([]Input, 0, len(infos))
	for _, in := range infos {
		i := Input{Path: in.Path, ETag: in.ETag, Accepted: in.Err == nil, Blob: in.Blob}
		if in.Err != nil {
			i.Error = in.Err.Error()
		}
		out = append(out, i)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Env implements Catalog.
func (DBCatalog) Env(t *auth.Tenant, database string, fetch FetchFunc) plan.Env {
	return &dbEnv{t: t, database: database, fetch: fetch}
}

// openTable opens and verifies a table's index; verification failures wrap ErrBadIndex.
func openTable(ctx context.Context, t *auth.Tenant, database, table string) (*db.Table, error) {
	tbl, err := db.OpenTable(ctx, t.Root, t.Key, database, table)
	if err != nil {
		switch {
		case errors.Is(err, db.ErrBadSignature):
			return nil, fmt.Errorf("%w: %w", ErrBadIndex, err)
		case errors.Is(err, fs.ErrNotExist):
			// the message names the table, not the index file's URL in the tenant's root
			return nil, &plan.NotFoundError{Name: database + "." + table}
		}
		return nil, err
	}
	return tbl, nil
}

type dbEnv struct {
	t        *auth.Tenant
	database string
	fetch    FetchFunc
}

func (e *dbEnv) Table(ctx context.Context, path []string) (vm.Source, error) {
	d, tb, err := tableName(path, e.database)
	if err != nil {
		return nil, err
	}
	tbl, err := openTable(ctx, e.t, d, tb)
	if err != nil {
		return nil, err
	}
	src := tbl.Source(func(path, etag string, size int64) pack.Fetcher { return e.fetch(path, etag, size) })
	return &versionedSource{wrapped: wrapped{src}, v: TableVersion{Database: d, Table: tb, ETag: tbl.ETag(), Created: tbl.Created()}}, nil
}

func (e *dbEnv) Tables(ctx context.Context) ([]string, error) {
	if e.database == "" {
		return nil, nil
	}
	return db.ListTables(ctx, e.t.Root, e.database)
}

func (e *dbEnv) ReadFile(ctx context.Context, name string) (vm.Source, error) {
	return nil, ErrReadFile
}
