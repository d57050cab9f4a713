package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// xmlScanner reads the parts of a workbook as a stream of tags and texts. It knows only what
// spreadsheet parts use: elements, attributes, the five named entities and character
// references, CDATA, comments and processing instructions; a document type (where entity tricks
// live) is refused. Names are compared by their local part, whatever their prefix.
type xmlScanner struct {
	r   *bufio.Reader
	buf []byte // the raw text or tag being read
	// After next: the token's kind, its local name (tags), its attributes (start tags, raw)
	// and its text (texts, raw: decode before use).
	kind     tokenKind
	name     []byte
	attrs    []byte
	text     []byte
	cdata    bool
	selfShut bool
}

type tokenKind int

const (
	tokenStart tokenKind = iota + 1
	tokenEnd
	tokenText
)

var errMalformed = errors.New("malformed XML")

// maxToken bounds one text, tag or comment: a cell holds at most 32,767 characters, and a part
// that never closes a comment or a quote must not be gathered whole into memory.
const maxToken = 1 << 20

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// newPartScanner scans a part in the encoding its XML declaration names: some Chinese tools
// write worksheets in GBK, which Excel reads.
func newPartScanner(r io.Reader) (*xmlScanner, error) {
	x := newXMLScanner(r)
	label := declaredEncoding(x.r)
	switch label {
	case "", "utf-8", "utf8", "us-ascii":
		return x, nil
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, errMalformed
	}
	return newXMLScanner(enc.NewDecoder().Reader(x.r)), nil
}

