package sql

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"
)

// lexKinds lexes src and returns the token kinds without the final EOF.
func lexKinds(t *testing.T, src string) []token {
	t.Helper()
	toks, err := lex(src)
	if err != nil {
		t.Fatalf("lex(%q): %v", src, err)
	}
	if last := toks[len(toks)-1]; last.kind != tEOF {
		t.Fatalf("lex(%q): last token is %s, not EOF", src, last.describe())
	}
	return toks[:len(toks)-1]
}

func TestLexOperators(t *testing.T) {
	// Every operator in sql-dialect.md §1 and the punctuation, separated and run together.
	ops := []struct {
		text string
		kind tokKind
	}{
		{"=", tEq}, {"!=", tNe}, {"<>", tNe}, {"<", tLt}, {"<=", tLe}, {">", tGt}, {">=", tGe},
		{"+", tPlus}, {"-", tMinus}, {"*", tStar}, {"/", tSlash}, {"%", tPercent},
		{"&", tAmp}, {"|", tPipe}, {"^", tCaret}, {"~", tTilde}, {"<<", tShl}, {">>", tShr},
		{">>>", tUshr}, {"||", tConcat}, {"++", tAppend}, {"!", tBang}, {"~*", tRegexCI},
		{"~~", tLike}, {"~~*", tILike}, {"(", tLParen}, {")", tRParen}, {"[", tLBrack},
		{"]", tRBrack}, {"{", tLBrace}, {"}", tRBrace}, {",", tComma}, {".", tDot},
		{":", tColon}, {";", tSemicolon},
	}
	for _, op := range ops {
		toks := lexKinds(t, "a "+op.text+" b")
		if len(toks) != 3 || toks[1].kind != op.kind {
			t.Errorf("%q: got %v", op.text, kindsOf(toks))
		}
		toks = lexKinds(t, "a"+op.text+"b")
		if len(toks) != 3 || toks[1].kind != op.kind {
			t.Errorf("%q without spaces: got %v", op.text, kindsOf(toks))
		}
	}
}

func kindsOf(toks []token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.describe())
	}
	return out
}

func TestLexKeywords(t *testing.T) {
	tests := []struct {
		src  string
		idx  int  // which token to look at
		kw   bool // is it a reserved keyword?
		text string
	}{
		{"select", 0, true, "select"},
		{"SeLeCt", 0, true, "SeLeCt"},
		{"FROM", 0, true, "FROM"},
		{"x AS from", 2, false, "from"},        // the word after AS is never a keyword
		{"x as Select", 2, false, "Select"},    // in any case
		{"x.count", 2, false, "count"},         // not a keyword anyway
		{"x.from", 2, false, "from"},           // the word after a dot is never a keyword
		{"x . null", 2, false, "null"},         // even with spaces
		{"order.id", 0, false, "order"},        // a dot after the word makes it a path
		{"order[0]", 0, false, "order"},        // so does a bracket
		{"null", 0, true, "null"},              // end of input counts as a separator
		{"null)", 0, true, "null"},             // ) is a separator
		{"not(", 0, true, "not"},               // ( is a separator
		{"null,", 0, true, "null"},             // , is a separator
		{"null=", 0, true, "null"},             // = < > ! ~ are separators
		{"true<>", 0, true, "true"},            //
		{"selected", 0, false, "selected"},     // a longer word is not the keyword
		{"x AS \"from\"", 2, false, "from"},    // quoted identifiers are never keywords
		{"\"select\"", 0, false, "select"},     //
		{"x AS a.b", 2, false, "a"},            //
		{"unpivot x as v at k", 5, false, "k"}, // AT is contextual, k is a name
	}
	for _, tc := range tests {
		toks := lexKinds(t, tc.src)
		if tc.idx >= len(toks) {
			t.Errorf("%q: only %d tokens", tc.src, len(toks))
			continue
		}
		tok := toks[tc.idx]
		if (tok.kind == tKeyword) != tc.kw || tok.text != tc.text {
			t.Errorf("%q token %d: got %s (keyword=%v), want text %q keyword=%v", tc.src, tc.idx, tok.describe(), tok.kind == tKeyword, tok.text, tc.kw)
		}
	}
}

