package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
)

// DefaultBlobBytes is the default target size of an output blob.
const DefaultBlobBytes = 256 << 20

// Input is one source object to convert.
type Input struct {
	Name   string          // for results and errors (a path or URL)
	Format string          // one of Formats; empty: inferred from Name's suffix
	Hints  json.RawMessage // the format's hints from definition.json; nil for none
	Size   int64           // bytes, when known (informational)
	// Open returns the object's bytes. It may be called once.
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
	// Block bounds the blocks and sets their compression level.
	Block pack.BuilderOptions
	// Progress, if set, is called (from one goroutine) after each block written and each input
	// finished.
	Progress func(Progress)
}

// Convert packs the rows of inputs into blobs created in sink.
//
// Inputs are read Readers at a time, their text cut into chunks of whole rows (a large input
// into many, so that even one input keeps every worker busy) and the chunks decoded and packed
// by Workers goroutines; blocks stream to the current blob as they are finished, so memory
// stays bounded whatever the size of the inputs. Blocks never mix rows of different inputs.
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
		tasks:  make(chan task, opt.Workers),
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
					ErrUnknownFormat, joinFormats())
			}
		}
		if st.compileErr == nil {
			st.spec, st.compileErr = compile(format, inputs[i].Hints)
		}
		if st.compileErr == nil {
			st.fields, st.compileErr = compileFields(inputs[i].Fields)
		}
		c.states[i] = st
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

func joinFormats() string {
	s := ""
	for i, f := range Formats {
		if i > 0 {
			s += ", ."
		}
		s += f
	}
	return s
}

// converter is the state of one Convert call.
type converter struct {
	opt    Options
	sink   BlobSink
	pool   *bufPool
	maxRow int
	states []*inputState
	tasks  chan task
	msgs   chan msg
	cancel context.CancelFunc

	srcBytes atomic.Int64 // bytes read from all sources

	// owned by the collector
	cur        *blobState
	blobs      []*blobState
	fatal      error
	inputsDone int
	rowsOut    int64
	blobBytes  int64
}

// inputState follows one input through the conversion.
type inputState struct {
	idx        int
	in         *Input
	spec       *spec
	fields     *constFields // nil when the input has no constant fields
	compileErr error
	// firstBad is the lowest chunk sequence number with a fault (MaxInt64 for none): chunks
	// after it are skipped, and the reader stops.
	firstBad atomic.Int64

	// owned by the collector
	chunks    int // chunks produced; -1 until the reader is done
	done      int // chunks finished by workers
	holds     int // workers holding rows of this input in an unfinished block
	errSeq    int64
	err       error
	rows      int64
	src, text int64
	blobs     []blobBlocks
	finished  bool
	result    InputResult
}

// blobBlocks are the positions of an input's blocks in one blob.
type blobBlocks struct {
	b   *blobState
	pos []int
}

// markBad lowers firstBad to seq.
func (st *inputState) markBad(seq int64) {
	for {
		cur := st.firstBad.Load()
		if seq >= cur || st.firstBad.CompareAndSwap(cur, seq) {
			return
		}
	}
}

// task is one chunk of an input for a worker.
type task struct {
	st *inputState
	ch *chunk
}

type msgKind uint8

const (
	mBlock     msgKind = iota + 1 // a finished block
	mChunkDone                    // a worker finished a chunk
	mReadDone                     // a reader finished an input
)

// msg reports to the collector. Each worker's messages arrive in the order it sent them.
type msg struct {
	kind msgKind
	st   *inputState
	blk  *pack.EncodedBlock
	hold int   // change of st.holds
	seq  int64 // of the chunk (mChunkDone), or the number of chunks (mReadDone)
	rows int64
	err  error
	src  int64
	text int64
}

