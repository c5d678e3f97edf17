package lint

import (
	"bufio"
	"bytes"
	"io"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Text in UTF-16 (what Windows PowerShell 5 writes with >, and what some
// editors save .env and YAML files as) is decoded to UTF-8 before any
// rule runs, in every mode: its NUL bytes would otherwise make it look
// binary, and a token in it would be two bytes a character. Lines and
// columns are those of the decoded text, which are the file's characters.

// utf16Sniff is how much of a file's start decides whether it is UTF-16
// without a byte order mark.
const utf16Sniff = 512

// utf16Of returns the decoder for text that starts with head when it is
// UTF-16: a byte order mark (little- or big-endian), or, without one,
// little-endian text whose NUL pattern says so (every second byte NUL,
// the others not, over the first utf16Sniff bytes). nil means it is not.
func utf16Of(head []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	}
	head = head[:min(len(head), utf16Sniff)&^1]
	if len(head) < 16 {
		return nil
	}
	for i := 0; i < len(head); i += 2 {
		if head[i] == 0 || head[i+1] != 0 {
			return nil
		}
	}
	return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
}

// decodeText returns src as UTF-8 when it is UTF-16, else src itself.
func decodeText(src []byte) []byte {
	enc := utf16Of(src)
	if enc == nil {
		return src
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), src)
	if err != nil {
		return src
	}
	return out
}

// textReader returns a reader of r's text as UTF-8: head is the start of
// r already peeked, which decides the encoding.
func textReader(r io.Reader, head []byte) io.Reader {
	if enc := utf16Of(head); enc != nil {
		return transform.NewReader(r, enc.NewDecoder())
	}
	return r
}

// TextReader returns r's text as UTF-8: UTF-16 (see utf16Of) is decoded,
// anything else passes through unchanged.
func TextReader(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, binarySniff)
	head, _ := br.Peek(utf16Sniff)
	return textReader(br, head)
}
