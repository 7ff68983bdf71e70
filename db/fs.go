package db

import (
	"context"
	"io"
	"time"
)

// FileInfo describes one object of an [FS].
type FileInfo struct {
	// Path is the object's key relative to the root of its FS (slash-separated, never
	// starting with '/').
	Path string
	// Size is the object's length in bytes.
	Size int64
	// ETag identifies the object's content. It is quoted like S3's ETags: on S3 it is the
	// server's ETag (a quoted MD5, or "<md5>-<parts>" for multipart uploads); on a local
	// directory it is the quoted hex SHA-256 of the content. Two objects with the same ETag
	// on the same FS have the same bytes.
	ETag string
	// ModTime is the time the object was last written.
	ModTime time.Time
}

// Cond is the condition of a [FS.Put]. The zero value, [Always], puts unconditionally.
type Cond struct {
	kind condKind
	etag string
}

type condKind uint8

const (
	condAlways condKind = iota
	condAbsent
	condMatch
)

// Always is the condition of an unconditional put: the object is created or replaced.
var Always = Cond{}

// IfAbsent is the condition that the object must not exist; it is created only if no object
// has its key at the moment of the put.
var IfAbsent = Cond{kind: condAbsent}

// IfMatch is the condition that the object must exist with the given ETag; it is replaced only
// if nobody replaced it since that ETag was observed.
func IfMatch(etag string) Cond { return Cond{kind: condMatch, etag: etag} }

// IsAbsent reports whether c is [IfAbsent].
func (c Cond) IsAbsent() bool { return c.kind == condAbsent }

// Match returns the ETag that c requires and true if c is an [IfMatch] condition.
func (c Cond) Match() (string, bool) { return c.etag, c.kind == condMatch }

// String describes the condition for messages.
func (c Cond) String() string {
	switch c.kind {
	case condAbsent:
		return "if-absent"
	case condMatch:
		return "if-match " + c.etag
	default:
		return "always"
	}
}

// FS is the storage interface: a flat namespace of immutable objects under a root, as in S3.
// An object is written whole by Put and becomes visible atomically; nobody ever observes half an
// object. Implementations are safe for concurrent use.
//
// Every method validates its path with [ValidPath] and returns an error wrapping [ErrBadPath]
// for an invalid one. Errors name the object by its URL (see URL) and wrap the sentinel that
// describes the condition: [io/fs.ErrNotExist] for a missing object, [ErrETagChanged],
// [ErrPrecondition], [ErrBadRange]. Every method honours the cancellation of its context.
type FS interface {
	// URL returns the root of the FS as a URL: "file:///abs/dir" or "s3://bucket[/prefix]".
	// The URL of an object is URL() + "/" + path.
	URL() string

	// List calls fn for every object whose key starts with prefix and sorts strictly after
	// startAfter, in lexical (byte) order of keys. Either may be empty. It stops at the first
	// error fn returns and returns it unchanged. Keys that are not valid paths (S3 "directory"
	// markers ending in '/', for example) and the implementation's own temporary files are
	// never listed.
	List(ctx context.Context, prefix, startAfter string, fn func(FileInfo) error) error

	// Stat returns the object's FileInfo, or an error wrapping io/fs.ErrNotExist.
	Stat(ctx context.Context, path string) (FileInfo, error)

	// Open returns a reader of the whole object and the FileInfo of the version being read
	// (its ETag is the ETag of the bytes the reader returns). The caller closes the reader.
	Open(ctx context.Context, path string) (io.ReadCloser, FileInfo, error)

	// ReadRange returns a reader of n bytes of the object starting at offset off, provided
	// the object still has the given ETag; otherwise it fails with an error wrapping
	// ErrETagChanged (or io/fs.ErrNotExist if the object is gone). n < 0 reads to the end of
	// the object; a range that extends past the end is cut at the end. An offset at or past
	// the end, or a negative offset, fails with ErrBadRange (except that n == 0 reads nothing
	// at any offset). The caller closes the reader.
	ReadRange(ctx context.Context, path, etag string, off, n int64) (io.ReadCloser, error)

	// Put writes the object with the content read from r until io.EOF, if cond holds at
	// the moment the object becomes visible, and returns its new ETag. A failed condition
	// returns an error wrapping ErrPrecondition and changes nothing. If Put fails for any
	// other reason, the object keeps its previous content or absence.
	Put(ctx context.Context, path string, r io.Reader, cond Cond) (etag string, err error)

	// Delete removes the object. Deleting an absent object is not an error.
	Delete(ctx context.Context, path string) error
}
