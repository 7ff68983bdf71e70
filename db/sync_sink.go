package db

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sneller-re/sneller/ingest"
	"github.com/sneller-re/sneller/pack"
)

// errAborted ends the upload of a blob the converter discarded.
var errAborted = errors.New("blob aborted")

// blobSink writes the blobs of one partition of a table to its FS: each blob streams through
// a pipe into one Put (a multipart upload on S3) that creates the object only if absent, so
// nothing ever overwrites an object. A blob becomes visible when its Put completes; it is
// part of the table only once an index referencing it is published.
type blobSink struct {
	fs        FS
	dir       string // table directory plus partition path
	partition string
	values    []PartitionValue
	keep      [][]string // columns the summaries must include
	now       func() time.Time

	mu    sync.Mutex
	blobs map[string]*BlobInfo // committed, by path
}

func newBlobSink(fsys FS, dir, partition string, values []PartitionValue, keep [][]string, now func() time.Time) *blobSink {
	return &blobSink{fs: fsys, dir: dir, partition: partition, values: values, keep: keep, now: now, blobs: map[string]*BlobInfo{}}
}

var blobIDEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newBlobName returns a fresh random blob key in dir.
func newBlobName(dir string) (string, error) {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", err
	}
	return dir + "/packed-" + blobIDEncoding.EncodeToString(id[:]) + ".pack", nil
}

// Create implements ingest.BlobSink.
func (s *blobSink) Create(ctx context.Context) (ingest.BlobWriter, error) {
	name, err := newBlobName(s.dir)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	w := &fsBlobWriter{s: s, name: name, pw: pw, done: make(chan struct{})}
	go func() {
		w.etag, w.err = s.fs.Put(ctx, name, pr, IfAbsent)
		pr.CloseWithError(w.err)
		close(w.done)
	}()
	return w, nil
}

// committed returns the blobs committed so far.
func (s *blobSink) committed() map[string]*BlobInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.blobs
}

// fsBlobWriter is one blob being written.
type fsBlobWriter struct {
	s    *blobSink
	name string
	pw   *io.PipeWriter
	done chan struct{}
	etag string
	err  error
}

func (w *fsBlobWriter) Write(p []byte) (int, error) { return w.pw.Write(p) }
func (w *fsBlobWriter) Name() string                { return w.name }

// Commit finishes the Put and records the blob.
func (w *fsBlobWriter) Commit(ctx context.Context, info *pack.Info) error {
	w.pw.Close()
	<-w.done
	if w.err != nil {
		return w.err
	}
	b := w.s.blobInfo(w.name, w.etag, info)
	w.s.mu.Lock()
	w.s.blobs[w.name] = b
	w.s.mu.Unlock()
	return nil
}

// Abort cancels the Put: the object is not created.
func (w *fsBlobWriter) Abort() error {
	w.pw.CloseWithError(errAborted)
	<-w.done
	return nil
}

// blobInfo describes a committed blob for the index.
func (s *blobSink) blobInfo(path, etag string, info *pack.Info) *BlobInfo {
	rows, times := blockIndex(info.Trailer)
	return &BlobInfo{
		Path: path, ETag: etag, Size: info.Size, Rows: info.Rows, Blocks: len(info.Trailer.Blocks),
		Created: s.now(), TrailerOffset: info.TrailerOffset, TrailerSize: info.TrailerSize,
		TrailerHash: info.TrailerHash, Partition: s.partition, Values: s.values,
		Columns: Summarize(info.Trailer, s.keep), BlockRows: rows, TimeIndex: times,
	}
}

// writeBlob writes one blob whose content fill produces through a pack.Writer, and returns
// its description.
func (s *blobSink) writeBlob(ctx context.Context, fill func(w *pack.Writer) error) (*BlobInfo, error) {
	bw, err := s.Create(ctx)
	if err != nil {
		return nil, err
	}
	pw := pack.NewWriter(bw)
	if err := fill(pw); err != nil {
		bw.Abort()
		return nil, err
	}
	info, err := pw.Close()
	if err != nil {
		bw.Abort()
		return nil, fmt.Errorf("writing %s: %w", bw.Name(), err)
	}
	if err := bw.Commit(ctx, info); err != nil {
		return nil, fmt.Errorf("writing %s: %w", bw.Name(), err)
	}
	return s.committed()[bw.Name()], nil
}
