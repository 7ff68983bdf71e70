package sql

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// tokKind is the lexical class of a token.
type tokKind uint8

const (
	tEOF       tokKind = iota
	tError             // stands for the text where lexing failed
	tIdent             // an unquoted word that is not a reserved keyword here
	tKeyword           // an unquoted reserved keyword (see keywords)
	tQIdent            // a "double quoted" identifier
	tString            // a 'single quoted' string
	tInt               // an integer literal that fits int64
	tBigInt            // an integer literal outside the int64 range
	tFloat             // a literal with a fraction or an exponent
	tTimestamp         // a `backtick` timestamp literal
	tLParen            // (
	tRParen            // )
	tLBrack            // [
	tRBrack            // ]
	tLBrace            // {
	tRBrace            // }
	tComma             // ,
	tDot               // .
	tColon             // :
	tSemicolon         // ;
	tStar              // *
	tPlus              // +
	tMinus             // -
	tSlash             // /
	tPercent           // %
	tEq                // =
	tNe                // != or <>
	tLt                // <
	tLe                // <=
	tGt                // >
	tGe                // >=
	tAmp               // &
	tPipe              // |
	tCaret             // ^
	tTilde             // ~
	tShl               // <<
	tShr               // >>
	tUshr              // >>>
	tConcat            // ||
	tAppend            // ++
	tBang              // !
	tRegexCI           // ~*
	tLike              // ~~
	tILike             // ~~*
)

// punctText is the source spelling of each operator and punctuation token.
var punctText = [...]string{
	tLParen: "(", tRParen: ")", tLBrack: "[", tRBrack: "]", tLBrace: "{", tRBrace: "}",
	tComma: ",", tDot: ".", tColon: ":", tSemicolon: ";", tStar: "*", tPlus: "+", tMinus: "-",
	tSlash: "/", tPercent: "%", tEq: "=", tNe: "!=", tLt: "<", tLe: "<=", tGt: ">", tGe: ">=",
	tAmp: "&", tPipe: "|", tCaret: "^", tTilde: "~", tShl: "<<", tShr: ">>", tUshr: ">>>",
	tConcat: "||", tAppend: "++", tBang: "!", tRegexCI: "~*", tLike: "~~", tILike: "~~*",
}

// keyword identifies a reserved keyword. Reserved words cannot be bare identifiers; quote them
// ("from") or use them after AS or a dot, where no word is a keyword.
type keyword uint8

const (
	kwNone keyword = iota
	kwAll
	kwAnd
	kwAs
	kwBetween
	kwBy
	kwCase
	kwCast
	kwCross
	kwDistinct
	kwElse
	kwEnd
	kwExists
	kwExplain
	kwFalse
	kwFrom
	kwFull
	kwGroup
	kwHaving
	kwILike
	kwIn
	kwInner
	kwInto
	kwIs
	kwJoin
	kwLeft
	kwLike
	kwLimit
	kwMissing
	kwNot
	kwNull
	kwOffset
	kwOn
	kwOr
	kwOrder
	kwOuter
	kwRight
	kwSelect
	kwSimilar
	kwThen
	kwTrue
	kwUnion
	kwUnpivot
	kwWhen
	kwWhere
	kwWith
	numKeywords
)

