package db

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"sync"

	sha256 "github.com/minio/sha256-simd"
)

// The ETag of a file in a DirFS is the quoted hex SHA-256 of its content. Hashing a large file
// is expensive, so the result is cached in memory under the file's identity (see fileKey):
// device, inode, size, modification and change times. Any write to the file, in place or by
// rename, changes at least one of them, so a cached ETag is never served for other content.
// Nothing is stored on disk: a new process hashes each file once, the first time it is listed
// or read.

// maxETagCache bounds the number of cached ETags (about 150 bytes each).
const maxETagCache = 1 << 16

type etagCache struct {
	mu       sync.Mutex
	m        map[fileKey]string
	inflight map[fileKey]*etagCall
}

// etagCall is one hash computation that concurrent callers for the same file share.
type etagCall struct {
	done chan struct{}
	etag string
	err  error
}

func newETagCache() *etagCache {
	return &etagCache{m: make(map[fileKey]string), inflight: make(map[fileKey]*etagCall)}
}

func (c *etagCache) get(k fileKey) (string, bool) {
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	return e, ok
}

func (c *etagCache) put(k fileKey, etag string) {
	c.mu.Lock()
	c.putLocked(k, etag)
	c.mu.Unlock()
}

func (c *etagCache) putLocked(k fileKey, etag string) {
	if len(c.m) >= maxETagCache {
		// Drop about a quarter of the entries; map iteration order is random, so this
		// is a cheap random eviction.
		n := len(c.m) / 4
		for k := range c.m {
			delete(c.m, k)
			if n--; n <= 0 {
				break
			}
		}
	}
	c.m[k] = etag
}

// etag returns the ETag of the open file f whose identity is k, hashing its content if it is
// not cached. Concurrent calls for the same file share one computation.
func (c *etagCache) etag(ctx context.Context, k fileKey, f io.ReaderAt, size int64) (string, error) {
	c.mu.Lock()
	if e, ok := c.m[k]; ok {
		c.mu.Unlock()
		return e, nil
	}
	if call, ok := c.inflight[k]; ok {
		c.mu.Unlock()
		select {
		case <-call.done:
			if call.err == nil {
				return call.etag, nil
			}
			// The sharer's computation failed (its context may have ended); compute
			// with ours.
			return hashETag(ctx, f, size)
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	call := &etagCall{done: make(chan struct{})}
	c.inflight[k] = call
	c.mu.Unlock()

	call.etag, call.err = hashETag(ctx, f, size)

	c.mu.Lock()
	delete(c.inflight, k)
	if call.err == nil {
		c.putLocked(k, call.etag)
	}
	c.mu.Unlock()
	close(call.done)
	return call.etag, call.err
}

// hashChunk is the size of the reads that hash a file; the context is checked between them.
const hashChunk = 1 << 20

// hashETag hashes the first size bytes of f.
func hashETag(ctx context.Context, f io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	buf := make([]byte, min(size, hashChunk))
	for off := int64(0); off < size; {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n := int(min(int64(len(buf)), size-off))
		m, err := f.ReadAt(buf[:n], off)
		h.Write(buf[:m])
		off += int64(m)
		if err != nil && !(err == io.EOF && off == size) {
			if err == io.EOF {
				// The file shrank under us: somebody modifies it in place.
				return "", fmt.Errorf("file changed while being hashed: %w", io.ErrUnexpectedEOF)
			}
			return "", err
		}
	}
	return quoteETag(h.Sum(nil)), nil
}

func quoteETag(sum []byte) string {
	b := make([]byte, 0, 2+2*len(sum))
	b = append(b, '"')
	b = hex.AppendEncode(b, sum)
	b = append(b, '"')
	return string(b)
}
