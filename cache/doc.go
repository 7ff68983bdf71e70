// Package cache owns snellerd's block cache: a size-bounded disk cache of the compressed
// column chunks that queries read from packed blobs, so that a chunk read once from S3 is read
// from local disk afterwards.
//
// Entries are keyed by the blob's root, path and ETag and by the byte range within the blob:
// a blob is immutable under one ETag, so an entry never goes stale, and a rewritten blob (a new
// ETag) simply misses. Entries are files under the cache's own directory, written to a
// temporary name and renamed into place, each with a CRC-32C of its content that is checked on
// every read (a damaged entry is dropped and refetched). The least recently used entries are
// evicted when the total size passes the limit. Concurrent misses of one entry share one
// fetch.
//
// The cache only ever deletes files it created: entry files and its own temporary files, named
// by its naming scheme, inside its own directory. Unlike the original daemon it does not wipe
// CACHEDIR at start; it adopts the entries a previous run left and evicts from those.
package cache
