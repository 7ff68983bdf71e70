package db

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"time"

	sha256 "github.com/minio/sha256-simd"
)

// IndexVersion is the version of the index format this package writes and reads
// (docs/index-format.md).
const IndexVersion = 1

// MaxIndexSize bounds the size of an index file a reader accepts. The index lists blobs and
// input segments, not inputs, so it stays far below this for any realistic table.
const MaxIndexSize = 64 << 20

// macSize is the length of the HMAC-SHA256 that ends an index.
const macSize = sha256.Size

var (
	// ErrBadSignature means an index (or a document it references) does not carry a valid
	// signature under the index key: it is missing, truncated, tampered with, or signed with
	// another key. Such an index is never read.
	ErrBadSignature = errors.New("index signature mismatch")
	// ErrBadIndex means a signed index or an input segment is malformed or of an unknown
	// version.
	ErrBadIndex = errors.New("invalid index")
)

// Index is the content of a table's signed index, db/<db>/<table>/index: the packed blobs that
// hold the table's rows, pinned by ETag and trailer hash, and references to the input
// segments that list every input object seen. docs/index-format.md describes the format.
type Index struct {
	// Version is IndexVersion.
	Version int
	// Database and Table name the table the index belongs to; a reader refuses an index
	// found under another table's path (an index copied over another).
	Database, Table string
	// Created is when this version of the index was written.
	Created time.Time
	// Sequence counts the versions of the index: each publication increments it.
	Sequence int64
	// Definition is the SHA-256 of the definition (Definition.Hash) the last sync used.
	Definition [32]byte
	// Blobs are the packed blobs of the table, in the order their blocks are scanned.
	Blobs []BlobInfo
	// Inputs are the input segments: content-addressed objects that together list every
	// input object seen (later segments override earlier entries for the same input).
	Inputs []SegmentRef
	// Dropped are objects that left the index (retention, compaction, merged segments) and
	// when; gc deletes them once they have been unreferenced longer than its grace period.
	Dropped []Dropped
}

// Dropped is an object removed from the index at a given time.
type Dropped struct {
	Path string
	At   time.Time
}

// IndexPath returns "db/<db>/<table>/index".
func IndexPath(db, table string) (string, error) {
	dir, err := TableDir(db, table)
	if err != nil {
		return "", err
	}
	return dir + "/index", nil
}

// Rows returns the number of rows in all blobs.
func (x *Index) Rows() int64 {
	var n int64
	for i := range x.Blobs {
		n += x.Blobs[i].Rows
	}
	return n
}

// Bytes returns the size of all blobs.
func (x *Index) Bytes() int64 {
	var n int64
	for i := range x.Blobs {
		n += x.Blobs[i].Size
	}
	return n
}

// Encode returns the index as an Ion stream (without its signature).
func (x *Index) Encode() []byte {
	var w ionWriter
	w.body.BeginStruct(-1)
	w.int("version", int64(x.Version))
	w.str("database", x.Database)
	w.str("table", x.Table)
	w.time("created", x.Created)
	w.int("sequence", x.Sequence)
	w.blob("definition", x.Definition[:])
	w.field("blobs")
	w.body.BeginList(-1)
	for i := range x.Blobs {
		x.Blobs[i].encode(&w)
	}
	w.body.EndList()
	w.field("inputs")
	w.body.BeginList(-1)
	for i := range x.Inputs {
		x.Inputs[i].encode(&w)
	}
	w.body.EndList()
	if len(x.Dropped) > 0 {
		w.field("dropped")
		w.body.BeginList(-1)
		for _, d := range x.Dropped {
			w.body.BeginStruct(-1)
			w.str("path", d.Path)
			w.time("at", d.At)
			w.body.EndStruct()
		}
		w.body.EndList()
	}
	w.body.EndStruct()
	return w.bytes()
}

// Sign returns the index encoded and signed with key: the Ion stream followed by the
// HMAC-SHA256 of every byte before it.
func (x *Index) Sign(key *[32]byte) []byte {
	return appendMAC(x.Encode(), key)
}

func appendMAC(content []byte, key *[32]byte) []byte {
	m := hmac.New(sha256.New, key[:])
	m.Write(content)
	return m.Sum(content)
}

