package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"time"

	"github.com/sneller-re/sneller/ingest"
	"github.com/sneller-re/sneller/pack"
)

// ErrConflict means another writer published the table's index while a sync was preparing
// its own, more times in a row than the sync retries.
var ErrConflict = errors.New("the index was changed by a concurrent sync")

// ErrInputs is wrapped by the error summarising a sync in which inputs were rejected or
// could not be read (the other inputs were ingested).
var ErrInputs = errors.New("some inputs were not ingested")

// SyncOptions tune a sync; the zero value gives the defaults.
type SyncOptions struct {
	// MaxBytes bounds the input bytes converted in one run (0: no bound). At least one input
	// is converted; the rest is left for the next run.
	MaxBytes int64
	// Workers is the number of converter goroutines (default GOMAXPROCS).
	Workers int
	// BlobBytes is the target size of a packed blob (default ingest.DefaultBlobBytes).
	BlobBytes int64
	// Block bounds the blocks of new blobs and sets their compression (zero: the
	// converter's defaults).
	Block pack.BuilderOptions
	// CompactBelow is the size under which a blob counts as small (default DefaultCompactBelow),
	// and CompactMin how many small blobs a partition needs before they are merged into one
	// (default DefaultCompactMin; negative disables compaction).
	CompactBelow int64
	CompactMin   int
	// Retries is how many times a sync that lost the race to publish the index rebuilds its
	// index on the winner's and tries again (default 5).
	Retries int
	// Now returns the current time (default time.Now); tests set it.
	Now func() time.Time
	// Progress, if set, is called from one goroutine as the conversion advances.
	Progress func(SyncProgress)
}

// Defaults of SyncOptions.
const (
	DefaultCompactBelow = 32 << 20
	DefaultCompactMin   = 8
	defaultRetries      = 5
	// droppedKeep is how long the index remembers objects it dropped (for gc's grace period).
	droppedKeep = 7 * 24 * time.Hour
)

