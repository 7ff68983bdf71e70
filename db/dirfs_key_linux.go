package db

import (
	"io/fs"
	"syscall"
)

// fileKey identifies a version of a file for the ETag cache: any write to the file, in place
// or by rename, changes the inode, the size, or the modification or change time.
type fileKey struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64 // nanoseconds
}

func keyOf(_ string, fi fs.FileInfo) fileKey {
	k := fileKey{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		k.dev = uint64(st.Dev)
		k.ino = st.Ino
		k.ctime = st.Ctim.Nano()
	}
	return k
}
