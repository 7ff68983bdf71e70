package pack

import (
	"encoding/binary"
	"io"

	"github.com/minio/sha256-simd"
)

// Writer writes a blob: the header, blocks in order, then the trailer and the footer.
type Writer struct {
	w       io.Writer
	off     int64
	t       Trailer
	dropped []bool // by position in t.Blocks: retracted by DropBlocks
	err     error
}

// Info describes a finished blob.
type Info struct {
	Size          int64    // total bytes
	Rows          int64    // rows in all blocks
	TrailerOffset int64    // where the trailer starts
	TrailerSize   int64    // its length
	TrailerHash   [32]byte // SHA-256 of the trailer bytes
	Trailer       *Trailer
}

// NewWriter starts a blob on w.
func NewWriter(w io.Writer) *Writer {
	wr := &Writer{w: w, t: Trailer{Version: Version}}
	var h [headerSize]byte
	copy(h[:], headerMagic)
	binary.LittleEndian.PutUint32(h[8:], Version)
	wr.write(h[:])
	return wr
}

func (w *Writer) write(b []byte) {
	if w.err != nil {
		return
	}
	n, err := w.w.Write(b)
	w.off += int64(n)
	w.err = err
}

// WriteBlock appends an encoded block.
func (w *Writer) WriteBlock(b *EncodedBlock) error {
	if b.Rows == 0 {
		return w.err
	}
	bm := BlockMeta{Offset: w.off, Size: int64(len(b.Data)), Rows: b.Rows, Columns: b.Columns, Symbols: b.Symbols}
	w.write(b.Data)
	w.t.Blocks = append(w.t.Blocks, bm)
	w.t.Rows += int64(b.Rows)
	return w.err
}

// DropBlocks retracts blocks already written: the blocks at the given positions (counted from
// 0 in the order WriteBlock accepted them, blocks without rows not counted) are left out of the
// trailer, so no reader reaches them; their bytes stay in the blob as dead space. Positions stay
// valid across calls. A converter that streams the blocks of several inputs into one blob uses
// it to retract an input found malformed after some of its blocks were written.
func (w *Writer) DropBlocks(positions []int) {
	for _, p := range positions {
		if p < 0 || p >= len(w.t.Blocks) {
			continue
		}
		for len(w.dropped) < len(w.t.Blocks) {
			w.dropped = append(w.dropped, false)
		}
		if !w.dropped[p] {
			w.dropped[p] = true
			w.t.Rows -= int64(w.t.Blocks[p].Rows)
		}
	}
}

// Close writes the trailer and footer. It does not close the underlying writer.
func (w *Writer) Close() (*Info, error) {
	if len(w.dropped) > 0 {
		kept := w.t.Blocks[:0]
		for i, b := range w.t.Blocks {
			if i >= len(w.dropped) || !w.dropped[i] {
				kept = append(kept, b)
			}
		}
		w.t.Blocks = kept
		w.dropped = nil
	}
	tb := w.t.Encode()
	info := &Info{Rows: w.t.Rows, TrailerOffset: w.off, TrailerSize: int64(len(tb)), TrailerHash: sha256.Sum256(tb), Trailer: &w.t}
	w.write(tb)
	var f [footerSize]byte
	binary.LittleEndian.PutUint64(f[:], uint64(len(tb)))
	copy(f[8:], footerMagic)
	w.write(f[:])
	info.Size = w.off
	return info, w.err
}
