package ingest

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sneller-re/sneller/pack"
)

// BlobSink stores the blobs a conversion writes. Convert creates blobs one at a time as it
// fills them, streams each one's bytes in order, and then commits it, or aborts it when the
// conversion fails or when every block written to it was retracted.
type BlobSink interface {
	// Create starts a new blob.
	Create(ctx context.Context) (BlobWriter, error)
}

// BlobWriter receives the bytes of one blob.
type BlobWriter interface {
	io.Writer
	// Name identifies the blob in results (a path or a storage key).
	Name() string
	// Commit makes the blob durable and visible; info describes it (size, rows, trailer
	// hash, trailer with the block summaries).
	Commit(ctx context.Context, info *pack.Info) error
	// Abort discards the blob.
	Abort() error
}

// DirSink writes blobs as files in a local directory: each blob is written to a temporary
// file and renamed to Prefix + a random base32 id + Suffix on commit.
type DirSink struct {
	Dir    string
	Prefix string // default "packed-"
	Suffix string // default ".pack"
}

// Create starts a new blob file.
func (d *DirSink) Create(ctx context.Context) (BlobWriter, error) {
	prefix, suffix := d.Prefix, d.Suffix
	if prefix == "" {
		prefix = "packed-"
	}
	if suffix == "" {
		suffix = ".pack"
	}
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, err
	}
	name := prefix + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(id[:]) + suffix
	f, err := os.CreateTemp(d.Dir, ".tmp-"+name+"-*")
	if err != nil {
		return nil, fmt.Errorf("creating a blob in %s: %w", d.Dir, err)
	}
	return &fileBlob{f: f, path: filepath.Join(d.Dir, name)}, nil
}

type fileBlob struct {
	f    *os.File
	path string
}

func (b *fileBlob) Write(p []byte) (int, error) { return b.f.Write(p) }
func (b *fileBlob) Name() string                { return b.path }

func (b *fileBlob) Commit(_ context.Context, _ *pack.Info) error {
	if err := b.f.Sync(); err != nil {
		b.Abort()
		return fmt.Errorf("%s: %w", b.path, err)
	}
	if err := b.f.Close(); err != nil {
		os.Remove(b.f.Name())
		return fmt.Errorf("%s: %w", b.path, err)
	}
	if err := os.Rename(b.f.Name(), b.path); err != nil {
		os.Remove(b.f.Name())
		return err
	}
	return nil
}

func (b *fileBlob) Abort() error {
	b.f.Close()
	return os.Remove(b.f.Name())
}
