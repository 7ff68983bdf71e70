//go:build linux

package db

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// The ETag of a local file is also kept in an extended attribute, so that a new process need
// not hash a large blob again to serve a read pinned to its ETag. The attribute records the
// inode, size and modification time it was computed for; any write changes the size or the
// modification time, and then the attribute is ignored (and replaced). A file system without
// user attributes just hashes, as before.
const etagXattr = "user.sneller.etag"

// storedETag returns the ETag kept on f when it is still valid for k.
func storedETag(f *os.File, k fileKey) (string, bool) {
	var buf [160]byte
	n, err := unix.Fgetxattr(int(f.Fd()), etagXattr, buf[:])
	if err != nil || n <= 0 {
		return "", false
	}
	parts := strings.SplitN(string(buf[:n]), " ", 4)
	if len(parts) != 4 || parts[0] != strconv.FormatUint(k.ino, 10) ||
		parts[1] != strconv.FormatInt(k.size, 10) || parts[2] != strconv.FormatInt(k.mtime, 10) {
		return "", false
	}
	return parts[3], true
}

// storeETag records etag on f for the version k (errors are ignored: the attribute is a cache).
func storeETag(f *os.File, k fileKey, etag string) {
	v := strconv.FormatUint(k.ino, 10) + " " + strconv.FormatInt(k.size, 10) + " " + strconv.FormatInt(k.mtime, 10) + " " + etag
	unix.Fsetxattr(int(f.Fd()), etagXattr, []byte(v), 0)
}
