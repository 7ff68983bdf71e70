package ion

import (
	"errors"
	"io"
)

// Reader reads a whole Ion binary stream: it consumes version markers (which reset the symbol
// table), local symbol tables (new or appending) and top-level NOP pads, and yields each
// top-level user value with the symbol table in force. Use it as
//
//	r := ion.NewReader(f)
//	for r.Next() { use(r.Value(), r.Symtab()) }
//	if err := r.Err(); err != nil { ... }
//
// Next checks a value only as far as its length; decode it with a checking function (Validate,
// DecodeDatum, AppendJSON) before trusting its contents. Reading from an io.Reader, the Reader
// holds one top-level value in memory at a time and grows its buffer only as bytes arrive, so a
// length field that claims more than the input holds cannot make it allocate.
type Reader struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte in buf
	base int64 // stream offset of buf[0]
	eof  bool
	st   Symtab
	val  []byte
	voff int64
	err  error
}

// NewReader returns a Reader of the stream r.
func NewReader(r io.Reader) *Reader { return &Reader{r: r} }

// NewBytesReader returns a Reader of the stream b; values are sub-slices of b.
func NewBytesReader(b []byte) *Reader { return &Reader{buf: b, eof: true} }

// Symtab returns the symbol table in force for the current value. The Reader updates it in
// place as the stream goes on; Clone it to keep a snapshot.
func (r *Reader) Symtab() *Symtab { return &r.st }

// Value returns the current value, header included. It is valid until the next call to Next.
func (r *Reader) Value() []byte { return r.val }

// Offset returns the stream offset of the current value.
func (r *Reader) Offset() int64 { return r.voff }

// Err returns the error that stopped the reader, if any (nil at a clean end of stream). A
// *SyntaxError carries the offset from the start of the stream.
func (r *Reader) Err() error { return r.err }

const readChunk = 64 << 10

// fill reads more input; it reports false at the end of input or on a read error.
func (r *Reader) fill() bool {
	if r.eof {
		return false
	}
	if r.pos > 0 && r.pos >= len(r.buf)/2 {
		n := copy(r.buf, r.buf[r.pos:])
		r.buf = r.buf[:n]
		r.base += int64(r.pos)
		r.pos = 0
	}
	if cap(r.buf)-len(r.buf) < readChunk/2 {
		nb := make([]byte, len(r.buf), 2*cap(r.buf)+readChunk)
		copy(nb, r.buf)
		r.buf = nb
	}
	n, err := r.r.Read(r.buf[len(r.buf):cap(r.buf)])
	r.buf = r.buf[:len(r.buf)+n]
	if err != nil {
		r.eof = true
		if !errors.Is(err, io.EOF) {
			r.err = err
			return false
		}
	}
	return n > 0 || !r.eof
}

// Next advances to the next user value; it returns false at the end of the stream or on an
// error.
func (r *Reader) Next() bool {
	r.val = nil
	if r.err != nil {
		return false
	}
	for {
		rest := r.buf[r.pos:]
		if len(rest) == 0 {
			if r.fill() {
				continue
			}
			return false
		}
		off := r.base + int64(r.pos)
		if rest[0] == 0xe0 {
			if len(rest) < 4 && r.fill() {
				continue
			}
			if r.err != nil {
				return false
			}
			if err := checkBVM(rest); err != nil {
				r.err = AddOffset(err, off)
				return false
			}
			r.st.Reset()
			r.pos += 4
			continue
		}
		h, err := ReadHead(rest)
		if err != nil {
			if errors.Is(err, ErrTruncated) && r.fill() {
				continue
			}
			if r.err != nil {
				return false
			}
			r.err = AddOffset(err, off)
			return false
		}
		n := h.Size()
		v := rest[:n]
		if h.IsPad() {
			r.pos += n
			continue
		}
		if h.Type == AnnotationType {
			ok, err := r.st.readTable(v)
			if err != nil {
				r.err = AddOffset(err, off)
				return false
			}
			if ok {
				r.pos += n
				continue
			}
		}
		r.pos += n
		r.val, r.voff = v, off
		return true
	}
}
