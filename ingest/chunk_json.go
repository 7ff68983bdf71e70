package ingest

import (
	"bytes"
	"fmt"
	"io"
)

// jsonChunker cuts JSON text into chunks of whole rows. It follows the structure between
// rows exactly (a stream of objects, top-level arrays of objects, or for cloudtrail the
// "Records" array of a wrapper object), finds where each row ends by counting brackets outside
// strings, and blanks the punctuation around rows so that a chunk is a plain sequence of
// objects for ion.JSONDecoder. The rows themselves are checked by the decoder; the chunker
// only needs to agree with it on where a well-formed row ends, which it does because both
// track strings and nesting the same way.
type jsonChunker struct {
	chunkReader
	cloudtrail bool

	pos      int // next byte of buf to scan
	state    jsState
	ret      jsState // the state after the current row
	depth    int     // nesting inside the current row or skipped value
	inStr    bool
	esc      bool // (skipped values and keys) the previous byte was a backslash
	strStart int  // (rows) offset of the opening quote of the current string
	rowStart int  // offset of the current row
	rows     []int32
	pending  error // reported once the chunks before it are out

	// cloudtrail
	keyLen    int  // bytes of the current key
	keyOK     bool // the key read so far is a prefix of "Records"
	isRecords bool // the value being read belongs to the first "Records" key
	seenRecs  bool // the current wrapper had its Records array
}

type jsState uint8

const (
	jsTop        jsState = iota // between rows of a stream
	jsArrFirst                  // after the '[' of a top-level array
	jsArrAfter                  // after a row of a top-level array
	jsArrNext                   // after a ',' of a top-level array
	jsRow                       // inside a row
	ctTop                       // between cloudtrail wrapper objects
	ctKeyOrEnd                  // after the '{' of a wrapper
	ctKey                       // after a ',' of a wrapper: a key must follow
	ctKeyStr                    // inside a key of a wrapper
	ctColon                     // after a key
	ctValue                     // after a ':'
	ctAfter                     // after a value of a wrapper
	ctSkip                      // inside a skipped container value
	ctSkipStr                   // inside a skipped string value
	ctSkipScalar                // inside a skipped number or literal
	ctRecFirst                  // after the '[' of Records
	ctRecAfter                  // after a row of Records
	ctRecNext                   // after a ',' of Records
)

func newJSONChunker(r io.Reader, pool *bufPool, maxRow int, cloudtrail bool) *jsonChunker {
	c := &jsonChunker{cloudtrail: cloudtrail}
	c.init(&bomReader{r: r}, pool, maxRow)
	if cloudtrail {
		c.state = ctTop
	}
	return c
}

// byte classes of the row scanner
const (
	jcOther = iota
	jcQuote
	jcOpen
	jcClose
)

var jsonClass = [256]uint8{'"': jcQuote, '{': jcOpen, '[': jcOpen, '}': jcClose, ']': jcClose}

var jsonWS = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

func (c *jsonChunker) next() (*chunk, error) {
	for {
		if c.pending != nil {
			return nil, c.pending
		}
		if err := c.scan(); err != nil {
			// a fault between rows: hand out the rows before it first
			c.pending = err
			if ch := c.emit(c.cutPoint()); ch != nil {
				return ch, nil
			}
			continue
		}
		if c.eof && c.pos == len(c.buf) {
			cut := len(c.buf)
			switch {
			case c.err != nil:
				c.pending = c.err
				cut = c.cutPoint() // not the incomplete row the read error cut short
			case c.state == jsRow:
				c.pending = io.EOF // the decoder reports the incomplete row
			case c.state == jsTop || c.state == ctTop:
				c.pending = io.EOF
			case c.state < jsRow:
				c.pending = c.errorAt(len(c.buf), fmt.Errorf("%w: unexpected end of input in the top-level array", ErrSyntax))
			default:
				c.pending = c.errorAt(len(c.buf), fmt.Errorf("%w: unexpected end of input in the cloudtrail object", ErrSyntax))
			}
			if ch := c.emit(cut); ch != nil {
				ch.last = c.pending == io.EOF
				return ch, nil
			}
			continue
		}
		if len(c.buf) < cap(c.buf) {
			c.fill()
			continue
		}
		// the buffer is full and scanned
		cut := c.cutPoint()
		if cut == 0 {
			if err := c.grow(c.rowStart); err != nil {
				c.pending = err
			}
			continue
		}
		if ch := c.emit(cut); ch != nil {
			return ch, nil
		}
	}
}

// cutPoint is where the scanned text can be cut: before the current row, or where the scan
// stopped.
func (c *jsonChunker) cutPoint() int {
	if c.state == jsRow {
		return c.rowStart
	}
	return c.pos
}

