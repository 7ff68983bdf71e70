package db

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxPathLen is the longest key accepted, S3's limit on object keys in bytes.
const MaxPathLen = 1024

// reservedPrefix starts the names of the files an FS keeps for itself (temporary files and
// the lock of a [DirFS]). Such names are never listed and no valid path has a segment
// starting with it.
const reservedPrefix = ".sneller-"

// ValidPath reports whether p is a valid object key: non-empty, valid UTF-8, at most
// [MaxPathLen] bytes, slash-separated segments that are neither empty, "." nor "..", no NUL
// byte, no leading or trailing '/', and no segment starting with ".sneller-" (reserved for the
// FS's own temporary files). The error wraps [ErrBadPath] and says what is wrong.
func ValidPath(p string) error {
	if p == "" {
		return fmt.Errorf("%w: empty path", ErrBadPath)
	}
	if err := validSegments(p); err != nil {
		return fmt.Errorf("%w %q: %s", ErrBadPath, p, err.Error())
	}
	return nil
}

// validPrefix checks a listing prefix: everything up to its last '/' must be a valid path and
// the rest (a partial segment) must be valid UTF-8 without NUL.
func validPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	dir, last := splitDir(prefix)
	if dir != "" {
		if err := validSegments(dir); err != nil {
			return fmt.Errorf("%w: prefix %q: %s", ErrBadPath, prefix, err.Error())
		}
	} else if strings.HasPrefix(prefix, "/") {
		return fmt.Errorf("%w: prefix %q: leading '/'", ErrBadPath, prefix)
	}
	if !utf8.ValidString(last) || strings.IndexByte(last, 0) >= 0 {
		return fmt.Errorf("%w: prefix %q: invalid character", ErrBadPath, prefix)
	}
	if len(prefix) > MaxPathLen {
		return fmt.Errorf("%w: prefix longer than %d bytes", ErrBadPath, MaxPathLen)
	}
	return nil
}

// splitDir splits p after its last '/': "a/b/c" -> ("a/b", "c"), "c" -> ("", "c"),
// "a/" -> ("a", "").
func splitDir(p string) (dir, last string) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", p
	}
	return p[:i], p[i+1:]
}

func validSegments(p string) error {
	if len(p) > MaxPathLen {
		return fmt.Errorf("longer than %d bytes", MaxPathLen)
	}
	if !utf8.ValidString(p) {
		return fmt.Errorf("not valid UTF-8")
	}
	if p[0] == '/' {
		return fmt.Errorf("leading '/'")
	}
	if p[len(p)-1] == '/' {
		return fmt.Errorf("trailing '/'")
	}
	for seg := range strings.SplitSeq(p, "/") {
		switch {
		case seg == "":
			return fmt.Errorf("empty segment")
		case seg == "." || seg == "..":
			return fmt.Errorf("segment %q", seg)
		case strings.IndexByte(seg, 0) >= 0:
			return fmt.Errorf("NUL byte")
		case strings.HasPrefix(seg, reservedPrefix):
			return fmt.Errorf("segment %q uses the reserved prefix %q", seg, reservedPrefix)
		}
	}
	return nil
}
