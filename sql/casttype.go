package sql

import "strings"

// CastType is the target type of CAST(e AS T).
type CastType uint8

// Cast target types.
const (
	CastInvalid   CastType = iota
	CastInteger            // INTEGER, INT, BIGINT
	CastFloat              // FLOAT, DOUBLE, REAL
	CastBoolean            // BOOLEAN, BOOL
	CastString             // STRING, VARCHAR, TEXT
	CastTimestamp          // TIMESTAMP
	CastStruct             // STRUCT
	CastList               // LIST
	CastDecimal            // DECIMAL
	CastSymbol             // SYMBOL
	CastNull               // NULL
	CastMissing            // MISSING
	numCastTypes
)

var castTypeText = [numCastTypes]string{
	CastInteger: "INTEGER", CastFloat: "FLOAT", CastBoolean: "BOOLEAN", CastString: "STRING",
	CastTimestamp: "TIMESTAMP", CastStruct: "STRUCT", CastList: "LIST", CastDecimal: "DECIMAL",
	CastSymbol: "SYMBOL", CastNull: "NULL", CastMissing: "MISSING",
}

// castSynonyms maps the accepted alternative spellings to their type.
var castSynonyms = map[string]CastType{
	"INT": CastInteger, "BIGINT": CastInteger, "DOUBLE": CastFloat, "REAL": CastFloat,
	"BOOL": CastBoolean, "VARCHAR": CastString, "TEXT": CastString,
}

// String returns the canonical SQL name of the type.
func (t CastType) String() string {
	if t < numCastTypes && castTypeText[t] != "" {
		return castTypeText[t]
	}
	return "?"
}

// lookupCastType recognises a type name in any case.
func lookupCastType(s string) CastType {
	u := strings.ToUpper(s)
	for t := CastInteger; t < numCastTypes; t++ {
		if castTypeText[t] == u {
			return t
		}
	}
	return castSynonyms[u]
}
