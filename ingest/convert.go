package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
)

// DefaultBlobBytes is the default target size of an output blob.
const DefaultBlobBytes = 256 << 20

// DefaultLevel is the zstd level of the blocks when Options.Block leaves it zero. On the
// benchmark's event data it makes blobs about 7% smaller than zstd.SpeedDefault (6.05 times
// smaller than the JSON instead of 5.65) for about 15% more CPU time.
const DefaultLevel = zstd.SpeedBetterCompression

// Input is one source object to convert.
type Input struct {
	Name   string          // for results and errors (a path or URL)
	Format string          // one of Formats; empty: inferred from Name's suffix
	Hints  json.RawMessage // the format's hints from definition.json; nil for none
	Size   int64           // bytes, when known (informational)
	// Open returns the object's bytes. It is called once, or twice for a JSON input that is
	// not plain ND-JSON (see Convert), possibly from another goroutine than Convert's.
	Open func(ctx context.Context) (io.ReadCloser, error)
	// Fields, when not empty, are set in every row of the input, replacing the row's fields
	// of the same name (sync adds a table's partition values this way). Names must be
	// distinct and non-empty ([ErrBadFields]).
	Fields []ion.Field
}

// Status is the outcome of converting one input.
type Status uint8

const (
	// Accepted: every row of the input is in the output blobs.
	Accepted Status = iota + 1
	// Rejected: the input's bytes are at fault (a malformed row, a value that does not match
	// its hint, corrupt compression); none of its rows are in the output. Retrying will not
	// help: record it as rejected.
	Rejected
	// Failed: the input could not be read or its format and hints are unusable (an I/O error,
	// an unknown format, invalid hints, cancellation); none of its rows are in the output. It
	// may convert on a later attempt.
	Failed
)

