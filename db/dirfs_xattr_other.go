//go:build !linux

package db

import "os"

func storedETag(f *os.File, k fileKey) (string, bool) { return "", false }

func storeETag(f *os.File, k fileKey, etag string) {}