// verifyMAC checks the signature at the end of data in constant time and returns the signed
// content.
func verifyMAC(data []byte, key *[32]byte) ([]byte, error) {
	if len(data) < macSize {
		return nil, fmt.Errorf("%w: %d bytes cannot hold a signature", ErrBadSignature, len(data))
	}
	content, mac := data[:len(data)-macSize], data[len(data)-macSize:]
	m := hmac.New(sha256.New, key[:])
	m.Write(content)
	if !hmac.Equal(m.Sum(nil), mac) {
		return nil, fmt.Errorf("%w: the HMAC-SHA256 does not match (tampered with, truncated, or signed with another key)", ErrBadSignature)
	}
	return content, nil
}

// DecodeIndex checks the signature of a signed index under key, then parses it. name (the
// file's path or URL) prefixes every error. A bad signature wraps [ErrBadSignature]; a signed
// but malformed index, or one of another version, wraps [ErrBadIndex].
func DecodeIndex(name string, data []byte, key *[32]byte) (*Index, error) {
	if key == nil {
		return nil, fmt.Errorf("%s: %w", name, ErrNoIndexKey)
	}
	if len(data) > MaxIndexSize {
		return nil, fmt.Errorf("%s: %w: %w: %d bytes, limit %d", name, ErrBadIndex, ErrTooLarge, len(data), MaxIndexSize)
	}
	content, err := verifyMAC(data, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	x, err := parseIndex(content)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrBadIndex, err)
	}
	return x, nil
}

// parseIndex parses the Ion content of an index.
func parseIndex(content []byte) (*Index, error) {
	v, st, err := readTop(content)
	if err != nil {
		return nil, err
	}
	x := &Index{Version: -1}
	var have struct{ db, table, created, def, blobs bool }
	err = eachField(v, st, func(name string, f []byte) error {
		var err error
		switch name {
		case "version":
			var n int64
			n, err = ionCount(f, 1<<20)
			x.Version = int(n)
			if err == nil && n != IndexVersion {
				return fmt.Errorf("format version %d (this build reads version %d)", n, IndexVersion)
			}
		case "database":
			x.Database, err = ionString(f)
			have.db = true
		case "table":
			x.Table, err = ionString(f)
			have.table = true
		case "created":
			x.Created, err = ionTime(f)
			have.created = true
		case "sequence":
			x.Sequence, err = ionCount(f, 1<<62)
		case "definition":
			x.Definition, err = ionHash(f)
			have.def = true
		case "blobs":
			have.blobs = true
			err = eachElem(f, func(_ int, e []byte) error {
				b, err := decodeBlobInfo(e, st)
				if err == nil {
					x.Blobs = append(x.Blobs, b)
				}
				return err
			})
		case "inputs":
			err = eachElem(f, func(_ int, e []byte) error {
				s, err := decodeSegmentRef(e, st)
				if err == nil {
					x.Inputs = append(x.Inputs, s)
				}
				return err
			})
		case "dropped":
			err = eachElem(f, func(_ int, e []byte) error {
				var d Dropped
				err := eachField(e, st, func(name string, f []byte) (err error) {
					switch name {
					case "path":
						d.Path, err = ionString(f)
					case "at":
						d.At, err = ionTime(f)
					}
					return err
				})
				if err == nil && ValidPath(d.Path) != nil {
					err = fmt.Errorf("%w: invalid path %q", errStructure, d.Path)
				}
				x.Dropped = append(x.Dropped, d)
				return err
			})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if x.Version != IndexVersion {
		if x.Version < 0 {
			return nil, fmt.Errorf("%w: no version", errStructure)
		}
		return nil, fmt.Errorf("format version %d (this build reads version %d)", x.Version, IndexVersion)
	}
	switch {
	case !have.db, !have.table:
		return nil, fmt.Errorf("%w: no database or table name", errStructure)
	case !have.created:
		return nil, fmt.Errorf("%w: no creation time", errStructure)
	case !have.def:
		return nil, fmt.Errorf("%w: no definition hash", errStructure)
	case !have.blobs:
		return nil, fmt.Errorf("%w: no blob list", errStructure)
	}
	return x, nil
}
