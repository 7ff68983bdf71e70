package db

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"unicode/utf8"
)

// listBatch is the number of consecutive files of a directory whose ETags List computes
// concurrently before calling fn for them.
const listBatch = 64

// errListDone ends a walk once keys sort past the prefix.
var errListDone = errors.New("list done")

// List implements [FS.List]. It walks the directory tree depth-first, visiting each
// directory's entries sorted so that a directory "d" sorts as "d/": the resulting key order is
// lexical. Only the directories that can hold keys in the requested range are read. Symbolic
// links to regular files inside the root are listed; links to directories are not followed.
func (d *DirFS) List(ctx context.Context, prefix, startAfter string, fn func(FileInfo) error) error {
	if err := validPrefix(prefix); err != nil {
		return &fs.PathError{Op: "list", Path: d.URL() + "/" + prefix, Err: err}
	}
	w := &dirWalk{d: d, ctx: ctx, prefix: prefix, after: startAfter, fn: fn}
	dir, _ := splitDir(prefix)
	err := w.walk(dir)
	if err == errListDone {
		return nil
	}
	return err
}

type dirWalk struct {
	d      *DirFS
	ctx    context.Context
	prefix string
	after  string
	fn     func(FileInfo) error
}

type dirEnt struct {
	key  string // object key, or directory key with a trailing '/'
	dir  bool
	link bool
	ent  fs.DirEntry
}

func (w *dirWalk) walk(dir string) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	f, err := w.d.root.Open(filepath.FromSlash(dirOrDot(dir)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || isNotDir(err) {
			return nil
		}
		return w.d.pathErr("list", dir, err)
	}
	ents, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return w.d.pathErr("list", dir, err)
	}
	list := make([]dirEnt, 0, len(ents))
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, reservedPrefix) || !utf8.ValidString(name) {
			continue
		}
		key := joinKey(dir, name)
		switch t := e.Type(); {
		case t.IsDir():
			list = append(list, dirEnt{key: key + "/", dir: true, ent: e})
		case t.IsRegular():
			list = append(list, dirEnt{key: key, ent: e})
		case t&fs.ModeSymlink != 0:
			list = append(list, dirEnt{key: key, link: true, ent: e})
		}
	}
	slices.SortFunc(list, func(a, b dirEnt) int { return strings.Compare(a.key, b.key) })

	var batch []dirEnt
	done := false
	for _, e := range list {
		if !w.mayHold(e) {
			if e.key > w.prefix {
				// Keys sort past the prefix range from here on, in this directory and
				// in every later one.
				done = true
				break
			}
			continue
		}
		if e.dir {
			if e.key < w.after && !strings.HasPrefix(w.after, e.key) {
				continue // every key below sorts before startAfter
			}
			if err := w.flush(batch); err != nil {
				return err
			}
			batch = batch[:0]
			if err := w.walk(strings.TrimSuffix(e.key, "/")); err != nil {
				return err
			}
			continue
		}
		if e.key <= w.after || len(e.key) > MaxPathLen {
			continue
		}
		batch = append(batch, e)
		if len(batch) == listBatch {
			if err := w.flush(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if err := w.flush(batch); err != nil {
		return err
	}
	if done {
		return errListDone
	}
	return nil
}

// mayHold reports whether the entry is, or for a directory may contain, a key that has the
// prefix and sorts after startAfter.
func (w *dirWalk) mayHold(e dirEnt) bool {
	if !e.dir {
		return strings.HasPrefix(e.key, w.prefix)
	}
	// Every key below the directory has e.key as a prefix.
	if !strings.HasPrefix(e.key, w.prefix) && !strings.HasPrefix(w.prefix, e.key) {
		return false
	}
	return true
}

// flush computes the FileInfo of the files of batch concurrently and calls fn for each, in
// order. Files that vanished meanwhile, and symbolic links that do not lead to a regular file
// inside the root, are skipped.
func (w *dirWalk) flush(batch []dirEnt) error {
	if len(batch) == 0 {
		return nil
	}
	infos := make([]FileInfo, len(batch))
	errs := make([]error, len(batch))
	workers := min(runtime.GOMAXPROCS(0), 4, len(batch))
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(batch) {
					return
				}
				infos[i], errs[i] = w.info(batch[i])
			}
		})
	}
	wg.Wait()
	for i := range batch {
		if err := errs[i]; err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, errSkip) {
				continue
			}
			if ctxErr := w.ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			return w.d.pathErr("list", batch[i].key, err)
		}
		if err := w.fn(infos[i]); err != nil {
			return err
		}
	}
	return nil
}

// errSkip marks a directory entry that is not an object.
var errSkip = errors.New("not an object")

// info returns the FileInfo of one listed file, from the ETag cache when its identity is known.
func (w *dirWalk) info(e dirEnt) (FileInfo, error) {
	name := filepath.FromSlash(e.key)
	var fi fs.FileInfo
	var err error
	if e.link {
		fi, err = w.d.root.Stat(name) // follows the link, refusing escapes
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return FileInfo{}, err
			}
			return FileInfo{}, errSkip
		}
	} else {
		fi, err = e.ent.Info()
		if err != nil {
			return FileInfo{}, err
		}
	}
	if !fi.Mode().IsRegular() {
		return FileInfo{}, errSkip
	}
	if etag, ok := w.d.etags.get(keyOf(e.key, fi)); ok {
		return FileInfo{Path: e.key, Size: fi.Size(), ETag: etag, ModTime: fi.ModTime()}, nil
	}
	f, err := w.d.root.Open(name)
	if err != nil {
		if isNotDir(err) {
			return FileInfo{}, fs.ErrNotExist
		}
		return FileInfo{}, err
	}
	defer f.Close()
	return w.d.infoOf(w.ctx, e.key, f)
}

func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }
