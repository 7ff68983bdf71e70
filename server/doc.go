// Package server owns snellerd's HTTP service: the routes of the query API (/query and its
// alias /executeQuery, /databases, /tables, /inputs, /, /ping, /metrics), bearer-token
// authentication through package auth, the streaming of results in the formats of package
// output, the status codes and in-stream error records clients rely on, resource limits
// (concurrent queries, per-query timeout and memory, request size, per-tenant scan limit),
// metrics and structured logs, graceful shutdown, peer discovery and the authenticated
// internode listener.
//
// Tables are reached through a [Catalog]; the daemon's catalog reads the signed table indexes
// of package db. Blobs are read through the block cache of package cache.
//
// With peers, a query whose plan has a distributable fragment is split among them
// (distribute.go): this replica scans its share of the blocks, the peers run theirs through the
// internode endpoint (internode_fragment.go), and their partial results are merged here.
package server