// feed starts a reader for each input, Readers at a time, then closes the task queue.
func (c *converter) feed(ctx context.Context) {
	var readers sync.WaitGroup
	sem := make(chan struct{}, c.opt.Readers)
	for _, st := range c.states {
		if st.compileErr != nil {
			c.msgs <- msg{kind: mReadDone, st: st, err: st.compileErr}
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			c.msgs <- msg{kind: mReadDone, st: st, err: ctx.Err()}
			continue
		}
		readers.Add(1)
		go func() {
			defer readers.Done()
			defer func() { <-sem }()
			c.read(ctx, st)
		}()
	}
	readers.Wait()
	close(c.tasks)
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// read opens an input, cuts its text into chunks and queues them for the workers.
func (c *converter) read(ctx context.Context, st *inputState) {
	var n int64
	var src *sourceReader
	var text *countReader
	err := func() error {
		rc, err := st.in.Open(ctx)
		if err != nil {
			return &sourceError{err: err}
		}
		defer rc.Close()
		src = &sourceReader{r: rc, count: func(n int64) { c.srcBytes.Add(n) }}
		dr, err := decompress(st.spec.format.Compression, src)
		if err != nil {
			return err
		}
		defer dr.Close()
		text = &countReader{r: dr}
		ck := st.spec.newChunker(text, c.pool, c.maxRow)
		for {
			if st.firstBad.Load() != math.MaxInt64 {
				return nil // a worker found a fault: the rest does not matter
			}
			ch, err := ck.next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			select {
			case c.tasks <- task{st: st, ch: ch}:
				n++
			case <-ctx.Done():
				ch.release()
				return ctx.Err()
			}
		}
	}()
	m := msg{kind: mReadDone, st: st, seq: n, err: err}
	if src != nil {
		m.src = src.n
	}
	if text != nil {
		m.text = text.n
	}
	c.msgs <- m
}

// collect receives the workers' and readers' messages: it writes blocks to blobs and settles
// inputs and blobs as they finish.
func (c *converter) collect(ctx context.Context) {
	for m := range c.msgs {
		if c.fatal == nil && ctx.Err() != nil {
			c.fail(ctx.Err())
		}
		st := m.st
		switch m.kind {
		case mBlock:
			st.holds += m.hold
			if m.err != nil {
				st.noteErr(-1, m.err)
			} else if st.err == nil && c.fatal == nil {
				c.writeBlock(ctx, st, m.blk)
			}
		case mChunkDone:
			st.done++
			st.holds += m.hold
			st.rows += m.rows
			if m.err != nil {
				st.noteErr(m.seq, m.err)
			}
		case mReadDone:
			st.chunks = int(m.seq)
			st.src, st.text = m.src, m.text
			if m.err != nil {
				st.noteErr(m.seq, m.err)
			}
		}
		if !st.finished && st.chunks >= 0 && st.done == st.chunks && st.holds == 0 {
			c.finish(ctx, st)
		}
	}
	// every input has finished: close the blobs still open
	if c.cur != nil {
		c.cur.sealed = true
		c.cur = nil
	}
	for _, b := range c.blobs {
		c.closeBlob(ctx, b)
	}
}

// noteErr records a fault of the chunk seq (or of reading, after the chunks): the first by
// position wins.
func (st *inputState) noteErr(seq int64, err error) {
	st.markBad(seq)
	if seq < st.errSeq {
		st.errSeq, st.err = seq, err
	}
}

// fail stops the conversion: later blocks are discarded and the readers stop.
func (c *converter) fail(err error) {
	if c.fatal == nil {
		c.fatal = err
		c.cancel()
	}
}

func (c *converter) progress() {
	if c.opt.Progress == nil {
		return
	}
	c.opt.Progress(Progress{Inputs: len(c.states), InputsDone: c.inputsDone, Bytes: c.srcBytes.Load(),
		Rows: c.rowsOut, BlobBytes: c.blobBytes})
}

// finish settles an input whose chunks are all done and whose rows are all in blocks.
func (c *converter) finish(ctx context.Context, st *inputState) {
	st.finished = true
	c.inputsDone++
	r := InputResult{Name: st.in.Name, Bytes: st.src, TextBytes: st.text}
	switch {
	case st.err == nil && c.fatal == nil:
		r.Status = Accepted
		r.Rows = st.rows
	case st.err == nil:
		r.Status, r.Err = Failed, &InputError{Input: st.in.Name, Err: c.fatal}
	default:
		r.Status = Rejected
		var se *sourceError
		if errors.As(st.err, &se) || errors.Is(st.err, context.Canceled) || errors.Is(st.err, context.DeadlineExceeded) ||
			st.compileErr != nil {
			r.Status = Failed
			if se != nil {
				st.err = se.err
			}
		}
		r.Err = &InputError{Input: st.in.Name, Err: st.err}
	}
	for _, bb := range st.blobs {
		if r.Status == Accepted {
			r.Blobs = append(r.Blobs, bb.b.w.Name())
			bb.b.inputs = append(bb.b.inputs, st.idx)
		} else {
			bb.b.pw.DropBlocks(bb.pos)
			bb.b.live -= len(bb.pos)
		}
		bb.b.open--
		c.closeBlob(ctx, bb.b)
	}
	st.blobs = nil
	st.result = r
	c.progress()
}

// blobState is an output blob being written.
type blobState struct {
	w      BlobWriter
	cw     countWriter
	pw     *pack.Writer
	blocks int // blocks written
	live   int // blocks not retracted
	open   int // unfinished inputs with blocks here
	sealed bool
	closed bool
	info   *pack.Info
	inputs []int
	err    error
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeBlock appends a block of st to the current blob.
func (c *converter) writeBlock(ctx context.Context, st *inputState, blk *pack.EncodedBlock) {
	b := c.cur
	if b == nil {
		w, err := c.sink.Create(ctx)
		if err != nil {
			c.fail(fmt.Errorf("creating a blob: %w", err))
			return
		}
		b = &blobState{w: w}
		b.cw.w = w
		b.pw = pack.NewWriter(&b.cw)
		c.cur = b
		c.blobs = append(c.blobs, b)
	}
	before := b.cw.n
	if err := b.pw.WriteBlock(blk); err != nil {
		c.fail(fmt.Errorf("writing blob %s: %w", b.w.Name(), err))
		return
	}
	c.blobBytes += b.cw.n - before
	c.rowsOut += int64(blk.Rows)
	k := len(st.blobs) - 1
	if k < 0 || st.blobs[k].b != b {
		st.blobs = append(st.blobs, blobBlocks{b: b})
		k++
		b.open++
	}
	st.blobs[k].pos = append(st.blobs[k].pos, b.blocks)
	b.blocks++
	b.live++
	if b.cw.n >= c.opt.BlobBytes {
		b.sealed = true
		c.cur = nil
	}
	c.progress()
}

// closeBlob commits (or aborts) a sealed blob once no unfinished input has blocks in it.
func (c *converter) closeBlob(ctx context.Context, b *blobState) {
	if b.closed || !b.sealed || b.open > 0 {
		return
	}
	b.closed = true
	if c.fatal != nil || b.live == 0 {
		b.w.Abort()
		return
	}
	info, err := b.pw.Close()
	if err != nil {
		b.w.Abort()
		c.fail(fmt.Errorf("writing blob %s: %w", b.w.Name(), err))
		return
	}
	if err := b.w.Commit(ctx, info); err != nil {
		c.fail(fmt.Errorf("committing blob %s: %w", b.w.Name(), err))
		return
	}
	b.info = info
}

// result assembles the outcome once everything has stopped.
func (c *converter) result(ctx context.Context) (*Result, error) {
	res := &Result{Inputs: make([]InputResult, len(c.states))}
	for i, st := range c.states {
		if !st.finished { // only after a fatal error
			st.result = InputResult{Name: st.in.Name, Status: Failed, Err: &InputError{Input: st.in.Name, Err: c.fatal}}
		}
		if c.fatal != nil && st.result.Status == Accepted {
			st.result = InputResult{Name: st.in.Name, Status: Failed, Bytes: st.src, TextBytes: st.text,
				Err: &InputError{Input: st.in.Name, Err: c.fatal}}
		}
		res.Inputs[i] = st.result
	}
	for _, b := range c.blobs {
		if b.info != nil {
			res.Blobs = append(res.Blobs, BlobResult{Name: b.w.Name(), Info: b.info, Inputs: b.inputs})
		}
	}
	if c.fatal != nil {
		return res, c.fatal
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}