func (s Status) String() string {
	switch s {
	case Accepted:
		return "accepted"
	case Rejected:
		return "rejected"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// InputResult is the outcome of one input.
type InputResult struct {
	Name      string
	Status    Status
	Err       error    // for Rejected and Failed: an *InputError
	Rows      int64    // rows in the output (0 unless Accepted)
	Bytes     int64    // bytes read from the source (compressed size)
	TextBytes int64    // bytes of decompressed text read
	Blobs     []string // names of the blobs holding its rows (Accepted only)
}

// InputError is the error of a rejected or failed input: its name and the cause, usually a
// *RowError locating the fault.
type InputError struct {
	Input string
	Err   error
}

func (e *InputError) Error() string { return e.Input + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Err }

// BlobResult describes one committed blob.
type BlobResult struct {
	Name   string
	Info   *pack.Info
	Inputs []int // indexes (into the inputs given to Convert) of the inputs with rows in it
}

// Result is the outcome of a conversion.
type Result struct {
	Inputs []InputResult // in the order of the inputs given
	Blobs  []BlobResult  // in the order they were created

	retried int // (tests) inputs converted again with the exact chunker
}

// Progress is a snapshot of a running conversion.
type Progress struct {
	Inputs     int   // inputs given
	InputsDone int   // inputs accepted, rejected or failed
	Bytes      int64 // bytes read from the sources
	Rows       int64 // rows written to blobs (rows of inputs rejected later included)
	BlobBytes  int64 // bytes written to blobs
}

// Options tune a conversion; the zero value gives the defaults.
type Options struct {
	// Workers is the number of goroutines decoding rows and building blocks (default
	// GOMAXPROCS). Each owns a pack.BlockBuilder.
	Workers int
	// Readers is the number of inputs read and decompressed at once (default Workers).
	Readers int
	// ChunkBytes is the size of the pieces an input's text is cut into for the workers
	// (default DefaultChunkBytes); a large input is spread over all workers in such pieces.
	ChunkBytes int
	// MaxRowBytes bounds one row's text (default DefaultMaxRowBytes).
	MaxRowBytes int
	// BlobBytes is the target size of an output blob (default DefaultBlobBytes): once a blob
	// reaches it, new blocks go to a new blob. A blob exceeds it by at most the blocks in
	// flight.
	BlobBytes int64
	// Block bounds the blocks and sets their compression level. A zero Level means
	// DefaultLevel here (not pack's own default).
	Block pack.BuilderOptions
	// Progress, if set, is called (from one goroutine) after each block written and each input
	// finished.
	Progress func(Progress)

	exactJSON bool // (tests) never cut JSON at newlines speculatively
}

// Convert packs the rows of inputs into blobs created in sink.
//
// Inputs are read Readers at a time, their text cut into chunks of whole rows (a large input
// into many, so that even one input keeps every worker busy) and the chunks decoded and packed
// by Workers goroutines; blocks stream to the current blob as they are finished, so memory
// stays bounded whatever the size of the inputs. A large input (cut into several chunks) gets
// blocks of its own, and a worker keeps to it while it has chunks queued, so its blocks fill up.
// A small input (one chunk) is decoded once to check it and, only if it has no fault, packed
// into a block shared with other checked small inputs, so that many small inputs still make
// full blocks.
//
// JSON text is first cut at newlines without parsing it (ND-JSON, the common case, needs no
// more); should a chunk then not end between rows, or any fault show up, the input's blocks are
// retracted and the input converted again with the exact chunker, which follows the JSON
// structure between rows (top-level arrays, values over several lines) and locates faults
// exactly. Input.Open is then called a second time.
//
// An input with a fault is rejected as a whole: the first fault in its text (by position)
// is reported, the rest of it is skipped, and the blocks it already produced are retracted from
// their blobs' trailers (their bytes stay as dead space), so none of its rows is readable. The
// other inputs go on. A blob is committed once it is full and every input with blocks in it has
// finished; a blob left with no live block is aborted.
//
// Convert returns an error (with the results so far) only when the conversion as a whole fails:
// the sink fails or ctx is cancelled. The blobs committed before that are listed in the result;
// the caller should not reference them.
func Convert(ctx context.Context, inputs []Input, sink BlobSink, opt Options) (*Result, error) {
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Readers <= 0 {
		opt.Readers = opt.Workers
	}
	if opt.BlobBytes <= 0 {
		opt.BlobBytes = DefaultBlobBytes
	}
	if opt.Block.Level == 0 {
		opt.Block.Level = DefaultLevel
	}
	chunkBytes, maxRow, err := sizes(opt.ChunkBytes, opt.MaxRowBytes)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := &converter{
		opt:    opt,
		sink:   sink,
		pool:   newBufPool(chunkBytes, 2*(opt.Workers+opt.Readers)+2),
		maxRow: maxRow,
		queue:  newTaskQueue(ctx, opt.Workers+opt.Readers),
		todo:   make(chan *inputState, len(inputs)),
		msgs:   make(chan msg, 2*opt.Workers+opt.Readers),
		cancel: cancel,
	}
	c.states = make([]*inputState, len(inputs))
	for i := range inputs {
		st := &inputState{idx: i, in: &inputs[i], chunks: -1, errSeq: math.MaxInt64}
		st.firstBad.Store(math.MaxInt64)
		format := inputs[i].Format
		if format == "" {
			if f, ok := FormatOf(inputs[i].Name); ok {
				format = f
			} else {
				st.compileErr = fmt.Errorf("%w: cannot infer the format from the name (known suffixes: .%s); set the format",
					ErrUnknownFormat, strings.Join(Formats, ", ."))
			}
		}
		if st.compileErr == nil {
			st.spec, st.compileErr = compile(format, inputs[i].Hints)
		}
		if st.compileErr == nil {
			st.fields, st.compileErr = compileFields(inputs[i].Fields)
		}
		st.exact = opt.exactJSON || st.spec == nil || st.spec.format.Kind != JSON
		c.states[i] = st
		c.todo <- st
	}
	if len(inputs) == 0 {
		close(c.todo)
	}

	var workers sync.WaitGroup
	for w := 0; w < opt.Workers; w++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			c.work(ctx)
		}()
	}
	go func() {
		c.feed(ctx)
		workers.Wait()
		close(c.msgs)
	}()
	c.collect(ctx)
	return c.result(ctx)
}
