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
// Queries run on the replica that receives them; splitting a query among peers is not done
// yet (peers are discovered and counted, and the internode endpoint authenticates them).
package server
