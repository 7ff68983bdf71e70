// Package output renders query results for clients: a JSON array, ND-JSON (one object per
// line), binary Ion, and CSV. Every format has a documented way to report an error that
// happens after the first rows were written, and the JSON renderings are the original
// daemon's (separators ", " and ": ", timestamps as RFC 3339 strings, NaN and ±Inf as the
// strings "float64:nan", "float64:+inf", "float64:-inf").
package output
