package server

import (
	"hash/fnv"
	"strconv"
)

// Rendezvous (highest random weight) hashing assigns each block of a distributed query to one
// node: the node whose hash combined with the block's key is the highest. Every coordinator
// that sees the same nodes makes the same choice, so a block keeps hitting the same replica's
// block cache; when a node leaves, only its blocks move (each to the node with the next
// highest weight), and a node that joins takes about 1/n of the blocks from the others.
// A block's key is the ETag of its blob and its position in the blob: the identity of its
// bytes, whatever index lists them.

// blockKey is the hash of a block's identity.
func blockKey(etag string, block int) uint64 {
	h := fnv.New64a()
	h.Write([]byte(etag))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(block)))
	return h.Sum64()
}

// nodeKey is the hash of a node's name (its internode address).
func nodeKey(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// weight combines a node's and a block's hashes (the splitmix64 finalizer, so that every bit
// of both affects the order).
func weight(node, block uint64) uint64 {
	z := node ^ (block * 0x9e3779b97f4a7c15)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// rendezvous returns, for each block key, the index in nodes of the node it belongs to.
// Ties (equal weights) go to the smaller name, so the choice never depends on the order of
// nodes.
func rendezvous(nodes []string, blocks []uint64) []int {
	keys := make([]uint64, len(nodes))
	for i, n := range nodes {
		keys[i] = nodeKey(n)
	}
	out := make([]int, len(blocks))
	for j, b := range blocks {
		best := -1
		var bw uint64
		for i, k := range keys {
			w := weight(k, b)
			if best < 0 || w > bw || (w == bw && nodes[i] < nodes[best]) {
				best, bw = i, w
			}
		}
		out[j] = best
	}
	return out
}
