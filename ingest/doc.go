// Package ingest owns the input formats of tables and the conversion of source objects into
// packed blobs: it decompresses inputs (gzip, zstd), cuts their text into rows (ND-JSON and
// other JSON layouts, cloudtrail Records, CSV, TSV), converts each row to an Ion struct by the
// SQL dialect's loading rules and the definition's hints, and packs rows into blobs in
// parallel.
//
// [NewDecoder] reads the rows of one input; [Convert] packs many inputs into blobs of a
// [BlobSink], on all cores, splitting large inputs across workers, rejecting an input with a
// malformed row as a whole (none of its rows reach the output) while the others go on, and
// keeping memory bounded whatever the size of the inputs. [ValidateHints] checks the hints of
// a definition. Faults in an input are [*RowError] values naming the line, column and field.
//
// docs/ingest.md describes the formats, the hints as implemented and the converter's
// guarantees.
package ingest
