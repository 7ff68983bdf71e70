package db

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// IndexKeyEnv is the environment variable holding the index key: the standard base64
// encoding of 32 bytes.
const IndexKeyEnv = "SNELLER_INDEX_KEY"

// indexKeyFile is the file, at the top of a local root, that keeps the root's index key when
// SNELLER_INDEX_KEY is not set. Its name is reserved (never listed, never addressable through
// the FS), and it holds the key in the form SNELLER_INDEX_KEY takes.
const indexKeyFile = reservedPrefix + "index-key"

var (
	// ErrNoIndexKey means no index key is available for a root: SNELLER_INDEX_KEY is not set
	// and the root is not a local directory (which would keep its own key).
	ErrNoIndexKey = errors.New("no index key")
	// ErrBadIndexKey means an index key is not the standard base64 encoding of 32 bytes, or
	// its key file is unsafe.
	ErrBadIndexKey = errors.New("invalid index key")
)

// ParseIndexKey decodes an index key written as SNELLER_INDEX_KEY takes it: the standard
// base64 encoding (with padding) of exactly 32 bytes, surrounding white space ignored.
func ParseIndexKey(s string) (*[32]byte, error) {
	s = strings.TrimSpace(s)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: not standard base64: %v", ErrBadIndexKey, err)
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("%w: %d bytes, want 32 (generate one with: head -c32 /dev/urandom | base64)", ErrBadIndexKey, len(b))
	}
	var k [32]byte
	copy(k[:], b)
	return &k, nil
}

// FormatIndexKey returns the key as SNELLER_INDEX_KEY takes it.
func FormatIndexKey(k *[32]byte) string { return base64.StdEncoding.EncodeToString(k[:]) }

// Unwrapper is implemented by an FS that wraps another (the fault injector of package dbtest);
// IndexKey looks through it for a local directory.
type Unwrapper interface {
	Inner() FS
}

// IndexKey returns the key that signs and verifies the indexes of the root fsys:
// SNELLER_INDEX_KEY when it is set; otherwise, for a local directory, the key kept in the file
// ".sneller-index-key" at its top, created with 32 random bytes (mode 0600) on first use. An
// S3 root without SNELLER_INDEX_KEY is an error wrapping [ErrNoIndexKey]: unlike the original,
// which then skipped the check, indexes are never read unverified.
func IndexKey(ctx context.Context, fsys FS) (*[32]byte, error) {
	if v, ok := os.LookupEnv(IndexKeyEnv); ok {
		k, err := ParseIndexKey(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", IndexKeyEnv, err)
		}
		return k, nil
	}
	for {
		if d, ok := fsys.(*DirFS); ok {
			return d.indexKey(ctx)
		}
		u, ok := fsys.(Unwrapper)
		if !ok {
			break
		}
		fsys = u.Inner()
	}
	return nil, fmt.Errorf("%w for %s: set %s to the standard base64 encoding of 32 random bytes", ErrNoIndexKey, fsys.URL(), IndexKeyEnv)
}

// indexKey reads the directory's key file, creating it if absent. Two processes creating it
// at once agree on one key: each writes a private temporary file and links it to the final
// name, which fails for all but the first.
func (d *DirFS) indexKey(ctx context.Context) (*[32]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	name := d.dir + string(os.PathSeparator) + indexKeyFile
	k, err := d.readKeyFile(name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	var suffix [8]byte
	rand.Read(suffix[:])
	tmp := tmpPrefix + "key-" + hex.EncodeToString(suffix[:])
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("creating the index key file %s: %w", name, err)
	}
	_, err = f.WriteString(FormatIndexKey(&key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.root.Link(tmp, indexKeyFile)
		if errors.Is(err, fs.ErrExist) {
			err = nil // another process won: use its key
		}
	}
	d.root.Remove(tmp)
	if err != nil {
		return nil, fmt.Errorf("creating the index key file %s: %w", name, err)
	}
	d.syncDir(".")
	return d.readKeyFile(name)
}

func (d *DirFS) readKeyFile(name string) (*[32]byte, error) {
	f, err := d.root.Open(indexKeyFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w: not a regular file", name, ErrBadIndexKey)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s: %w: mode %v lets other users read or change the key (chmod 600 it)", name, ErrBadIndexKey, fi.Mode().Perm())
	}
	var buf [128]byte
	n, _ := f.Read(buf[:])
	k, err := ParseIndexKey(string(bytes.TrimSpace(buf[:n])))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}
