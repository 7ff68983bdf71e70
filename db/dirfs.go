package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	sha256 "github.com/minio/sha256-simd"
)

// DirFS is the [FS] of a local directory. Objects are regular files under the directory;
// directories are created as needed by Put and never listed themselves.
//
//   - Confinement: all access goes through an [os.Root], so neither a path nor a symbolic link
//     inside the directory can reach a file outside it.
//   - ETags are the quoted hex SHA-256 of the content, computed when a file is written through
//     Put and otherwise lazily on the first Stat, Open, ReadRange or List that needs it, then
//     cached in memory by file identity (device, inode, size, modification and change time).
//   - Put writes a temporary file named ".sneller-tmp-*" in the target's directory, fsyncs
//     it, renames it over the target and fsyncs the directory, so a reader sees the old file
//     or the new one, never a part, and a completed Put survives a crash.
//   - Every Put and Delete takes an exclusive flock(2) on "<dir>/.sneller-lock" while it checks
//     its condition and renames, so conditional puts are atomic against concurrent writers in
//     this and other processes on the same host (flock is not reliable across NFS clients).
//
// Files whose names start with ".sneller-" are never listed. Because a local directory cannot
// hold both a file "a" and a file "a/b", Put fails where S3 would accept such a pair.
type DirFS struct {
	dir   string // absolute, cleaned
	root  *os.Root
	etags *etagCache
	mu    sync.Mutex // serialises this process's writers before they take the flock
}

// lockName is the lock file at the top of a DirFS.
const lockName = reservedPrefix + "lock"

// tmpPrefix starts the names of a DirFS's temporary files.
const tmpPrefix = reservedPrefix + "tmp-"

// OpenDir opens the existing directory dir as an FS. The caller closes it when done.
func OpenDir(dir string) (*DirFS, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open root %q: %w", dir, err)
	}
	abs = filepath.Clean(abs)
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("open root: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open root %s: %w: not a directory", abs, ErrBadRoot)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("open root: %w", err)
	}
	return &DirFS{dir: abs, root: root, etags: newETagCache()}, nil
}

// Dir returns the absolute path of the directory.
func (d *DirFS) Dir() string { return d.dir }

// Close releases the directory handle. The DirFS must not be used afterwards.
func (d *DirFS) Close() error { return d.root.Close() }

// URL returns "file://" followed by the absolute directory path.
func (d *DirFS) URL() string { return "file://" + filepath.ToSlash(d.dir) }

// pathErr builds the error for op on path p, naming the file by its URL and keeping the
// underlying cause (not the os package's relative name).
func (d *DirFS) pathErr(op, p string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, syscall.ENOTDIR) {
		// A parent is a file: there is no such object.
		err = fs.ErrNotExist
	}
	return &fs.PathError{Op: op, Path: d.URL() + "/" + p, Err: err}
}