// declaredEncoding is the encoding an XML declaration at the start of r names, in lower case.
func declaredEncoding(r *bufio.Reader) string {
	head, _ := r.Peek(256)
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return ""
	}
	if end := bytes.Index(head, []byte("?>")); end >= 0 {
		head = head[:end]
	}
	i := bytes.Index(head, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(head[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	end := bytes.IndexByte(rest[1:], rest[0])
	if end < 0 {
		return ""
	}
	return strings.ToLower(string(rest[1 : 1+end]))
}

// readThrough reads up to and including delim, returning what came before it. The slice is
// valid until the next read.
func (x *xmlScanner) readThrough(delim byte) ([]byte, error) {
	x.buf = x.buf[:0]
	for {
		chunk, err := x.r.ReadSlice(delim)
		if err == bufio.ErrBufferFull {
			if x.buf = append(x.buf, chunk...); len(x.buf) > maxToken {
				return nil, errMalformed
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(x.buf) == 0 {
			return chunk[:len(chunk)-1], nil
		}
		x.buf = append(x.buf, chunk...)
		return x.buf[:len(x.buf)-1], nil
	}
}

// readThroughSeq reads up to and including end (such as "-->"), returning what came before.
func (x *xmlScanner) readThroughSeq(end string) ([]byte, error) {
	var acc []byte
	last := end[len(end)-1]
	for {
		part, err := x.readThrough(last)
		if err != nil {
			return nil, err
		}
		if acc = append(append(acc, part...), last); len(acc) > maxToken {
			return nil, errMalformed
		}
		if bytes.HasSuffix(acc, []byte(end)) {
			return acc[:len(acc)-len(end)], nil
		}
	}
}

// next reads the next token; io.EOF at the end of the part. Comments and processing
// instructions are passed over in a loop: a run of millions of them must not nest calls.
func (x *xmlScanner) next() error {
	for {
		if err := x.token(); err != errSkipped {
			return err
		}
	}
}

// errSkipped is a comment or a processing instruction read and passed over.
var errSkipped = errors.New("skipped")

func (x *xmlScanner) token() error {
	text, err := x.readThrough('<')
	if err != nil {
		return err // io.EOF at the end of the part, text after the last tag left aside
	}
	if len(text) > 0 {
		// Hand the text out now; the tag it ends at is read by the call after.
		x.kind, x.text, x.cdata = tokenText, append(x.text[:0], text...), false
		return x.unread()
	}
	return x.tag()
}

// unread puts back the '<' the text ended at, so the next call reads the tag.
func (x *xmlScanner) unread() error { return x.r.UnreadByte() }

// tag reads the markup after a '<'.
func (x *xmlScanner) tag() error {
	first, err := x.r.Peek(1)
	if err != nil {
		return errMalformed
	}
	switch first[0] {
	case '/':
		body, err := x.readThrough('>')
		if err != nil {
			return errMalformed
		}
		x.kind, x.name = tokenEnd, localName(bytes.TrimSpace(body[1:]))
		return nil
	case '?':
		if _, err := x.readThroughSeq("?>"); err != nil {
			return errMalformed
		}
		return errSkipped
	case '!':
		head, err := x.r.Peek(3)
		if err != nil {
			return errMalformed
		}
		switch {
		case string(head) == "!--":
			if _, err := x.readThroughSeq("-->"); err != nil {
				return errMalformed
			}
			return errSkipped
		case string(head) == "![C":
			body, err := x.readThroughSeq("]]>")
			if err != nil || !bytes.HasPrefix(body, []byte("![CDATA[")) {
				return errMalformed
			}
			x.kind, x.text, x.cdata = tokenText, append(x.text[:0], body[len("![CDATA["):]...), true
			return nil
		}
		return errMalformed // a document type, or worse
	}
	body, err := x.readTag()
	if err != nil {
		return err
	}
	x.selfShut = len(body) > 0 && body[len(body)-1] == '/'
	if x.selfShut {
		body = body[:len(body)-1]
	}
	end := bytes.IndexAny(body, " \t\r\n")
	if end < 0 {
		end = len(body)
	}
	if end == 0 {
		return errMalformed
	}
	x.kind, x.name, x.attrs = tokenStart, localName(body[:end]), body[end:]
	return nil
}

// readTag reads a start tag through its '>', minding quoted attribute values, which may hold
// a '>' of their own. The open quote is carried from one piece to the next, never rescanned.
func (x *xmlScanner) readTag() ([]byte, error) {
	var acc []byte
	var open byte
	for {
		part, err := x.readThrough('>')
		if err != nil {
			return nil, errMalformed
		}
		open = quoteAfter(open, part)
		if acc == nil && open == 0 {
			return part, nil
		}
		if acc = append(acc, part...); len(acc) > maxToken {
			return nil, errMalformed
		}
		if open == 0 {
			return acc, nil
		}
		acc = append(acc, '>')
	}
}

// quoteAfter is the quote still open (0 for none) after b, read from inside open.
func quoteAfter(open byte, b []byte) byte {
	for _, c := range b {
		switch {
		case open == 0 && (c == '"' || c == '\''):
			open = c
		case c == open:
			open = 0
		}
	}
	return open
}

func localName(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// is reports whether the token is a start (or end) tag with the local name.
func (x *xmlScanner) is(kind tokenKind, name string) bool {
	return x.kind == kind && string(x.name) == name
}

// attr is the decoded value of the start tag's attribute with the local name ("" when it has
// none).
func (x *xmlScanner) attr(name string) (string, error) {
	v, err := x.attrBytes(name)
	return string(v), err
}

// attrBytes is attr as bytes, valid until the next token.
func (x *xmlScanner) attrBytes(name string) ([]byte, error) {
	rest := x.attrs
	for {
		rest = bytes.TrimLeft(rest, " \t\r\n")
		if len(rest) == 0 {
			return nil, nil
		}
		eq := bytes.IndexByte(rest, '=')
		if eq < 0 {
			return nil, errMalformed
		}
		full := bytes.TrimSpace(rest[:eq])
		key := localName(full)
		rest = bytes.TrimLeft(rest[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil, errMalformed
		}
		closing := bytes.IndexByte(rest[1:], rest[0])
		if closing < 0 {
			return nil, errMalformed
		}
		raw := rest[1 : 1+closing]
		rest = rest[2+closing:]
		// xmlns:r="…" declares a prefix; it is not an attribute named r.
		if string(key) != name || bytes.HasPrefix(full, []byte("xmlns:")) {
			continue
		}
		if bytes.IndexAny(raw, "&\r") < 0 {
			return raw, nil
		}
		v, err := appendDecoded(nil, raw, true)
		return v, err
	}
}

// appendDecoded appends raw XML text with its line ends made '\n' and, unless it is CDATA,
// its references replaced, as encoding/xml reads it.
func appendDecoded(dst, raw []byte, references bool) ([]byte, error) {
	special := "&\r"
	if !references {
		special = "\r"
	}
	for len(raw) > 0 {
		i := bytes.IndexAny(raw, special)
		if i < 0 {
			return append(dst, raw...), nil
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		if raw[0] == '\r' {
			dst = append(dst, '\n')
			raw = raw[1:]
			if len(raw) > 0 && raw[0] == '\n' {
				raw = raw[1:]
			}
			continue
		}
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 {
			return nil, errMalformed
		}
		ref := string(raw[1:semi])
		raw = raw[semi+1:]
		switch ref {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, ok := charRef(ref)
			if !ok {
				return nil, errMalformed
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst, nil
}

// charRef reads "#65" or "#x41" as the character it names.
func charRef(ref string) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ref[1] == 'x' {
		n, err = strconv.ParseUint(ref[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(ref[1:], 10, 32)
	}
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// textOf reads the texts up to the end tag of the element just started, decoded, skipping any
// elements inside it.
func (x *xmlScanner) textOf() (string, error) {
	if x.selfShut {
		return "", nil
	}
	var out []byte
	depth := 0
	for {
		if err := x.next(); err != nil {
			return "", errMalformed
		}
		switch x.kind {
		case tokenText:
			if depth == 0 {
				var err error
				if out, err = x.appendText(out); err != nil {
					return "", err
				}
				if len(out) > maxToken { // texts joined past what one may hold
					return "", errMalformed
				}
			}
		case tokenStart:
			if !x.selfShut {
				depth++
			}
		case tokenEnd:
			if depth == 0 {
				return string(out), nil
			}
			depth--
		}
	}
}

// appendText appends the text token, decoded.
func (x *xmlScanner) appendText(dst []byte) ([]byte, error) {
	return appendDecoded(dst, x.text, !x.cdata)
}
