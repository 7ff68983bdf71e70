package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/vm"
)

// fakeCatalog is a Catalog for tests: each table is a list of packed blobs stored in the
// tenant's root (a real db.FS), pinned by ETag, size and trailer hash as an index pins them,
// but kept in memory instead of a signed index.
type fakeCatalog struct {
	mu     sync.Mutex
	tables map[string]*fakeTable // tenant ID + "/" + db + "/" + table
}

type fakeTable struct {
	blobs  []fakeBlob
	inputs []Input
	err    error                         // returned when the table is opened (a refused index)
	wrap   func(src vm.Source) vm.Source // wraps the table's source (gates, failures)
	seq    int
	// The table's version, as a signed index would give it: each ingest publishes a new
	// one (version+1, created now). unversioned: the source has no version (no caching).
	version     int
	created     time.Time
	unversioned bool
}

type fakeBlob struct {
	path    string
	etag    string
	size    int64
	trailer [32]byte
}

func newFakeCatalog() *fakeCatalog { return &fakeCatalog{tables: map[string]*fakeTable{}} }

func tkey(t *auth.Tenant, d, tb string) string { return t.ID + "/" + d + "/" + tb }

// packJSON packs ND-JSON text into a blob with blocks of at most blockRows rows.
func packJSON(tb testing.TB, text string, blockRows int) ([]byte, *pack.Info) {
	tb.Helper()
	var out bytes.Buffer
	w := pack.NewWriter(&out)
	b := pack.NewBlockBuilder(pack.BuilderOptions{MaxRows: blockRows})
	d := ion.NewJSONDecoder(strings.NewReader(text), b.Symtab())
	var buf ion.Buffer
	flush := func() {
		blk, err := b.Finish()
		if err != nil {
			tb.Fatal(err)
		}
		if err := w.WriteBlock(blk); err != nil {
			tb.Fatal(err)
		}
	}
	for {
		buf.Reset()
		if err := d.Next(&buf); err != nil {
			if !errors.Is(err, io.EOF) {
				tb.Fatal(err)
			}
			break
		}
		if err := b.Add(buf.Bytes(), b.Symtab()); err != nil {
			tb.Fatal(err)
		}
		if b.Full() {
			flush()
		}
	}
	if b.Rows() > 0 {
		flush()
	}
	info, err := w.Close()
	if err != nil {
		tb.Fatal(err)
	}
	return out.Bytes(), info
}

// ingest adds one input file (ND-JSON text) to a table, as one blob, like a sync would.
func (c *fakeCatalog) ingest(tb testing.TB, t *auth.Tenant, d, table, inputPath, text string, blockRows int) {
	tb.Helper()
	data, info := packJSON(tb, text, blockRows)
	c.mu.Lock()
	ft := c.tables[tkey(t, d, table)]
	if ft == nil {
		ft = &fakeTable{}
		c.tables[tkey(t, d, table)] = ft
	}
	ft.seq++
	path := fmt.Sprintf("db/%s/%s/packed-%03d.blob", d, table, ft.seq)
	c.mu.Unlock()
	etag, err := t.Root.Put(context.Background(), path, bytes.NewReader(data), db.Always)
	if err != nil {
		tb.Fatal(err)
	}
	c.mu.Lock()
	ft.blobs = append(ft.blobs, fakeBlob{path: path, etag: etag, size: int64(len(data)), trailer: info.TrailerHash})
	ft.version++
	ft.created = time.Now()
	ft.inputs = append(ft.inputs, Input{Path: inputPath, ETag: fmt.Sprintf(`"%x"`, len(text)), Accepted: true, Blob: path})
	c.mu.Unlock()
}

// set changes a table (creating it empty if needed).
func (c *fakeCatalog) set(t *auth.Tenant, d, table string, f func(ft *fakeTable)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ft := c.tables[tkey(t, d, table)]
	if ft == nil {
		ft = &fakeTable{}
		c.tables[tkey(t, d, table)] = ft
	}
	f(ft)
}

func (c *fakeCatalog) Databases(ctx context.Context, t *auth.Tenant) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := map[string]bool{}
	for k := range c.tables {
		parts := strings.Split(k, "/")
		if parts[0] == t.ID {
			seen[parts[1]] = true
		}
	}
	var out []string
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out, nil
}