// open opens the object at p and returns it with its FileInfo, ETag included.
func (d *DirFS) open(ctx context.Context, op, p string) (*os.File, FileInfo, error) {
	if err := ValidPath(p); err != nil {
		return nil, FileInfo{}, d.pathErr(op, p, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, FileInfo{}, d.pathErr(op, p, err)
	}
	f, err := d.root.Open(filepath.FromSlash(p))
	if err != nil {
		return nil, FileInfo{}, d.pathErr(op, p, err)
	}
	info, err := d.infoOf(ctx, p, f)
	if err != nil {
		f.Close()
		return nil, FileInfo{}, d.pathErr(op, p, err)
	}
	return f, info, nil
}

// infoOf returns the FileInfo of the open file f at p.
func (d *DirFS) infoOf(ctx context.Context, p string, f *os.File) (FileInfo, error) {
	fi, err := f.Stat()
	if err != nil {
		return FileInfo{}, err
	}
	if !fi.Mode().IsRegular() {
		// Directories and special files are not objects.
		return FileInfo{}, fs.ErrNotExist
	}
	k := keyOf(p, fi)
	etag, ok := d.etags.get(k)
	if !ok {
		if etag, ok = storedETag(f, k); ok {
			d.etags.put(k, etag)
		} else {
			if etag, err = d.etags.etag(ctx, k, f, fi.Size()); err != nil {
				return FileInfo{}, err
			}
			storeETag(f, k, etag)
		}
	}
	return FileInfo{Path: p, Size: fi.Size(), ETag: etag, ModTime: fi.ModTime()}, nil
}

// Stat implements [FS.Stat].
func (d *DirFS) Stat(ctx context.Context, p string) (FileInfo, error) {
	f, info, err := d.open(ctx, "stat", p)
	if err != nil {
		return FileInfo{}, err
	}
	f.Close()
	return info, nil
}

// Open implements [FS.Open]. The reader is the open file: a later Put of the same path does
// not change what it returns.
func (d *DirFS) Open(ctx context.Context, p string) (io.ReadCloser, FileInfo, error) {
	f, info, err := d.open(ctx, "open", p)
	if err != nil {
		return nil, FileInfo{}, err
	}
	return &ctxFile{ctx: ctx, f: f, r: f}, info, nil
}

// ReadRange implements [FS.ReadRange]. The ETag is checked against the open file, so the bytes
// returned are those of the pinned version even if the file is replaced while they are read.
func (d *DirFS) ReadRange(ctx context.Context, p, etag string, off, n int64) (io.ReadCloser, error) {
	f, info, err := d.open(ctx, "read", p)
	if err != nil {
		return nil, err
	}
	if info.ETag != etag {
		f.Close()
		return nil, d.pathErr("read", p, fmt.Errorf("%w: want %s, have %s", ErrETagChanged, etag, info.ETag))
	}
	off, n, err = clampRange(off, n, info.Size)
	if err != nil {
		f.Close()
		return nil, d.pathErr("read", p, err)
	}
	return &ctxFile{ctx: ctx, f: f, r: io.NewSectionReader(f, off, n)}, nil
}

// clampRange checks the range (off, n) against an object of the given size and returns it with
// n cut at the end of the object (n < 0 meaning "to the end").
func clampRange(off, n, size int64) (int64, int64, error) {
	if n == 0 && off >= 0 {
		return off, 0, nil
	}
	if off < 0 || off >= size {
		return 0, 0, fmt.Errorf("%w: offset %d of %d bytes", ErrBadRange, off, size)
	}
	if n < 0 || n > size-off {
		n = size - off
	}
	return off, n, nil
}

// ctxFile is a reader of an open file that stops when its context ends.
type ctxFile struct {
	ctx context.Context
	f   *os.File
	r   io.Reader
}

func (c *ctxFile) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func (c *ctxFile) Close() error { return c.f.Close() }

// Put implements [FS.Put].
func (d *DirFS) Put(ctx context.Context, p string, r io.Reader, cond Cond) (string, error) {
	if err := ValidPath(p); err != nil {
		return "", d.pathErr("put", p, err)
	}
	dir, _ := splitDir(p)
	if dir != "" {
		if err := d.root.MkdirAll(filepath.FromSlash(dir), 0o755); err != nil {
			return "", d.pathErr("put", p, err)
		}
	}
	tmp, f, err := d.createTemp(dir)
	if err != nil {
		return "", d.pathErr("put", p, err)
	}
	committed := false
	defer func() {
		f.Close()
		if !committed {
			d.root.Remove(tmp)
		}
	}()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	if _, err := io.CopyBuffer(io.MultiWriter(f, h), &ctxReader{ctx: ctx, r: r}, buf); err != nil {
		return "", d.pathErr("put", p, err)
	}
	if err := f.Sync(); err != nil {
		return "", d.pathErr("put", p, err)
	}
	etag := quoteETag(h.Sum(nil))

	release, err := d.lock(ctx)
	if err != nil {
		return "", d.pathErr("put", p, err)
	}
	defer release()
	if err := d.check(ctx, p, cond); err != nil {
		return "", d.pathErr("put", p, err)
	}
	if err := d.root.Rename(tmp, filepath.FromSlash(p)); err != nil {
		return "", d.pathErr("put", p, err)
	}
	committed = true
	// The rename changed the inode's change time: seed the cache with the final identity.
	if fi, err := f.Stat(); err == nil {
		k := keyOf(p, fi)
		storeETag(f, k, etag)
		if fi2, err := f.Stat(); err == nil { // setting the attribute changes the change time
			k = keyOf(p, fi2)
		}
		d.etags.put(k, etag)
	}
	if err := d.syncDir(dir); err != nil {
		return "", d.pathErr("put", p, err)
	}
	return etag, nil
}

// createTemp creates a new temporary file in dir (relative to the root).
func (d *DirFS) createTemp(dir string) (string, *os.File, error) {
	var rnd [12]byte
	for range 10 {
		rand.Read(rnd[:])
		name := tmpPrefix + hex.EncodeToString(rnd[:])
		if dir != "" {
			name = dir + "/" + name
		}
		name = filepath.FromSlash(name)
		f, err := d.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			return name, f, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", nil, err
		}
	}
	return "", nil, fmt.Errorf("cannot create a temporary file in %q", dir)
}

