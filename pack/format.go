package pack

// Format constants of packed blobs, version 1.
const (
	// Version is the format version written in the header and the trailer.
	Version = 1
	// headerMagic starts every blob; footerMagic ends it.
	headerMagic = "SNPACK\x00\x01"
	footerMagic = "SNPKEND1"
	// headerSize is the size of the fixed header: magic (8) + version (4) + reserved (4).
	headerSize = 16
	// footerSize is the size of the fixed footer: trailer length (8) + magic (8).
	footerSize = 16
)

// Lane bits of a column chunk, in the order their sections appear.
const (
	laneNull uint16 = 1 << iota
	laneBool
	laneInt
	laneFloat
	laneTime
	laneStr
	laneIon
	laneStruct
	laneList
	laneCount = 9
)

var laneNames = [laneCount]string{"null", "bool", "int", "float", "time", "string", "ion", "struct", "list"}

// elemSeg is the path segment of the element column of a list column: the elements of every
// row's list, one element per row of that column. Field names are stored escaped (a name that
// starts with a NUL byte gets one more), so no field name can collide with it.
const elemSeg = "\x00[]"

func escapeSeg(name string) string {
	if len(name) > 0 && name[0] == 0 {
		return "\x00" + name
	}
	return name
}

// unescapeSeg returns the field name of a stored path segment, and false for an element
// segment.
func unescapeSeg(seg string) (string, bool) {
	if seg == elemSeg {
		return "", false
	}
	if len(seg) > 1 && seg[0] == 0 && seg[1] == 0 {
		return seg[1:], true
	}
	return seg, true
}

// Limits of a block.
const (
	// DefaultBlockRows is the number of rows after which a block is closed.
	DefaultBlockRows = 1 << 16
	// DefaultBlockBytes is the uncompressed column data after which a block is closed.
	DefaultBlockBytes = 48 << 20
	// maxShredDepth is the struct nesting depth below which fields become their own columns;
	// deeper structs stay Ion values.
	maxShredDepth = 8
	// maxFields bounds the distinct fields of one struct that are shredded into columns in a
	// block; the fields past it (maps with arbitrary keys) stay inside an Ion value.
	maxFields = 512
	// maxDict is the largest dictionary of a string lane (codes are uint16).
	maxDict = 1 << 16
	// statPrefix is the length of the string prefix kept as a column's minimum and maximum.
	statPrefix = 64
)

func pad8(n int) int  { return (n + 7) &^ 7 }
func pad64(n int) int { return (n + 63) &^ 63 }
func words(n int) int { return (n + 63) >> 6 }