func (c *fakeCatalog) Tables(ctx context.Context, t *auth.Tenant, database string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for k := range c.tables {
		parts := strings.Split(k, "/")
		if parts[0] == t.ID && parts[1] == database {
			out = append(out, parts[2])
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("database %q: %w", database, fs.ErrNotExist)
	}
	sort.Strings(out)
	return out, nil
}

func (c *fakeCatalog) table(t *auth.Tenant, d, table string) (*fakeTable, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ft := c.tables[tkey(t, d, table)]
	if ft == nil {
		return nil, fmt.Errorf("table %s.%s: %w", d, table, fs.ErrNotExist)
	}
	if ft.err != nil {
		return nil, ft.err
	}
	cp := *ft
	cp.blobs = append([]fakeBlob(nil), ft.blobs...)
	cp.inputs = append([]Input(nil), ft.inputs...)
	return &cp, nil
}

func (c *fakeCatalog) Inputs(ctx context.Context, t *auth.Tenant, database, table string) ([]Input, error) {
	ft, err := c.table(t, database, table)
	if err != nil {
		return nil, err
	}
	sort.Slice(ft.inputs, func(i, j int) bool { return ft.inputs[i].Path < ft.inputs[j].Path })
	return ft.inputs, nil
}

func (c *fakeCatalog) Env(t *auth.Tenant, database string, fetch FetchFunc) plan.Env {
	return &fakeEnv{c: c, t: t, database: database, fetch: fetch}
}

type fakeEnv struct {
	c        *fakeCatalog
	t        *auth.Tenant
	database string
	fetch    FetchFunc
}

func (e *fakeEnv) Table(ctx context.Context, path []string) (vm.Source, error) {
	d, tb, err := tableName(path, e.database)
	if err != nil {
		return nil, err
	}
	ft, err := e.c.table(e.t, d, tb)
	if err != nil {
		return nil, err
	}
	ms := &multiSource{}
	for _, b := range ft.blobs {
		trailer := b.trailer
		blob, err := pack.Open(ctx, b.path, e.fetch(b.path, b.etag, b.size), b.size, &trailer)
		if err != nil {
			return nil, err
		}
		ms.add(blob)
	}
	var src vm.Source = ms
	if ft.wrap != nil {
		src = ft.wrap(src)
	}
	if !ft.unversioned {
		src = &versionedSource{wrapped: wrapped{src}, v: TableVersion{Database: d, Table: tb, ETag: fmt.Sprintf(`"fake-v%d"`, ft.version), Created: ft.created}}
	}
	return src, nil
}

func (e *fakeEnv) Tables(ctx context.Context) ([]string, error) {
	return e.c.Tables(ctx, e.t, e.database)
}

func (e *fakeEnv) ReadFile(ctx context.Context, name string) (vm.Source, error) {
	return nil, fmt.Errorf("fake: no read_file")
}

// multiSource concatenates the blocks of several sources.
type multiSource struct {
	srcs   []vm.Source
	starts []int
	n      int
}

func (m *multiSource) add(s vm.Source) {
	m.srcs = append(m.srcs, s)
	m.starts = append(m.starts, m.n)
	m.n += s.Blocks()
}

func (m *multiSource) locate(i int) (vm.Source, int) {
	k := sort.Search(len(m.starts), func(k int) bool { return m.starts[k] > i }) - 1
	return m.srcs[k], i - m.starts[k]
}

func (m *multiSource) Blocks() int { return m.n }

func (m *multiSource) Summary(i int) vm.Summary {
	s, j := m.locate(i)
	return s.Summary(j)
}

func (m *multiSource) Open(ctx context.Context, i int, need *vm.PathSet) (vm.FieldSet, int, func(), error) {
	s, j := m.locate(i)
	return s.Open(ctx, j, need)
}

// gate holds the queries of a gated table: their block reads wait until the gate is opened
// (close(open)) or the query's context ends. entered is closed at the first read.
type gate struct {
	open    chan struct{}
	entered chan struct{}
	once    sync.Once
	ctxErr  chan error // receives the context error of each read cancelled at the gate
}

func newGate() *gate {
	return &gate{open: make(chan struct{}), entered: make(chan struct{}), ctxErr: make(chan error, 64)}
}

// gatedSource is a source whose Open waits at a gate.
type gatedSource struct {
	vm.Source
	g *gate
}

func (s *gatedSource) Open(ctx context.Context, i int, need *vm.PathSet) (vm.FieldSet, int, func(), error) {
	g := s.g
	g.once.Do(func() { close(g.entered) })
	select {
	case <-g.open:
	case <-ctx.Done():
		g.ctxErr <- ctx.Err()
		return nil, 0, nil, ctx.Err()
	}
	return s.Source.Open(ctx, i, need)
}

// countingSource counts the blocks opened.
type countingSource struct {
	vm.Source
	opens *atomic.Int64
}

func (c *countingSource) Open(ctx context.Context, i int, need *vm.PathSet) (vm.FieldSet, int, func(), error) {
	c.opens.Add(1)
	return c.Source.Open(ctx, i, need)
}

// failingSource fails when block fail is opened.
type failingSource struct {
	vm.Source
	fail int
	err  error
}

func (f *failingSource) Open(ctx context.Context, i int, need *vm.PathSet) (vm.FieldSet, int, func(), error) {
	if i == f.fail {
		return nil, 0, nil, f.err
	}
	return f.Source.Open(ctx, i, need)
}
