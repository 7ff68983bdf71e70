// Package pack owns the packed blob format (version 1, documented in docs/format.md): a
// blob is a run of independently readable blocks; inside a block every top-level field, and
// every field of a nested struct, is its own zstd-compressed column chunk, holding typed lanes
// (ints, floats, timestamps, bools, strings — dictionary-coded when that pays — and encoded
// Ion for anything else), so a query decompresses only the columns it touches and scans typed
// vectors directly. A trailer lists the blocks, their columns, per-column statistics (value
// ranges per type, null and missing counts) and a SHA-256 of every compressed chunk, so a
// reader verifies exactly the bytes it reads.
//
// BlockBuilder shreds rows into a block, Writer appends blocks and the trailer, and Blob reads
// a blob as a vm.Source. Rows round-trip exactly, except that a struct's fields may come back
// in another order.
package pack
