package server

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/cache"
	"github.com/sneller-re/sneller/internal/bytesize"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// queryEnv wraps a catalog's environment for one query: it keeps the first error the catalog
// returned (the planner reports such errors as planning errors at the table's position, and
// the server needs the cause to choose the status: 404 for a missing table, 500 for a refused
// index), it refuses read_file(), and with a scan limit it counts the bytes every block read
// costs and fails the query when they pass the limit. (The limit is checked against the
// plan's bound before the query runs; the count also covers what that bound cannot: the
// subqueries the planner runs while planning, and correlated subqueries run once per row.)
type queryEnv struct {
	env    plan.Env
	tenant string
	limit  int64         // 0: no scan limit
	used   atomic.Int64  // bytes of the blocks opened so far
	counts *cache.Counts // the query's block cache hits and misses

	mu  sync.Mutex
	err error
	// The tables resolved, for the result's caching headers: their versions, and the count
	// of those whose source has none.
	versions    []TableVersion
	unversioned int
}

// prepare plans a statement of tenant t over database (UTCNOW() is now; the time of planning
// when zero). Its tables are read through the block cache, counting the query's hits and
// misses in env.counts. When planning fails because the catalog failed, the error is the
// catalog's.
func (s *Server) prepare(ctx context.Context, st *sql.Statement, t *auth.Tenant, database string, now time.Time) (*plan.Query, *queryEnv, error) {
	counts := &cache.Counts{}
	env := &queryEnv{env: s.cfg.Catalog.Env(t, database, s.fetchFunc(t, counts)), tenant: t.ID, limit: t.MaxScanBytes, counts: counts}
	pq, err := plan.Prepare(ctx, st, env, plan.Options{MemoryLimit: s.cfg.MemoryLimit, Workers: s.cfg.Workers, Now: now})
	if err != nil {
		if c := env.cause(); c != nil {
			err = c
		}
		return nil, env, err
	}
	return pq, env, nil
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

// tableVersions returns the versions of the tables resolved so far, and whether each of them
// has one.
func (e *queryEnv) tableVersions() ([]TableVersion, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]TableVersion(nil), e.versions...), e.unversioned == 0
}

func (e *queryEnv) cause() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}

func (e *queryEnv) Table(ctx context.Context, path []string) (vm.Source, error) {
	src, err := e.env.Table(ctx, path)
	e.record(err)
	if err == nil {
		e.mu.Lock()
		if v, ok := src.(VersionedSource); ok {
			e.versions = append(e.versions, v.TableVersion())
		} else {
			e.unversioned++
		}
		e.mu.Unlock()
	}
	if err == nil && e.limit > 0 {
		src = &limitedSource{wrapped: wrapped{src}, env: e}
	}
	return src, err
}

// limitedSource charges the query's scan budget for each block opened.
type limitedSource struct {
	wrapped
	env *queryEnv
}

func (s *limitedSource) Open(ctx context.Context, i int, need *vm.PathSet) (vm.FieldSet, int, func(), error) {
	if sum := s.Source.Summary(i); sum != nil {
		if used := s.env.used.Add(sum.Bytes(need)); used > s.env.limit {
			return nil, 0, nil, fmt.Errorf("%w: the query scanned more than tenant %q's limit of %d bytes (%s, max_scan_bytes)",
				ErrScanLimit, s.env.tenant, s.env.limit, bytesize.Format(s.env.limit))
		}
	}
	return s.Source.Open(ctx, i, need)
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
