package ingest

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// MaxZstdWindow is the largest Zstandard window (the history a streaming decoder keeps) an
// input may declare: 128 MiB, what `zstd --long` and the strongest levels use (the default
// levels use at most 8 MiB). It bounds a decoder's memory whatever the frame headers claim;
// frames asking for more are rejected as corrupt.
const MaxZstdWindow = 128 << 20

// ErrCorruptCompression is wrapped by errors about malformed gzip or zstd data.
var ErrCorruptCompression = errors.New("corrupt compressed data")

var zstdPool sync.Pool // of *zstd.Decoder

// decompress returns a reader of the decompressed text of r. The decoders stream with
// bounded memory (gzip keeps a 32 KiB window, zstd at most MaxZstdWindow), so a
// decompression bomb costs time, never unbounded memory.
func decompress(c Compression, r io.Reader) (io.ReadCloser, error) {
	switch c {
	case None:
		return io.NopCloser(r), nil
	case Gzip:
		z, err := gzip.NewReader(r)
		if err == io.EOF {
			return io.NopCloser(eofReader{}), nil // an empty object: no rows
		}
		if err != nil {
			return nil, compressionError("gzip", err)
		}
		return &gzipReader{z: z}, nil
	case Zstd:
		d, _ := zstdPool.Get().(*zstd.Decoder)
		if d == nil {
			var err error
			d, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
				zstd.WithDecoderMaxWindow(MaxZstdWindow))
			if err != nil {
				return nil, fmt.Errorf("zstd: %w", err)
			}
		}
		if err := d.Reset(r); err != nil {
			zstdPool.Put(d)
			return nil, compressionError("zstd", err)
		}
		return &zstdReader{d: d}, nil
	}
	return nil, fmt.Errorf("%w: compression %d", ErrUnknownFormat, c)
}

// compressionError classifies an error of a decompressor: an error of the underlying source
// passes through unchanged, anything else is corrupt data.
func compressionError(what string, err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	var se *sourceError
	if errors.As(err, &se) {
		return se
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: %w: truncated stream", what, ErrCorruptCompression)
	}
	return fmt.Errorf("%s: %w: %v", what, ErrCorruptCompression, err)
}

type gzipReader struct{ z *gzip.Reader }

func (g *gzipReader) Read(p []byte) (int, error) {
	n, err := g.z.Read(p)
	return n, compressionError("gzip", err)
}

func (g *gzipReader) Close() error { return g.z.Close() }

type zstdReader struct{ d *zstd.Decoder }

func (z *zstdReader) Read(p []byte) (int, error) {
	if z.d == nil {
		return 0, errors.New("zstd: read after close")
	}
	n, err := z.d.Read(p)
	return n, compressionError("zstd", err)
}

func (z *zstdReader) Close() error {
	if z.d != nil {
		z.d.Reset(nil)
		zstdPool.Put(z.d)
		z.d = nil
	}
	return nil
}

// sourceError marks a failure to read an input's bytes (a network or disk error), as opposed
// to a fault in the bytes. The converter reports such inputs as failed, to be retried, rather
// than rejected.
type sourceError struct {
	err error
}

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

// sourceReader reads an input's raw bytes, counting them and marking read errors as
// *sourceError.
type sourceReader struct {
	r     io.Reader
	n     int64
	count func(int64) // called with each read's byte count; may be nil
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	if s.count != nil && n > 0 {
		s.count(int64(n))
	}
	if err != nil && err != io.EOF {
		err = &sourceError{err: err}
	}
	return n, err
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
