package vm

import (
	"math"
	"math/bits"
)

// Hashing for GROUP BY, DISTINCT, joins and approximate distinct counts. Values that are Equal
// hash the same: an int and a float with the same value (3 and 3.0) hash alike, -0 and 0 alike,
// and a struct's hash does not depend on its field order.

const (
	hashSeed = 0x9e3779b97f4a7c15
	hashMul1 = 0xa0761d6478bd642f
	hashMul2 = 0xe7037ed1a0b428db
)

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a^hashMul1, b^hashMul2)
	return hi ^ lo
}

// HashInt is the hash of an int value (and of an integral float of the same value).
func HashInt(i int64) uint64 { return mix(uint64(i), hashSeed^uint64(KInt)) }

// HashFloat is the hash of a float value.
func HashFloat(f float64) uint64 {
	if f == math.Trunc(f) && f >= -9.223372036854775808e18 && f < 9.223372036854775808e18 {
		return HashInt(int64(f))
	}
	if f != f {
		return mix(0x7ff8000000000001, hashSeed^uint64(KFloat))
	}
	return mix(math.Float64bits(f), hashSeed^uint64(KFloat))
}

// HashBytes is the hash of a string value.
func HashBytes(b []byte) uint64 {
	h := uint64(hashSeed) ^ uint64(len(b))*hashMul2
	for len(b) >= 16 {
		h = mix(h^le64(b), le64(b[8:]))
		b = b[16:]
	}
	if len(b) >= 8 {
		h = mix(h^le64(b), uint64(KString))
		b = b[8:]
	}
	var t uint64
	for i, c := range b {
		t |= uint64(c) << (8 * i)
	}
	return mix(h^t, uint64(len(b))+hashMul1)
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// HashValue hashes any value; Equal values have equal hashes.
func HashValue(v Value) uint64 {
	switch v.k {
	case KMissing:
		return hashSeed
	case KNull:
		return mix(1, hashSeed)
	case KBool:
		return mix(2+v.n, hashSeed)
	case KInt:
		return HashInt(v.Int())
	case KFloat:
		return HashFloat(v.Float())
	case KTime:
		return mix(v.n, hashSeed^uint64(KTime))
	case KString:
		return HashBytes(v.b)
	case KOther:
		return HashBytes(v.b) ^ hashMul1
	case KList:
		h := uint64(hashSeed) ^ uint64(KList)
		for _, x := range v.List() {
			h = mix(h, HashValue(x))
		}
		return h
	case KStruct:
		var h uint64 = hashSeed ^ uint64(KStruct)
		for _, f := range v.Fields() {
			h += mix(HashBytes([]byte(f.Name)), HashValue(f.Value))
		}
		return h
	}
	return 0
}

// HashCombine folds the hash of one more key column into h (for multi-column keys).
func HashCombine(h, x uint64) uint64 { return mix(h, x) }