func TestLexContextualWords(t *testing.T) {
	// Contextual words are identifiers that the parser may read as keywords only where the
	// keyword rules allow it (the word flag).
	toks := lexKinds(t, "desc x.desc y AS desc desc.z")
	// desc x . desc y AS desc desc . z
	want := map[int]bool{0: true, 1: false, 3: false, 4: true, 6: false, 7: false, 9: false}
	for i, w := range want {
		if toks[i].kind != tIdent || toks[i].word != w {
			t.Errorf("token %d %s: word=%v, want %v", i, toks[i].describe(), toks[i].word, w)
		}
	}
}

func TestLexIdentifiers(t *testing.T) {
	tests := []struct {
		src  string
		kind tokKind
		text string
	}{
		{"abc", tIdent, "abc"},
		{"_a1", tIdent, "_a1"},
		{"@timestamp", tIdent, "@timestamp"},
		{"a@b_C9", tIdent, "a@b_C9"},
		{`"$source"`, tQIdent, "$source"},
		{`"with space"`, tQIdent, "with space"},
		{`"tab\there"`, tQIdent, "tab\there"},
		{`"q\"uote"`, tQIdent, `q"uote`},
		{`"q""uote"`, tQIdent, `q"uote`},
		{`"\u00e9t\u00E9"`, tQIdent, "été"},
		{`""`, tQIdent, ""},
		{`"été"`, tQIdent, "été"},
	}
	for _, tc := range tests {
		toks := lexKinds(t, tc.src)
		if len(toks) != 1 || toks[0].kind != tc.kind || toks[0].text != tc.text {
			t.Errorf("%s: got %v, want %q", tc.src, kindsOf(toks), tc.text)
		}
	}
}

func TestLexStrings(t *testing.T) {
	tests := []struct{ src, want string }{
		{`'abc'`, "abc"},
		{`''`, ""},
		{`'a\nb'`, "a\nb"},
		{`'\t\r\a\b\f\v'`, "\t\r\a\b\f\v"},
		{`'\\.'`, `\.`}, // regexes are written with doubled backslashes
		{`'it\'s'`, "it's"},
		{`'it''s'`, "it's"},
		{`'say \"hi\"'`, `say "hi"`},
		{`'\u00e9'`, "é"},
		{`'\U0001F600'`, "\U0001F600"},
		{`'\x41\x42'`, "AB"},
		{`'\101'`, "A"},
		{`'\xff'`, "\xff"},
		{`'héllo wörld'`, "héllo wörld"},
		{"'multi\nline'", "multi\nline"},
		{`'%KSK%'`, "%KSK%"},
	}
	for _, tc := range tests {
		toks := lexKinds(t, tc.src)
		if len(toks) != 1 || toks[0].kind != tString || toks[0].text != tc.want {
			t.Errorf("%s: got %v, want %q", tc.src, kindsOf(toks), tc.want)
		}
	}
}