// check evaluates cond against the current state of p; the caller holds the lock.
func (d *DirFS) check(ctx context.Context, p string, cond Cond) error {
	if cond.kind == condAlways {
		return nil
	}
	f, err := d.root.Open(filepath.FromSlash(p))
	var info FileInfo
	if err == nil {
		info, err = d.infoOf(ctx, p, f)
		f.Close()
	}
	exists := true
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return err
		}
		exists = false
	}
	switch cond.kind {
	case condAbsent:
		if exists {
			return fmt.Errorf("%w: object exists (if-absent)", ErrPrecondition)
		}
	case condMatch:
		if !exists {
			return fmt.Errorf("%w: object does not exist (if-match %s)", ErrPrecondition, cond.etag)
		}
		if info.ETag != cond.etag {
			return fmt.Errorf("%w: ETag is %s (if-match %s)", ErrPrecondition, info.ETag, cond.etag)
		}
	}
	return nil
}

// syncDir fsyncs the directory dir (relative to the root) so a rename or removal in it is
// durable.
func (d *DirFS) syncDir(dir string) error {
	if dir == "" {
		dir = "."
	}
	f, err := d.root.Open(filepath.FromSlash(dir))
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Delete implements [FS.Delete].
func (d *DirFS) Delete(ctx context.Context, p string) error {
	if err := ValidPath(p); err != nil {
		return d.pathErr("delete", p, err)
	}
	release, err := d.lock(ctx)
	if err != nil {
		return d.pathErr("delete", p, err)
	}
	defer release()
	name := filepath.FromSlash(p)
	fi, err := d.root.Lstat(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil
		}
		return d.pathErr("delete", p, err)
	}
	if fi.IsDir() {
		return nil // a directory is not an object
	}
	if err := d.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return d.pathErr("delete", p, err)
	}
	dir, _ := splitDir(p)
	if err := d.syncDir(dir); err != nil {
		return d.pathErr("delete", p, err)
	}
	return nil
}

// lock takes the writers' lock: the in-process mutex, then the flock on the lock file,
// polling until ctx ends. It returns the function that releases both.
func (d *DirFS) lock(ctx context.Context) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	f, err := d.root.OpenFile(lockName, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		d.mu.Unlock()
		return nil, fmt.Errorf("lock: %w", err)
	}
	wait := 100 * time.Microsecond
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			d.mu.Unlock()
			return nil, fmt.Errorf("lock %s: %w", lockName, err)
		}
		if ok {
			break
		}
		select {
		case <-ctx.Done():
			f.Close()
			d.mu.Unlock()
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 10*time.Millisecond)
	}
	return func() {
		unlock(f)
		f.Close()
		d.mu.Unlock()
	}, nil
}

// RemoveTemp removes the temporary files that writers killed before they finished left
// behind, if they are older than minAge, and returns how many it removed. A live writer's
// temporary file is younger than any sensible minAge (minutes).
func (d *DirFS) RemoveTemp(ctx context.Context, minAge time.Duration) (int, error) {
	cutoff := time.Now().Add(-minAge)
	removed := 0
	var walk func(dir string) error
	walk = func(dir string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := d.root.Open(filepath.FromSlash(dirOrDot(dir)))
		if err != nil {
			return err
		}
		ents, err := f.ReadDir(-1)
		f.Close()
		if err != nil {
			return err
		}
		for _, e := range ents {
			rel := joinKey(dir, e.Name())
			switch {
			case e.IsDir():
				if err := walk(rel); err != nil {
					return err
				}
			case strings.HasPrefix(e.Name(), tmpPrefix):
				fi, err := e.Info()
				if err != nil || fi.ModTime().After(cutoff) {
					continue
				}
				if err := d.root.Remove(filepath.FromSlash(rel)); err == nil {
					removed++
				}
			}
		}
		return nil
	}
	if err := walk(""); err != nil {
		return removed, fmt.Errorf("remove temporary files under %s: %w", d.URL(), err)
	}
	return removed, nil
}

func dirOrDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

func joinKey(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// ctxReader is a reader that stops when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
