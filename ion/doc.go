// Package ion owns the Amazon Ion 1.0 binary encoding as the rest of the engine uses it: the
// interchange format of the index, block headers, partial results between peers and the
// application/ion query output.
//
// It provides, from the lowest level up:
//
//   - Encoding primitives and a zero-allocation cursor over []byte: [ReadHead] decodes the
//     type descriptor and length of a value, the Read* functions ([ReadInt], [ReadFloat],
//     [ReadStringBytes], [ReadTimestamp], ...) decode scalars without allocating (strings and
//     blobs come back as sub-slices of the input), and [FieldIter] and [ElemIter] walk the
//     fields of a struct and the elements of a list or sexp without building a tree. NOP pads
//     are skipped transparently.
//   - [Symtab]: the symbol table (system symbols plus local symbols), with fast interning,
//     marshalling as a full or appended local symbol table, and unmarshalling of either form.
//   - [Buffer]: the writer, producing the shortest encodings, with back-patched container
//     lengths.
//   - [Reader]: a stream reader over a whole Ion byte stream (version markers, local symbol
//     tables new and appended, top-level NOP pads) yielding each top-level user value.
//   - [Datum]: a value tree for every Ion type, with Ion data-model equivalence ([Datum.Equal]),
//     for tools and tests.
//   - JSON → Ion ([JSONDecoder], [FromJSON]) following the SQL dialect's loading rules, and
//     Ion → JSON ([AppendJSON], [JSONWriter]) for the HTTP output.
//
// Every function that reads bytes bounds-checks them and reports malformed input as a
// *[SyntaxError] carrying the byte offset relative to the slice it was given; callers add their
// own base offset with [AddOffset]. Nothing panics on bad input, loops without progress, or
// allocates more than a small multiple of the input. docs/ion.md describes the supported subset
// and the JSON mapping in detail.
package ion