// emit hands out buf[:cut] and shifts the scanner's offsets to the carried-over rest.
func (c *jsonChunker) emit(cut int) *chunk {
	k := 0
	for k < len(c.rows) && int(c.rows[k]) < cut {
		k++
	}
	ch := c.take(cut, c.rows[:k], k > 0)
	var rows []int32
	if ch == nil {
		rows = c.rows[:0]
	} else {
		rows = make([]int32, 0, cap(c.rows))
	}
	for _, r := range c.rows[k:] {
		rows = append(rows, r-int32(cut))
	}
	c.rows = rows
	c.pos -= cut
	c.rowStart -= cut
	c.strStart -= cut
	return ch
}

// syntaxAt builds the error for a fault between rows at buf[i].
func (c *jsonChunker) syntaxAt(i int, format string, args ...any) error {
	return c.errorAt(i, fmt.Errorf("%w: "+format, append([]any{ErrSyntax}, args...)...))
}

// notObject builds the error for a row that does not start with '{'.
func (c *jsonChunker) notObject(i int) error {
	b := c.buf[i]
	what := "a " + describeJSONStart(b)
	if what == "a " {
		return c.syntaxAt(i, "invalid character %s looking for the beginning of a row", quoteByte(b))
	}
	return c.errorAt(i, fmt.Errorf("%w, found %s", ErrNotObject, what))
}

func describeJSONStart(b byte) string {
	switch {
	case b == '"':
		return "string"
	case b == '-' || b >= '0' && b <= '9':
		return "number"
	case b == 't' || b == 'f':
		return "boolean"
	case b == 'n':
		return "null"
	case b == '[':
		return "list"
	}
	return ""
}

func quoteByte(b byte) string {
	if b >= 0x20 && b < 0x7f {
		return "'" + string(rune(b)) + "'"
	}
	return fmt.Sprintf("0x%02x", b)
}

// blank replaces a byte that is not part of a row by a space (newlines stay, to keep line
// numbers).
func blank(buf []byte, i int) {
	if buf[i] != '\n' {
		buf[i] = ' '
	}
}

// startRow starts a row at buf[i] (a '{'), returning to state ret after it.
func (c *jsonChunker) startRow(i int, ret jsState) {
	c.state, c.ret = jsRow, ret
	c.rowStart = i
	c.depth = 1
	c.inStr = false
	c.rows = append(c.rows, int32(i))
}

// scan advances c.pos over the buffer, or stops at a fault between rows.
func (c *jsonChunker) scan() error {
	buf := c.buf
	i := c.pos
	defer func() { c.pos = i }()
	for i < len(buf) {
		if c.state == jsRow {
			i = c.scanRow(buf, i)
			continue
		}
		b := buf[i]
		if jsonWS[b] && c.state != ctKeyStr && c.state != ctSkip && c.state != ctSkipStr {
			if c.state == ctSkipScalar {
				c.state = ctAfter
			}
			i++
			continue
		}
		switch c.state {
		case jsTop:
			switch b {
			case '{':
				c.startRow(i, jsTop)
			case '[':
				blank(buf, i)
				c.state = jsArrFirst
			default:
				return c.notObject(i)
			}
		case jsArrFirst, jsArrNext:
			switch {
			case b == '{':
				c.startRow(i, jsArrAfter)
			case b == ']' && c.state == jsArrFirst:
				blank(buf, i)
				c.state = jsTop
			default:
				return c.notObject(i)
			}
		case jsArrAfter:
			switch b {
			case ',':
				blank(buf, i)
				c.state = jsArrNext
			case ']':
				blank(buf, i)
				c.state = jsTop
			default:
				return c.syntaxAt(i, "invalid character %s after a row of the top-level array (want ',' or ']')", quoteByte(b))
			}
		default:
			if err := c.scanCloudTrail(buf, i); err != nil {
				return err
			}
		}
		i++ // over the byte, or the '{' that started a row
	}
	return nil
}

// scanRow scans the row from buf[i] on and returns where it stopped: after the row's closing
// bracket, or at the end of the buffer.
func (c *jsonChunker) scanRow(buf []byte, i int) int {
	for i < len(buf) {
		if c.inStr {
			q := bytes.IndexByte(buf[i:], '"')
			if q < 0 {
				return len(buf)
			}
			i += q
			// an odd run of backslashes before the quote escapes it
			k := i - 1
			for k > c.strStart && buf[k] == '\\' {
				k--
			}
			i++
			if (i-2-k)%2 == 0 {
				c.inStr = false
			}
			continue
		}
		switch jsonClass[buf[i]] {
		case jcQuote:
			c.inStr = true
			c.strStart = i
		case jcOpen:
			c.depth++
		case jcClose:
			c.depth--
			if c.depth == 0 {
				c.state = c.ret
				return i + 1
			}
		}
		i++
	}
	return i
}

