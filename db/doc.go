// Package db owns the storage side of the engine: the small [FS] interface over object storage
// with its two implementations ([DirFS], a local directory, and [S3FS], an S3 bucket through
// aws-sdk-go-v2), roots ([OpenRoot]), a table's definition.json ([Definition]), the input
// patterns that name its source objects ([Pattern], [WalkPattern]), and the table itself: its
// signed index ([Index], [OpenTable], [Table.Source]), the ingestion of new inputs into packed
// blobs ([Sync]), retention and compaction, and the collection of unreferenced blobs ([GC]).
//
// Every object is addressed by a slash-separated key relative to the root of its FS; keys are
// validated by [ValidPath] so that no key can escape the root. Objects carry an ETag (a quoted
// content hash) that readers pin: [FS.ReadRange] refuses with [ErrETagChanged] when the object
// was replaced, and [FS.Put] accepts a condition ([IfAbsent], [IfMatch]) that fails with
// [ErrPrecondition] instead of overwriting a concurrent writer's object.
//
// A table's index is Ion signed with HMAC-SHA256 under the index key ([IndexKey]); it pins each
// blob by ETag and trailer hash and references content-addressed input segments. It is
// replaced only by a conditional put, after every object it references was written, so a sync
// killed at any moment loses and duplicates nothing.
//
// docs/storage.md describes storage, roots and definitions; docs/index-format.md the index,
// sync and gc.
package db
