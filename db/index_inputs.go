package db

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/klauspost/compress/zstd"
	sha256 "github.com/minio/sha256-simd"

	"github.com/sneller-re/sneller/ion"
)

// segmentVersion is the version of the input segment format.
const segmentVersion = 1

// maxSegmentRaw bounds the decompressed size of an input segment.
const maxSegmentRaw = 1 << 30

// ErrRejected is wrapped by the error of an input that was rejected (its bytes are at fault:
// a malformed row, a value that does not match its hint, an unknown format).
var ErrRejected = errors.New("input rejected")

// InputInfo is one input object of a table as its index records it.
type InputInfo struct {
	// Path names the object: s3://bucket/key, or file://key for a key relative to a local
	// root (file:///abs/path outside it).
	Path string
	// ETag is the ETag of the version of the object that was ingested or rejected.
	ETag string
	// Size is the object's size in bytes.
	Size int64
	// Err is nil for an accepted input; for a rejected one it wraps ErrRejected and gives the
	// reason (file, line, column and what is wrong).
	Err error
	// Blob is the first blob holding the input's rows (accepted inputs only), Blobs all of
	// them.
	Blob  string
	Blobs []string
	// Rows is the number of rows the input contributed.
	Rows int64
	// Added is when the input was recorded.
	Added time.Time
	// Definition is the hash of the definition in force when the input was recorded: a
	// rejected input is retried once the definition changes.
	Definition [32]byte
	// ChangedETag, for an accepted input, is another ETag the object was seen with later.
	// Its new content is not ingested (that would duplicate the rows of the old one); sync
	// reports it once.
	ChangedETag string
}

// Accepted reports whether the input's rows are in the table.
func (in *InputInfo) Accepted() bool { return in.Err == nil }

// RejectedError is the error of a rejected input, as recorded in the index.
type RejectedError struct {
	Reason string
}

func (e *RejectedError) Error() string { return e.Reason }

// Unwrap returns ErrRejected.
func (e *RejectedError) Unwrap() error { return ErrRejected }

// SegmentRef references one input segment from the index: a content-addressed object (its
// key ends in the hex SHA-256 of its bytes) holding zstd-compressed Ion entries. The hash
// is in the signed index, so the signature covers the segment too.
type SegmentRef struct {
	Path    string
	SHA256  [32]byte
	Size    int64 // stored (compressed) bytes
	RawSize int64 // decompressed bytes
	Entries int
}

func (s *SegmentRef) encode(w *ionWriter) {
	w.body.BeginStruct(-1)
	w.str("path", s.Path)
	w.blob("sha256", s.SHA256[:])
	w.int("size", s.Size)
	w.int("raw_size", s.RawSize)
	w.int("entries", int64(s.Entries))
	w.body.EndStruct()
}

func decodeSegmentRef(v []byte, st *ion.Symtab) (SegmentRef, error) {
	var s SegmentRef
	var haveHash bool
	err := eachField(v, st, func(name string, f []byte) error {
		var err error
		var n int64
		switch name {
		case "path":
			s.Path, err = ionString(f)
		case "sha256":
			s.SHA256, err = ionHash(f)
			haveHash = true
		case "size":
			s.Size, err = ionCount(f, math.MaxInt64)
		case "raw_size":
			s.RawSize, err = ionCount(f, maxSegmentRaw)
		case "entries":
			n, err = ionCount(f, math.MaxInt32)
			s.Entries = int(n)
		}
		return err
	})
	if err == nil && (ValidPath(s.Path) != nil || !haveHash) {
		err = fmt.Errorf("%w: input segment without a valid path (%q) or hash", errStructure, s.Path)
	}
	return s, err
}

// segmentPath returns the key of the segment with the given hash in a table directory.
func segmentPath(dir string, h [32]byte) string {
	return dir + "/inputs-" + hex.EncodeToString(h[:])
}

var (
	segEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	segDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxSegmentRaw))
)

// encodeSegment encodes entries (sorted by path) as a segment and returns its bytes and its
// reference (with the key in dir).
func encodeSegment(dir string, entries []InputInfo) ([]byte, SegmentRef) {
	raw := encodeSegmentRaw(entries)
	data := segEncoder.EncodeAll(raw, nil)
	h := sha256.Sum256(data)
	return data, SegmentRef{Path: segmentPath(dir, h), SHA256: h, Size: int64(len(data)), RawSize: int64(len(raw)), Entries: len(entries)}
}

// encodeSegmentRaw encodes the Ion content of a segment (before compression).
func encodeSegmentRaw(entries []InputInfo) []byte {
	var w ionWriter
	w.body.BeginStruct(-1)
	w.int("version", segmentVersion)
	w.field("entries")
	w.body.BeginList(-1)
	for i := range entries {
		encodeInput(&w, &entries[i])
	}
	w.body.EndList()
	w.body.EndStruct()
	return w.bytes()
}

