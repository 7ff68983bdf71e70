package cache

import (
	"cmp"
	"container/list"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Key identifies a cached byte range of a blob.
type Key struct {
	Root string // the URL of the blob's FS
	Path string // the blob's path within it
	ETag string // the blob's ETag: the version whose bytes are cached
	Off  int64  // the first byte of the range
	Len  int64  // the length of the range
}

// name is the entry's file name stem: the hex SHA-256 of the key's fields.
func (k Key) name() string {
	h := sha256.New()
	for _, s := range []string{k.Root, k.Path, k.ETag, strconv.FormatInt(k.Off, 10), strconv.FormatInt(k.Len, 10)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Entry file format: a 16-byte header (magic, CRC-32C of the content, reserved zero) and the
// content.
const (
	headerSize = 16
	magic      = "SNBLKC01"
	entryExt   = ".blk"
	tmpPrefix  = ".tmp-"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Stats are the cache's counters since Open.
type Stats struct {
	Hits, Misses int64 // lookups served from disk / fetched
	Evictions    int64 // entries removed to stay within the limit
	WriteErrors  int64 // entries that could not be stored (the data was still returned)
	Entries      int64 // entries now
	Bytes        int64 // content bytes now
	Limit        int64 // the size limit
}

// Cache is a disk cache of byte ranges. It is safe for concurrent use.
type Cache struct {
	dir      string
	limit    int64
	maxEntry int64

	mu       sync.Mutex
	lru      list.List // of *entry, most recently used at the front
	items    map[string]*list.Element
	size     int64
	inflight map[string]*call

	hits, misses, evictions, writeErrors atomic.Int64
}

type entry struct {
	name string
	size int64 // content bytes
}

type call struct {
	done chan struct{}
	data []byte
	err  error
}

// Open opens (creating it if needed) the cache in dir with a limit of limit content bytes,
// adopting the entries a previous run left there. Entries larger than an eighth of the limit
// are not cached.
func Open(dir string, limit int64) (*Cache, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("cache %s: the size limit must be positive", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	c := &Cache{dir: dir, limit: limit, maxEntry: max(limit/8, 1), items: map[string]*list.Element{}, inflight: map[string]*call{}}
	if err := c.adopt(); err != nil {
		return nil, err
	}
	return c, nil
}

// Dir returns the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// Stats returns the counters.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	n, b := int64(c.lru.Len()), c.size
	c.mu.Unlock()
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Evictions: c.evictions.Load(),
		WriteErrors: c.writeErrors.Load(), Entries: n, Bytes: b, Limit: c.limit}
}

func (c *Cache) path(name string) string {
	return filepath.Join(c.dir, name[:2], name+entryExt)
}

// Get returns the bytes of key, from the cache or, on a miss, from fill (whose result is then
// stored). hit reports whether the cache served it. Concurrent Gets of one key share one fill.
// The returned slice belongs to the caller.
func (c *Cache) Get(ctx context.Context, key Key, fill func(ctx context.Context) ([]byte, error)) (data []byte, hit bool, err error) {
	name := key.name()
	for {
		c.mu.Lock()
		if el, ok := c.items[name]; ok {
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			if b, ok := c.read(name); ok {
				c.hits.Add(1)
				return b, true, nil
			}
			c.mu.Lock()
		}
		if cl, ok := c.inflight[name]; ok {
			c.mu.Unlock()
			select {
			case <-cl.done:
			case <-ctx.Done():
				return nil, false, ctx.Err()
			}
			if cl.err != nil && isContextErr(cl.err) && ctx.Err() == nil {
				continue // the fetching request went away; fetch for ourselves
			}
			if cl.err != nil {
				return nil, false, cl.err
			}
			c.hits.Add(1)
			return append([]byte(nil), cl.data...), true, nil
		}
		cl := &call{done: make(chan struct{})}
		c.inflight[name] = cl
		c.mu.Unlock()

		c.misses.Add(1)
		cl.data, cl.err = fill(ctx)
		if cl.err == nil && int64(len(cl.data)) <= c.maxEntry {
			if err := c.store(name, cl.data); err != nil {
				c.writeErrors.Add(1)
			}
		}
		c.mu.Lock()
		delete(c.inflight, name)
		c.mu.Unlock()
		close(cl.done)
		if cl.err != nil {
			return nil, false, cl.err
		}
		return append([]byte(nil), cl.data...), false, nil
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// read returns an entry's content, or false when the file is gone (evicted meanwhile) or
// damaged (then the entry is dropped).
func (c *Cache) read(name string) ([]byte, bool) {
	b, err := os.ReadFile(c.path(name))
	if err == nil {
		if content, ok := verify(b); ok {
			return content, true
		}
	}
	c.mu.Lock()
	if el, ok := c.items[name]; ok {
		c.removeLocked(el)
	}
	c.mu.Unlock()
	return nil, false
}

// verify checks an entry file's header and CRC and returns its content.
func verify(b []byte) ([]byte, bool) {
	if len(b) < headerSize || string(b[:8]) != magic {
		return nil, false
	}
	content := b[headerSize:]
	if crc32.Checksum(content, castagnoli) != binary.LittleEndian.Uint32(b[8:12]) {
		return nil, false
	}
	return content, true
}

// store writes an entry file and records it, evicting as needed.
func (c *Cache) store(name string, data []byte) error {
	final := c.path(name)
	sub := filepath.Dir(final)
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return err
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(sub, tmpPrefix+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	var h [headerSize]byte
	copy(h[:], magic)
	binary.LittleEndian.PutUint32(h[8:], crc32.Checksum(data, castagnoli))
	_, err = f.Write(h[:])
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[name]; ok { // raced with another store of the same key
		c.lru.MoveToFront(el)
		return nil
	}
	c.items[name] = c.lru.PushFront(&entry{name: name, size: int64(len(data))})
	c.size += int64(len(data))
	c.evictLocked()
	return nil
}

// evictLocked removes least recently used entries until the size is within the limit.
func (c *Cache) evictLocked() {
	for c.size > c.limit {
		el := c.lru.Back()
		if el == nil {
			return
		}
		c.removeLocked(el)
		c.evictions.Add(1)
	}
}

// removeLocked forgets an entry and deletes its file.
func (c *Cache) removeLocked(el *list.Element) {
	e := el.Value.(*entry)
	c.lru.Remove(el)
	delete(c.items, e.name)
	c.size -= e.size
	os.Remove(c.path(e.name))
}

// isEntryName reports whether a file name is one of the cache's entry files (64 lower-case hex
// digits and the extension) and returns its stem.
func isEntryName(n string) (string, bool) {
	stem, ok := strings.CutSuffix(n, entryExt)
	if !ok || len(stem) != 64 {
		return "", false
	}
	for _, c := range []byte(stem) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", false
		}
	}
	return stem, true
}

// isTmpName reports whether a file name is one of the cache's temporary files.
func isTmpName(n string) bool {
	rest, ok := strings.CutPrefix(n, tmpPrefix)
	if !ok || len(rest) != 16 {
		return false
	}
	_, err := hex.DecodeString(rest)
	return err == nil
}

// isShardName reports whether a directory name is one of the cache's two-hex-digit shards.
func isShardName(n string) bool {
	if len(n) != 2 {
		return false
	}
	for _, c := range []byte(n) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// adopt records the entries left by a previous run (oldest first, so that they are evicted
// first), removes its stale temporary files, and evicts down to the limit. Files and
// directories that do not follow the naming scheme are left alone.
func (c *Cache) adopt() error {
	shards, err := os.ReadDir(c.dir)
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	type found struct {
		name string
		size int64
		mod  int64
	}
	var all []found
	for _, sd := range shards {
		if !sd.IsDir() || !isShardName(sd.Name()) {
			continue
		}
		sub := filepath.Join(c.dir, sd.Name())
		files, err := os.ReadDir(sub)
		if err != nil {
			return fmt.Errorf("cache: %w", err)
		}
		for _, f := range files {
			if !f.Type().IsRegular() {
				continue
			}
			if isTmpName(f.Name()) {
				os.Remove(filepath.Join(sub, f.Name())) // a write interrupted by a crash
				continue
			}
			stem, ok := isEntryName(f.Name())
			if !ok || stem[:2] != sd.Name() {
				continue
			}
			fi, err := f.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return fmt.Errorf("cache: %w", err)
			}
			if fi.Size() < headerSize {
				os.Remove(filepath.Join(sub, f.Name()))
				continue
			}
			all = append(all, found{name: stem, size: fi.Size() - headerSize, mod: fi.ModTime().UnixNano()})
		}
	}
	slices.SortStableFunc(all, func(a, b found) int { return cmp.Compare(a.mod, b.mod) })
	for _, f := range all {
		c.items[f.name] = c.lru.PushFront(&entry{name: f.name, size: f.size})
		c.size += f.size
	}
	c.evictLocked()
	return nil
}