func (o *SyncOptions) defaults() {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.BlobBytes <= 0 {
		o.BlobBytes = ingest.DefaultBlobBytes
	}
	if o.CompactBelow <= 0 {
		o.CompactBelow = DefaultCompactBelow
	}
	if o.CompactMin == 0 {
		o.CompactMin = DefaultCompactMin
	}
	if o.Retries <= 0 {
		o.Retries = defaultRetries
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// SyncProgress is a snapshot of a running sync.
type SyncProgress struct {
	Table       string
	Inputs      int   // inputs to convert in this run
	InputsDone  int   // inputs converted, rejected or failed
	Bytes       int64 // input bytes read so far
	BytesTotal  int64 // input bytes to read in this run
	Rows        int64 // rows written so far
	Elapsed     time.Duration
	Compacting  bool // merging small blobs
	Publishing  bool // writing the index
	Partitions  int  // partitions with new inputs
	PartitionAt int  // partitions converted so far
}

// InputReport is the outcome of one input in a sync.
type InputReport struct {
	Path string
	ETag string
	Size int64
	Rows int64
	Err  error // rejection or failure; for a changed input, why it was not ingested
}

// SyncResult describes a sync of one table.
type SyncResult struct {
	Database, Table string
	// Accepted, Rejected and Failed are the new inputs of this run by outcome: rejected
	// inputs are recorded in the index (with the reason) and not retried until their ETag or
	// the definition changes; failed ones (unreadable, changed during the run) are not
	// recorded and are retried by the next run.
	Accepted, Rejected, Failed []InputReport
	// Changed are accepted inputs whose object now has another ETag: their new content is
	// not ingested (that would duplicate rows). Each is reported once.
	Changed []InputReport
	// Skipped counts inputs already in the index with the same ETag.
	Skipped int
	// Deferred and DeferredBytes count the new inputs left for the next run by MaxBytes.
	Deferred      int
	DeferredBytes int64
	// Rows and Bytes count the rows ingested and the input bytes read.
	Rows, Bytes int64
	// BlobsWritten counts new blobs; Compacted the small blobs merged into bigger ones; Expired
	// the blobs dropped by the retention policy.
	BlobsWritten, Compacted, Expired int
	// Published reports whether a new index was written, with its sequence number.
	Published bool
	Sequence  int64
	// Conflicts counts the times another writer published first.
	Conflicts int
	// Warnings are problems that did not stop the sync (a compaction skipped because a blob
	// could not be read).
	Warnings []string
	Elapsed  time.Duration
}

// Err returns an error summarising rejected and failed inputs (wrapping ErrInputs), or nil.
func (r *SyncResult) Err() error {
	if len(r.Rejected) == 0 && len(r.Failed) == 0 {
		return nil
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s.%s: %d rejected, %d failed", r.Database, r.Table, len(r.Rejected), len(r.Failed))
	for _, in := range append(append([]InputReport(nil), r.Rejected...), r.Failed...) {
		sb.WriteString("\n  ")
		sb.WriteString(in.Err.Error())
	}
	return fmt.Errorf("%w: %s", ErrInputs, sb.String())
}

// SyncTables syncs every table of database whose name matches pattern (path.Match syntax)
// and has a definition.json, one after the other. It returns the result of each table synced
// and the errors of those that failed (joined); rejected inputs are not errors here (see
// SyncResult.Err).
func SyncTables(ctx context.Context, root FS, key *[32]byte, database, pattern string, opt SyncOptions) ([]*SyncResult, error) {
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, fmt.Errorf("table pattern %q: %w", pattern, err)
	}
	tables, err := ListDefinedTables(ctx, root, database)
	if err != nil {
		return nil, err
	}
	var out []*SyncResult
	var errs []error
	matched := 0
	for _, t := range tables {
		if ok, _ := path.Match(pattern, t); !ok {
			continue
		}
		matched++
		r, err := Sync(ctx, root, key, database, t, opt)
		if r != nil {
			out = append(out, r)
		}
		if err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if matched == 0 {
		return nil, fmt.Errorf("no table of database %q matching %q has a definition.json: %w", database, pattern, fs.ErrNotExist)
	}
	return out, errors.Join(errs...)
}

// Sync ingests the new input objects of table database.table into packed blobs and publishes
// a new signed index:
//
//  1. it reads the definition and the current index (refusing one that fails verification);
//  2. it lists the objects of every input pattern, skipping (path, ETag) pairs the index
//     already records; a rejected input whose ETag or whose table definition changed is
//     retried; an accepted input whose ETag changed is reported and not ingested again;
//  3. it converts the new inputs (at most MaxBytes of them) in parallel on all cores, per
//     partition, into new blobs (an input with a malformed row is rejected as a whole and
//     recorded with the error);
//  4. it drops blobs wholly older than the retention period and merges small blobs;
//  5. it writes an input segment for the new entries and publishes the index with a
//     conditional put on the old index's ETag. If another sync published first, it rebuilds
//     its index on the winner's (dropping any of its blobs holding inputs the winner also
//     ingested) and tries again, up to Retries times, then fails with ErrConflict.
//
// Everything written before the index is new objects that nothing references until the index
// is published, so a sync killed at any moment loses nothing and duplicates nothing: the next
// sync converts again the inputs the published index does not record, and gc collects the
// unreferenced blobs.
func Sync(ctx context.Context, root FS, key *[32]byte, database, table string, opt SyncOptions) (*SyncResult, error) {
	opt.defaults()
	start := opt.Now()
	res := &SyncResult{Database: database, Table: table}
	dir, err := TableDir(database, table)
	if err != nil {
		return nil, err
	}
	if key == nil {
		return nil, fmt.Errorf("sync %s.%s: %w", database, table, ErrNoIndexKey)
	}
	def, err := ReadDefinition(ctx, root, database, table)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("sync %s.%s: no definition.json (create the table first): %w", database, table, err)
		}
		return nil, fmt.Errorf("sync %s.%s: %w", database, table, err)
	}
	s := &syncer{root: root, key: key, database: database, table: table, dir: dir, def: def, defHash: def.Hash(), opt: opt, res: res, start: start}
	if s.part, err = def.Partitioner(); err != nil {
		return nil, err
	}
	base, err := s.readBase(ctx)
	if err != nil {
		return nil, err
	}
	plan, err := s.plan(ctx, base)
	if err != nil {
		return nil, err
	}
	d, err := s.convert(ctx, plan)
	if err != nil {
		return nil, err
	}
	if err := s.compact(ctx, base, d); err != nil {
		return nil, err
	}
	err = s.publish(ctx, base, d)
	res.Elapsed = opt.Now().Sub(start)
	if err != nil {
		return res, err
	}
	return res, nil
}

// syncer is the state of one table's sync.
type syncer struct {
	root      FS
	key       *[32]byte
	database  string
	table     string
	dir       string
	def       *Definition
	defHash   [32]byte
	part      *Partitioner
	opt       SyncOptions
	res       *SyncResult
	start     time.Time
	indexPath string
}

// base is the published state a sync starts from.
type base struct {
	idx    *Index // nil when the table has no index yet
	etag   string
	inputs map[string]*InputInfo
}

// readBase reads the current index and its inputs.
func (s *syncer) readBase(ctx context.Context) (*base, error) {
	s.indexPath, _ = IndexPath(s.database, s.table)
	x, info, err := ReadIndex(ctx, s.root, s.key, s.database, s.table)
	if errors.Is(err, fs.ErrNotExist) {
		return &base{inputs: map[string]*InputInfo{}}, nil
	}
	if errors.Is(err, ErrBadSignature) || errors.Is(err, ErrBadIndex) {
		return nil, fmt.Errorf("sync %s.%s: refusing to replace an index that fails verification: %w", s.database, s.table, err)
	}
	if err != nil {
		return nil, fmt.Errorf("sync %s.%s: %w", s.database, s.table, err)
	}
	in, err := readInputs(ctx, s.root, x.Inputs)
	if err != nil {
		return nil, err
	}
	return &base{idx: x, etag: info.ETag, inputs: in}, nil
}

// tableKeep returns the column paths blob summaries must include: partition and retention
// fields.
func (s *syncer) tableKeep() [][]string {
	var keep [][]string
	for _, p := range s.def.Partitions {
		keep = append(keep, []string{p.Field})
	}
	if r := s.def.Retention; r != nil {
		keep = append(keep, SplitFieldPath(r.Field))
	}
	return keep
}