func TestLexNumbers(t *testing.T) {
	big1, _ := new(big.Int).SetString("9223372036854775808", 10)
	big2, _ := new(big.Int).SetString("18446744073709551616", 10)
	tests := []struct {
		src  string
		kind tokKind
		i    int64
		f    float64
		big  *big.Int
	}{
		{"0", tInt, 0, 0, nil},
		{"42", tInt, 42, 0, nil},
		{"9223372036854775807", tInt, math.MaxInt64, 0, nil},
		{"0x1F", tInt, 31, 0, nil},
		{"0X1f", tInt, 31, 0, nil},
		{"0b101", tInt, 5, 0, nil},
		{"0o17", tInt, 15, 0, nil},
		{"017", tInt, 15, 0, nil}, // Go ParseInt base 0: a leading 0 is octal
		{"1_000_000", tInt, 1000000, 0, nil},
		{"0x_ff", tInt, 255, 0, nil},
		{"9223372036854775808", tBigInt, 0, 0, big1},
		{"18446744073709551616", tBigInt, 0, 0, big2},
		{"0x10000000000000000", tBigInt, 0, 0, big2},
		{"1.5", tFloat, 0, 1.5, nil},
		{"1.", tFloat, 0, 1, nil},
		{".5", tFloat, 0, 0.5, nil},
		{"1e3", tFloat, 0, 1000, nil},
		{"1E+3", tFloat, 0, 1000, nil},
		{"2.5e-3", tFloat, 0, 0.0025, nil},
		{"1_000.5", tFloat, 0, 1000.5, nil},
		{"1e-400", tFloat, 0, 0, nil}, // underflow rounds to zero
	}
	for _, tc := range tests {
		toks := lexKinds(t, tc.src)
		if len(toks) != 1 || toks[0].kind != tc.kind {
			t.Errorf("%s: got %v", tc.src, kindsOf(toks))
			continue
		}
		tok := toks[0]
		switch tc.kind {
		case tInt:
			if tok.i != tc.i {
				t.Errorf("%s: got %d, want %d", tc.src, tok.i, tc.i)
			}
		case tFloat:
			if tok.f != tc.f {
				t.Errorf("%s: got %g, want %g", tc.src, tok.f, tc.f)
			}
		case tBigInt:
			if tok.big.Cmp(tc.big) != 0 {
				t.Errorf("%s: got %s, want %s", tc.src, tok.big, tc.big)
			}
		}
	}
}

func TestLexLongestOperator(t *testing.T) {
	// ~~x is LIKE followed by x, not two bitwise NOTs; >>> is one token.
	toks := lexKinds(t, "~~x>>>y~~*z~*w")
	want := []tokKind{tLike, tIdent, tUshr, tIdent, tILike, tIdent, tRegexCI, tIdent}
	if len(toks) != len(want) {
		t.Fatalf("got %v", kindsOf(toks))
	}
	for i, k := range want {
		if toks[i].kind != k {
			t.Errorf("token %d: %s", i, toks[i].describe())
		}
	}
}

func TestLexMinusIsAnOperator(t *testing.T) {
	// A minus sign is never part of a number token: x-1, x -1 and x - 1 lex alike.
	for _, src := range []string{"x-1", "x -1", "x - 1"} {
		toks := lexKinds(t, src)
		if len(toks) != 3 || toks[0].kind != tIdent || toks[1].kind != tMinus || toks[2].kind != tInt || toks[2].i != 1 {
			t.Errorf("%q: got %v", src, kindsOf(toks))
		}
	}
}

