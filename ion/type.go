package ion

// Type is an Ion type code: the high nibble of a binary type descriptor.
type Type uint8

// The Ion 1.0 binary type codes. UintType and IntType are the non-negative and negative int
// encodings of the one Ion int type.
const (
	NullType       Type = 0x0 // null.null, or a NOP pad when L != 15
	BoolType       Type = 0x1
	UintType       Type = 0x2 // int, zero or positive
	IntType        Type = 0x3 // int, negative
	FloatType      Type = 0x4
	DecimalType    Type = 0x5
	TimestampType  Type = 0x6
	SymbolType     Type = 0x7
	StringType     Type = 0x8
	ClobType       Type = 0x9
	BlobType       Type = 0xa
	ListType       Type = 0xb
	SexpType       Type = 0xc
	StructType     Type = 0xd
	AnnotationType Type = 0xe // annotation wrapper (and the first byte of a version marker)
	ReservedType   Type = 0xf
)

var typeNames = [16]string{
	"null", "bool", "int", "int", "float", "decimal", "timestamp", "symbol",
	"string", "clob", "blob", "list", "sexp", "struct", "annotation", "reserved",
}

// String returns the Ion name of the type ("int" for both int encodings).
func (t Type) String() string {
	if t > 0xf {
		return "invalid"
	}
	return typeNames[t]
}

// IsContainer reports whether values of the type hold other values (list, sexp, struct).
func (t Type) IsContainer() bool { return t == ListType || t == SexpType || t == StructType }

// bvm is the Ion 1.0 binary version marker.
var bvm = [4]byte{0xe0, 0x01, 0x00, 0xea}

// BVM returns the 4-byte Ion 1.0 binary version marker E0 01 00 EA.
func BVM() []byte { b := bvm; return b[:] }

// IsBVM reports whether b starts with the Ion 1.0 binary version marker.
func IsBVM(b []byte) bool {
	return len(b) >= 4 && b[0] == 0xe0 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0xea
}