// scanCloudTrail advances the cloudtrail wrapper states over buf[i] (not whitespace, except
// inside keys and skipped values).
func (c *jsonChunker) scanCloudTrail(buf []byte, i int) error {
	b := buf[i]
	switch c.state {
	case ctTop:
		if b != '{' {
			return c.syntaxAt(i, "invalid character %s looking for the cloudtrail object {\"Records\": [...]}", quoteByte(b))
		}
		blank(buf, i)
		c.state = ctKeyOrEnd
		c.seenRecs = false
	case ctKeyOrEnd, ctKey:
		switch {
		case b == '"':
			blank(buf, i)
			c.state = ctKeyStr
			c.keyLen, c.keyOK, c.esc = 0, true, false
		case b == '}' && c.state == ctKeyOrEnd:
			return c.endWrapper(buf, i)
		default:
			return c.syntaxAt(i, "invalid character %s looking for a key of the cloudtrail object", quoteByte(b))
		}
	case ctKeyStr:
		blank(buf, i)
		switch {
		case c.esc:
			c.esc = false
			c.keyOK = false
		case b == '\\':
			c.esc = true
			c.keyOK = false
		case b == '"':
			c.isRecords = c.keyOK && c.keyLen == len("Records") && !c.seenRecs
			c.state = ctColon
		default:
			if c.keyLen >= len("Records") || "Records"[c.keyLen] != b {
				c.keyOK = false
			}
			c.keyLen++
		}
	case ctColon:
		if b != ':' {
			return c.syntaxAt(i, "invalid character %s after a key of the cloudtrail object (want ':')", quoteByte(b))
		}
		blank(buf, i)
		c.state = ctValue
	case ctValue:
		if c.isRecords {
			if b != '[' {
				return c.syntaxAt(i, "\"Records\" of the cloudtrail object is not an array (found %s)", quoteByte(b))
			}
			blank(buf, i)
			c.seenRecs = true
			c.isRecords = false
			c.state = ctRecFirst
			return nil
		}
		blank(buf, i)
		switch b {
		case '{', '[':
			c.state, c.depth, c.inStr, c.esc = ctSkip, 1, false, false
		case '"':
			c.state, c.esc = ctSkipStr, false
		default:
			if describeJSONStart(b) == "" {
				return c.syntaxAt(i, "invalid character %s looking for a value", quoteByte(b))
			}
			c.state = ctSkipScalar
		}
	case ctSkip:
		blank(buf, i)
		switch {
		case c.inStr:
			switch {
			case c.esc:
				c.esc = false
			case b == '\\':
				c.esc = true
			case b == '"':
				c.inStr = false
			}
		case b == '"':
			c.inStr = true
		case b == '{' || b == '[':
			c.depth++
		case b == '}' || b == ']':
			c.depth--
			if c.depth == 0 {
				c.state = ctAfter
			}
		}
	case ctSkipStr:
		blank(buf, i)
		switch {
		case c.esc:
			c.esc = false
		case b == '\\':
			c.esc = true
		case b == '"':
			c.state = ctAfter
		}
	case ctSkipScalar:
		switch b {
		case ',', '}':
			c.state = ctAfter
			return c.scanCloudTrail(buf, i)
		}
		blank(buf, i)
	case ctAfter:
		switch b {
		case ',':
			blank(buf, i)
			c.state = ctKey
		case '}':
			return c.endWrapper(buf, i)
		default:
			return c.syntaxAt(i, "invalid character %s after a value of the cloudtrail object (want ',' or '}')", quoteByte(b))
		}
	case ctRecFirst, ctRecNext:
		switch {
		case b == '{':
			c.startRow(i, ctRecAfter)
		case b == ']' && c.state == ctRecFirst:
			blank(buf, i)
			c.state = ctAfter
		default:
			return c.notObject(i)
		}
	case ctRecAfter:
		switch b {
		case ',':
			blank(buf, i)
			c.state = ctRecNext
		case ']':
			blank(buf, i)
			c.state = ctAfter
		default:
			return c.syntaxAt(i, "invalid character %s after a record (want ',' or ']')", quoteByte(b))
		}
	}
	return nil
}

func (c *jsonChunker) endWrapper(buf []byte, i int) error {
	if !c.seenRecs {
		return c.syntaxAt(i, "the cloudtrail object has no \"Records\" array")
	}
	blank(buf, i)
	c.state = ctTop
	return nil
}

// bomReader blanks a UTF-8 byte order mark at the start of the text (as ion.JSONDecoder
// skips it), keeping positions.
type bomReader struct {
	r    io.Reader
	head []byte // the first bytes, until served
	done bool
	err  error
}

func (b *bomReader) Read(p []byte) (int, error) {
	if !b.done {
		b.done = true
		var h [3]byte
		n, err := io.ReadFull(b.r, h[:])
		if n == 3 && h == [3]byte{0xef, 0xbb, 0xbf} {
			h = [3]byte{' ', ' ', ' '}
		}
		b.head = h[:n]
		if err != nil && err != io.ErrUnexpectedEOF {
			b.err = err
		} else if err == io.ErrUnexpectedEOF {
			b.err = io.EOF
		}
	}
	if len(b.head) > 0 {
		n := copy(p, b.head)
		b.head = b.head[n:]
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	return b.r.Read(p)
}
