//go:build !linux

package db

import "io/fs"

// fileKey identifies a version of a file for the ETag cache. Outside Linux it relies on the
// name, size and modification time only.
type fileKey struct {
	name  string
	size  int64
	mtime int64 // nanoseconds
}

func keyOf(path string, fi fs.FileInfo) fileKey {
	return fileKey{name: path, size: fi.Size(), mtime: fi.ModTime().UnixNano()}
}
