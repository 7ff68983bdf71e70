package ingest

import (
	"context"
	"sync/atomic"

	"github.com/sneller-re/sneller/pack"
)

// converter is the state of one Convert call.
type converter struct {
	opt    Options
	sink   BlobSink
	pool   *bufPool
	maxRow int
	states []*inputState
	queue  *taskQueue
	todo   chan *inputState // inputs to read: all at first, then those to convert again
	msgs   chan msg
	cancel context.CancelFunc

	srcBytes atomic.Int64 // bytes read from all sources

	// owned by the collector
	cur        *blobState
	blobs      []*blobState
	fatal      error
	inputsDone int
	settled    int // inputs settled: when all are, no input will be read again
	retried    int
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
	// exact is set when the input is cut by the exact chunker: always for CSV, TSV and
	// cloudtrail; for JSON after the speculative cut at newlines failed (or when disabled).
	exact bool
	// firstBad is the lowest chunk sequence number with a fault (MaxInt64 for none): chunks
	// after it are skipped, and the reader stops.
	firstBad atomic.Int64
	// drained is set when every chunk is read and decoded: only the workers' unfinished
	// blocks still hold rows of the input.
	drained atomic.Bool

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
	settled   bool // finished, or every chunk done without a fault (no retry can come)
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
	kind    msgKind
	st      *inputState        // (mChunkDone, mReadDone)
	blk     *pack.EncodedBlock // (mBlock)
	inputs  []*inputState      // (mBlock) the inputs with rows in the block
	release []*inputState      // (mBlock) inputs no longer held by the worker
	hold    int                // (mChunkDone) change of st.holds
	seq     int64              // of the chunk (mChunkDone), or the number of chunks (mReadDone)
	rows    int64
	err     error
	src     int64
	text    int64
}
