package db

import "errors"

// Sentinel errors that callers test with errors.Is. Errors returned by this package wrap them
// together with the path or URL at fault.
var (
	// ErrETagChanged means an object read pinned to an ETag no longer has that ETag: it was
	// overwritten (or deleted and recreated) since the ETag was observed.
	ErrETagChanged = errors.New("object ETag changed")
	// ErrPrecondition means a conditional [FS.Put] found the object in a state other than the
	// one its condition required (present for [IfAbsent], another ETag or absent for [IfMatch]).
	ErrPrecondition = errors.New("precondition failed")
	// ErrBadPath means a key is not a valid path relative to a root (see [ValidPath]).
	ErrBadPath = errors.New("invalid path")
	// ErrBadRange means a ranged read asked for bytes outside the object.
	ErrBadRange = errors.New("range not satisfiable")
	// ErrTooLarge means an object is larger than the limit the caller set for reading it.
	ErrTooLarge = errors.New("object too large")
	// ErrBadRoot means a root or bucket specification cannot be parsed or names an invalid
	// bucket.
	ErrBadRoot = errors.New("invalid root")
	// ErrBadPattern means an input pattern does not compile.
	ErrBadPattern = errors.New("invalid pattern")
	// ErrBadDefinition means a definition.json is malformed or violates a rule.
	ErrBadDefinition = errors.New("invalid definition")
	// ErrUnknownFormat means an input's format is neither given nor inferable, or is not one
	// of the known formats.
	ErrUnknownFormat = errors.New("unknown input format")
)
