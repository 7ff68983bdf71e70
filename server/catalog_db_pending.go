//go:build !dbindex

// Until the table index reader of package db is merged, the daemon's catalog finds tables by
// their index files but cannot open them: queries of an existing table fail with a 500 that
// says so. catalog_db.go (built with -tags dbindex) is the real implementation.

package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/vm"
)

// errNoIndexReader is the error of opening a table in a build without the index reader.
var errNoIndexReader = errors.New("this snellerd was built without the table index reader (package db's OpenTable); rebuild with -tags dbindex")

// DBCatalog reads tables from the signed indexes under each tenant's root.
type DBCatalog struct{}

// NewDBCatalog returns the catalog over the tenants' roots.
func NewDBCatalog() *DBCatalog { return &DBCatalog{} }

// listIndexes returns database → tables that have an index file under db/.
func listIndexes(ctx context.Context, root db.FS, prefix string) (map[string][]string, error) {
	out := map[string][]string{}
	err := root.List(ctx, prefix, "", func(fi db.FileInfo) error {
		parts := strings.Split(fi.Path, "/")
		if len(parts) == 4 && parts[0] == "db" && parts[3] == "index" {
			out[parts[1]] = append(out[parts[1]], parts[2])
		}
		return nil
	})
	return out, err
}

// Databases implements Catalog.
func (DBCatalog) Databases(ctx context.Context, t *auth.Tenant) ([]string, error) {
	m, err := listIndexes(ctx, t.Root, "db/")
	if err != nil {
		return nil, err
	}
	dbs := make([]string, 0, len(m))
	for d := range m {
		dbs = append(dbs, d)
	}
	sort.Strings(dbs)
	return dbs, nil
}

// Tables implements Catalog.
func (DBCatalog) Tables(ctx context.Context, t *auth.Tenant, database string) ([]string, error) {
	if err := checkName("database", database); err != nil {
		return nil, err
	}
	m, err := listIndexes(ctx, t.Root, "db/"+database+"/")
	if err != nil {
		return nil, err
	}
	tables := m[database]
	if len(tables) == 0 {
		return nil, fmt.Errorf("database %q: %w", database, fs.ErrNotExist)
	}
	sort.Strings(tables)
	return tables, nil
}

// Inputs implements Catalog.
func (c DBCatalog) Inputs(ctx context.Context, t *auth.Tenant, database, table string) ([]Input, error) {
	if err := checkName("database", database); err != nil {
		return nil, err
	}
	if err := checkName("table", table); err != nil {
		return nil, err
	}
	return nil, openPending(ctx, t, database, table)
}

// openPending fails: not found without an index file, errNoIndexReader with one.
func openPending(ctx context.Context, t *auth.Tenant, database, table string) error {
	p := "db/" + database + "/" + table + "/index"
	if _, err := t.Root.Stat(ctx, p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &plan.NotFoundError{Name: database + "." + table}
		}
		return fmt.Errorf("table %s.%s: %w", database, table, err)
	}
	return fmt.Errorf("table %s.%s: %w", database, table, errNoIndexReader)
}

// Env implements Catalog.
func (DBCatalog) Env(t *auth.Tenant, database string, fetch FetchFunc) plan.Env {
	return &pendingEnv{t: t, database: database}
}

type pendingEnv struct {
	t        *auth.Tenant
	database string
}

func (e *pendingEnv) Table(ctx context.Context, path []string) (vm.Source, error) {
	d, tb, err := tableName(path, e.database)
	if err != nil {
		return nil, err
	}
	return nil, openPending(ctx, e.t, d, tb)
}

func (e *pendingEnv) Tables(ctx context.Context) ([]string, error) {
	if e.database == "" {
		return nil, nil
	}
	m, err := listIndexes(ctx, e.t.Root, "db/"+e.database+"/")
	return m[e.database], err
}

func (e *pendingEnv) ReadFile(ctx context.Context, name string) (vm.Source, error) {
	return nil, ErrReadFile
}
