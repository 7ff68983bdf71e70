package server

import (
	"context"
	"errors"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/plan"
)

// ErrBadIndex is wrapped by Catalog errors about a table index that fails verification (a bad
// signature, an unreadable or inconsistent index). The server refuses the query with 500 and
// a message that says the index was refused; no rows are sent.
var ErrBadIndex = errors.New("table index refused")

// FetchFunc returns the reader of a blob of the tenant's root, pinned to its ETag. The server
// passes one to Catalog.Env for each query: its fetchers read through the block cache and
// count the query's cache hits and misses.
type FetchFunc func(path, etag string, size int64) pack.Fetcher

// Input is one source object ingested into a table (a line of /inputs).
type Input struct {
	Path     string // the object's URL, as the table definition's pattern matched it
	ETag     string // the ETag that was ingested
	Accepted bool   // false: the object was rejected (Error says why) and is not retried
	Error    string // why the object was rejected, when it was
	Blob     string // the packed blob holding its rows, when known
}

// Catalog is the server's view of a tenant's tables. Implementations are safe for concurrent
// use. Errors about a missing database or table wrap io/fs.ErrNotExist or plan.ErrNotFound;
// errors about an index that fails verification wrap ErrBadIndex.
type Catalog interface {
	// Databases lists the tenant's databases (those with at least one table), sorted.
	Databases(ctx context.Context, t *auth.Tenant) ([]string, error)
	// Tables lists the tables of a database, sorted; an unknown database is an error
	// wrapping io/fs.ErrNotExist.
	Tables(ctx context.Context, t *auth.Tenant, database string) ([]string, error)
	// Inputs lists the source objects ingested into a table, sorted by path.
	Inputs(ctx context.Context, t *auth.Tenant, database, table string) ([]Input, error)
	// Env returns the environment one query plans against: `db.table` names a table of the
	// tenant, a bare `table` one of database (which may be empty: then bare names are not
	// found). Blobs are read through fetch. The table sources it returns should implement
	// VersionedSource: results over tables without a version get no caching headers.
	Env(t *auth.Tenant, database string, fetch FetchFunc) plan.Env
}