// keywordText is the canonical (upper-case) spelling of each reserved keyword.
var keywordText = [numKeywords]string{
	kwAll: "ALL", kwAnd: "AND", kwAs: "AS", kwBetween: "BETWEEN", kwBy: "BY", kwCase: "CASE",
	kwCast: "CAST", kwCross: "CROSS", kwDistinct: "DISTINCT", kwElse: "ELSE", kwEnd: "END",
	kwExists: "EXISTS", kwExplain: "EXPLAIN", kwFalse: "FALSE", kwFrom: "FROM", kwFull: "FULL",
	kwGroup: "GROUP", kwHaving: "HAVING", kwILike: "ILIKE", kwIn: "IN", kwInner: "INNER",
	kwInto: "INTO", kwIs: "IS", kwJoin: "JOIN", kwLeft: "LEFT", kwLike: "LIKE", kwLimit: "LIMIT",
	kwMissing: "MISSING", kwNot: "NOT", kwNull: "NULL", kwOffset: "OFFSET", kwOn: "ON",
	kwOr: "OR", kwOrder: "ORDER", kwOuter: "OUTER", kwRight: "RIGHT", kwSelect: "SELECT",
	kwSimilar: "SIMILAR", kwThen: "THEN", kwTrue: "TRUE", kwUnion: "UNION", kwUnpivot: "UNPIVOT",
	kwWhen: "WHEN", kwWhere: "WHERE", kwWith: "WITH",
}

// keywords maps the upper-case spelling of every reserved keyword to its id.
var keywords = func() map[string]keyword {
	m := make(map[string]keyword, numKeywords)
	for k := kwNone + 1; k < numKeywords; k++ {
		m[keywordText[k]] = k
	}
	return m
}()

// contextualWords are words with a meaning in some position of the grammar that stay usable as
// identifiers everywhere else (ASC, NULLS, FILTER, date parts, ...). The printer quotes them
// like reserved keywords so that its output never depends on the context rules.
var contextualWords = map[string]bool{
	"ASC": true, "DESC": true, "NULLS": true, "FIRST": true, "LAST": true, "ESCAPE": true,
	"TO": true, "AT": true, "FILTER": true, "OVER": true, "PARTITION": true, "LEADING": true,
	"TRAILING": true, "BOTH": true, "FOR": true, "MICROSECOND": true, "MICROSECONDS": true,
	"MILLISECOND": true, "MILLISECONDS": true, "SECOND": true, "MINUTE": true, "HOUR": true,
	"DAY": true, "DOW": true, "DOY": true, "WEEK": true, "MONTH": true, "QUARTER": true,
	"YEAR": true, "MONDAY": true, "TUESDAY": true, "WEDNESDAY": true, "THURSDAY": true,
	"FRIDAY": true, "SATURDAY": true, "SUNDAY": true,
}

// token is one lexical token. Literal values are decoded by the lexer.
type token struct {
	kind tokKind
	kw   keyword // for tKeyword
	// word is set for an unquoted word that may be read as a keyword or a contextual word:
	// not right after AS or a dot and not followed by a path step.
	word bool
	pos  Pos
	text string   // identifier name, decoded string, or the source text of a literal
	i    int64    // tInt, or Unix microseconds for tTimestamp
	f    float64  // tFloat
	big  *big.Int // tBigInt
}

// is reports whether t is the reserved keyword k.
func (t *token) is(k keyword) bool { return t.kind == tKeyword && t.kw == k }

// isWord reports whether t is the unquoted contextual word w (upper case), in a position where
// words may act as keywords.
func (t *token) isWord(w string) bool {
	return t.kind == tIdent && t.word && strings.EqualFold(t.text, w)
}

// describe names the token for error messages: `")"`, `keyword FROM`, `identifier "x"`, ...
func (t *token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tError:
		return "invalid token"
	case tKeyword:
		return "keyword " + keywordText[t.kw]
	case tIdent:
		return "identifier " + strconv.Quote(t.text)
	case tQIdent:
		return "quoted identifier " + strconv.Quote(t.text)
	case tString:
		return "string " + quoteString(abbreviate(t.text))
	case tInt, tBigInt, tFloat:
		return "number " + abbreviate(t.text)
	case tTimestamp:
		return "timestamp " + abbreviate(t.text)
	}
	if int(t.kind) < len(punctText) && punctText[t.kind] != "" {
		return strconv.Quote(punctText[t.kind])
	}
	return fmt.Sprintf("token %d", t.kind)
}

// abbreviate shortens long token text in error messages.
func abbreviate(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "..."
}
