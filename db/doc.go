// Package db owns the storage side of the engine: the small [FS] interface over object storage
// with its two implementations ([DirFS], a local directory, and [S3FS], an S3 bucket through
// aws-sdk-go-v2), roots ([OpenRoot]), a table's definition.json ([Definition]) and the input
// patterns that name its source objects ([Pattern], [WalkPattern]).
//
// Every object is addressed by a slash-separated key relative to the root of its FS; keys are
// validated by [ValidPath] so that no key can escape the root. Objects carry an ETag (a quoted
// content hash) that readers pin: [FS.ReadRange] refuses with [ErrETagChanged] when the object
// was replaced, and [FS.Put] accepts a condition ([IfAbsent], [IfMatch]) that fails with
// [ErrPrecondition] instead of overwriting a concurrent writer's object.
//
// docs/storage.md describes the semantics in detail.
package db