func TestLexTimestamps(t *testing.T) {
	us := func(y int, mo time.Month, d, h, mi, s, ns int, loc *time.Location) int64 {
		return time.Date(y, mo, d, h, mi, s, ns, loc).UnixMicro()
	}
	plus2 := time.FixedZone("", 2*3600)
	minus530 := time.FixedZone("", -(5*3600 + 30*60))
	tests := []struct {
		src  string
		want int64
	}{
		{"`2023-01-04T10:33:54.746Z`", us(2023, 1, 4, 10, 33, 54, 746e6, time.UTC)},
		{"`2023-01-04T10:33:54Z`", us(2023, 1, 4, 10, 33, 54, 0, time.UTC)},
		{"`2023-01-04 10:33:54`", us(2023, 1, 4, 10, 33, 54, 0, time.UTC)},
		{"`1999-02-03T01:13:33.999999`", us(1999, 2, 3, 1, 13, 33, 999999e3, time.UTC)},
		{"`2000-01-01T00:00:00.123456789Z`", us(2000, 1, 1, 0, 0, 0, 123456e3, time.UTC)}, // truncated to µs
		{"`2000-01-01T00:00:00+02:00`", us(2000, 1, 1, 0, 0, 0, 0, plus2)},
		{"`2000-01-01T00:00:00-05:30`", us(2000, 1, 1, 0, 0, 0, 0, minus530)},
		{"`2000-01-01t00:00:00z`", us(2000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"`2024-02-29`", us(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"` 2024-02-29T01:02:03Z `", us(2024, 2, 29, 1, 2, 3, 0, time.UTC)},
		{"`1901-05-23T19:12:16.000000Z`", us(1901, 5, 23, 19, 12, 16, 0, time.UTC)},
		{"`0000-01-01T00:00:00Z`", us(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"`2007-02-23T12:14Z`", us(2007, 2, 23, 12, 14, 0, 0, time.UTC)},
		{"`2007-02-23T12:14-08:00`", us(2007, 2, 23, 12, 14, 0, 0, time.FixedZone("", -8*3600))},
	}
	for _, tc := range tests {
		toks := lexKinds(t, tc.src)
		if len(toks) != 1 || toks[0].kind != tTimestamp || toks[0].i != tc.want {
			t.Errorf("%s: got %v (%d), want %d", tc.src, kindsOf(toks), toks[0].i, tc.want)
		}
	}
}

func TestLexComments(t *testing.T) {
	tests := []struct {
		src  string
		want []string // identifier texts
	}{
		{"a -- comment\nb", []string{"a", "b"}},
		{"a # comment\nb", []string{"a", "b"}},
		{"a /* comment */ b", []string{"a", "b"}},
		{"a /* outer /* inner */ still comment */ b", []string{"a", "b"}},
		{"a /* /* /* deep */ */ */ b", []string{"a", "b"}},
		{"a/**/b", []string{"a", "b"}},
		{"a -- no newline at end", []string{"a"}},
		{"a # x /* not a block\nb", []string{"a", "b"}},
		{"a /* -- not a line comment */ b", []string{"a", "b"}},
		{"'# not a comment' c", []string{"# not a comment", "c"}},
		{"\"-- nor this\" c", []string{"-- nor this", "c"}},
	}
	for _, tc := range tests {
		toks := lexKinds(t, tc.src)
		var got []string
		for _, tok := range toks {
			got = append(got, tok.text)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q: got %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestLexPositions(t *testing.T) {
	src := "SELECT a,\n  'é' || \"bé\" b\n/* x\n y */ FROM\tt"
	toks, err := lex(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Pos{
		{0, 1, 1},   // SELECT
		{7, 1, 8},   // a
		{8, 1, 9},   // ,
		{12, 2, 3},  // 'é'
		{17, 2, 7},  // ||
		{20, 2, 10}, // "bé"
		{26, 2, 15}, // b: the column counts code points, not bytes
	}
	for i, w := range want {
		if toks[i].pos != w {
			t.Errorf("token %d %s at %+v, want %+v", i, toks[i].describe(), toks[i].pos, w)
		}
	}
	if from := toks[len(want)]; from.pos.Line != 4 || from.pos.Col != 7 {
		t.Errorf("FROM at %+v, want line 4 column 7", from.pos)
	}
	if tt := toks[len(want)+1]; tt.pos.Line != 4 || tt.pos.Col != 12 {
		t.Errorf("t at %+v, want line 4 column 12", tt.pos)
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	// Whatever bytes a string holds, the printer's quoting lexes back to the same bytes.
	for _, s := range []string{"", "plain", "it's", `back\slash`, "nl\nx", "\x00\x01\x7f", "\xff\xfe", "é€😀", "\u2028", "\"dq\"", "#--/**/"} {
		for _, q := range []struct {
			text string
			kind tokKind
		}{{quoteString(s), tString}, {quoteIdent(s), tQIdent}} {
			toks := lexKinds(t, q.text)
			if len(toks) != 1 || toks[0].kind != q.kind || toks[0].text != s {
				t.Errorf("%q quoted as %s lexes to %v", s, q.text, kindsOf(toks))
			}
		}
	}
}