func encodeInput(w *ionWriter, in *InputInfo) {
	w.body.BeginStruct(-1)
	w.str("path", in.Path)
	w.str("etag", in.ETag)
	w.int("size", in.Size)
	if in.Err != nil {
		w.str("error", in.Err.Error())
	} else {
		w.strs("blobs", in.Blobs)
		w.int("rows", in.Rows)
	}
	w.time("added", in.Added)
	w.blob("definition", in.Definition[:])
	if in.ChangedETag != "" {
		w.str("changed_etag", in.ChangedETag)
	}
	w.body.EndStruct()
}

// decodeSegment parses the decompressed content of a segment.
func decodeSegment(raw []byte) ([]InputInfo, error) {
	v, st, err := readTop(raw)
	if err != nil {
		return nil, err
	}
	var out []InputInfo
	version := int64(-1)
	err = eachField(v, st, func(name string, f []byte) error {
		switch name {
		case "version":
			var err error
			version, err = ionInt(f)
			return err
		case "entries":
			return eachElem(f, func(_ int, e []byte) error {
				in, err := decodeInput(e, st)
				out = append(out, in)
				return err
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if version != segmentVersion {
		return nil, fmt.Errorf("input segment version %d (this build reads version %d)", version, segmentVersion)
	}
	return out, nil
}

func decodeInput(v []byte, st *ion.Symtab) (InputInfo, error) {
	var in InputInfo
	err := eachField(v, st, func(name string, f []byte) error {
		var err error
		switch name {
		case "path":
			in.Path, err = ionString(f)
		case "etag":
			in.ETag, err = ionString(f)
		case "size":
			in.Size, err = ionCount(f, math.MaxInt64)
		case "error":
			var s string
			s, err = ionString(f)
			in.Err = &RejectedError{Reason: s}
		case "blobs":
			in.Blobs, err = ionStrings(f)
			if len(in.Blobs) > 0 {
				in.Blob = in.Blobs[0]
			}
		case "rows":
			in.Rows, err = ionCount(f, math.MaxInt64)
		case "added":
			in.Added, err = ionTime(f)
		case "definition":
			in.Definition, err = ionHash(f)
		case "changed_etag":
			in.ChangedETag, err = ionString(f)
		}
		return err
	})
	if err == nil && in.Path == "" {
		err = fmt.Errorf("%w: input without a path", errStructure)
	}
	if in.Err != nil {
		in.Blobs, in.Blob, in.Rows = nil, "", 0
	}
	if len(in.Blobs) == 0 {
		in.Blobs = nil
	}
	return in, err
}

// readSegment reads, verifies and decodes an input segment. Its bytes must have the SHA-256
// the signed index gives, or the error wraps ErrBadSignature. The entries are shared: do not
// modify them.
func readSegment(ctx context.Context, fsys FS, ref SegmentRef) ([]InputInfo, error) {
	return segmentCache.get(ref.SHA256, func() ([]InputInfo, error) {
		name := fsys.URL() + "/" + ref.Path
		data, _, err := ReadFile(ctx, fsys, ref.Path, ref.Size)
		if err != nil {
			return nil, fmt.Errorf("input segment: %w", err)
		}
		if sha256.Sum256(data) != ref.SHA256 {
			return nil, fmt.Errorf("%s: %w: the input segment's SHA-256 does not match the index", name, ErrBadSignature)
		}
		raw, err := segDecoder.DecodeAll(data, make([]byte, 0, ref.RawSize))
		if err != nil || int64(len(raw)) != ref.RawSize {
			if err == nil {
				err = fmt.Errorf("%d bytes, the index says %d", len(raw), ref.RawSize)
			}
			return nil, fmt.Errorf("%s: %w: decompressing: %v", name, ErrBadIndex, err)
		}
		entries, err := decodeSegment(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", name, ErrBadIndex, err)
		}
		return entries, nil
	})
}

// readInputs reads every segment of an index and returns the inputs by path: a later
// segment's entry for a path replaces an earlier one's.
func readInputs(ctx context.Context, fsys FS, refs []SegmentRef) (map[string]*InputInfo, error) {
	out := map[string]*InputInfo{}
	for _, ref := range refs {
		entries, err := readSegment(ctx, fsys, ref)
		if err != nil {
			return nil, err
		}
		for i := range entries {
			in := entries[i]
			out[in.Path] = &in
		}
	}
	return out, nil
}

// sortedInputs returns the inputs of a map in path order.
func sortedInputs(m map[string]*InputInfo) []InputInfo {
	out := make([]InputInfo, 0, len(m))
	for _, in := range m {
		out = append(out, *in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
